/* Explainer charts: turn each chart's static paint (or reserved box) into a plotly chart.
 *
 * - plotly.js is served by the site itself and loaded only on pages that have charts, only when
 *   a chart is about to be used: a chart painted from its static SVG in the first screen goes
 *   live on the reader's first touch, hover or focus; any other chart when the reader scrolls
 *   near it.
 * - Material's instant navigation swaps pages without reloading, so start-up subscribes to
 *   Material's document$ (it re-emits for every page) instead of running once.
 * - Colours come from Material's CSS variables and follow the light/dark toggle, which Material
 *   records in body[data-md-color-scheme].
 * Figure JSON is fetched from a file next to the page: inline <script type="application/json">
 * would lose its type under instant navigation.
 * - Only the site's own files are loaded: the site root is this script's own address
 *   (assets/explainer/explainer-charts.js, captured as it starts, never read from the page),
 *   plotly.js must be <root>charts/plotly-...min.js and a figure <root>charts/<chart id>.json.
 *   A published edition may take plotly.js from the edition beside it that first published
 *   the same file (generator/publish/record.py): <root>../<edition>/charts/plotly-...min.js.
 *   A page naming any other address (another host, another folder) gets no live chart.
 */
(function () {
  "use strict";
  var self = document.currentScript;
  var siteRoot = self && self.src ? new URL("../../", self.src) : null;
  var PLOTLY_NAME = /^plotly(-basic)?-\d+\.\d+\.\d+\.min\.js$/;
  var CHART_ID = /^[A-Za-z0-9_-]+$/;
  var EDITION = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/;  // generator/render/output.py VERSION_RE
  var plotlyPromise = null;
  var live = [];  // drawn charts: {el, axes}

  function loadPlotly(url) {
    if (window.Plotly) return Promise.resolve(window.Plotly);
    if (!plotlyPromise) {
      plotlyPromise = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = url;
        script.async = true;
        script.onload = function () {
          if (window.Plotly) resolve(window.Plotly);
          else reject(new Error("plotly.js loaded but did not start"));
        };
        script.onerror = function () {
          plotlyPromise = null;  // let a later touch try again
          reject(new Error("could not load " + url));
        };
        document.head.appendChild(script);
      });
    }
    return plotlyPromise;
  }

  function cssColor(variable, fallback) {
    var probe = document.createElement("span");
    probe.style.display = "none";
    probe.style.color = "var(" + variable + ", " + fallback + ")";
    document.body.appendChild(probe);
    var color = getComputedStyle(probe).color;
    probe.remove();
    return color || fallback;
  }

  function theme(axes) {
    var text = cssColor("--md-default-fg-color", "rgba(0,0,0,0.87)");
    var grid = cssColor("--md-default-fg-color--lightest", "rgba(0,0,0,0.07)");
    var line = cssColor("--md-default-fg-color--lighter", "rgba(0,0,0,0.32)");
    var bg = cssColor("--md-default-bg-color", "#fff");
    var update = {"font.color": text, "hoverlabel.bgcolor": bg, "hoverlabel.font.color": text,
                  "legend.font.color": text};
    axes.forEach(function (axis) {
      update[axis + ".gridcolor"] = grid;
      update[axis + ".linecolor"] = line;
      update[axis + ".zerolinecolor"] = line;
    });
    return update;
  }

  function applyTo(layout, update) {
    Object.keys(update).forEach(function (path) {
      var keys = path.split("."), node = layout;
      for (var i = 0; i < keys.length - 1; i++) {
        node = node[keys[i]] = node[keys[i]] || {};
      }
      node[keys[keys.length - 1]] = update[path];
    });
  }

  // The site's own file charts/<name> that `written` (an attribute of the page) names, or null:
  // same origin, directly in the site's charts/ folder, with an expected name.
  function ownChartFile(written, name, anyEdition) {
    if (!siteRoot || !written || !name) return null;
    var expected = new URL("charts/" + name, siteRoot);
    var named;
    try { named = new URL(written, location.href); } catch (e) { return null; }
    if (named.origin !== siteRoot.origin || named.origin !== location.origin) return null;
    if (named.href === expected.href) return expected.href;
    if (!anyEdition) return null;
    var editions = new URL("../", siteRoot).href;
    if (named.search || named.hash || named.href.indexOf(editions) !== 0) return null;
    var parts = named.href.slice(editions.length).split("/");
    var edition;
    try { edition = decodeURIComponent(parts[0]); } catch (e) { return null; }
    return parts.length === 3 && EDITION.test(edition) && parts[1] === "charts" &&
      parts[2] === name ? named.href : null;
  }

  function plotlyUrl(figure) {
    var written = figure.getAttribute("data-plotly") || "";
    var name = written.split("/").pop();
    return PLOTLY_NAME.test(name) ? ownChartFile(written, name, true) : null;
  }

  function figureUrl(figure) {
    var id = figure.getAttribute("data-chart") || "";
    return CHART_ID.test(id) ? ownChartFile(figure.getAttribute("data-figure"), id + ".json")
                             : null;
  }

  function upgrade(figure, figureAt, plotlyAt) {
    if (figure.getAttribute("data-state")) return;
    figure.setAttribute("data-state", "loading");
    var canvas = figure.querySelector(".explainer-chart__canvas");
    var load = fetch(figureAt, {credentials: "same-origin"}).then(function (response) {
      if (!response.ok) throw new Error("could not load " + figureAt);
      return response.json();
    });
    Promise.all([loadPlotly(plotlyAt), load])
      .then(function (results) {
        var Plotly = results[0], spec = results[1];
        var axes = ["xaxis", "yaxis"].filter(function (a) { return a in spec.layout; });
        applyTo(spec.layout, theme(axes));
        return Plotly.newPlot(canvas, spec.data, spec.layout, {
          responsive: true, displayModeBar: false, displaylogo: false,
        }).then(function () {
          live.push({el: canvas, axes: axes});
          figure.classList.add("is-interactive");
          figure.setAttribute("data-state", "ready");
        });
      })
      .catch(function (error) {
        // The static paint (if any), the data table and the CSV stay: the chart is still read.
        figure.setAttribute("data-state", "failed");
        console.warn("explainer chart:", error.message);
      });
  }

  function setup(figure) {
    if (figure.getAttribute("data-bound")) return;
    figure.setAttribute("data-bound", "1");
    // Resolve now: the attributes are relative to this page, and instant navigation moves on.
    var figureAt = figureUrl(figure), plotlyAt = plotlyUrl(figure);
    if (!figureAt || !plotlyAt) {  // not the site's own files: the static chart stays
      figure.setAttribute("data-state", "refused");
      console.warn("explainer chart: not the site's own files; no live chart");
      return;
    }
    var plot = figure.querySelector(".explainer-chart__plot");
    var start = function () { upgrade(figure, figureAt, plotlyAt); };
    var painted = figure.getAttribute("data-static") === "1";
    if (painted && plot) {
      ["pointerenter", "touchstart", "focusin", "click"].forEach(function (type) {
        plot.addEventListener(type, start, {once: true, passive: true});
      });
    }
    if (!("IntersectionObserver" in window)) {
      if (!painted) start();
      return;
    }
    // A painted chart in the first screen waits for the reader's touch: loading plotly.js
    // while the page starts would cost its first paint. Any other chart goes live as the
    // reader scrolls near it. The observer's first report says where the chart was at load.
    var first = true;
    var observer = new IntersectionObserver(function (entries) {
      var near = entries.some(function (e) { return e.isIntersecting; });
      var atLoad = first;
      first = false;
      if (!near || (atLoad && painted)) return;
      observer.disconnect();
      start();
    }, {rootMargin: "300px 0px"});
    observer.observe(figure);
  }

  function recolour() {
    live = live.filter(function (chart) { return chart.el.isConnected; });
    if (!window.Plotly) return;
    live.forEach(function (chart) { window.Plotly.relayout(chart.el, theme(chart.axes)); });
  }

  function init() {
    document.querySelectorAll("figure.explainer-chart[data-figure]").forEach(setup);
  }

  new MutationObserver(recolour).observe(document.body, {
    attributes: true, attributeFilter: ["data-md-color-scheme"],
  });
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
