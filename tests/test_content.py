"""The real timeline: every entry valid, the whole site builds strictly, and the output is valid."""

import pytest

from conftest import ROOT
from digest.pipeline import check
from sitecheck import broken_links, json_feed_problems, rss_problems, vnu_errors

SITE_URL = "http://127.0.0.1:8000/"




def test_every_entry_is_valid():
    result = check(ROOT)
    assert [str(p) for p in result.problems] == []
    assert result.entry_count >= 80


def test_every_entry_cites_a_source_and_says_its_status():
    timeline = check(ROOT).timeline
    assert all(entry.sources and entry.status for entry in timeline.entries)


def test_real_site_links_resolve(real_site):
    assert broken_links(real_site) == []


@pytest.mark.nu
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


def test_coverage_runs_to_december_2026():
    timeline = check(ROOT).timeline
    assert len(timeline.entries) >= 150
    assert sum(entry.year >= "2023" for entry in timeline.entries) >= 30
    assert max(entry.date for entry in timeline.entries) >= "2026"


def test_every_entry_says_when_it_was_checked_against_its_sources():
    import datetime as dt
    timeline = check(ROOT).timeline
    today = dt.date.today().isoformat()
    assert [e.id for e in timeline.entries if not ("2026-01-01" <= e.reviewed <= today)] == []


SELF_REFERENCE = ("seed digest", "this digest", "a 2019 digest", "the digest's", "seed article")


def test_entries_and_explainers_stand_on_their_own():
    texts = {path: path.read_text(encoding="utf-8").lower()
             for path in [*sorted((ROOT / "timeline").glob("20*/*.md")), *sorted((ROOT / "docs" / "explainers").glob("*.md"))]}
    found = [(path.name, phrase) for path, text in texts.items() for phrase in SELF_REFERENCE if phrase in text]
    assert found == []


def test_published_errors_from_the_december_review_are_logged_as_corrections():
    by_id = check(ROOT).timeline.by_id
    for entry_id in ("spc-provisions-dishonest-debtor-list", "spc-debtor-list-database-opens",
                     "spc-revises-debtor-list-rules", "draft-civil-enforcement-law", "23-million-travel-ban-headlines",
                     "enterprise-credit-comprehensive-evaluation-plan", "spc-extends-debtor-spending-limits",
                     "eu-ai-act-proposal-social-scoring-ban"):
        entry = by_id[entry_id]
        assert entry.corrections and entry.updated, entry_id
        assert all(fix.reason for fix in entry.corrections), entry_id


def test_no_source_is_a_placeholder_and_sources_name_their_original_publisher():
    timeline = check(ROOT).timeline
    sources = [source for entry in timeline.entries for source in entry.sources]
    assert all(source.url or source.via for source in sources)
    assert not [s.title for s in sources if "not shown" in s.title or "stored copy" in s.title]
    publishers = timeline.vocab.sources.publishers
    assert all(publishers[s.publisher].kind in timeline.vocab.sources.kinds for s in sources)


def test_real_site_myths_are_claim_reviews(real_site):
    import json
    import re
    html = (real_site / "explainers" / "myths" / "index.html").read_text(encoding="utf-8")
    blocks = [json.loads(b) for b in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]
    reviews = [b for b in blocks if b["@type"] == "ClaimReview"]
    verdicts = (ROOT / "docs" / "explainers" / "myths.md").read_text(encoding="utf-8").count("**Verdict:**")
    assert len(reviews) == verdicts >= 10
    anchors = set(re.findall(r'id="([^"]+)"', html))
    assert all(review["url"].split("#")[1] in anchors for review in reviews)
