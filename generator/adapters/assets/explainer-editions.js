// The edition selector and the "older edition" or "preview" banner, from the first paint
// (issues 12 and 21), and the reader's edition carried by ?edition=V (issue 21).
//
// Material draws both from its bundle, which here starts only on a reader's first touch
// (theme/partials/javascripts/explainer-start.html): a phone reader arriving on an old edition
// saw no banner and no way to the other editions until they touched the page. This script is
// small and runs at load. It draws Material's own markup (so Material's CSS styles it) and is
// used only on deployed editions: the header carries `data-explainer-editions` when mike is the
// version provider (mkdocs.yml, set by `explainer deploy`), and Material's version handling is
// off (mike's `version_selector: false`), so the two never both draw.
(function () {
  "use strict";

  var script = document.currentScript;
  var mark = document.querySelector("[data-explainer-editions]");
  if (!script || !mark) return;
  // assets/explainer/explainer-editions.js -> this edition's root -> the folder of all editions.
  var root = new URL("../../", script.src);
  var all = new URL("../", root);
  var here = decodeURIComponent(root.pathname.slice(all.pathname.length).replace(/\/$/, ""));
  var latest = mark.getAttribute("data-default") || "latest";
  var label = mark.getAttribute("data-label") || "Select version";

  // The page's path inside its edition; a page outside the edition's folder (the site's root
  // 404 page, which loads this script from an edition) reads as the edition's front page.
  var inside = location.pathname.indexOf(root.pathname) === 0;
  var page = inside ? location.pathname.slice(root.pathname.length) + location.hash : "";

  function names(version) {
    return [version.version].concat(version.aliases || []);
  }

  function find(versions, name) {
    return versions.filter(function (version) {
      return names(version).indexOf(name) !== -1;
    })[0];
  }

  // Release order as generator/adapters/edition.py's version_key: 1.10 > 1.9 > 1.1.1 > 1.1.
  function isRelease(name) {
    return /^v?\d/.test(name);
  }

  function key(name) {
    return (name.match(/\d+|[A-Za-z]+/g) || []).map(function (part) {
      return /^\d/.test(part) ? [0, parseInt(part, 10)] : [1, part];
    });
  }

  function compare(a, b) {
    var x = key(a), y = key(b);
    for (var i = 0; i < Math.min(x.length, y.length); i++) {
      if (x[i][0] !== y[i][0]) return x[i][0] - y[i][0];
      if (x[i][1] !== y[i][1]) return x[i][1] < y[i][1] ? -1 : 1;
    }
    return x.length - y.length;
  }

  // "older": a release below the one aliased latest; "preview": a development edition (dev) or
  // a release above latest; none for latest itself (or when nothing is aliased latest).
  function kind(current, latestVersion) {
    if (latestVersion === current) return null;
    if (!isRelease(current.version)) return "preview";
    if (!latestVersion || !isRelease(latestVersion.version)) return null;
    var order = compare(current.version, latestVersion.version);
    return order < 0 ? "older" : order > 0 ? "preview" : null;
  }

  // An unchanged page of edition V is a stub sending the reader to the edition that holds the
  // page in full, with ?edition=V: the reader is still reading V, so links into this folder
  // lead into V's folder (whose stubs send them on to the right revision).
  function stayIn(name) {
    var target = new URL(encodeURIComponent(name) + "/", all).href;
    var self = location.href.split("#")[0];
    Array.prototype.forEach.call(document.querySelectorAll("a[href]"), function (link) {
      var href = link.href;
      // A link within this page (footnotes, the table of contents) stays as it is.
      if (typeof href !== "string" || href.split("#")[0] === self) return;
      if (href.indexOf(root.href) === 0) {
        link.setAttribute("href", target + href.slice(root.href.length));
      }
    });
  }

  function requested(versions) {
    var name = new URLSearchParams(location.search).get("edition");
    // Only a name versions.json lists (exact match); it is used as text and in a URL path
    // segment (encoded), never as markup.
    return name !== null && find(versions, name) ? name : null;
  }

  function draw(versions, current) {
    var box = document.createElement("div");
    box.className = "md-version";
    var button = document.createElement("button");
    button.className = "md-version__current";
    button.textContent = current.title || current.version;
    // The accessible name starts with the visible text (axe label-content-name-mismatch).
    button.setAttribute("aria-label", button.textContent + " – " + label);
    var list = document.createElement("ul");
    list.className = "md-version__list";
    // The same page in the other edition; if that edition has no such page, its front page.
    versions.forEach(function (version) {
      var item = document.createElement("li");
      item.className = "md-version__item";
      var link = document.createElement("a");
      link.className = "md-version__link";
      link.href = new URL(encodeURIComponent(version.version) + "/" + page, all).href;
      link.setAttribute("data-edition-root",
                        new URL(encodeURIComponent(version.version) + "/", all).href);
      link.textContent = version.title || version.version;
      item.appendChild(link);
      list.appendChild(item);
    });
    box.appendChild(button);
    box.appendChild(list);
    list.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a.md-version__link");
      if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button) return;
      event.preventDefault();
      fetch(link.href, {method: "HEAD"}).then(function (response) {
        location.assign(response.ok ? link.href : link.getAttribute("data-edition-root"));
      }, function () {
        location.assign(link.getAttribute("data-edition-root"));
      });
    });
    mark.appendChild(box);
  }

  function showBanner(which) {
    var banner = document.querySelector("[data-md-component=outdated]");
    var text = banner && banner.querySelector("[data-explainer-banner=" + which + "]");
    if (!text) return;
    text.hidden = false;
    banner.hidden = false;
  }

  fetch(new URL("versions.json", all)).then(function (response) {
    if (!response.ok) throw new Error(response.status);
    return response.json();
  }).then(function (versions) {
    if (!Array.isArray(versions)) return;
    versions = versions.filter(function (version) {
      return version && typeof version.version === "string" &&
        !(version.properties && version.properties.hidden);
    });
    var name = requested(versions);
    var current = find(versions, name || here);
    if (!current) return;  // not a mike edition folder (a local build): nothing to choose
    if (name && name !== here && inside) stayIn(name);
    draw(versions, current);
    var which = kind(current, find(versions, latest));
    if (which) showBanner(which);
  }).catch(function () {
    // No versions.json (a build served outside mike's folders): the page reads as it is.
  });
})();
