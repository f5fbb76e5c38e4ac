"""What a reader meets in a real browser (Debian's chromium driven by Playwright), on the real site:
every page kind passes axe-core in the light and the dark scheme, logs no console error and makes no
failed request; charts fill the column with legible text; search works on a phone and ranks a hub or
explainer first for its own name."""
import asyncio
import functools
import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import ROOT

playwright_api = pytest.importorskip("playwright.sync_api")
playwright_api_async = pytest.importorskip("playwright.async_api")
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
AXE = ROOT / "scripts" / "browser-tools" / "node_modules" / "axe-core" / "axe.min.js"
pytestmark = pytest.mark.browser

EXPLAINERS = sorted(path.stem for path in (ROOT / "docs" / "explainers").glob("*.md"))
PAGE_KINDS = {
    "home": "", "timeline": "timeline/", "year": "timeline/2019/", "topic hub": "topics/debtor-list/",
    "place hub": "places/rongcheng/", "entity hub": "entities/sensetime/", "topics index": "topics/",
    "places index and map": "places/", "entities index": "entities/", "search with results": "search/?q=SenseTime",
    "data": "data/", "corrections": "corrections/", "about": "about/", "contribute": "contribute/",
    **{f"explainer {name}": f"explainers/{name}/" for name in EXPLAINERS},
}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def real_site(tmp_path_factory):
    if os.environ.get("DIGEST_TEST_SITE"):         # an already built site, to iterate on the checks
        return Path(os.environ["DIGEST_TEST_SITE"])
    site = tmp_path_factory.mktemp("reader") / "site"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
                             "--config-file", str(ROOT / "mkdocs.yml"), "--site-dir", str(site)],
                            capture_output=True, text=True, cwd=ROOT,
                            env={"PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": "1700000000",
                                 "NO_MKDOCS_2_WARNING": "1", "HOME": str(site.parent)})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return site


@pytest.fixture(scope="module")
def server(real_site):
    handler = functools.partial(QuietHandler, directory=str(real_site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


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
                    await page.wait_for_selector(".pagefind-ui__result", timeout=15000)
                await page.add_script_tag(content=axe)
                result = await page.evaluate("axe.run(document, {resultTypes: ['violations']})")
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
