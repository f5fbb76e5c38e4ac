"""Step 6, search: one Pagefind index of the site's articles, reproducible.

BackgroundIndex runs the Pagefind CLI (shipped in the pagefind wheel) while the site generator is
still writing pages: it indexes each page's article, known as soon as the Markdown is converted,
from a scratch folder, so indexing overlaps the theme's rendering instead of following it.

Pagefind holds its whole index in memory, about 150 KB per 400-word page: 1.7 GB at 10,000 entries.
So large sites are indexed in shards of SHARD_PAGES pages, one Pagefind run after another, and the
search page merges them in the browser (Pagefind's documented mergeIndex; pagefind/shards.json lists
them). Shards cost little on the wire: a query loads one index chunk per shard, each a quarter of the
size when there are four. Shards hold consecutive runs of the date order, and each shard's date sort
is offset by the pages before it (shard_sorts), because merged results are ordered by score and a
sorted result's score is its position in its own shard's sort.

Pagefind (1.5) writes its filter indexes, and so the metadata file naming them, in hash-map order,
which changes from run to run (upstream: github.com/Pagefind/pagefind/issues/638). This rewrites
those few files in a canonical order and renames them by a hash of their new content, so that two
builds of the same input are byte-identical. The files are gzip-compressed CBOR after a
"pagefind_dcd" signature, read and written with cbor2. Only Pagefind versions whose files this was
checked against are rewritten (CANONICAL_PAGEFIND); with any other, the bundle is left as Pagefind
wrote it, and builds are byte-identical except for pagefind/ (the build says so).
"""
from __future__ import annotations

import gzip
import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import cbor2

SIGNATURE = b"pagefind_dcd"
CANONICAL_PAGEFIND = ("1.5.",)      # versions whose index files canonicalize() was checked against


def pagefind_version() -> str:
    try:
        return importlib.metadata.version("pagefind")
    except importlib.metadata.PackageNotFoundError:
        return ""


def can_canonicalize(version: str | None = None) -> bool:
    version = pagefind_version() if version is None else version
    return version.startswith(CANONICAL_PAGEFIND)
OPTIONS = [
    # Index the article only (not navigation or footer); Material's ¶ permalinks would end up in titles.
    "--root-selector", "article.md-content__inner", "--exclude-selectors", ".headerlink",
    # Pages are English with Chinese terms: indexed as Chinese, Pagefind's extended build segments the
    # Chinese (执行人 finds 失信被执行人) while English words still match by prefix; the cost is English
    # stemming ("courts" no longer finds "court").
    "--force-language", "zh",
]


def command(site_dir: str) -> list:
    return [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--quiet", *OPTIONS]


PAGE = ('<!doctype html><html lang="en"><head><meta charset="utf-8"><title></title></head><body>'
        '<article class="md-content__inner md-typeset">{}</article></body></html>')


SHARD_PAGES = int(os.environ.get("DIGEST_SEARCH_SHARD_PAGES", "1500"))   # about 250 MB of Pagefind each
SORTS = ["date"]                  # the site's data-pagefind-sort keys (scripts/digest/render_pages.py)
NOT_A_PAGE = 2 ** 32 - 1          # fills a shard's sort ahead of its own pages; no page has this number
SECONDARY_FILES = ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json")   # besides index data
# Pagefind's ready-made search UIs: the search page has its own (docs/assets/search.js) on pagefind.js.
UI_FILES = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
            "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js")


NOT_INDEXED = {"search"}           # the search page would find itself (its text names example queries)
# A hub (topic, place, entity) or explainer ranks first for its own name: its <h1> and the hub's Chinese
# name line weigh the most Pagefind allows (an entry's title weighs 7, as every <h1>).
OWN_NAME_PAGES = re.compile(r"(topics|places|entities|explainers)/[^/]+/?")


def weighted(url: str, article: str) -> str:
    if OWN_NAME_PAGES.fullmatch(url.strip("/") + "/"):
        article = article.replace("<h1", '<h1 data-pagefind-weight="10"', 1)
        article = article.replace('<p class="scd-zh"', '<p class="scd-zh" data-pagefind-weight="10"', 1)
    return article


def plan_shards(pages: list, size: int) -> list:
    """Pages (url, date sort value or None) in shards of at most `size`: dated pages in the order
    Pagefind sorts them, then the rest. Returns [(urls, dated pages before this shard)]."""
    dated = sorted((value, url) for url, value in pages if value is not None)
    ordered = [url for _, url in dated] + [url for url, value in pages if value is None]
    return [(ordered[start:start + size], min(start, len(dated)))
            for start in range(0, max(len(ordered), 1), size)]


