"""`make serve` as a contributor meets it: no warnings meant for other setups, one log line per rebuild,
and a broken entry shown in the browser (over the last good build) until it is fixed. Loopback only."""
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import ROOT, make_site_source

ENTRY = "timeline/2013/2013-10-24-court-list-goes-online.md"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(predicate, seconds: float = 60.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError("timed out")


@pytest.fixture
def served(tmp_path):
    source = make_site_source(tmp_path / "src")
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", NO_MKDOCS_2_WARNING="1", DIGEST_SKIP_SEARCH="1")
    process = subprocess.Popen([sys.executable, str(ROOT / "scripts" / "sitegen" / "serve.py"), "--dev-addr",
                                f"127.0.0.1:{port}", "--config-file", str(source / "mkdocs.yml")],
                               cwd=source, stdout=log, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_for(lambda: "court-list-goes-online" in fetch(base + "timeline/2013/"))
        yield source, base, tmp_path / "serve.log"
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def test_a_broken_entry_shows_in_the_browser_until_it_is_fixed(served):
    source, base, log_path = served
    page = base + "timeline/2013/court-list-goes-online/"
    assert "scd-build-error" not in fetch(page)
    entry = source / ENTRY
    good = entry.read_text(encoding="utf-8")
    entry.write_text(good.replace("status: documented", "status: maybe"), encoding="utf-8")
    shown = wait_for(lambda: (lambda html: html if "scd-build-error" in html else None)(fetch(page)))
    assert "field &#x27;status&#x27; is &#x27;maybe&#x27;" in shown
    assert "Court list of dishonest debtors goes online" in shown          # the last good page under it
    entry.write_text(good.replace("opened to the public.", "opened to the public today."), encoding="utf-8")
    wait_for(lambda: "scd-build-error" not in fetch(page) and "opened to the public today." in fetch(page))
    log = log_path.read_text(encoding="utf-8")
    assert "dirty" not in log.lower()
    assert "Browser connected" not in log
    rebuilds = [line for line in log.splitlines() if "digest: rebuilt" in line]
    assert len(rebuilds) >= 3 and any("problems" in line for line in rebuilds)
    # An entry edit refills the pages; the generator ran once, for the first build.
    assert "(with mkdocs)" in rebuilds[0] and not any("(with mkdocs)" in line for line in rebuilds[1:])


def test_pages_reload_when_a_rebuild_finishes_and_written_pages_rebuild_too(served):
    source, base, _ = served
    home = fetch(base)
    assert 'fetch("/__build")' in home                          # the reload script
    build = fetch(base + "__build")
    about = source / "docs" / "debtor-list.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nA sentence added while serving.\n", encoding="utf-8")
    wait_for(lambda: "A sentence added while serving." in fetch(base + "debtor-list/"))
    assert fetch(base + "__build") != build
