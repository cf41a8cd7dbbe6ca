// Site search (generator/adapters/search_index.py): Pagefind's index lives in pagefind/ at the
// site root of each edition, beside this file's folder, and is fetched only by the search page,
// a chunk at a time. The header's box sends its words to the search page as ?q=.
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script) return;
  // assets/explainer/explainer-search.js -> the edition's root, whatever page we are on.
  var root = new URL("../../", script.src);
  var bundle = new URL("pagefind/", root);

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
      });
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

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(mount);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mount);
  } else {
    mount();
  }
})();