class BackgroundIndex:
    """Indexes the site's articles in shards, one Pagefind process at a time in a background thread.

    The shards are planned from every page's URL and date sort value. add() writes a page's article
    to its shard's scratch folder (worker processes converting pages call it too); added() tells
    the index those pages are written, and a shard is indexed as soon as all its pages are, while
    the site generator goes on. finish() moves the bundle in."""

    def __init__(self, plan: list, shard_pages: int = SHARD_PAGES):
        self.scratch = Path(tempfile.mkdtemp(prefix="scd-search-"))
        plan = [(url, value) for url, value in plan if url.strip("/") not in NOT_INDEXED]
        self.shards = plan_shards(plan, shard_pages)
        self.shard_of = {url: number for number, (urls, _) in enumerate(self.shards) for url in urls}
        self.waiting = [set(urls) for urls, _ in self.shards]
        self.ready = [threading.Event() for _ in self.shards]
        for number, urls in enumerate(self.waiting):
            if not urls:
                self.ready[number].set()
        self.cancelled, self.process, self.error = False, None, None
        self.thread = threading.Thread(target=self._index_all, daemon=True)
        self.thread.start()

    def add(self, url: str, article: str) -> None:
        if url not in self.shard_of:            # a page left out of the index (NOT_INDEXED)
            return
        folder = self.scratch / f"shard-{self.shard_of[url]}" / url.strip("/")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.html").write_text(PAGE.format(weighted(url, article)), encoding="utf-8")

    def added(self, urls) -> None:
        for url in urls:
            if url not in self.shard_of:
                continue
            number = self.shard_of[url]
            self.waiting[number].discard(url)
            if not self.waiting[number]:
                self.ready[number].set()

    def _index_all(self) -> None:
        try:
            for number, ready in enumerate(self.ready):
                ready.wait()
                if self.cancelled:
                    return
                self.process = subprocess.Popen(command(self.scratch / f"shard-{number}"), stdout=subprocess.PIPE,
                                                stderr=subprocess.STDOUT, text=True)
                output, _ = self.process.communicate()
                if self.process.returncode != 0 and not self.cancelled:
                    self.error = output
                    return
        except OSError as error:
            self.error = str(error)

    def finish(self, site_dir: str) -> None:
        """Wait for Pagefind, then write site_dir/pagefind, reproducibly. RuntimeError on failure."""
        try:
            missing = sorted(url for urls in self.waiting for url in urls)
            if missing:
                self.cancel()
                raise RuntimeError(f"{len(missing)} page{'s' if len(missing) != 1 else ''} never reached "
                                   f"the search index, e.g. {missing[0] or '/'}")
            self.thread.join()
            if self.error is not None:
                raise RuntimeError(self.error)
            target = Path(site_dir) / "pagefind"
            shutil.rmtree(target, ignore_errors=True)
            shutil.move(self.scratch / "shard-0" / "pagefind", target)
            for name in UI_FILES:
                (target / name).unlink(missing_ok=True)
            sharded = len(self.shards) > 1
            canonical = can_canonicalize()
            if not canonical:
                print(f"search: Pagefind {pagefind_version() or '(version unknown)'} is not one whose files are "
                      "put in canonical order; pagefind/ may differ between two builds of one commit",
                      file=sys.stderr)
                if sharded:
                    raise RuntimeError("a sharded index needs its sort orders offset, which this Pagefind "
                                       "version is not checked for; set DIGEST_SEARCH_SHARD_PAGES higher")
            else:
                canonicalize(target, sorts=SORTS if sharded else None)
            merged = []
            for number in range(1, len(self.shards)):
                bundle = target / f"shard-{number}"
                shutil.move(self.scratch / f"shard-{number}" / "pagefind", bundle)
                for path in bundle.iterdir():       # pagefind.js and its worker come from each bundle
                    if path.is_file() and path.name not in SECONDARY_FILES and not _is_index_data(path):
                        path.unlink()
                if canonical:
                    canonicalize(bundle, sort_offset=self.shards[number][1], sorts=SORTS)
                merged.append(f"shard-{number}/")
            (target / "shards.json").write_text(json.dumps({"merge": merged}) + "\n", encoding="utf-8")
        finally:
            shutil.rmtree(self.scratch, ignore_errors=True)

    def cancel(self) -> None:
        self.cancelled = True
        for ready in self.ready:
            ready.set()
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
        self.thread.join()
        shutil.rmtree(self.scratch, ignore_errors=True)


def _is_index_data(path: Path) -> bool:
    return path.suffix == ".pf_meta" or path.name.startswith("wasm.")


def read(path: Path):
    data = gzip.decompress(path.read_bytes())
    assert data.startswith(SIGNATURE), path
    return cbor2.loads(data[len(SIGNATURE):])


def write(directory: Path, prefix: str, suffix: str, value, digits: int) -> str:
    """Write value under a name derived from its content; returns the hash part of the name."""
    data = gzip.compress(SIGNATURE + cbor2.dumps(value), compresslevel=6, mtime=0)
    name = f"{prefix}{hashlib.sha256(data).hexdigest()[:digits]}"
    (directory / f"{name}{suffix}").write_bytes(data)
    return name


def canonicalize(bundle: Path, sort_offset: int = 0, sorts: list | None = None) -> None:
    """Canonical filter order and names. For a shard (see BackgroundIndex): its sorts offset by
    `sort_offset` pages, and each of `sorts` present, if empty, so that a sorted search leaves out
    its undated pages as an unsharded index does."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, info in entry["languages"].items():
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        version, pages, chunks, filters, page_sorts, fields = read(meta_path)
        renamed = []
        for name, old_hash in filters:
            old_file = bundle / "filter" / f"{old_hash}.pf_filter"
            filter_name, values = read(old_file)
            values = sorted([value, sorted(page_ids)] for value, page_ids in values)
            old_file.unlink()
            renamed.append([name, write(bundle / "filter", f"{language}_", ".pf_filter",
                                        [filter_name, values], 7)])
        meta_path.unlink()
        info["hash"] = write(bundle, f"pagefind.{language}_", ".pf_meta",
                             [version, pages, chunks, sorted(renamed),
                              shard_sorts(page_sorts, sort_offset, sorts), fields], 10)[len("pagefind."):]
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def shard_sorts(page_sorts: list, offset: int, names: list | None) -> list:
    """Pagefind scores a sorted result by its position in the shard's sort list; placeholders ahead
    of the shard's own pages make that position the page's place among all shards."""
    if names is None:
        return page_sorts
    present = dict(page_sorts)
    return [[name, [NOT_A_PAGE] * offset + present.get(name, [])] for name in sorted({*present, *names})]


ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)


def article(page: str) -> str:
    """The article of a page the generator drew (Material's and Zensical's markup), for the index."""
    match = ARTICLE.search(page)
    return match.group(1) if match else ""
