"""Shared test helpers: the engine on sys.path and a tiny real site built from fixtures."""
from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
sys.path.insert(0, str(ROOT / "scripts"))


def make_site_source(target: Path, fixture: str = "site") -> Path:
    """Copy a fixture site and link in the real engine, theme override and assets."""
    shutil.copytree(FIXTURES / fixture, target)
    (target / "scripts").symlink_to(ROOT / "scripts")
    (target / "overrides").symlink_to(ROOT / "overrides")
    (target / "docs" / "assets").symlink_to(ROOT / "docs" / "assets")
    shutil.copy(ROOT / "docs" / "search.md", target / "docs" / "search.md")
    return target


def build(source: Path, site_dir: Path, epoch: str = "1700000000", ssg: str = "mkdocs", *flags: str
          ) -> subprocess.CompletedProcess:
    """`make build` of a site source (scripts/build_site.py), with one of the three generators."""
    env = dict(os.environ, SOURCE_DATE_EPOCH=epoch, PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "build_site.py"), str(site_dir), "--quiet",
                           "--config-file", str(source / "mkdocs.yml"), "--ssg", ssg, *flags],
                          capture_output=True, text=True, env=env)


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> Path:
    """The fixture timeline built once into a real site (with Pagefind)."""
    source = make_site_source(tmp_path_factory.mktemp("fixture") / "src")
    site = source.parent / "site"
    result = build(source, site)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    """The real timeline built once, strictly, for every test module that reads it.
    DIGEST_TEST_SITE=<a built site> reuses a build, to iterate on the checks."""
    if os.environ.get("DIGEST_TEST_SITE"):
        return Path(os.environ["DIGEST_TEST_SITE"])
    site = tmp_path_factory.mktemp("real") / "site"
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_site.py"), str(site), "--quiet",
                             "--config-file", str(ROOT / "mkdocs.yml")],
                            capture_output=True, text=True, cwd=ROOT,
                            env={"PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": "1700000000",
                                 "NO_MKDOCS_2_WARNING": "1", "HOME": str(site.parent)})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return site


# Debian's chromium, as the browser tests launch it: never a downloaded browser, no background traffic.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve_directory(directory: Path):
    """A built site on a free loopback port: yields its base URL, ending with '/'."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
