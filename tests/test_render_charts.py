"""The SVG pictures are well-formed, titled, deterministic, and say what their tables say."""
import datetime as dt
import re
import xml.etree.ElementTree as ET

from conftest import FIXTURES
from digest import render_charts as rc
from digest import render_pages as rp
from digest.figures import Ledger, load_ledger
from digest.pipeline import check

SVG = "{http://www.w3.org/2000/svg}"


def timeline():
    return check(FIXTURES / "site", today=dt.date(2026, 11, 28)).timeline


def parse(svg: str):
    root = ET.fromstring(svg)                 # raises on malformed XML
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}title").text and root.find(f"{SVG}desc").text
    assert root.get("role") == "img"
    return root


def tooltips(root, tag: str) -> list:
    return [el.find(f"{SVG}title").text for el in root.iter(f"{SVG}{tag}") if el.find(f"{SVG}title") is not None]


def table_rows(markup: str) -> list:
    """The body rows of the first HTML table in markup, each cell's inner HTML."""
    body = re.search(r"<tbody>(.*?)</tbody>", markup, re.S)
    return [[re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S)] if body else []


def test_number_formatting_is_stable():
    assert [rc.fmt(x) for x in (0, -0.04, 1.25, 2.0, 10.06, 123.456)] == ["0", "0", "1.2", "2", "10.1", "123.5"]
    assert [rc.nice_step(x) for x in (0, 3, 7, 14, 96, 14_500_000)] == [1, 1, 2, 5, 20, 5_000_000]
    assert rc.count(3080200) == "3,080,200"


def test_entries_per_year_chart_matches_its_table():
    chart = rc.entries_per_year_chart(timeline())
    root = parse(chart.svg)
    assert root.find(f"{SVG}title").text == "Timeline entries per year, by topic"
    bars = sorted(tooltips(root, "rect"))
    assert bars == ["2013, List of dishonest judgment debtors: 1", "2019, Surveillance technology industry: 1",
                    "2021, International responses: 1"]
    header = chart.table.splitlines()[0]
    assert header == "| Year | List of dishonest judgment debtors | Surveillance technology industry | " \
                     "International responses | Total |"
    rows = table_rows(chart.html())
    assert [row[0] for row in rows] == [str(year) for year in range(2013, 2022)]    # gaps stay visible
    names = [cell.strip() for cell in header.strip("|").split("|")][1:-1]
    from_table = sorted(f"{row[0]}, {name}: {n}" for row in rows for name, n in zip(names, row[1:-1]) if n != "0")
    assert from_table == bars
    assert sum(int(row[-1]) for row in rows) == 3


def test_figures_chart_points_match_the_table():
    model = timeline()
    markdown = rp.render_figures(model, "list-added list-current", "debtor-list.md")
    svg = re.search(r"<svg.*?</svg>", markdown, re.S).group(0)
    root = parse(svg)
    assert sorted(tooltips(root, "circle")) == [
        "Names added since the list opened (people and organisations), 4 November 2013: 31,259",
        "Names added since the list opened (people), 4 March 2014: 75,500",
        "Names currently listed (people), June 2014: 60,000"]
    assert len(root.findall(f"{SVG}polyline")) == 0          # no series has two points: nothing is joined
    rows = table_rows(markdown)
    assert [row[:3] for row in rows] == [
        ["4 November 2013", "Names added since the list opened (people and organisations)", "31,259"],
        ["4 March 2014", "Names added since the list opened (people)", "75,500"],
        ["June 2014", "Names currently listed (people)", "60,000"]]
    assert rows[0][3] == "Fixture Publisher, 6 November 2013, via Court list of dishonest debtors goes online"
    assert '<a href="../timeline/2013/court-list-goes-online/">Court list of dishonest debtors goes online</a>' in markdown
    assert rows[0][4] == "31,259 entries &amp; more, Fixture Publisher."
    assert rp.render_figures(model, "no-such-measure", "x.md") == ""


def test_places_map_counts_match_the_places_table():
    model = timeline()
    chart = rc.places_map(model)
    root = parse(chart.svg)
    dots = tooltips(root, "circle")
    # places outside China's region appear on the world map only; those inside appear on both maps
    assert sorted(set(dots)) == ["China (national): 1 entry", "European Union: 1 entry",
                                 "United States: 1 entry", "Xinjiang: 1 entry"]
    index = rp.render_hub_index("places", model)
    link_text = re.compile(r"^\[(.*)\]\(.*$")
    from_table = []
    for row in table_rows(index.split("</figure>")[1]):
        name, n = link_text.sub(r"\1", row[0]), row[2]
        from_table.append(f"{name}: {n} {'entry' if n == '1' else 'entries'}")
    from_table.sort()
    assert from_table == sorted(set(dots))
    assert len(root.findall(f"{SVG}g")) == 2 and len(chart.svg) < 70_000


