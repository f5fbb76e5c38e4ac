"""What a reader meets in a real browser (Debian's chromium driven by Playwright), on the real site:
every page kind passes axe-core in the light and the dark scheme, logs no console error and makes no
failed request; charts fill the column with legible text; search works on a phone and ranks a hub or
explainer first for its own name."""
import asyncio
import re
import threading

import pytest

from conftest import CHROMIUM as CHROMIUM_PATH
from conftest import CHROMIUM_FLAGS, ROOT, serve_directory

playwright_api = pytest.importorskip("playwright.sync_api")
playwright_api_async = pytest.importorskip("playwright.async_api")
CHROMIUM, FLAGS = CHROMIUM_PATH, CHROMIUM_FLAGS
AXE = ROOT / "scripts" / "browser-tools" / "node_modules" / "axe-core" / "axe.min.js"
pytestmark = pytest.mark.browser
COLOUR_RULES = ["color-contrast", "link-in-text-block"]

EXPLAINERS = sorted(path.stem for path in (ROOT / "docs" / "explainers").glob("*.md"))
PAGE_KINDS = {
    "home": "", "timeline": "timeline/", "year": "timeline/2019/", "topic hub": "topics/debtor-list/",
    "place hub": "places/rongcheng/", "entity hub": "entities/sensetime/", "topics index": "topics/",
    "places index and map": "places/", "entities index": "entities/", "search with results": "search/?q=SenseTime",
    "data": "data/", "corrections": "corrections/", "about": "about/", "contribute": "contribute/",
    **{f"explainer {name}": f"explainers/{name}/" for name in EXPLAINERS},
}


@pytest.fixture(scope="module")
def server(real_site):
    with serve_directory(real_site) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield browser
        browser.close()


def open_page(browser, scheme="light", width=1366, height=900, mobile=False):
    # bypass_csp only lets the test inject axe-core; the site's own scripts run under the real policy
    # (tests/test_browser.py checks that the policy refuses nothing).
    context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": height},
                                  is_mobile=mobile, has_touch=mobile, bypass_csp=True)
    return watch(context.new_page())


