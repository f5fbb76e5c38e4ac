"""The real timeline: every entry valid, the whole site builds strictly, and the output is valid."""
import subprocess
import sys

import pytest

from conftest import ROOT
from digest.pipeline import check
from sitecheck import broken_links, json_feed_problems, rss_problems, vnu_errors

SITE_URL = "http://127.0.0.1:8000/"


@pytest.fixture(scope="module")
def real_site(tmp_path_factory):
    site = tmp_path_factory.mktemp("real") / "site"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
                             "--config-file", str(ROOT / "mkdocs.yml"), "--site-dir", str(site)],
                            capture_output=True, text=True, cwd=ROOT,
                            env={"PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": "1700000000",
                                 "NO_MKDOCS_2_WARNING": "1", "HOME": str(site.parent)})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return site


def test_every_entry_is_valid():
    result = check(ROOT)
    assert [str(p) for p in result.problems] == []
    assert result.entry_count >= 80


def test_every_entry_cites_a_source_and_says_its_status():
    timeline = check(ROOT).timeline
    assert all(entry.sources and entry.status for entry in timeline.entries)


def test_real_site_links_resolve(real_site):
    assert broken_links(real_site) == []


def test_real_site_is_valid_html(real_site):
    assert vnu_errors(real_site) == []


def test_real_site_feeds(real_site):
    problems = [p for feed in sorted(real_site.rglob("feed.xml")) for p in rss_problems(feed, SITE_URL, real_site)]
    problems += [p for feed in sorted(real_site.rglob("feed.json")) for p in json_feed_problems(feed)]
    assert problems == []


def test_search_index_has_every_entry(real_site):
    entries = len(check(ROOT).timeline.entries)
    pages = len(list((real_site / "timeline").glob("*/*/index.html")))
    assert pages == entries
    assert (real_site / "pagefind" / "pagefind-entry.json").is_file()
