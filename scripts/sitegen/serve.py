"""`make serve`: build, serve on 127.0.0.1:8000, rebuild on every edit, reload the browser.

The same steps as `make build` (scripts/build_site.py), run again whenever a file under timeline/,
docs/ or overrides/, or mkdocs.yml, changes. Between rebuilds the server keeps what did not change:
each entry's check, each page's converted article, and the site files (only those whose bytes
changed are written). The generator runs again only when a file it reads changed (a written page,
the theme's overrides, mkdocs.yml); an edit to an entry refills the pages without it.

Pages are served with a small script that reloads them when a rebuild finishes. If an edit breaks
the check, every page shows the problems over the last good build until they are fixed. Search is
re-indexed after each rebuild in the background, so the edited page is served at once.
"""
from __future__ import annotations

import argparse
import functools
import http.server
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sitegen import (  # noqa: E402
    build,  # noqa: E402
    generators,
    search,
)
from sitegen.config import read_config  # noqa: E402
from sitegen.postprocess import show_problems  # noqa: E402

WATCHED = ("timeline", "docs", "overrides", "mkdocs.yml")
POLL_SECONDS = 0.1
RELOAD = ('<script>(function(){var b="%s";setInterval(function(){fetch("/__build").then(function(r){return r.text()})'
          '.then(function(v){if(v!==b)location.reload()}).catch(function(){})},500)})()</script>')


class DevServer:
    """Builds into a folder and serves it; rebuild() after a change. Typed state, no globals."""

    def __init__(self, config_file: Path, ssg: str = "mkdocs", search_on: bool = True):
        self.config = read_config(config_file)
        self.ssg, self.search_on = ssg, search_on
        self.out = self.config.root / ".build" / "serve"
        self.caches = build.Caches(checked={}, memo=build.Memo())
        self.build_id, self.problems = "0", ""
        self.lock = threading.Lock()      # one rebuild at a time
        self.reindexer = None
        self.generator_inputs = None

    def rebuild(self) -> str:
        started = time.perf_counter()
        inputs = self._generator_inputs()
        run_generator = inputs != self.generator_inputs
        with self.lock:
            self.out.mkdir(parents=True, exist_ok=True)
            outcome = build.build_into(self.config, self.out, self.ssg, strict=False, quiet=True,
                                            caches=self.caches, run_generator=run_generator, serving=True,
                                            with_search=False, pages_written=self._pages_written)
            if outcome.ok:
                self.generator_inputs = inputs
                self.problems = ""
            else:
                self.problems = outcome.problems or "the site generator failed: see the messages above"
            self.build_id = str(int(self.build_id) + 1)
        if outcome.ok and self.search_on:
            self._reindex()
        elapsed = time.perf_counter() - started
        state = "the timeline has problems (shown in the browser)" if self.problems else "ok"
        line = f"digest: rebuilt {outcome.pages} pages in {elapsed:.2f} s" \
               f"{' (with ' + self.ssg + ')' if outcome.generator_ran else ''}: {state}"
        print(line, flush=True)
        return line

    def _pages_written(self) -> None:
        """The pages are written (feeds and data files follow): browsers may reload now."""
        self.problems = ""
        self.build_id = str(int(self.build_id) + 1)

    def _generator_inputs(self) -> tuple:
        """What the generator reads besides staged pages: a change means it must run again."""
        root = self.config.root
        return tuple(_stamps([root / "overrides", root / "mkdocs.yml", self.config.source_docs]))

    def _reindex(self) -> None:
        if self.reindexer is not None and self.reindexer.poll() is None:
            self.reindexer.kill()          # an older index of an older build: replace it
            self.reindexer.wait()
        # At the lowest priority: the next rebuild, not the index, is what the writer is waiting for.
        self.reindexer = subprocess.Popen(search.command(str(self.out)), stdout=subprocess.DEVNULL,
                                          stderr=subprocess.DEVNULL, preexec_fn=lambda: os.nice(19))

    def page(self, text: str) -> str:
        """A page as served: the problems banner if any, and the reload script."""
        if self.problems:
            text = show_problems(text, self.problems)
        return text.replace("</body>", RELOAD % self.build_id + "</body>", 1)

    def stop(self) -> None:
        if self.reindexer is not None and self.reindexer.poll() is None:
            self.reindexer.kill()


def _stamps(paths):
    for path in paths:
        if path.is_file():
            yield str(path), path.stat().st_mtime_ns, path.stat().st_size
        elif path.is_dir():
            for directory, _, names in os.walk(path):
                for name in sorted(names):
                    file = Path(directory) / name
                    try:
                        stat = file.stat()
                    except OSError:
                        continue
                    yield str(file), stat.st_mtime_ns, stat.st_size


def handler_for(server: DevServer):
    class Handler(http.server.SimpleHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/__build":
                return self._send(server.build_id.encode(), "text/plain")
            path = self.translate_path(self.path)
            if os.path.isdir(path):
                if not self.path.split("?")[0].endswith("/"):
                    return super().do_GET()           # the redirect to the folder's URL
                path = os.path.join(path, "index.html")
            if path.endswith(".html") and os.path.isfile(path):
                text = Path(path).read_text(encoding="utf-8")      # written whole (os.replace)
                return self._send(server.page(text).encode("utf-8"), "text/html; charset=utf-8")
            if not os.path.exists(path) and not server.problems:
                missing = server.out / "404.html"
                if missing.exists():
                    return self._send(server.page(missing.read_text(encoding="utf-8")).encode(), "text/html", 404)
            return super().do_GET()

        def _send(self, data: bytes, kind: str, status: int = 200):
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass                 # one line per rebuild, none per request

    return functools.partial(Handler, directory=str(server.out))


def watch(server: DevServer, stop: threading.Event) -> None:
    root = server.config.root
    seen = list(_stamps([root / name for name in WATCHED]))
    while not stop.wait(POLL_SECONDS):
        now = list(_stamps([root / name for name in WATCHED]))
        if now != seen:
            seen = now
            try:
                server.rebuild()
            except Exception as error:       # a bug, not bad input: say so and keep serving
                server.problems = f"the rebuild failed: {error!r}"
                print(f"digest: {server.problems}", flush=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Build, serve and rebuild the site on every edit.")
    parser.add_argument("--config-file", default=str(build.ROOT / "mkdocs.yml"))
    parser.add_argument("--dev-addr", default="127.0.0.1:8000")
    parser.add_argument("--ssg", default=os.environ.get("SSG") or "mkdocs", choices=generators.GENERATORS)
    args = parser.parse_args(argv)
    host, port = args.dev_addr.rsplit(":", 1)
    # Stopped by a signal as by Ctrl+C: the background search indexer stops too.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    server = DevServer(Path(args.config_file), args.ssg, search_on=os.environ.get("DIGEST_SKIP_SEARCH") != "1")
    shutil.rmtree(server.out, ignore_errors=True)
    server.rebuild()
    httpd = http.server.ThreadingHTTPServer((host, int(port)), handler_for(server))
    stop = threading.Event()
    threading.Thread(target=watch, args=(server, stop), daemon=True).start()
    print(f"serving http://{host}:{httpd.server_address[1]}/ (edits under {', '.join(WATCHED)} rebuild it; "
          "Ctrl+C stops)", flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.stop()
        httpd.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

