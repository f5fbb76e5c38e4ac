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

  function startSearchPage() {
    var mount = document.getElementById("scd-search");
    if (!mount || typeof PagefindUI === "undefined") return;
    var params = new URLSearchParams(window.location.search);
    var select = document.getElementById("scd-sort");
    var ui = null;
    var shards = [];
    function create(term) {
      if (ui) ui.destroy();
      var options = { element: "#scd-search", showSubResults: true, showImages: false,
                      openFilters: ["topic", "status"] };
      if (select && select.value) options.sort = { date: select.value };
      if (shards.length) options.mergeIndex = shards;
      ui = new PagefindUI(options);
      if (term) ui.triggerSearch(term);
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

  addHeaderSearch();
  startSearchPage();
})();
