// Old index addresses keep working (generator/render/buckets.py). The Facts and Sources indexes
// split into pages addressed by id prefixes as they grow; a split page lists its parts as links
// marked data-index-prefix. When the address asks for #some_id that this page does not hold,
// go on to the part whose prefix starts that id (a page or two later, the fact itself).
(function () {
  "use strict";

  function forward() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id || document.getElementById(id)) return;
    var best = null;
    document.querySelectorAll("a[data-index-prefix]").forEach(function (link) {
      var prefix = link.getAttribute("data-index-prefix");
      if (id.indexOf(prefix) === 0 && (!best || prefix.length > best.prefix.length)) {
        best = { prefix: prefix, href: link.href.split("#")[0] };
      }
    });
    if (best) location.replace(best.href + "#" + encodeURIComponent(id));
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(forward);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", forward);
  } else {
    forward();
  }
})();
