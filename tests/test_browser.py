"""A reader in a real browser (Debian's chromium driven by Playwright): home -> entry, search in English
and Chinese, and not one request leaving 127.0.0.1."""
import functools
import http.server
import threading
from urllib.parse import urlparse

import pytest

playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
pytestmark = pytest.mark.browser


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server(fixture_site):
    handler = functools.partial(QuietHandler, directory=str(fixture_site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


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
    page.wait_for_selector(".pagefind-ui__result", timeout=15000)
    return page.locator(".pagefind-ui__result-title").all_inner_texts()


def test_reader_journey_stays_on_this_host(server, browser_page):
    page, requests = browser_page
    page.goto(server)
    page.get_by_role("link", name="SenseTime added to a US export list").first.click()
    page.wait_for_url("**/timeline/2019/sensetime-listed/")
    assert page.locator("h1").inner_text().startswith("SenseTime added to a US export list")

    # The header search box opens the search page with the query.
    page.fill("#scd-header-search input", "SenseTime")
    page.press("#scd-header-search input", "Enter")
    page.wait_for_selector(".pagefind-ui__result", timeout=15000)
    assert any("SenseTime" in title for title in page.locator(".pagefind-ui__result-title").all_inner_texts())

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
    filters = page.locator(".pagefind-ui__filter-name").all_inner_texts()
    assert {"topic", "status", "year", "place", "entity"} <= {f.strip().lower() for f in filters}
