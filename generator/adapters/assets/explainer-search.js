// Site search (generator/adapters/search_index.py): Pagefind's index lives in pagefind/ at the
// site root of each edition, beside this file's folder, and is fetched a chunk at a time, only
// once a reader searches. Results show as one types: under the header's box (wide screens), or
// on the search page (its own box; phones reach it by the header's button). Enter in the
// header's box opens the search page with its words as ?q=. A result's snippet is the
// explainer's lede (data-pagefind-meta="lede"), with the words found in it marked.
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script) return;
  // assets/explainer/explainer-search.js -> the edition's root, whatever page we are on.
  var root = new URL("../../", script.src);
  var bundle = new URL("pagefind/", root);
  // Pause after a key before searching: typing fast searches once, and results show well
  // within 300 ms of the last key (bench/README.md). Pagefind's own default is 300 ms.
  var DEBOUNCE_MS = 60;
  var SHOWN = 5; // results under the header's box; the search page shows them all
  var pageUI = null; // the search page's Pagefind UI, once mounted

  function escapeHTML(text) {
    return text.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // The words Pagefind marked in a result's excerpts (HTML it escaped), as plain text.
  function markedWords(result) {
    var html = [result.excerpt || ""].concat((result.sub_results || []).map(function (sub) {
      return sub.excerpt || "";
    })).join(" ");
    var words = {};
    var found = html.match(/<mark>[^<]*<\/mark>/g) || [];
    found.forEach(function (mark) {
      // DOMParser's document runs no script and loads nothing: it only decodes the entities.
      var text = new DOMParser().parseFromString(mark, "text/html").body.textContent.trim();
      if (text) words[text.toLowerCase()] = true;
    });
    return Object.keys(words);
  }

  // The lede as HTML: escaped, with the result's matched words marked.
  function ledeSnippet(lede, words) {
    var html = escapeHTML(lede.trim());
    if (!words.length) return html;
    var alternatives = words.sort(function (a, b) { return b.length - a.length; })
      .map(function (word) { return escapeHTML(word).replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); });
    var pattern = new RegExp("(^|[^\\p{L}\\p{N}])(" + alternatives.join("|") + ")(?![\\p{L}\\p{N}])",
      "giu");
    return html.replace(pattern, "$1<mark>$2</mark>");
  }

  // Pagefind's result, with the lede as its snippet where the page has one (and not also
  // as a tag: Pagefind's UI lists the metadata it does not know under each result).
  function withLede(result) {
    var lede = result.meta && result.meta.lede;
    if (lede) {
      result.excerpt = ledeSnippet(lede, markedWords(result));
      delete result.meta.lede;
    }
    return result;
  }

  function searchPage(query) {
    var url = new URL("search/", root);
    if (query) url.searchParams.set("q", query);
    return url.href;
  }

  // Header links and forms are not redrawn by instant navigation, so their relative addresses
  // go stale on pages at another depth: resolve them against the root when used.
  document.addEventListener("submit", function (event) {
    var form = event.target.closest && event.target.closest("form[data-explainer-search-form]");
    if (!form) return;
    event.preventDefault();
    location.assign(searchPage(form.elements.q.value.trim()));
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-explainer-search-link]");
    if (link) link.href = searchPage("");
  }, true);

  // "/" (Material's search key) focuses the header's box, or opens the search page on
  // narrow screens where the box is hidden; never while typing in a field.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) {
      return;
    }
    event.preventDefault();
    var onPage = document.querySelector("#explainer-search input");
    var box = document.querySelector("form[data-explainer-search-form] input");
    if (onPage) onPage.focus();
    else if (box && box.offsetParent !== null) box.focus();
    else location.assign(searchPage(""));
  });

  function load(tag, attrs) {
    return new Promise(function (resolve, reject) {
      var el = document.createElement(tag);
      Object.keys(attrs).forEach(function (key) { el.setAttribute(key, attrs[key]); });
      el.onload = resolve;
      el.onerror = reject;
      document.head.appendChild(el);
    });
  }

  var loading = null;
  function pagefindUI() {
    if (window.PagefindUI) return Promise.resolve();
    if (!loading) {
      loading = Promise.all([
        load("link", { rel: "stylesheet", href: new URL("pagefind-ui.css", bundle).href }),
        load("script", { src: new URL("pagefind-ui.js", bundle).href }),
      ]);
    }
    return loading;
  }

  function mount() {
    var el = document.getElementById("explainer-search");
    if (!el || el.getAttribute("data-mounted")) return;
    el.setAttribute("data-mounted", "1");
    var query = new URLSearchParams(location.search).get("q") || "";
    var box = document.querySelector("form[data-explainer-search-form] input[name=q]");
    if (box && query) box.value = query;
    pagefindUI().then(function () {
      el.textContent = "";
      var ui = new window.PagefindUI({
        element: "#explainer-search",
        bundlePath: bundle.href,
        // Result addresses are indexed from the edition's root ("/slug/"): under mike the
        // edition lives at /1.0/ or /latest/, so they are prefixed with the root's path.
        baseUrl: root.pathname,
        showSubResults: true,
        showImages: false,
        autofocus: !query,
        debounceTimeoutMs: DEBOUNCE_MS,
        processResult: withLede,
      });
      pageUI = ui;
      // Pagefind's box is named by its title only (axe: label-title-only): give it a
      // visible label.
      var input = el.querySelector("input.pagefind-ui__search-input");
      if (input) {
        input.id = "explainer-search-input";
        var label = document.createElement("label");
        label.setAttribute("for", input.id);
        label.className = "explainer-search__label";
        label.textContent = "Search the explainers, facts and sources";
        el.insertBefore(label, el.firstChild);
      }
      if (query) ui.triggerSearch(query);
    }, function () {
      el.setAttribute("data-failed", "1");
      var p = document.createElement("p");
      p.textContent = "The search index could not be loaded. In the live preview (explainer " +
        "serve) it is made a few seconds after the last save: reload the page then.";
      el.insertBefore(p, el.firstChild);
    });
  }

  // Results under the header's box, as one types (pagefind.js, loaded when the box is first
  // focused). On the search page the box drives the page's own results instead.
  var engine = null;
  function pagefind() {
    if (!engine) {
      engine = import(new URL("pagefind.js", bundle).href).then(function (pf) {
        return pf.options({ baseUrl: root.pathname, excerptLength: 30 }).then(function () {
          return pf;
        });
      });
      // Tried once a page: an older deployed edition has no index of its own (its search page
      // sends readers to the latest edition's: generator/publish/deploy.py), and Enter does.
      engine.catch(function () {});
    }
    return engine;
  }

  function headerBox(target) {
    return target && target.closest && target.closest("form[data-explainer-search-form]") &&
      target.name === "q" ? target : null;
  }

  var timer = 0;
  var sequence = 0; // the newest search: an older one's late answer is dropped

  function panelOf(box) {
    var panel = document.getElementById("explainer-search-results");
    if (!panel) {
      panel = document.createElement("div");
      panel.id = "explainer-search-results";
      panel.className = "explainer-search-results";
      panel.hidden = true;
      box.setAttribute("aria-controls", panel.id);
      box.form.appendChild(panel);
    }
    return panel;
  }

  function close() {
    sequence += 1;
    clearTimeout(timer);
    var panel = document.getElementById("explainer-search-results");
    if (panel) panel.hidden = true;
  }

  function item(data) {
    var li = document.createElement("li");
    var link = document.createElement("a");
    link.href = data.url;
    link.className = "explainer-search-results__link";
    link.textContent = (data.meta && data.meta.title) || data.url;
    var snippet = document.createElement("p");
    snippet.className = "explainer-search-results__snippet";
    snippet.innerHTML = data.excerpt; // escaped: ledeSnippet, or Pagefind's own excerpt
    li.appendChild(link);
    li.appendChild(snippet);
    return li;
  }

  function show(box, query, results, total) {
    var panel = panelOf(box);
    panel.textContent = "";
    panel.setAttribute("data-query", query); // which words the results shown are for
    var count = document.createElement("p");
    count.className = "explainer-search-results__count";
    count.setAttribute("role", "status");
    count.textContent = total === 0 ? "No results for “" + query + "”"
      : total === 1 ? "1 result" : total + " results";
    panel.appendChild(count);
    if (results.length) {
      var list = document.createElement("ol");
      results.forEach(function (data) { list.appendChild(item(withLede(data))); });
      panel.appendChild(list);
    }
    if (total > results.length) {
      var all = document.createElement("a");
      all.className = "explainer-search-results__all";
      all.href = searchPage(query);
      all.textContent = "All " + total + " results";
      panel.appendChild(all);
    }
    panel.hidden = false;
  }

  function search(box) {
    var query = box.value.trim();
    var mine = ++sequence;
    if (!query) {
      close();
      return;
    }
    pagefind().then(function (pf) {
      return pf.search(query);
    }).then(function (found) {
      if (mine !== sequence) return null;
      return Promise.all(found.results.slice(0, SHOWN).map(function (result) {
        return result.data();
      })).then(function (results) {
        if (mine === sequence) show(box, query, results, found.results.length);
      });
    }).catch(function () {
      if (mine !== sequence) return;
      var panel = panelOf(box);
      panel.textContent = "Press Enter to search.";
      panel.hidden = false;
    });
  }

  document.addEventListener("focusin", function (event) {
    if (headerBox(event.target) && !pageUI) pagefind().catch(function () {});
  });
  document.addEventListener("input", function (event) {
    var box = headerBox(event.target);
    if (!box) return;
    if (pageUI) {
      pageUI.triggerSearch(box.value.trim());
      return;
    }
    clearTimeout(timer);
    timer = setTimeout(function () { search(box); }, DEBOUNCE_MS);
    // The index chunks the words need start loading now, during the pause.
    var words = box.value.trim();
    if (words) {
      pagefind().then(function (pf) { return pf.preload(words); }).catch(function () {});
    }
  });
  document.addEventListener("keydown", function (event) {
    var panel = document.getElementById("explainer-search-results");
    if (!panel || panel.hidden) return;
    var box = document.querySelector("form[data-explainer-search-form] input[name=q]");
    var links = Array.prototype.slice.call(panel.querySelectorAll("a"));
    var at = links.indexOf(document.activeElement);
    if (event.key === "Escape") {
      close();
      if (box) box.focus();
    } else if (event.key === "ArrowDown" && (event.target === box || at !== -1)) {
      event.preventDefault();
      if (links.length) links[Math.min(at + 1, links.length - 1)].focus();
    } else if (event.key === "ArrowUp" && at !== -1) {
      event.preventDefault();
      if (at === 0 && box) box.focus();
      else links[at - 1].focus();
    }
  });
  // A click or focus outside the box and its results closes them.
  ["pointerdown", "focusin"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var panel = document.getElementById("explainer-search-results");
      if (panel && !panel.hidden && !(event.target.closest &&
          event.target.closest("form[data-explainer-search-form]"))) {
        close();
      }
    });
  });

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(mount);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mount);
  } else {
    mount();
  }
})();
