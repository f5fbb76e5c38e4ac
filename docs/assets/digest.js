/* Social Credit Digest: header search box and the Pagefind search page. No third-party code. */
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

  // The index is built as Chinese (so Chinese terms are segmented) and so has no English stemming;
  // Pagefind matches words by prefix, so cutting an English query word back to its stem finds every
  // form: "courts" -> "court" (court, courts), "listed" -> "list", "cities" -> "cit".
  function stemWord(word) {
    if (!/^[a-z]{4,}$/.test(word)) return word;
    var stem = word;
    if (/ies$/.test(stem) && stem.length > 4) stem = stem.slice(0, -3);
    else if (/(ss|us|is)$/.test(stem)) return word;
    else if (/(s|x|ch|sh)es$/.test(stem)) stem = stem.slice(0, -2);
    else if (/s$/.test(stem)) stem = stem.slice(0, -1);
    else if (/ing$/.test(stem) && stem.length > 5) stem = stem.slice(0, -3);
    else if (/ed$/.test(stem) && stem.length > 4) stem = stem.slice(0, -2);
    if (/([b-df-hj-np-tv-z])\1$/.test(stem) && stem !== word && !/(ll|ss)$/.test(stem)) stem = stem.slice(0, -1);
    return stem.length >= 3 ? stem : word;
  }
  function stemQuery(term) {
    return term.replace(/[A-Za-z]+/g, function (word) { return stemWord(word.toLowerCase()); });
  }

  var narrow = window.matchMedia("(max-width: 44.9375em)");

  // Facet values without a hit in the current results are hidden (a checked one stays visible).
  function hideEmptyFacets(mount) {
    var values = mount.querySelectorAll(".pagefind-ui__filter-value");
    for (var i = 0; i < values.length; i++) {
      var label = values[i].querySelector(".pagefind-ui__filter-label");
      var box = values[i].querySelector("input");
      var empty = label && /\(0\)\s*$/.test(label.textContent) && !(box && box.checked);
      if (values[i].hidden !== empty) values[i].hidden = empty;
    }
    var blocks = mount.querySelectorAll(".pagefind-ui__filter-block");
    for (var j = 0; j < blocks.length; j++) {
      var none = !blocks[j].querySelector(".pagefind-ui__filter-value:not([hidden])");
      if (blocks[j].hidden !== none) blocks[j].hidden = none;
    }
  }

  // On a phone the filters sit behind a button, so the first result is on the first screen.
  function addFilterToggle(mount) {
    var bar = document.querySelector(".scd-search-sort");
    if (!bar || document.getElementById("scd-filter-toggle")) return;
    var button = document.createElement("button");
    button.type = "button";
    button.id = "scd-filter-toggle";
    button.className = "scd-filter-toggle md-button";
    button.textContent = "Filters";
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", "scd-search");
    button.addEventListener("click", function () {
      var open = !mount.classList.contains("scd-filters-open");
      mount.classList.toggle("scd-filters-open", open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
    bar.appendChild(button);
  }

  function startSearchPage() {
    var mount = document.getElementById("scd-search");
    if (!mount || typeof PagefindUI === "undefined") return;
    addFilterToggle(mount);
    new MutationObserver(function () { hideEmptyFacets(mount); })
      .observe(mount, { childList: true, subtree: true, characterData: true });
    var params = new URLSearchParams(window.location.search);
    var select = document.getElementById("scd-sort");
    var ui = null;
    var shards = [];
    function create(term) {
      if (ui) ui.destroy();
      var options = { element: "#scd-search", showSubResults: true, showImages: false,
                      openFilters: narrow.matches ? [] : ["topic", "status"], processTerm: stemQuery };
      if (select && select.value) options.sort = { date: select.value };
      if (shards.length) options.mergeIndex = shards;
      ui = new PagefindUI(options);
      labelSearchInput();
      if (term) ui.triggerSearch(term);
    }
    // Pagefind's input has only a title; give it a real <label>.
    function labelSearchInput() {
      var input = mount.querySelector("input.pagefind-ui__search-input");
      if (!input || input.id) return;
      input.id = "scd-search-input";
      if (document.querySelector(".scd-search-label")) return;      // the UI was made again (new sort)
      var label = document.createElement("label");
      label.htmlFor = input.id;
      label.className = "scd-search-label";
      label.textContent = "Search the timeline and explainers";
      mount.parentNode.insertBefore(label, mount);
    }
    function currentTerm() {
      var input = mount.querySelector("input");
      return input ? input.value : "";
    }
    if (select) {
      if (params.get("sort")) select.value = params.get("sort");
      select.addEventListener("change", function () { create(currentTerm()); });
    }
    // Large sites are indexed in shards (scripts/pagefind_bundle.py); the search merges them.
    fetch(base + "/pagefind/shards.json")
      .then(function (response) { return response.ok ? response.json() : {}; })
      .catch(function () { return {}; })
      .then(function (listing) {
        shards = (listing.merge || []).map(function (path) {
          return { bundlePath: new URL(base + "/pagefind/" + path, window.location.href).href };
        });
        create(params.get("q") || "");
      });
    var headerInput = document.querySelector("#scd-header-search input");
    if (headerInput && params.get("q")) headerInput.value = params.get("q");
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
  startSearchPage();
  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(function () { window.setTimeout(labelScrollRegions, 0); });
  } else {
    document.addEventListener("DOMContentLoaded", function () { window.setTimeout(labelScrollRegions, 0); });
  }
})();
