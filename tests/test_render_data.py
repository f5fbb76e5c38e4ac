"""The downloads hold exactly the entries: counts, every field, and round trips through json and csv."""
import csv
import datetime as dt
import io
import json

import jsonschema

from conftest import FIXTURES, ROOT
from digest import render_data as rd
from digest.pipeline import check

SITE = "https://digest.example/"


def timeline():
    return check(FIXTURES / "site", today=dt.date(2026, 11, 28)).timeline


def files():
    return rd.render_data(timeline(), SITE, "Fixture Digest")


def test_json_has_every_entry_and_matches_its_schema():
    data = json.loads(files()["data/entries.json"])
    schema = json.loads((ROOT / "docs" / "data" / "entries.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)
    assert data["version"] == rd.DATA_VERSION == schema["properties"]["version"]["const"]
    assert data["count"] == len(data["entries"]) == 3
    assert [e["id"] for e in data["entries"]] == ["eu-proposal", "sensetime-listed", "court-list-goes-online"]
    assert data["last_changed"] == "2026-03-01"
    assert data["schema"] == "https://digest.example/data/entries.schema.json"


def test_json_entry_fields_exactly():
    entry = {e["id"]: e for e in json.loads(files()["data/entries.json"])["entries"]}["sensetime-listed"]
    assert entry == {
        "id": "sensetime-listed", "url": "https://digest.example/timeline/2019/sensetime-listed/",
        "title": "SenseTime added to a US export list",
        "summary": "Fixture entry about SenseTime & co. <not html> in a summary is escaped.",
        "date": "2019-10", "date_precision": "month", "added": "2026-02-15", "updated": "2026-03-01",
        "reviewed": "2026-02-15", "last_changed": "2026-03-01", "status": "reported", "topics": ["surveillance", "international"],
        "places": ["united-states", "xinjiang"], "entities": ["sensetime", "us-commerce-department"],
        "sources": [{"publisher": "fixture-journal", "publisher_name": "Fixture Journal", "publisher_name_zh": None,
                     "publisher_kind": "media", "title": "Fixture source two", "title_en": None, "date": "2019-10",
                     "language": "en", "url": "https://journal.example/two?a=1&b=2", "via": "https://mirror.example/two",
                     "primary": False}],
        "corrections": [{"date": "2026-03-01", "note": "Fixture correction of the month.",
                         "reason": "Fixture reason, with a source."}],
        "body": "SenseTime (商汤科技) was named in a fixture.\n",
        "source_file": "timeline/2019/2019-10-sensetime-listed.md"}


def test_json_matches_model_for_every_entry():
    model = timeline()
    records = json.loads(files()["data/entries.json"])["entries"]
    for entry, record in zip(model.entries, records):
        assert record["title"] == entry.title and record["date"] == entry.date
        assert record["updated"] == (entry.updated or None)
        assert [s["url"] for s in record["sources"]] == [s.url or None for s in entry.sources]
        assert [(c["date"], c["note"]) for c in record["corrections"]] == \
            [(c.date, c.note) for c in entry.corrections]


def test_json_vocabulary_resolves_every_id():
    data = json.loads(files()["data/entries.json"])
    for entry in data["entries"]:
        for kind in ("topics", "places", "entities"):
            assert all(term in data["vocabulary"][kind] for term in entry[kind])
    assert data["vocabulary"]["places"]["xinjiang"]["url"] == "https://digest.example/places/xinjiang/"


def rows():
    return list(csv.DictReader(io.StringIO(files()["data/entries.csv"].decode("utf-8"), newline="")))


def test_csv_header_and_one_row_per_entry():
    text = files()["data/entries.csv"].decode("utf-8")
    assert text.split("\r\n", 1)[0] == ",".join(rd.CSV_COLUMNS)
    assert [row["id"] for row in rows()] == ["eu-proposal", "sensetime-listed", "court-list-goes-online"]


def test_csv_round_trips_to_the_json_values():
    records = {e["id"]: e for e in json.loads(files()["data/entries.json"])["entries"]}
    for row in rows():
        record = records[row["id"]]
        for name in ("url", "title", "summary", "date", "date_precision", "added", "last_changed", "status",
                     "body", "source_file"):
            assert row[name] == record[name], name
        assert row["updated"] == (record["updated"] or "")
        for kind in ("topics", "places", "entities"):
            assert row[kind].split("\n") == record[kind] if record[kind] else row[kind] == ""
        sources = [dict(zip(rd.SOURCE_FIELDS, values)) for values in
                   zip(*(row[f"source_{name}"].split("\n") for name in rd.SOURCE_FIELDS))]
        assert len(sources) == int(row["source_count"]) == len(record["sources"])
        for flat, source in zip(sources, record["sources"]):
            assert flat == {k: ("true" if v is True else "false" if v is False else v or "")
                            for k, v in source.items()}
        assert int(row["correction_count"]) == len(record["corrections"])


def test_csv_exact_cells():
    row = {r["id"]: r for r in rows()}["eu-proposal"]
    assert row["corrections"] == ("2026-02-20: Fixture correction of the year, with {braces} & 100% more. "
                                  "Why: Fixture reason <b>escaped</b>.")
    assert row["source_via"] == "" and row["source_primary"] == "false"
    assert row["source_publisher"] == "fixture-journal" and row["source_publisher_kind"] == "media"
    assert row["updated"] == "" and row["last_changed"] == "2026-02-20"
    assert {r["id"]: r for r in rows()}["sensetime-listed"]["places"] == "united-states\nxinjiang"


def test_downloads_are_deterministic():
    assert files() == files()


def test_figures_csv_has_the_ledger_columns_and_every_figure():
    text = files()["data/figures.csv"].decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0])[:6] == ["measure", "definition", "unit", "as_of", "value", "source"]
    assert [(r["measure"], r["unit"], r["as_of"], r["value"]) for r in rows] == [
        ("list-added", "people and organisations", "2013-11-04", "31259"),
        ("list-added", "people", "2014-03-04", "75500"),
        ("list-current", "people", "2014-06", "60000")]
    first = rows[0]
    assert first["definition"] == "Every name put on the fixture list since it opened, including names later removed."
    assert first["source"] == "https://example.org/one" and first["source_publisher"] == "fixture-publisher"
    assert first["entry_url"] == "https://digest.example/timeline/2013/court-list-goes-online/"
    assert first["measure_kind"] == "cumulative-additions"


def test_figures_json_matches_the_csv():
    data = json.loads(files()["data/figures.json"])
    assert [m["id"] for m in data["measures"]] == ["list-added", "list-current"]
    rows = list(csv.DictReader(io.StringIO(files()["data/figures.csv"].decode("utf-8"))))
    assert [{k: str(v) for k, v in f.items()} for f in data["figures"]] == rows
