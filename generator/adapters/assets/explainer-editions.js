// The edition selector and the "older edition" banner, from the first paint (issue 12).
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

  function names(version) {
    return [version.version].concat(version.aliases || []);
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
    var page = location.pathname.slice(root.pathname.length) + location.hash;
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

  fetch(new URL("versions.json", all)).then(function (response) {
    if (!response.ok) throw new Error(response.status);
    return response.json();
  }).then(function (versions) {
    if (!Array.isArray(versions)) return;
    versions = versions.filter(function (version) {
      return version && typeof version.version === "string" &&
        !(version.properties && version.properties.hidden);
    });
    var current = versions.filter(function (version) {
      return names(version).indexOf(here) !== -1;
    })[0];
    if (!current) return;  // not a mike edition folder (a local build): nothing to choose
    draw(versions, current);
    if (names(current).indexOf(latest) === -1) {
      var banner = document.querySelector("[data-md-component=outdated]");
      if (banner) banner.hidden = false;
    }
  }).catch(function () {
    // No versions.json (a build served outside mike's folders): the page reads as it is.
  });
})();
