"""`make audit`: accessibility and quality scores of the built site, on loopback, printed as tables.

Steps: build the site into .build/audit/site (the real timeline, `make build`'s path); serve it on
127.0.0.1; run axe-core (scripts/browser-tools) on every page kind in the light and the dark scheme;
run Lighthouse 12 (scripts/audit, with Debian's chromium) on the five pages the targets name. Nothing
leaves the machine: Chromium runs with background networking off and the site makes no third-party
request. Targets: axe 0 serious or critical; Lighthouse accessibility, best practices and SEO 100,
performance 95 or more (on the phone, the median of three runs). Exit status 1 when a target is missed.
"""
from __future__ import annotations

import asyncio
import functools
import gzip
import http.server
import io
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from build_site import build  # noqa: E402

WORK = ROOT / ".build" / "audit"
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
AXE = ROOT / "scripts" / "browser-tools" / "node_modules" / "axe-core" / "axe.min.js"
LIGHTHOUSE = ROOT / "scripts" / "audit" / "node_modules" / "lighthouse" / "cli" / "index.js"
PAGE_KINDS = {
    "home": "", "entry": "timeline/2013/spc-provisions-dishonest-debtor-list/", "year": "timeline/2019/",
    "timeline": "timeline/", "topic hub": "topics/debtor-list/", "place hub": "places/rongcheng/",
    "entity hub": "entities/sensetime/", "topics": "topics/", "places (map)": "places/", "entities": "entities/",
    "search with results": "search/?q=SenseTime", "data": "data/", "corrections": "corrections/",
    "overview": "explainers/overview/", "debtor list": "explainers/debtor-list/",
    "local pilots": "explainers/local-pilots/", "private scores": "explainers/private-scores/",
    "corporate credit": "explainers/corporate-credit/", "sensetime": "explainers/sensetime/",
    "myths": "explainers/myths/", "glossary": "explainers/glossary/", "about": "about/", "contribute": "contribute/",
}
LIGHTHOUSE_PAGES = ["home", "entry", "topic hub", "search with results", "places (map)"]
# Lighthouse's performance score varies from run to run on one machine (its own advice: take the median
# of several runs). The phone emulation varies most: three runs per page, the median one reported.
RUNS = {"mobile": 3, "desktop": 1}
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


COMPRESSED = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".pf_meta", ".pf_index", ".pf_fragment")


class Quiet(http.server.SimpleHTTPRequestHandler):
    """Serves the site as a static host does (GitHub Pages among them): gzip for text files."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path.split("?", 1)[0]))
        if path.is_dir():
            path = path / "index.html"
        if "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file() \
                or path.suffix not in COMPRESSED:
            return super().send_head()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def serve(site: Path) -> tuple[str, http.server.ThreadingHTTPServer]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{httpd.server_address[1]}/", httpd


async def axe_counts(base: str) -> dict:
    """{(scheme, kind): (serious and critical violations, [rule ids])}."""
    from playwright.async_api import async_playwright
    script = AXE.read_text(encoding="utf-8")
    found = {}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        for scheme in ("light", "dark"):
            context = await browser.new_context(color_scheme=scheme, bypass_csp=True,
                                                viewport={"width": 1366, "height": 900})
            page = await context.new_page()
            for kind, path in PAGE_KINDS.items():
                await page.goto(base + path, wait_until="networkidle")
                if path.startswith("search/"):
                    await page.wait_for_selector(".scd-result", timeout=15000)
                await page.add_script_tag(content=script)
                result = await page.evaluate("axe.run(document, {resultTypes: ['violations']})")
                bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
                found[(scheme, kind)] = (sum(len(v["nodes"]) for v in bad), sorted({v["id"] for v in bad}))
            await context.close()
        await browser.close()
    return found


def lighthouse(url: str, out: Path, desktop: bool) -> dict:
    chrome_flags = " ".join(FLAGS)
    command = ["node", str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
               f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={chrome_flags}"]
    if desktop:
        command.append("--preset=desktop")
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        raise RuntimeError(f"lighthouse failed for {url}: {result.stderr[-800:]}")
    report = json.loads(out.read_text(encoding="utf-8"))
    return {name: round(100 * (report["categories"][name]["score"] or 0)) for name in CATEGORIES}


def main() -> int:
    WORK.mkdir(parents=True, exist_ok=True)
    site = WORK / "site"
    if build(site) != 0:
        return 1
    base, httpd = serve(site)
    try:
        axe = asyncio.run(axe_counts(base))
        scores, spread = {}, {}
        for device in ("mobile", "desktop"):
            for n, kind in enumerate(LIGHTHOUSE_PAGES):
                runs = [lighthouse(base + PAGE_KINDS[kind], WORK / f"lighthouse-{device}-{n}-{run}.json",
                                   device == "desktop") for run in range(RUNS[device])]
                runs.sort(key=lambda values: values["performance"])
                scores[(device, kind)] = runs[len(runs) // 2]        # the run with the median performance
                spread[(device, kind)] = [values["performance"] for values in runs]
    finally:
        httpd.shutdown()
    missed = 0
    print("\naxe-core, serious and critical violations (nodes), 1366x900")
    print("| page kind | light | dark |\n|---|--:|--:|")
    for kind in PAGE_KINDS:
        light, dark = axe[("light", kind)], axe[("dark", kind)]
        missed += light[0] + dark[0]
        rules = ", ".join(sorted(set(light[1]) | set(dark[1])))
        print(f"| {kind} | {light[0]} | {dark[0]} |" + (f" {rules}" if rules else ""))
    print("\nLighthouse 12 on loopback, gzip as a static host serves it; mobile = Lighthouse's default "
          "(Moto G emulation, simulated slow 4G and 4x CPU slowdown; median of 3 runs), desktop = --preset=desktop")
    print("| device | page | " + " | ".join(CATEGORIES) + " | performance, every run |\n|---|---|"
          + "--:|" * len(CATEGORIES) + "---|")
    for (device, kind), values in scores.items():
        print(f"| {device} | {kind} | " + " | ".join(str(values[name]) for name in CATEGORIES)
              + " | " + ", ".join(map(str, spread[(device, kind)])) + " |")
        missed += values["performance"] < 95 or any(values[name] < 100 for name in CATEGORIES[1:])
    print(f"\nreports: {WORK}/lighthouse-*.json")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
