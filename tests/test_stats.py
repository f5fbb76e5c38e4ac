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
