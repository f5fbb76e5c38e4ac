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

  // The colour-scheme toggle (the theme's own is handed over by scripts/material_markup.py, because it
  // restyles the whole page twice on every load). The same form, stored choice and colours: the theme's
  // inline script has already applied a stored choice to <body> before this runs. Until a reader
  // clicks the toggle, the page follows the system setting, also when it changes.
  function startPalette() {
    var form = document.querySelector("form[data-scd-palette]");
    if (!form) return;
    var inputs = Array.prototype.slice.call(form.querySelectorAll("input[data-md-color-media]"));
    if (!inputs.length) return;
    var get = typeof window.__md_get === "function" ? window.__md_get : function () { return null; };
    var set = typeof window.__md_set === "function" ? window.__md_set : function () {};
    var keys = ["media", "scheme", "primary", "accent"];
    function colorOf(input) {
      var color = {};
      keys.forEach(function (key) { color[key] = input.getAttribute("data-md-color-" + key); });
      return color;
    }
    function show(index) {
      var color = colorOf(inputs[index]);
      var body = document.body;
      var changes = keys.filter(function (key) { return body.getAttribute("data-md-color-" + key) !== color[key]; });
      // While the colours change, the theme's CSS turns transitions off ([data-md-color-switching]);
      // the mark goes after the frame that drew the new colours (two animation frames), or the old
      // colours would fade into the new ones.
      if (changes.length) body.setAttribute("data-md-color-switching", "");
      changes.forEach(function (key) { body.setAttribute("data-md-color-" + key, color[key]); });
      inputs.forEach(function (input, i) {
        input.checked = i === index;
        var label = input.nextElementSibling;
        if (label && label.tagName === "LABEL" && label.hidden !== (i !== index)) label.hidden = i !== index;
      });
      if (changes.length) {
        window.requestAnimationFrame(function () {
          window.requestAnimationFrame(function () { body.removeAttribute("data-md-color-switching"); });
        });
      }
      return color;
    }
    function matching() {
      for (var i = 0; i < inputs.length; i++) {
        if (window.matchMedia(inputs[i].getAttribute("data-md-color-media")).matches) return i;
      }
      return 0;
    }
    // A choice made by following the system is stored too (so the theme's inline script applies it before
    // the first paint of the next page), marked `auto`, and follows the system when it changes.
    var stored = get("__palette");
    var auto = !stored || stored.auto === true || !(stored.index >= 0 && stored.index < inputs.length);
    var start = auto ? matching() : stored.index;
    var color = show(start);
    if (auto) set("__palette", { index: start, color: color, auto: true });
    inputs.forEach(function (input, i) {
      input.addEventListener("change", function () {
        if (input.checked) set("__palette", { index: i, color: show(i) });
      });
      var media = window.matchMedia(input.getAttribute("data-md-color-media"));
      if (media.addEventListener) {
        media.addEventListener("change", function (event) {
          var now = get("__palette");
          if (event.matches && (!now || now.auto === true)) {
            set("__palette", { index: i, color: show(i), auto: true });
          }
        });
      }
    });
    // Enter on the toggle switches to the next scheme, as the theme's own does.
    form.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      var current = inputs.findIndex(function (input) { return input.checked; });
      var next = inputs[(current + 1) % inputs.length];
      next.click();
      next.focus();
      event.preventDefault();
    });
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
  startPalette();
  addHeaderSearch();
  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(function () { window.setTimeout(labelScrollRegions, 0); });
  } else {
    document.addEventListener("DOMContentLoaded", function () { window.setTimeout(labelScrollRegions, 0); });
  }
})();
