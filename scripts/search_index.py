"""Pagefind indexing while MkDocs renders.

Each finished page is sent to `pagefind --service` (the binary shipped in the pagefind wheel, which
indexes in its own process, so on the second core while MkDocs renders on the first), and the bundle
is written when the build ends. Only the article is sent, not Material's chrome.

This speaks the service's protocol directly (base64 JSON messages, each followed by a comma) rather
than through pagefind's asyncio wrapper, which waits 0.1 s between responses: 10,000 pages would
spend 17 minutes in that sleep.
"""
from __future__ import annotations

import base64
import json
import re
import subprocess
import threading
from pathlib import Path

from pagefind.service import get_executable

from pagefind_bundle import canonicalize

ARTICLE = re.compile(r'<article class="md-content__inner[^"]*">.*?</article>', re.S)
CONFIG = {
    "root_selector": "article.md-content__inner",
    "exclude_selectors": [".headerlink"],       # Material's ¶ permalinks would end up in titles
    # Pages are English with Chinese terms: indexed as Chinese, Pagefind's extended build segments the
    # Chinese (执行人 finds 失信被执行人) while English words still match by prefix; the cost is English
    # stemming ("courts" no longer finds "court").
    "force_language": "zh",
}
CLI_OPTIONS = ["--root-selector", CONFIG["root_selector"], "--exclude-selectors", ".headerlink",
               "--force-language", CONFIG["force_language"]]


class SearchIndexError(RuntimeError):
    pass


class SearchIndexer:
    """One Pagefind index in a `pagefind --service` process; pages are added without waiting."""

    def __init__(self):
        self.process = subprocess.Popen([str(get_executable()), "--service"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.next_id, self.replies, self.errors = 0, {}, []
        self.arrived = threading.Condition()
        self.reader = threading.Thread(target=self._read_replies, daemon=True)
        self.reader.start()
        self.added = 0
        self.index_id = self._call({"type": "NewIndex", "config": CONFIG})["index_id"]
        self.first_page, self.last_page = self.next_id + 1, self.next_id

    def _send(self, payload: dict) -> int:
        self.next_id += 1
        message = {"message_id": self.next_id, "payload": payload}
        self.process.stdin.write(base64.b64encode(json.dumps(message).encode("utf-8")) + b",")
        return self.next_id

    def _read_replies(self) -> None:
        buffer = b""
        while chunk := self.process.stdout.read1(1 << 16):
            buffer += chunk
            *messages, buffer = buffer.split(b",")
            with self.arrived:
                for raw in messages:
                    reply = json.loads(base64.b64decode(raw))
                    payload = reply.get("payload", {})
                    if payload.get("type") == "Error":
                        self.errors.append(payload.get("message", "unknown error"))
                    self.replies[reply.get("message_id")] = payload
                self.arrived.notify_all()
        with self.arrived:
            self.replies[None] = {"type": "Error", "message": "pagefind service exited"}
            self.arrived.notify_all()

    def _call(self, payload: dict, timeout: float = 600) -> dict:
        message_id = self._send(payload)
        self.process.stdin.flush()
        with self.arrived:
            if not self.arrived.wait_for(lambda: message_id in self.replies or None in self.replies, timeout):
                raise SearchIndexError(f"pagefind did not answer {payload['type']} in {timeout} s")
            reply = self.replies.pop(message_id, self.replies.get(None))
        if reply.get("type") == "Error":
            raise SearchIndexError(reply.get("message", "unknown error"))
        return reply

    def add_page(self, html: str, url: str) -> None:
        """Queue a rendered page; its reply is collected (and errors raised) in write()."""
        article = ARTICLE.search(html)
        if article is None:
            return
        page = f'<!doctype html><html lang="en"><head><title></title></head><body>{article.group(0)}</body></html>'
        self.last_page = self._send({"type": "AddFile", "index_id": self.index_id, "url": url,
                                     "file_contents": page})
        self.process.stdin.flush()          # let the service work while MkDocs renders the next page
        self.added += 1

    def write(self, output_path: str) -> int:
        """Write the bundle once every queued page is indexed; returns the number of pages."""
        with self.arrived:     # every AddFile answered first: the service may handle messages concurrently
            self.arrived.wait_for(lambda: None in self.replies or all(
                i in self.replies for i in range(self.first_page, self.last_page + 1)), 600)
        self._call({"type": "WriteFiles", "index_id": self.index_id, "output_path": output_path})
        if self.errors:
            raise SearchIndexError("; ".join(self.errors[:5]))
        canonicalize(Path(output_path))        # reproducible bytes (see pagefind_bundle.py)
        return self.added

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
