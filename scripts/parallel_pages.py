"""Convert entry pages on every core.

MkDocs converts Markdown one page at a time, and at 10,000 entries that conversion is most of the
build. Just before MkDocs starts (on_nav), worker processes forked from the build run MkDocs' own
page population (read, on_page_markdown, render, on_page_content) for the entry pages and send back
what it produced; MkDocs then finds each page already converted (see mkdocs_hooks.on_page_markdown).
Warnings logged in a worker are logged again here, so `--strict` still counts them.
"""
from __future__ import annotations

import gc
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from mkdocs.commands.build import _populate_page

CHUNKS_PER_WORKER = 8
_work = {}        # set in the parent just before forking; the workers inherit it


@dataclass
class Converted:
    content: str
    toc: object
    title: str | None
    anchors: set


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records = []

    def emit(self, record):
        record.msg, record.args = record.getMessage(), None     # picklable, already formatted
        self.records.append(record)


def _convert(indices: list) -> tuple[dict, list]:
    pages, config, files, after = _work["pages"], _work["config"], _work["files"], _work["after"]
    collect = _Collect()
    logging.getLogger("mkdocs").handlers = [collect]     # the parent prints them, once
    converted = {}
    for index in indices:
        page = pages[index]
        _populate_page(page, config, files)
        converted[page.file.src_uri] = Converted(page.content, page.toc, page._title_from_render,
                                                 page.present_anchor_ids)
        after(page)
        page.markdown = page.content = page.toc = None      # sent back: a worker keeps nothing
    return converted, collect.records


def convert_pages(pages: list, config, files, after=lambda page: None) -> dict:
    """{src_uri: Converted} for the given pages, converted in forked worker processes.
    after(page) runs in the worker once a page is converted."""
    workers = min(os.cpu_count() or 1, 8)
    size = max(1, len(pages) // (workers * CHUNKS_PER_WORKER))
    chunks = [list(range(i, min(i + size, len(pages)))) for i in range(0, len(pages), size)]
    _work.update(pages=pages, config=config, files=files, after=after)
    converted = {}
    # Without this the workers' garbage collector walks the whole inherited heap, which copies
    # every memory page it touches (copy-on-write): slower workers and twice the memory.
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
            for result, records in pool.map(_convert, chunks):
                converted.update(result)
                for record in records:
                    logging.getLogger(record.name).handle(record)
    finally:
        _work.clear()
        gc.unfreeze()
    return converted
