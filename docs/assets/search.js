/* Social Credit Digest: the search page. Pagefind's search API (pagefind.js, which runs the search in a
   web worker) with a small results list and filters of our own: Pagefind's ready-made UI rendered every
   filter value and sub-result on the main thread and kept a phone busy for over half a second.
   No third-party code; the query never leaves this site. */
(function () {
  "use strict";
  // This script is assets/search.js: the site's root is one folder up from it.
  var base = new URL("../", document.currentScript ? document.currentScript.src : window.location.href);
  var PAGE_SIZE = 10;
  var FILTERS = [["topic", "Topic"], ["place", "Place"], ["entity", "Entity"], ["year", "Year"], ["status", "Status"]];

  var form = document.getElementById("scd-search-form");
  var input = document.getElementById("scd-search-input");
  var select = document.getElementById("scd-sort");
  var panel = document.getElementById("scd-filters");
  var list = document.getElementById("scd-results");
  var message = document.getElementById("scd-search-message");
  var more = document.getElementById("scd-more");
  var toggle = document.getElementById("scd-filter-toggle");
  if (!form || !input || !panel || !list || !message || !more) return;
  var narrow = window.matchMedia("(max-width: 44.9375em)");

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

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // State: the query, the chosen filter values and the last search's results. The address bar carries
  // the query, the sort and the filters, so a search can be bookmarked and shared.
  var params = new URLSearchParams(window.location.search);
  var chosen = {};
  FILTERS.forEach(function (pair) { chosen[pair[0]] = params.getAll(pair[0]); });
  input.value = params.get("q") || "";
  if (select && params.get("sort")) select.value = params.get("sort");
  var headerInput = document.querySelector("#scd-header-search input");
  if (headerInput && params.get("q")) headerInput.value = params.get("q");

  var pagefind = null, ready = null, filtersReady = null, totals = null, current = null, shown = 0, generation = 0;

  function load() {
    if (ready) return ready;
    ready = import(new URL("pagefind/pagefind.js", base).href).then(function (module) {
      pagefind = module;
      return pagefind.options({ baseUrl: base.pathname });
    }).then(function () {
      // Large sites are indexed in shards (scripts/sitegen/search.py); the search merges them.
      return fetch(new URL("pagefind/shards.json", base).href)
        .then(function (response) { return response.ok ? response.json() : {}; })
        .catch(function () { return {}; });
    }).then(function (listing) {
      return Promise.all((listing.merge || []).map(function (path) {
        return pagefind.mergeIndex(new URL("pagefind/" + path, base).href);
      }));
    });
    return ready;
  }

  // Filter counts come with a search only once Pagefind has loaded its filter files; a phone loads
  // them when the Filters button first opens.
  function filtersWanted() {
    return !narrow.matches || panel.classList.contains("scd-filters-open");
  }
  function loadFilters() {
    if (!filtersReady) filtersReady = pagefind.filters().then(function (all) { totals = all || {}; });
    return filtersReady;
  }

  function searchOptions() {
    var options = { filters: {} };
    FILTERS.forEach(function (pair) { if (chosen[pair[0]].length) options.filters[pair[0]] = chosen[pair[0]]; });
    if (select && select.value) options.sort = { date: select.value };
    return options;
  }

  function anyChosen() {
    return FILTERS.some(function (pair) { return chosen[pair[0]].length > 0; });
  }

  function writeAddress() {
    var next = new URLSearchParams();
    if (input.value.trim()) next.set("q", input.value.trim());
    if (select && select.value) next.set("sort", select.value);
    FILTERS.forEach(function (pair) { chosen[pair[0]].forEach(function (value) { next.append(pair[0], value); }); });
    var query = next.toString();
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
  }

  function run() {
    var term = input.value.trim();
    var mine = ++generation;
    writeAddress();
    if (!term && !anyChosen()) {
      current = null;
      list.textContent = "";
      message.textContent = "";
      more.hidden = true;
      return load().then(showFilters);
    }
    message.textContent = "Searching…";
    return load().then(function () {
      return filtersWanted() ? loadFilters() : null;
    }).then(function () {
      return pagefind.search(term ? stemQuery(term) : null, searchOptions());
    }).then(function (search) {
      if (mine !== generation || !search) return;
      current = search;
      shown = 0;
      list.textContent = "";
      var count = search.results.length;
      message.textContent = (count ? count + (count === 1 ? " result" : " results") : "No results") +
        (term ? " for “" + term + "”" : "") + (anyChosen() ? " with the chosen filters" : "");
      showFilters();
      return showMore(mine);
    });
  }

  function showMore(mine) {
    if (!current) return Promise.resolve();
    var slice = current.results.slice(shown, shown + PAGE_SIZE);
    shown += slice.length;
    more.hidden = true;
    return Promise.all(slice.map(function (result) { return result.data(); })).then(function (pages) {
      if (mine !== generation) return;
      var fragment = document.createDocumentFragment();
      pages.forEach(function (page) { fragment.appendChild(renderResult(page)); });
      list.appendChild(fragment);
      more.hidden = shown >= current.results.length;
    });
  }

  function renderResult(page) {
    var item = element("li", "scd-result");
    var title = element("p", "scd-result__title");
    var link = element("a", "scd-result__link", (page.meta && page.meta.title) || page.url);
    link.href = page.url;
    title.appendChild(link);
    item.appendChild(title);
    if (page.meta && page.meta.date) item.appendChild(element("p", "scd-result__date", page.meta.date));
    var excerpt = element("p", "scd-result__excerpt");
    excerpt.innerHTML = page.excerpt;          // Pagefind's excerpt: the page's own text, escaped, with <mark>
    item.appendChild(excerpt);
    var sections = (page.sub_results || []).filter(function (sub) {
      return sub.url !== page.url && sub.url.indexOf("#") > 0 && sub.title !== (page.meta && page.meta.title);
    }).slice(0, 3);
    if (sections.length) {
      var within = element("ul", "scd-result__sections");
      sections.forEach(function (sub) {
        var entry = element("li");
        var anchor = element("a", "", sub.title);
        anchor.href = sub.url;
        entry.appendChild(anchor);
        within.appendChild(entry);
      });
      item.appendChild(within);
    }
    return item;
  }

  // The filters: each group lists the values that have a hit in the current results (a chosen value
  // stays), with its count. On a phone they sit behind the Filters button and are drawn when it opens.
  function showFilters() {
    if (!filtersWanted()) return Promise.resolve();
    return loadFilters().then(function () {
      if (!current) return totals;
      if (Object.keys(current.filters || {}).length) return current.filters;
      // The search ran before the filter files were loaded: run it again for its counts.
      var term = input.value.trim(), mine = generation;
      return pagefind.search(term ? stemQuery(term) : null, searchOptions()).then(function (search) {
        if (mine !== generation) return null;
        current.filters = search.filters;
        return search.filters;
      });
    }).then(function (available) { if (available) drawFilters(available); });
  }

  function drawFilters(available) {
    var fragment = document.createDocumentFragment();
    FILTERS.forEach(function (pair) {
      var name = pair[0], values = available[name] || {};
      var keys = Object.keys(values).filter(function (value) {
        return values[value] > 0 || chosen[name].indexOf(value) >= 0;
      });
      if (!keys.length) return;
      keys.sort(name === "year" ? function (a, b) { return a < b ? 1 : -1; } : function (a, b) {
        return (values[b] - values[a]) || a.localeCompare(b);
      });
      var group = element("details", "scd-facet");
      group.open = !narrow.matches ? (name === "topic" || name === "status" || chosen[name].length > 0) : true;
      group.appendChild(element("summary", "scd-facet__name", pair[1]));
      var box = element("ul", "scd-facet__values");
      keys.forEach(function (value) {
        var row = element("li", "scd-facet__value");
        var label = element("label");
        var check = element("input");
        check.type = "checkbox";
        check.value = value;
        check.checked = chosen[name].indexOf(value) >= 0;
        check.addEventListener("change", function () {
          chosen[name] = check.checked ? chosen[name].concat([value]) :
            chosen[name].filter(function (other) { return other !== value; });
          run();
        });
        label.appendChild(check);
        label.appendChild(document.createTextNode(" " + value + " (" + (values[value] || 0) + ")"));
        row.appendChild(label);
        box.appendChild(row);
      });
      group.appendChild(box);
      fragment.appendChild(group);
    });
    var focused = document.activeElement && panel.contains(document.activeElement) ? document.activeElement : null;
    var refocus = focused && focused.value;
    panel.textContent = "";
    panel.appendChild(fragment);
    if (refocus) {
      var again = panel.querySelector('input[value="' + refocus.replace(/["\\]/g, "\\$&") + '"]');
      if (again) again.focus();
    }
  }

  var typing = 0;
  input.addEventListener("input", function () {
    window.clearTimeout(typing);
    typing = window.setTimeout(run, 250);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(typing);
    run();
  });
  if (select) select.addEventListener("change", run);
  more.addEventListener("click", function () { showMore(generation); });
  if (toggle) {
    toggle.addEventListener("click", function () {
      var open = !panel.classList.contains("scd-filters-open");
      panel.classList.toggle("scd-filters-open", open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      if (open && ready) ready.then(showFilters);
    });
  }
  run();
})();
