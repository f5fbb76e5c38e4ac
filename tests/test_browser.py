"""A reader in a real browser (Debian's chromium driven by Playwright): home -> entry, search in English
and Chinese, and not one request leaving 127.0.0.1."""
from urllib.parse import urlparse

import pytest

import conftest

playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM, FLAGS = conftest.CHROMIUM, conftest.CHROMIUM_FLAGS
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(fixture_site):
    with conftest.serve_directory(fixture_site) as base:
        yield base


@pytest.fixture(scope="module")
def browser_page():
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        page = browser.new_page()
        requests, console = [], []
        page.on("request", lambda request: requests.append(request.url))
        page.on("console", lambda message: console.append(message.text))
        page.console_messages = console
        yield page, requests
        browser.close()


def search(page, base, term):
    page.goto(base + "search/?q=" + term)
    page.wait_for_selector(".scd-result", timeout=15000)
    return page.locator(".scd-result__title").all_inner_texts()


def test_reader_journey_stays_on_this_host(server, browser_page):
    page, requests = browser_page
    page.goto(server)
    page.get_by_role("link", name="SenseTime added to a US export list").first.click()
    page.wait_for_url("**/timeline/2019/sensetime-listed/")
    assert page.locator("h1").inner_text().startswith("SenseTime added to a US export list")

    # The header search box opens the search page with the query.
    page.fill("#scd-header-search input", "SenseTime")
    page.press("#scd-header-search input", "Enter")
    page.wait_for_selector(".scd-result", timeout=15000)
    assert any("SenseTime" in title for title in page.locator(".scd-result__title").all_inner_texts())

    chinese = search(page, server, "失信")
    assert "Court list of dishonest debtors goes online" in chinese
    # A word inside a longer Chinese term: needs Chinese segmentation, not just prefix matching.
    assert "Court list of dishonest debtors goes online" in search(page, server, "执行人")

    hosts = {urlparse(url).hostname for url in requests if urlparse(url).scheme in ("http", "https", "ws")}
    assert hosts == {"127.0.0.1"}, sorted(set(requests))
    # The Content-Security-Policy blocked nothing the site itself needs (Material, Pagefind's wasm).
    refused = [text for text in page.console_messages if "Content Security Policy" in text or "Refused" in text]
    assert refused == []


def test_search_filters_by_status(server, browser_page):
    page, _ = browser_page
    search(page, server, "fixture")
    page.wait_for_selector(".scd-facet", timeout=15000)
    filters = page.locator(".scd-facet__name").all_inner_texts()
    assert {"topic", "status", "year", "place", "entity"} <= {f.strip().lower() for f in filters}
    # Choosing a value narrows the results, and the address keeps the choice.
    before = len(page.locator(".scd-result").all())
    status = page.locator(".scd-facet", has_text="Status").locator("input").first
    label = page.locator(".scd-facet", has_text="Status").locator("label").first.inner_text()
    status.check()
    page.wait_for_function("n => document.querySelectorAll('.scd-result').length < n", arg=before)
    assert "status=" in page.url
    found = page.locator("#scd-search-message").inner_text().split()[0]    # "N results for ..."
    assert label.endswith(f"({found})"), (label, found)


@pytest.fixture(scope="module")
def sharded_server(tmp_path_factory):
    """The fixture site with one search shard per page: the search page merges them."""
    import os

    from conftest import build, make_site_source
    source = make_site_source(tmp_path_factory.mktemp("sharded") / "src")
    site = source.parent / "site"
    os.environ["DIGEST_SEARCH_SHARD_PAGES"] = "1"
    try:
        result = build(source, site)
    finally:
        del os.environ["DIGEST_SEARCH_SHARD_PAGES"]
    assert result.returncode == 0, result.stderr
    assert (site / "pagefind" / "shard-2" / "pagefind-entry.json").is_file()
    with conftest.serve_directory(site) as base:
        yield base


ENTRIES_BY_DATE = ["Court list of dishonest debtors goes online", "SenseTime added to a US export list",
                   "EU proposes a ban on social scoring"]


def test_sharded_search_merges_results_and_keeps_the_date_order(sharded_server, browser_page):
    page, _ = browser_page
    # Each entry sits in its own shard; "sources" is a heading on every entry page.
    found = search(page, sharded_server, "sources")
    assert set(ENTRIES_BY_DATE) <= set(found)
    for order, expected in (("asc", ENTRIES_BY_DATE), ("desc", ENTRIES_BY_DATE[::-1])):
        page.goto(f"{sharded_server}search/?q=sources&sort={order}")
        page.locator(".scd-result").nth(2).wait_for(timeout=15000)
        titles = page.locator(".scd-result__title").all_inner_texts()
        assert [t for t in titles if t in ENTRIES_BY_DATE] == expected, (order, titles)
        assert len(page.locator(".scd-result").all()) == 3     # sorting leaves out undated pages
    # Chinese segmentation works in every shard, and filters count across shards.
    assert "Court list of dishonest debtors goes online" in search(page, sharded_server, "执行人")
    search(page, sharded_server, "fixture")
    page.wait_for_selector(".scd-facet", timeout=15000)
    filters = page.locator(".scd-facet__name").all_inner_texts()
    assert {"topic", "status", "year"} <= {f.strip().lower() for f in filters}
