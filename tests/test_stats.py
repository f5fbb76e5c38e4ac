import datetime as dt

from conftest import FIXTURES
from digest.pipeline import check
from digest.stats import format_stats


def test_stats_counts_and_secondary_only_list():
    text = format_stats(check(FIXTURES / "site", today=dt.date(2026, 11, 28)).timeline)
    assert text.startswith("3 entries\n")
    assert "By topic:\n  international     2\n  debtor-list       1\n  surveillance      1\n" in text
    assert "With a primary source: 1 of 3 (33%)" in text
    assert "Sources all secondary: 2\n  timeline/2019/2019-10-sensetime-listed.md\n  timeline/2021/2021-eu-proposal.md" in text


def test_stats_report_how_sources_can_be_traced():
    text = format_stats(check(FIXTURES / "site", today=dt.date(2026, 11, 28)).timeline)
    assert "Sources by publisher kind (3 sources, 2 publishers):\n  media          2\n  government     1\n" in text
    assert "  original's own address (url, on the publisher's domain): 3 of 3 (100%)" in text
    assert "  copy read given as via:                                   1 of 3 (33%)" in text
    assert "  via only (original address not known):                    0 of 3 (0%)" in text
    assert "  bracketed titles (page has no title):                     0 of 3 (0%)" in text
    assert "Corrections: 2 on 2 entries" in text
    assert "Last reviewed: 2026-02-15 (1), 2026-02-01 (1), 2026-01-10 (1)" in text