def test_places_map_omits_world_map_when_every_place_is_in_the_region():
    model = timeline()
    for kind, term_id in list(model.by_term):
        if term_id in ("united-states", "european-union"):
            del model.by_term[(kind, term_id)]
    root = parse(rc.places_map(model).svg)
    assert len(root.findall(f"{SVG}g")) == 1


def test_hub_mini_timeline():
    model = timeline()
    markdown = rc.mini_timeline(model.by_term[("topics", "international")], "scd-hub-international")
    root = parse(re.search(r"<svg.*?</svg>", markdown, re.S).group(0))
    assert root.find(f"{SVG}title").text == "Entries per year, 2019 to 2021"
    assert tooltips(root, "rect") == ["2019: 1", "2020: 0", "2021: 1"]
    assert "Entries per year: 2019: 1 · 2021: 1" in markdown


def test_charts_are_deterministic():
    assert rc.places_map(timeline()).svg == rc.places_map(timeline()).svg
    assert rc.entries_per_year_chart(timeline()) == rc.entries_per_year_chart(timeline())


def test_ledger_files_are_checked(tmp_path):
    (tmp_path / "measures.yaml").write_text(
        "- id: added\n  name: Added\n  kind: cumulative-additions\n  definition: d\n"
        "- id: added\n  name: Again\n  kind: cumulative-additions\n  definition: d\n"
        "- id: odd\n  name: Odd\n  kind: total\n  definition: d\n", encoding="utf-8")
    (tmp_path / "figures.yaml").write_text(
        "- {measure: added, as_of: 2014-03-04, value: 1, unit: people, entry: court-list-goes-online, source: 1, note: ok}\n"
        "- {measure: added, as_of: '2014', value: -3, unit: persons, entry: court-list-goes-online, source: 1, note: n}\n"
        "- {measure: nope, as_of: 2014-03, value: 2, unit: people, entry: no-such-entry, source: 1, note: n}\n"
        "- {measure: added, as_of: 2014-03, value: 2, unit: people, entry: court-list-goes-online, source: 4, note: n}\n"
        "- {measure: added, as_of: 2014-03, value: 2, unit: people, entry: court-list-goes-online, note: n, x: 1}\n",
        encoding="utf-8")
    ledger, problems = load_ledger(tmp_path, tmp_path, {"court-list-goes-online": 1})
    assert len(ledger.figures) == 1 and list(ledger.measures) == ["added"]
    assert [str(p) for p in problems] == [
        "measures.yaml:5: duplicate measure id 'added'",
        "measures.yaml:11: field 'kind' is 'total'; expected one of cumulative-additions, currently-listed, removed, "
        "person-times, added-in-year, removed-in-year",
        "figures.yaml:2: field 'as_of' is '2014'; expected YYYY-MM-DD or YYYY-MM: the day the figure refers to",
        "figures.yaml:2: field 'unit' is 'persons'; expected one of people, people and organisations, person-times",
        "figures.yaml:2: field 'value' is -3; expected a whole number of 0 or more",
        "figures.yaml:3: field 'measure' is 'nope', which is not in measures.yaml; expected one of added",
        "figures.yaml:3: field 'entry' is 'no-such-entry', which is not a timeline entry id; expected the slug of "
        "the entry whose source publishes this figure",
        "figures.yaml:4: field 'source' is 4, but entry 'court-list-goes-online' has 1 sources; expected the "
        "number of the one that publishes this figure",
        "figures.yaml:5: unknown field 'x'; allowed fields are: as_of, entry, measure, note, source, unit, value",
        "figures.yaml:5: missing required field 'source'; expected the number (1 = first) of the entry's source "
        "that publishes the figure",
    ]
    assert load_ledger(tmp_path / "missing", tmp_path, {}) == (Ledger({}, []), [])


def test_unknown_entry_in_figures_stops_check(tmp_path):
    import shutil
    shutil.copytree(FIXTURES / "site" / "timeline", tmp_path / "timeline")
    data = tmp_path / "timeline" / "data" / "figures.yaml"
    data.write_text(data.read_text().replace("entry: court-list-goes-online", "entry: court-list", 1))
    result = check(tmp_path, today=dt.date(2026, 11, 28))
    assert result.timeline is None
    assert [str(p) for p in result.problems] == [
        "timeline/data/figures.yaml:6: field 'entry' is 'court-list', which is not a timeline entry "
        "id; expected the slug of the entry whose source publishes this figure"]
