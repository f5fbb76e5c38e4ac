"""`make bench`: measure the build against plain Material on the same generated corpus.

For each size in BENCH_SIZES (default "1000 10000") it generates a timeline (scripts/bench/generate.py)
and measures: full build time and peak memory next to the baseline (the same bodies as plain Material
pages, out of nav, Material search on), site size, the largest entry and listing pages, the bytes a
browser fetches for a first search (Pagefind, measured in headless Chromium) against Material's gzipped
index and the time from opening the search page to its first result, `make check` time, and at the
smallest size the time from editing one entry to the rebuilt page under `make serve`. Memory is reported for the largest process and for all the build's processes
together. BENCH_REPEAT=N keeps the fastest of N builds. Prints a table and writes
bench-results/results-<date>.json and latest.json.
"""
from __future__ import annotations

import datetime as dt
import functools
import gzip
import http.server
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts" / "bench"))
from generate import generate  # noqa: E402

WORK = ROOT / "bench-results"
PY = sys.executable
REPEAT = int(os.environ.get("BENCH_REPEAT", "1"))
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="1700000000", PYTHONDONTWRITEBYTECODE="1")
# Runs a command and prints the peak resident memory of it and all its descendants (KiB on Linux).
PEAK = ("import resource, subprocess, sys; code = subprocess.run(sys.argv[1:]).returncode; "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(code)")


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def timed(command: list, cwd: Path) -> tuple[float, int, int]:
    """Wall seconds, peak memory of the largest process (MiB, its resident set) and peak memory of
    all its processes together (MiB, proportional set size sampled every 0.5 s: forked workers share
    pages, which resident sets would count twice)."""
    start = time.perf_counter()
    process = subprocess.Popen([PY, "-c", PEAK, *command], cwd=cwd, env=ENV, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    sampler = TreeMemory(process.pid)
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - start
    total = sampler.stop()
    if process.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{stdout[-2000:]}{stderr[-2000:]}")
    return seconds, int(stderr.strip().splitlines()[-1]) // 1024, total


class TreeMemory:
    """Samples the summed PSS of a process and its descendants in a thread (reading it holds the
    process's memory map lock: more often slows the build); stop() gives the peak."""

    def __init__(self, pid: int):
        self.pid, self.peak_kib, self.running = pid, 0, True
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        while self.running:
            self.peak_kib = max(self.peak_kib, sum(pss_kib(pid) for pid in descendants(self.pid)))
            time.sleep(0.5)

    def stop(self) -> int:
        self.running = False
        self.thread.join()
        return self.peak_kib // 1024


def descendants(root: int) -> list:
    children = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, queue = [], [root]
    while queue:
        pid = queue.pop()
        found.append(pid)
        queue.extend(children.get(pid, []))
    return found


def pss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


# ---------------------------------------------------------------- sources

def digest_source(size: int) -> Path:
    """The project's real config, docs and engine over a generated timeline."""
    source = WORK / f"n{size}" / "digest"
    generate(source, size)
    for name in ("scripts", "overrides"):
        (source / name).symlink_to(ROOT / name)
    shutil.copytree(ROOT / "docs", source / "docs")
    shutil.copy(ROOT / "mkdocs.yml", source / "mkdocs.yml")
    return source


def baseline_source(size: int, digest: Path) -> Path:
    """The same bodies as plain Material pages: out of nav, Material's search plugin on."""
    source = WORK / f"n{size}" / "baseline"
    if source.exists():
        shutil.rmtree(source)
    (source / "docs" / "e").mkdir(parents=True)
    (source / "docs" / "index.md").write_text("# Baseline\n")
    for path in sorted((digest / "timeline").glob("[0-9]*/*.md")):
        text = path.read_text(encoding="utf-8")
        front, body = text[4:].split("\n---\n", 1)
        title = re.search(r"^title: (.*)$", front, re.M).group(1)
        (source / "docs" / "e" / path.name).write_text(f"# {title}\n\n{body}", encoding="utf-8")
    (source / "mkdocs.yml").write_text("site_name: Baseline\ntheme:\n  name: material\n  font: false\n"
                                       "plugins:\n  - search\nnav:\n  - index.md\nnot_in_nav: /e/*.md\n")
    return source


# ---------------------------------------------------------------- measures

def build(source: Path, site: Path) -> tuple[float, int, int]:
    """The best of BENCH_REPEAT builds (this machine's timings vary by ±20% from run to run)."""
    runs = []
    for _ in range(REPEAT):
        if site.exists():
            shutil.rmtree(site)
        runs.append(build_once(source, site))
    return min(run[0] for run in runs), max(run[1] for run in runs), max(run[2] for run in runs)


def build_once(source: Path, site: Path) -> tuple[float, int, int]:
    if (source / "timeline").is_dir():          # the digest: `make build` (scripts/build_site.py)
        return timed([PY, str(ROOT / "scripts" / "build_site.py"), str(site), "--quiet", "--no-strict",
                      "--config-file", str(source / "mkdocs.yml")], source)
    return timed([PY, "-m", "mkdocs", "build", "--quiet", "-f", str(source / "mkdocs.yml"), "-d", str(site)],
                 source)


def sizes(site: Path) -> dict:
    pages = list(site.rglob("*.html"))
    entries = [p for p in pages if re.search(r"/timeline/\d{4}/(?!page-\d+/)[^/]+/index\.html$", str(p))]
    listings = [p for p in pages if p not in entries and "/pagefind/" not in str(p)]
    largest = lambda paths: max((p.stat().st_size, str(p.relative_to(site))) for p in paths)  # noqa: E731
    return {"site_bytes": sum(p.stat().st_size for p in site.rglob("*") if p.is_file()),
            "largest_entry_page": largest(entries), "largest_listing_page": largest(listings)}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve_directory(site: Path):
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def first_search(site: Path, query: str = "court") -> tuple:
    """(bytes of every /pagefind/ response and of the search page's script, a browser loads for its first query;
    seconds from opening the search page with the query to the first result shown)."""
    from playwright.sync_api import sync_playwright
    server = serve_directory(site)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    fetched = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update"])
            page = browser.new_page()
            page.on("response", lambda r: fetched.__setitem__(r.url, transfer_size(r.url, r.body()))
                    if "/pagefind/" in r.url or r.url.endswith("/assets/search.js") else None)
            page.goto(base + "about/")            # the browser started and warm, as a reader's is
            start = time.perf_counter()
            page.goto(base + "search/?q=" + query)
            page.wait_for_selector(".scd-result", timeout=60000)
            seconds = time.perf_counter() - start
            page.wait_for_timeout(500)
            browser.close()
    finally:
        server.shutdown()
    return sum(fetched.values()), seconds


def transfer_size(url: str, body: bytes) -> int:
    """Bytes on the wire from a static host that gzips text (as Material's index is measured):
    Pagefind's .pf_* index files are already compressed, its JS, CSS, JSON and wasm are not."""
    name = url.split("?")[0].rsplit("/", 1)[-1]
    return len(body) if ".pf_" in name else len(gzip.compress(body, 6))


def material_index_gzip(site: Path) -> int:
    return len(gzip.compress((site / "search" / "search_index.json").read_bytes(), 6))


def check_time(source: Path) -> tuple:
    """`make check` seconds: with nothing stored (a fresh clone), then after editing one entry (the
    usual case: each entry's problems are kept by its content in .state/check.json)."""
    def timed_check() -> float:
        start = time.perf_counter()
        subprocess.run([PY, "-m", "digest", "check", "--root", str(source)],
                       env=dict(ENV, PYTHONPATH=str(ROOT / "scripts")), check=True, capture_output=True)
        return time.perf_counter() - start
    shutil.rmtree(source / ".state", ignore_errors=True)
    cold = timed_check()
    entry = sorted((source / "timeline").glob("[0-9]*/*.md"))[-1]
    entry.write_text(entry.read_text(encoding="utf-8").replace("title: ", "title: Checked ", 1), encoding="utf-8")
    return cold, timed_check()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_rebuild_seconds(source: Path) -> float:
    """Edit one entry under `make serve`; seconds until the served page shows the edit."""
    port = free_port()
    server = subprocess.Popen([PY, str(ROOT / "scripts" / "sitegen" / "serve.py"), "--dev-addr", f"127.0.0.1:{port}",
                               "--config-file", str(source / "mkdocs.yml")], cwd=source, env=ENV,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        entry = sorted((source / "timeline").glob("[0-9]*/*.md"))[0]
        slug = re.sub(r"^\d{4}(-\d{2}){0,2}-", "", entry.stem)
        url = f"http://127.0.0.1:{port}/timeline/{entry.parent.name}/{slug}/"
        wait_for(lambda: b"Synthetic" in fetch(url), 300)
        marker = f"Edited {time.time_ns()}"
        text = entry.read_text(encoding="utf-8")
        time.sleep(1.0)                      # let the watcher settle after the first build
        start = time.perf_counter()
        entry.write_text(text.replace("title: Synthetic", f"title: {marker} Synthetic", 1), encoding="utf-8")
        wait_for(lambda: marker.encode() in fetch(url), 120)
        return time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(10)


def fetch(url: str) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read()
    except OSError:
        return b""


def wait_for(condition, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise SystemExit("timed out waiting for the served page")


# ---------------------------------------------------------------- report

def measure(size: int, with_serve: bool) -> dict:
    log(f"{size} entries: generating")
    digest = digest_source(size)
    baseline = baseline_source(size, digest)
    log(f"{size}: building the digest")
    digest_seconds, digest_mib, digest_total = build(digest, WORK / f"n{size}" / "digest-site")
    log(f"{size}: building the baseline")
    base_seconds, base_mib, base_total = build(baseline, WORK / f"n{size}" / "baseline-site")
    result = {"entries": size, "build_seconds": round(digest_seconds, 2), "build_peak_mib": digest_mib,
              "build_total_peak_mib": digest_total, "baseline_total_peak_mib": base_total,
              "baseline_seconds": round(base_seconds, 2), "baseline_peak_mib": base_mib,
              "build_ratio": round(digest_seconds / base_seconds, 3)}
    result.update(sizes(WORK / f"n{size}" / "digest-site"))
    log(f"{size}: first search in Chromium")
    result["first_search_bytes"], seconds = first_search(WORK / f"n{size}" / "digest-site")
    result["first_search_seconds"] = round(seconds, 2)
    result["material_index_gzip_bytes"] = material_index_gzip(WORK / f"n{size}" / "baseline-site")
    result["search_ratio"] = round(result["first_search_bytes"] / result["material_index_gzip_bytes"], 4)
    cold, edited = check_time(digest)
    result["check_cold_seconds"], result["check_seconds"] = round(cold, 2), round(edited, 2)
    if with_serve:
        log(f"{size}: serve rebuild after one edit")
        result["serve_rebuild_seconds"] = round(serve_rebuild_seconds(digest), 2)
    return result


TARGETS = {"build_ratio": ("≤ 1.0× baseline (10k)", 1.0), "build_peak_mib": ("", None),
           "build_total_peak_mib": ("≤ 1536 MiB", 1536),
           "largest_entry_page": ("≤ 40 KB (10k)", 40 * 1024), "largest_listing_page": ("≤ 60 KB (10k)", 60 * 1024),
           "search_ratio": ("≤ 10% (10k)", 0.10), "first_search_seconds": ("≤ 1.5 s (2k)", 1.5),
           "check_seconds": ("≤ 5 s (10k)", 5.0), "serve_rebuild_seconds": ("≤ 1 s (1k)", 1.0)}


def table(results: list) -> str:
    rows = [("measure", *[f"{r['entries']:,} entries" for r in results], "target")]
    def row(label, key, fmt=str, target=""):
        rows.append((label, *[fmt(r[key]) if key in r else "—" for r in results], target))
    row("build (s)", "build_seconds")
    row("baseline: plain Material (s)", "baseline_seconds")
    row("build / baseline", "build_ratio", lambda v: f"{v:.2f}×", TARGETS["build_ratio"][0])
    row("peak memory, largest process (MiB)", "build_peak_mib", str, TARGETS["build_peak_mib"][0])
    row("peak memory, all processes (MiB)", "build_total_peak_mib", str, TARGETS["build_total_peak_mib"][0])
    row("baseline peak memory (MiB)", "baseline_peak_mib")
    row("site size (MB)", "site_bytes", lambda v: f"{v / 1e6:.1f}")
    row("largest entry page (KB)", "largest_entry_page", lambda v: f"{v[0] / 1024:.1f}", TARGETS["largest_entry_page"][0])
    row("largest listing page (KB)", "largest_listing_page", lambda v: f"{v[0] / 1024:.1f} {v[1]}",
        TARGETS["largest_listing_page"][0])
    row("first search, Pagefind (KB)", "first_search_bytes", lambda v: f"{v / 1024:.0f}")
    row("Material index, gzipped (KB)", "material_index_gzip_bytes", lambda v: f"{v / 1024:.0f}")
    row("first search / Material", "search_ratio", lambda v: f"{100 * v:.1f}%", TARGETS["search_ratio"][0])
    row("first search, page load included (s)", "first_search_seconds", str, TARGETS["first_search_seconds"][0])
    row("make check, nothing stored (s)", "check_cold_seconds", str)
    row("make check after one edit (s)", "check_seconds", str, TARGETS["check_seconds"][0])
    row("serve: edit → rebuilt page (s)", "serve_rebuild_seconds", str, TARGETS["serve_rebuild_seconds"][0])
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(str(c).ljust(w) for c, w in zip(r, widths)) for r in rows)


def main() -> int:
    sizes_wanted = [int(n) for n in os.environ.get("BENCH_SIZES", "1000 2000 10000").split()]
    WORK.mkdir(parents=True, exist_ok=True)
    results = [measure(size, with_serve=(size == min(sizes_wanted))) for size in sizes_wanted]
    print()
    print(table(results))
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    payload = json.dumps({"date": stamp, "machine": {"cpus": os.cpu_count()}, "results": results}, indent=1)
    for name in (f"results-{stamp}.json", "latest.json"):
        (WORK / name).write_text(payload + "\n")
    print(f"\nresults: {WORK / f'results-{stamp}.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
