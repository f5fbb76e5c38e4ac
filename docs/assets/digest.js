/* Social Credit Digest: the header search box and small fixes to the theme's page. No third-party code.
   The search page has its own script, search.js. */
(function () {
  "use strict";
  var config = {};
  try { config = JSON.parse(document.getElementById("__config").textContent); } catch (e) { /* stock page */ }
  var base = (config.base || ".").replace(/\/$/, "");

  // A search box in Material's header (its own search plugin is off); it opens the search page.
  function addHeaderSearch() {
    var header = document.querySelector(".md-header__inner");
    if (!header || document.getElementById("scd-header-search")) return;
    var form = document.createElement("form");
    form.id = "scd-header-search";
    form.className = "scd-header-search";
    form.setAttribute("role", "search");
    form.action = base + "/search/";
    form.method = "get";
    var input = document.createElement("input");
    input.type = "search";
    input.name = "q";
    input.placeholder = "Search · 搜索";
    input.setAttribute("aria-label", "Search the digest");
    form.appendChild(input);
    var anchor = header.querySelector(".md-header__source") || null;
    header.insertBefore(form, anchor);
  }

  // Material looks up a sitemap next to every <link rel="alternate"> (its language switcher) and so
  // fetched /sitemap.xml once per feed, and <page>/sitemap.xml (a 404) for a hub's own feed. The feed
  // links stay in the HTML for feed readers; in the live page they are marked "alternate feed", which
  // Material's exact [rel=alternate] match skips. This runs before Material's DOMContentLoaded work.
  function keepFeedLinksFromMaterial() {
    var links = document.querySelectorAll('link[rel="alternate"][type]');
    for (var i = 0; i < links.length; i++) {
      if (/(rss|atom|feed)\+(xml|json)/.test(links[i].type)) links[i].rel = "alternate feed";
    }
  }

  // Material wraps each table in a horizontally scrollable box: give it a name and a tab stop, so
  // keyboard users can scroll it (WCAG 2.1.1) and screen readers announce what it holds.
  function labelScrollRegions() {
    var wraps = document.querySelectorAll(".md-typeset__scrollwrap:not([tabindex])");
    for (var i = 0; i < wraps.length; i++) {
      var wrap = wraps[i], heading = null, node = wrap;
      while (node && !heading) {
        var previous = node.previousElementSibling;
        while (previous && !/^H[1-6]$/.test(previous.tagName)) previous = previous.previousElementSibling;
        heading = previous;
        node = node.parentElement;
        if (node && node.classList.contains("md-content__inner")) break;
      }
      var name = heading ? heading.textContent.replace(/\u00b6/g, "").trim() : document.title;
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-label", "Table: " + name);
    }
  }

  keepFeedLinksFromMaterial();
  addHeaderSearch();
  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(function () { window.setTimeout(labelScrollRegions, 0); });
  } else {
    document.addEventListener("DOMContentLoaded", function () { window.setTimeout(labelScrollRegions, 0); });
  }
})();
