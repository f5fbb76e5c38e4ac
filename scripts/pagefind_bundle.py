"""Build the search bundle with Pagefind and make it reproducible.

BackgroundIndex runs the Pagefind CLI (shipped in the pagefind wheel) while the site generator is
still writing pages: it indexes each page's article, known as soon as the Markdown is converted,
from a scratch folder, so indexing overlaps the theme's rendering instead of following it.

Pagefind (1.5) writes its filter indexes, and so the metadata file naming them, in hash-map order,
which changes from run to run (upstream: github.com/Pagefind/pagefind/issues/638). This rewrites
those few files in a canonical order and renames them by a hash of their new content, so that two
builds of the same input are byte-identical. The files are gzip-compressed CBOR after a
"pagefind_dcd" signature; only the CBOR subset Pagefind writes (integers, text, arrays) is handled.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

SIGNATURE = b"pagefind_dcd"
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


class BackgroundIndex:
    """Index (site URL, article HTML) pairs in a separate process; finish() moves the bundle in."""

    def __init__(self, pages):
        self.scratch = Path(tempfile.mkdtemp(prefix="scd-search-"))
        for url, article in pages:
            folder = self.scratch / url.strip("/")
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "index.html").write_text(PAGE.format(article), encoding="utf-8")
        self.process = subprocess.Popen(command(self.scratch), stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True)

    def finish(self, site_dir: str) -> None:
        """Wait for Pagefind, then write site_dir/pagefind, reproducibly. RuntimeError on failure."""
        try:
            output, _ = self.process.communicate()
            if self.process.returncode != 0:
                raise RuntimeError(output)
            target = Path(site_dir) / "pagefind"
            shutil.rmtree(target, ignore_errors=True)
            shutil.move(self.scratch / "pagefind", target)
            canonicalize(target)
        finally:
            shutil.rmtree(self.scratch, ignore_errors=True)

    def cancel(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.scratch, ignore_errors=True)


def decode(data: bytes, at: int = 0):
    """(value, next offset) for the CBOR item at `at`."""
    head = data[at]
    major, info = head >> 5, head & 31
    at += 1
    if info < 24:
        value = info
    elif 24 <= info <= 27:
        size = 1 << (info - 24)
        value = int.from_bytes(data[at:at + size], "big")
        at += size
    else:
        raise ValueError(f"unsupported CBOR item 0x{head:02x}")
    if major == 0:
        return value, at
    if major == 3:
        return data[at:at + value].decode("utf-8"), at + value
    if major == 4:
        items = []
        for _ in range(value):
            item, at = decode(data, at)
            items.append(item)
        return items, at
    raise ValueError(f"unsupported CBOR major type {major}")


def _head(major: int, value: int) -> bytes:
    if value < 24:
        return bytes([major << 5 | value])
    for info, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if value < 1 << (8 * struct.calcsize(fmt)):
            return bytes([major << 5 | info]) + struct.pack(fmt, value)
    raise ValueError(value)


def encode(value) -> bytes:
    if isinstance(value, int) and value >= 0:
        return _head(0, value)
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(encode(item) for item in value)
    raise TypeError(type(value))


def read(path: Path):
    data = gzip.decompress(path.read_bytes())
    assert data.startswith(SIGNATURE), path
    return decode(data, len(SIGNATURE))[0]


def write(directory: Path, prefix: str, suffix: str, value, digits: int) -> str:
    """Write value under a name derived from its content; returns the hash part of the name."""
    data = gzip.compress(SIGNATURE + encode(value), compresslevel=6, mtime=0)
    name = f"{prefix}{hashlib.sha256(data).hexdigest()[:digits]}"
    (directory / f"{name}{suffix}").write_bytes(data)
    return name


def canonicalize(bundle: Path) -> None:
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, info in entry["languages"].items():
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        version, pages, chunks, filters, sorts, fields = read(meta_path)
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
                             [version, pages, chunks, sorted(renamed), sorts, fields], 10)[len("pagefind."):]
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
