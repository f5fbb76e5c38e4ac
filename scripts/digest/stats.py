"""Content statistics for editors (`make stats`)."""
from __future__ import annotations

from collections import Counter

from .model import Timeline


def _table(title: str, counter: Counter, order=None) -> list:
    keys = order if order is not None else sorted(counter)
    width = max((len(str(k)) for k in keys), default=4)
    return [title] + [f"  {str(k):<{width}}  {counter[k]:>4}" for k in keys] + [""]


def format_stats(timeline: Timeline) -> str:
    entries = timeline.entries
    total = len(entries)
    topics = Counter(t for e in entries for t in e.topics)
    years = Counter(e.year for e in entries)
    statuses = Counter(e.status for e in entries)
    with_primary = sum(e.has_primary_source for e in entries)
    secondary_only = [e for e in entries if not e.has_primary_source]
    lines = [f"{total} entries", ""]
    lines += _table("By topic:", topics, sorted(topics, key=lambda k: (-topics[k], k)))
    lines += _table("By year:", years)
    lines += _table("By status:", statuses, ["documented", "reported", "disputed", "debunked"])
    share = f"{100 * with_primary / total:.0f}%" if total else "n/a"
    lines.append(f"With a primary source: {with_primary} of {total} ({share})")
    lines.append(f"Sources all secondary: {len(secondary_only)}")
    lines += [f"  {e.path}" for e in sorted(secondary_only, key=lambda e: e.path)]
    return "\n".join(lines)
