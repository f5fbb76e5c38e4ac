"""Content statistics for editors (`make stats`): coverage by topic, year and status, and how well the
sources can be traced (publisher kinds, originals on the publisher's own domain, copies, titles)."""
from __future__ import annotations

from collections import Counter

from .model import STATUSES, Timeline


def _table(title: str, counter: Counter, order=None) -> list:
    keys = order if order is not None else sorted(counter)
    width = max((len(str(k)) for k in keys), default=4)
    return [title] + [f"  {str(k):<{width}}  {counter[k]:>4}" for k in keys] + [""]


def _share(part: int, whole: int) -> str:
    return f"{part} of {whole} ({100 * part / whole:.0f}%)" if whole else f"{part} of 0"


def source_figures(timeline: Timeline) -> dict:
    """Counts about the sources, also used by tests and the closing checks of a content review."""
    sources = [source for entry in timeline.entries for source in entry.sources]
    publishers = timeline.vocab.sources.publishers
    return {
        "sources": len(sources),
        "by_kind": Counter(publishers[s.publisher].kind for s in sources),
        "with_url": sum(bool(s.url) for s in sources),
        "via_only": sum(bool(s.via and not s.url) for s in sources),
        "with_via": sum(bool(s.via) for s in sources),
        "bracketed": sum(s.is_bracketed for s in sources),
        "primary": sum(s.primary for s in sources),
        "publishers": len({s.publisher for s in sources}),
        "entries_without_primary": sum(not e.has_primary_source for e in timeline.entries),
        "corrections": sum(len(e.corrections) for e in timeline.entries),
        "corrected_entries": sum(bool(e.corrections) for e in timeline.entries),
        "reviewed": Counter(e.reviewed for e in timeline.entries),
    }


def format_stats(timeline: Timeline) -> str:
    entries = timeline.entries
    total = len(entries)
    topics = Counter(t for e in entries for t in e.topics)
    years = Counter(e.year for e in entries)
    statuses = Counter(e.status for e in entries)
    with_primary = sum(e.has_primary_source for e in entries)
    secondary_only = [e for e in entries if not e.has_primary_source]
    figures = source_figures(timeline)
    kinds = figures["by_kind"]
    lines = [f"{total} entries", ""]
    lines += _table("By topic:", topics, sorted(topics, key=lambda k: (-topics[k], k)))
    lines += _table("By year:", years)
    lines += _table("By status:", statuses, list(STATUSES))
    lines += _table(f"Sources by publisher kind ({figures['sources']} sources, {figures['publishers']} publishers):",
                    kinds, sorted(kinds, key=lambda k: (-kinds[k], k)))
    count = figures["sources"]
    lines += [
        "Sourcing:",
        f"  original's own address (url, on the publisher's domain): {_share(figures['with_url'], count)}",
        f"  copy read given as via:                                   {_share(figures['with_via'], count)}",
        f"  via only (original address not known):                    {_share(figures['via_only'], count)}",
        f"  bracketed titles (page has no title):                     {_share(figures['bracketed'], count)}",
        f"  marked primary:                                           {_share(figures['primary'], count)}",
        "",
        f"Corrections: {figures['corrections']} on {figures['corrected_entries']} entries",
        "Last reviewed: " + ", ".join(f"{day} ({n})" for day, n in sorted(figures["reviewed"].items(), reverse=True)),
        "",
        f"With a primary source: {_share(with_primary, total)}",
        f"Sources all secondary: {len(secondary_only)}",
    ]
    lines += [f"  {e.path}" for e in sorted(secondary_only, key=lambda e: e.path)]
    return "\n".join(lines)
