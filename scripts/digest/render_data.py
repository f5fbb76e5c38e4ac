"""Stage 4e: the dataset downloads, /data/entries.json and /data/entries.csv.

entries.json carries every field of every entry plus its absolute URL; its shape is declared in
docs/data/entries.schema.json and DATA_VERSION changes whenever that shape does. entries.csv has one
row per entry in a fixed column order; a cell with several values (sources, topics, corrections)
holds them one per line, in the same order as in the JSON. Nothing depends on the clock.
"""
from __future__ import annotations

import csv
import io
import json

from .citations import source_record
from .model import Entry, Timeline
from .vocab import KINDS, Sources

DATA_VERSION = 2
LICENSE = {"content": "CC-BY-4.0", "content_url": "https://creativecommons.org/licenses/by/4.0/",
           "code": "MIT"}
SOURCE_FIELDS = ("publisher", "publisher_name", "publisher_name_zh", "publisher_kind", "title", "title_en", "date", "language", "url",
                 "via", "primary")
CSV_COLUMNS = ("id", "url", "title", "summary", "date", "date_precision", "added", "updated", "reviewed", "last_changed",
               "status", "topics", "places", "entities", "source_count", "primary_source_count",
               *(f"source_{name}" for name in SOURCE_FIELDS), "correction_count", "corrections", "body",
               "source_file")


def entry_record(entry: Entry, site_url: str, vocab: Sources) -> dict:
    """One entry as plain JSON values; absent optional fields are null, never missing."""
    return {
        "id": entry.id, "url": site_url + entry.url, "title": entry.title, "summary": entry.summary,
        "date": entry.date, "date_precision": entry.precision, "added": entry.added,
        "updated": entry.updated or None, "reviewed": entry.reviewed, "last_changed": entry.last_changed,
        "status": entry.status,
        "topics": list(entry.topics), "places": list(entry.places), "entities": list(entry.entities),
        "sources": [source_record(source, vocab) for source in entry.sources],
        "corrections": [{"date": fix.date, "note": fix.note, "reason": fix.reason} for fix in entry.corrections],
        "body": entry.body, "source_file": entry.path,
    }


def vocabulary_record(timeline: Timeline, site_url: str) -> dict:
    """The terms entries use, so ids in the data resolve to names without the site."""
    vocabulary = {}
    for kind in KINDS:
        vocabulary[kind] = {}
        for term in timeline.used_terms(kind):
            record = {"name": term.name, "name_zh": term.name_zh, "pinyin": term.pinyin,
                      "url": f"{site_url}{kind}/{term.id}/"}
            if kind == "places":
                record.update(kind=term.kind or None, lat=term.lat, lon=term.lon)
            vocabulary[kind][term.id] = record
    return vocabulary


def render_json(timeline: Timeline, site_url: str, site_title: str) -> bytes:
    data = {
        "version": DATA_VERSION,
        "schema": site_url + "data/entries.schema.json",
        "title": f"{site_title}: timeline entries",
        "home_page_url": site_url,
        "license": LICENSE,
        "last_changed": timeline.last_added,        # latest added/updated/correction date, not build time
        "count": len(timeline.entries),
        "entries": [entry_record(entry, site_url, timeline.vocab.sources) for entry in timeline.entries],
        "vocabulary": vocabulary_record(timeline, site_url),
    }
    # Compact: the C encoder (indentation would switch to the pure-Python one, ~10x slower at 10,000 entries).
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def _one_line(text: str) -> str:
    """A value inside a one-per-line cell must not itself break the line."""
    return " ".join(text.split())


def csv_row(entry: Entry, site_url: str, vocab: Sources) -> dict:
    record = entry_record(entry, site_url, vocab)
    row = {name: record[name] for name in ("id", "url", "title", "summary", "date", "date_precision",
                                           "added", "reviewed", "last_changed", "status", "body", "source_file")}
    row["updated"] = entry.updated
    for kind in KINDS:
        row[kind] = "\n".join(record[kind])
    row["source_count"] = len(entry.sources)
    row["primary_source_count"] = sum(source.primary for source in entry.sources)
    for name in SOURCE_FIELDS:
        values = [source[name] for source in record["sources"]]
        row[f"source_{name}"] = "\n".join("true" if v is True else "false" if v is False else _one_line(v or "")
                                          for v in values)
    row["correction_count"] = len(entry.corrections)
    row["corrections"] = "\n".join(f"{fix.date}: {_one_line(fix.note)} Why: {_one_line(fix.reason)}"
                                  for fix in entry.corrections)
    return row


def render_csv(timeline: Timeline, site_url: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)    # RFC 4180: CRLF rows, quoted when needed
    writer.writeheader()
    for entry in timeline.entries:
        writer.writerow(csv_row(entry, site_url, timeline.vocab.sources))
    return buffer.getvalue().encode("utf-8")


FIGURE_COLUMNS = ("measure", "definition", "unit", "as_of", "value", "source", "measure_kind", "source_publisher",
                  "source_title", "source_date", "entry", "entry_url", "note")


def figure_records(timeline: Timeline, site_url: str) -> list:
    """The statistics ledger, one record per published figure, with its measure's definition and its source."""
    ledger, records = timeline.ledger, []
    for figure in ledger.figures:
        measure = ledger.measures[figure.measure]
        entry = timeline.by_id[figure.entry]
        source = entry.sources[figure.source - 1]
        records.append({"measure": measure.id, "definition": measure.definition, "unit": figure.unit,
                        "as_of": figure.as_of, "value": figure.value, "source": source.link,
                        "measure_kind": measure.kind, "source_publisher": source.publisher,
                        "source_title": source.title, "source_date": source.date, "entry": entry.id,
                        "entry_url": site_url + entry.url, "note": figure.note})
    return records


def render_figures_json(timeline: Timeline, site_url: str, site_title: str) -> bytes:
    data = {"title": f"{site_title}: published figures", "home_page_url": site_url, "license": LICENSE,
            "measures": [{"id": m.id, "name": m.name, "kind": m.kind, "definition": m.definition}
                         for m in timeline.ledger.measures.values()],
            "figures": figure_records(timeline, site_url)}
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def render_figures_csv(timeline: Timeline, site_url: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIGURE_COLUMNS)
    writer.writeheader()
    for record in figure_records(timeline, site_url):
        writer.writerow({**record, "note": _one_line(record["note"])})
    return buffer.getvalue().encode("utf-8")


def render_data(timeline: Timeline, site_url: str, site_title: str) -> dict:
    site_url = site_url if site_url.endswith("/") else site_url + "/"
    return {"data/entries.json": render_json(timeline, site_url, site_title),
            "data/entries.csv": render_csv(timeline, site_url),
            "data/figures.json": render_figures_json(timeline, site_url, site_title),
            "data/figures.csv": render_figures_csv(timeline, site_url)}