def watch(page):
    page.problems = []
    page.on("console", lambda m: page.problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda error: page.problems.append(f"page error: {error}"))
    page.on("requestfailed", lambda r: page.problems.append(f"failed request: {r.url} {r.failure}"))
    page.on("response", lambda r: page.problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    return page


async def audit_pages(base: str, jobs: list, workers: int = 3) -> dict:
    """axe-core's serious and critical findings, console errors and failed requests for each
    (scheme, page kind), with `workers` pages at a time (axe's colour-contrast rule is slow)."""
    axe = AXE.read_text(encoding="utf-8")
    found, queue = {}, asyncio.Queue()
    for job in jobs:
        queue.put_nowait(job)
    async with playwright_api_async.async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        contexts = {scheme: await browser.new_context(color_scheme=scheme, viewport={"width": 1366, "height": 900},
                                                      bypass_csp=True) for scheme in ("light", "dark")}

        async def worker():
            pages = {scheme: watch(await context.new_page()) for scheme, context in contexts.items()}
            while not queue.empty():
                scheme, kind = queue.get_nowait()
                page = pages[scheme]
                page.problems.clear()
                url = base + PAGE_KINDS[kind]
                await page.goto(url, wait_until="load")
                if "/search/" in url:
                    await page.wait_for_selector(".scd-result", timeout=15000)
                await page.add_script_tag(content=axe)
                # Every rule in the light scheme; in the dark one only what a colour change can break.
                options = {"resultTypes": ["violations"]}
                if scheme == "dark":
                    options["runOnly"] = {"type": "rule", "values": COLOUR_RULES}
                result = await page.evaluate("options => axe.run(document, options)", options)
                violations = [f"{v['id']} ({v['impact']}): {node['target']} {node['failureSummary'][:160]}"
                              for v in result["violations"] if v["impact"] in ("serious", "critical")
                              for node in v["nodes"]]
                found[(scheme, kind)] = {"axe": violations, "console": list(page.problems)}
        await asyncio.gather(*(worker() for _ in range(workers)))
        await browser.close()
    return found


@pytest.fixture(scope="module")
def visits(server):
    """Every page kind in both schemes (prefers-color-scheme emulated; Material follows it)."""
    jobs = [(scheme, kind) for kind in PAGE_KINDS for scheme in ("light", "dark")]
    box = {}
    # In its own thread: Playwright's sync API (the other tests) and asyncio do not share a thread.
    thread = threading.Thread(target=lambda: box.update(found=asyncio.run(audit_pages(server, jobs))))
    thread.start()
    thread.join()
    assert "found" in box, "the audit thread failed (see the captured output)"
    return box["found"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_kind_passes_axe(visits, scheme):
    assert len(EXPLAINERS) >= 5
    failures = {kind: seen["axe"] for (s, kind), seen in visits.items() if s == scheme and seen["axe"]}
    assert failures == {}


def test_every_page_kind_has_a_clean_console(visits):
    failures = {f"{scheme} {kind}": seen["console"] for (scheme, kind), seen in visits.items() if seen["console"]}
    assert failures == {}


CHART_PAGES = ["timeline/", "places/", "data/", "explainers/debtor-list/", "topics/debtor-list/"]
MEASURE_CHARTS = """() => Array.from(document.querySelectorAll("figure.scd-chart")).map(figure => {
  const svg = figure.querySelector("svg"), article = document.querySelector(".md-content__inner");
  const style = getComputedStyle(article);
  const texts = Array.from(svg.querySelectorAll("text"));
  const boxes = texts.map(t => t.getBoundingClientRect());
  const overlaps = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5)
      overlaps.push(texts[i].textContent + " / " + texts[j].textContent);
  }
  // On the map, no label covers a place's dot (a label sits beside its own dot, clear of it).
  const dots = Array.from(svg.querySelectorAll("circle")).map(c => c.getBoundingClientRect());
  const covered = [];
  texts.forEach((t, i) => dots.forEach(d => {
    const a = boxes[i];
    if (a.left < d.right - 1 && d.left < a.right - 1 && a.top < d.bottom - 1 && d.top < a.bottom - 1)
      covered.push(t.textContent);
  }));
  const caption = figure.nextElementSibling;
  return {chart: svg.getAttribute("aria-labelledby").split(" ")[0], mini: figure.classList.contains("scd-chart--mini"),
          figure: figure.getBoundingClientRect().width, svg: svg.getBoundingClientRect().width,
          column: article.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight),
          font: Math.min(...texts.map(t => parseFloat(getComputedStyle(t).fontSize) * svg.getScreenCTM().a)),
          overlaps, covered, scrolls: figure.scrollWidth > figure.clientWidth + 1, focusable: figure.tabIndex === 0,
          csv: !!(caption && caption.querySelector('a[href$=".csv"]'))};
})"""


@pytest.mark.parametrize("width,height", [(1366, 900), (390, 844)])
def test_charts_fill_the_column_with_legible_text(browser, server, width, height):
    page = open_page(browser, width=width, height=height, mobile=width < 500)
    charts = []
    for path in CHART_PAGES:
        page.goto(server + path)
        charts += [dict(chart, page=path) for chart in page.evaluate(MEASURE_CHARTS)]
    page.context.close()
    assert {chart["page"] for chart in charts} == set(CHART_PAGES)
    for chart in charts:
        assert chart["figure"] >= chart["column"] - 2, chart          # the figure is as wide as the text
        assert chart["font"] >= 11, chart                              # chart text, in CSS pixels
        assert chart["overlaps"] == [], chart                          # no label over another
        if chart["chart"] == "scd-map":
            assert chart["covered"] == [], chart                       # nor over a place's dot
        if not chart["mini"]:
            assert chart["csv"], chart                                 # the numbers as CSV under the chart
            assert chart["focusable"], chart                           # a region keyboard users can scroll
            if width >= 1000:
                assert chart["svg"] >= chart["column"] - 2 and not chart["scrolls"], chart


def result_urls(page, server, term):
    page.goto(server + "search/?q=" + term)
    page.wait_for_selector(".scd-result", timeout=15000)
    return page.eval_on_selector_all(".scd-result > .scd-result__title .scd-result__link",
                                     "links => links.map(a => new URL(a.href).pathname)")


@pytest.mark.parametrize("term,first", [
    ("SenseTime", {"/entities/sensetime/", "/explainers/sensetime/"}),
    ("失信", {"/topics/debtor-list/", "/topics/naming-and-shaming/", "/explainers/debtor-list/",
            "/explainers/glossary/"}),
    ("荣成", {"/places/rongcheng/"}),
    ("Rongcheng", {"/places/rongcheng/"}),
    ("Sesame Credit", {"/entities/sesame-credit/"}),
    ("芝麻信用", {"/entities/sesame-credit/"}),
])
def test_hubs_and_explainers_rank_first_for_their_own_names(browser, server, term, first):
    page = open_page(browser)
    urls = result_urls(page, server, term)
    page.context.close()
    assert urls and urls[0] in first, urls[:5]


def test_search_stems_english_keeps_chinese_and_does_not_find_itself(browser, server):
    page = open_page(browser)
    # "courts" finds what "court" finds (court, courts, ...), "debtors" what "debtor" finds.
    assert set(result_urls(page, server, "courts")) == set(result_urls(page, server, "court"))
    assert set(result_urls(page, server, "debtors")) == set(result_urls(page, server, "debtor"))
    # A word inside a longer Chinese term still needs Chinese segmentation.
    assert "/topics/debtor-list/" in result_urls(page, server, "执行人")
    assert "/search/" not in result_urls(page, server, "Rongcheng")     # the page names example queries
    page.context.close()


def test_search_on_a_phone_shows_the_first_result_on_the_first_screen(browser, server):
    page = open_page(browser, width=390, height=844, mobile=True)
    page.goto(server + "search/?q=SenseTime")
    page.wait_for_selector(".scd-result", timeout=15000)
    top = page.eval_on_selector(".scd-result", "r => r.getBoundingClientRect().top")
    assert top < 844 - 60, top
    assert not page.locator("#scd-filters").is_visible()   # behind the Filters button
    toggle = page.locator("#scd-filter-toggle")
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    page.wait_for_selector(".scd-facet", timeout=15000)
    assert page.locator("#scd-filters").is_visible()
    # Only facet values with a hit in these results are listed, each with its count.
    shown = page.eval_on_selector_all(".scd-facet__value label", "labels => labels.map(l => l.textContent.trim())")
    assert shown and all(re.search(r"\((\d+)\)$", text) for text in shown), shown
    assert not [text for text in shown if text.endswith("(0)")], shown
    page.context.close()


def test_search_results_take_most_of_the_width_on_a_desktop(browser, server):
    page = open_page(browser)
    page.goto(server + "search/?q=SenseTime")
    page.wait_for_selector(".scd-result", timeout=15000)
    results = page.eval_on_selector(".scd-search__results", "r => r.getBoundingClientRect().width")
    drawer = page.eval_on_selector(".scd-search", "r => r.getBoundingClientRect().width")
    assert results >= 0.6 * drawer and results >= 700, (results, drawer)
    page.context.close()


def test_entry_pages_show_the_full_site_name_and_a_way_up_on_a_phone(browser, server):
    page = open_page(browser, width=390, height=844, mobile=True)
    page.goto(server + "timeline/2013/spc-provisions-dishonest-debtor-list/", wait_until="networkidle")
    topic = page.locator(".md-header__title .md-header__topic").first
    assert topic.inner_text().strip() == "Social Credit Digest"
    assert topic.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), "the site name is cut off"
    crumb = page.locator(".scd-breadcrumb a")
    assert crumb.all_inner_texts() == ["Timeline", "2013"]
    assert crumb.first.bounding_box()["y"] < page.locator("h1").first.bounding_box()["y"]
    page.context.close()


def test_the_colour_scheme_follows_the_system_until_a_reader_chooses(browser, server):
    scheme = "document.body.getAttribute('data-md-color-scheme')"
    page = open_page(browser, scheme="dark")
    page.goto(server + "about/", wait_until="load")
    assert page.evaluate(scheme) == "slate"
    # The switch to the dark colours on a first visit is instant: no colour fades from the light ones.
    fading = "document.getAnimations().filter(a => a instanceof CSSTransition).length"
    assert page.evaluate(fading) == 0
    assert page.locator("form[data-scd-palette]").count() == 1          # the site's script has the toggle
    page.emulate_media(color_scheme="light")                          # the system setting changes
    page.wait_for_function(scheme + " === 'default'")
    page.locator("form[data-scd-palette] label:not([hidden])").click()   # the reader chooses dark
    assert page.evaluate(scheme) == "slate"
    page.wait_for_function("!document.body.hasAttribute('data-md-color-switching')")   # transitions back on
    page.goto(server + "contribute/", wait_until="networkidle")      # the choice holds on the next page...
    assert page.evaluate(scheme) == "slate"
    page.emulate_media(color_scheme="light")                          # ...and over the system setting
    page.wait_for_timeout(200)
    assert page.evaluate(scheme) == "slate"
    page.locator("form[data-scd-palette] input:checked").press("Enter")   # Enter switches, as in the theme
    assert page.evaluate(scheme) == "default"
    assert page.problems == []
    page.context.close()


def test_the_zensical_build_passes_axe_too(tmp_path_factory):
    """The same page kinds, both schemes, built by Zensical from the same mkdocs.yml (its templates
    differ from Material's: highlighted code, for one, which the MkDocs build does not have)."""
    import subprocess
    import sys
    site = tmp_path_factory.mktemp("zensical") / "site"
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_site.py"), str(site), "--quiet",
                             "--ssg", "zensical"], capture_output=True, text=True, cwd=ROOT,
                            env={"PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": "1700000000", "HOME": str(site.parent)})
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    jobs = [(scheme, kind) for kind in PAGE_KINDS for scheme in ("light", "dark")]
    box = {}
    with serve_directory(site) as base:
        thread = threading.Thread(target=lambda: box.update(found=asyncio.run(audit_pages(base, jobs))))
        thread.start()
        thread.join()
    assert "found" in box, "the audit thread failed (see the captured output)"
    assert {key: seen["axe"] for key, seen in box["found"].items() if seen["axe"]} == {}
