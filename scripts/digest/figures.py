"""The statistics ledger: timeline/data/measures.yaml says what each measure counts,
timeline/data/figures.yaml holds every published figure with its measure, unit, as-of date and source.

Shapes are declared once, in timeline/data/figures.schema.json. Each figure names the timeline entry and
the number of that entry's source that publishes it, so every number on a chart or in /data/figures.csv
traces to an entry page and from there to the original. Problems are reported as path:line: message,
every one in one run; an unknown measure, entry or source stops the build.
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

import jsonschema

from .load import Problem, read_data_list

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "timeline" / "data" / "figures.schema.json"
KIND_LABELS = {"cumulative-additions": "cumulative additions", "currently-listed": "currently listed",
               "removed": "removed or complied (cumulative)", "person-times": "person-times (人次), cumulative",
               "added-in-year": "added during the year", "removed-in-year": "removed during the year"}


@dataclass(frozen=True)
class Measure:
    id: str
    name: str
    kind: str                # see KIND_LABELS
    definition: str


@dataclass(frozen=True)
class Figure:
    measure: str
    as_of: str               # the day (or month) the figure refers to
    value: int
    unit: str                # people | people and organisations | person-times
    entry: str               # id of the entry whose source publishes the figure
    source: int              # 1-based number of that source in the entry
    note: str                # the source's own wording


@dataclass
class Ledger:
    measures: dict           # id -> Measure, in file order
    figures: list            # Figure rows, by measure then date

    def series(self, measure: str) -> dict:
        """{unit: [Figure, ...] oldest first} for one measure: a chart never mixes units in a series."""
        found = {}
        for figure in self.figures:
            if figure.measure == measure:
                found.setdefault(figure.unit, []).append(figure)
        return found


@functools.lru_cache(maxsize=1)
def _validators() -> dict:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return {name: jsonschema.Draft202012Validator({**schema, "$ref": f"#/$defs/{name}"})
            for name in ("measure", "figure")}


def load_ledger(data_dir: Path, root: Path, entry_sources: dict) -> tuple[Ledger, list]:
    """The ledger and its problems. entry_sources: {entry id: number of sources}. No files: an empty ledger."""
    from .validate import schema_message  # one wording for every schema-checked file
    measures, figures, problems = {}, [], []
    validators = _validators()

    def schema_problems(kind: str, item, shown: str, lines: dict, index: int) -> list:
        errors = sorted(validators[kind].iter_errors(item), key=lambda e: [str(p) for p in e.absolute_path])
        found = []
        for error in errors:
            path, message = schema_message(error)
            found.append(Problem(shown, lines.get((index, *path[:1]), lines.get((index,), 1)), message))
        return found

    shown, data, lines, read_problems = read_data_list(data_dir, "measures", root, "measures") \
        if (data_dir / "measures.yaml").exists() else ("", [], {}, [])
    problems.extend(read_problems)
    for index, item in enumerate(data):
        errors = schema_problems("measure", item, shown, lines, index)
        problems.extend(errors)
        if not errors:
            if item["id"] in measures:
                problems.append(Problem(shown, lines.get((index,), 1), f"duplicate measure id '{item['id']}'"))
            measures[item["id"]] = Measure(**item)
    shown, data, lines, read_problems = read_data_list(data_dir, "figures", root, "figures") \
        if (data_dir / "figures.yaml").exists() else ("", [], {}, [])
    problems.extend(read_problems)
    for index, item in enumerate(data):
        errors = schema_problems("figure", item, shown, lines, index)
        problems.extend(errors)
        if errors:
            continue
        line = lines.get((index,), 1)
        found = _cross_check(item, measures, entry_sources)
        problems.extend(Problem(shown, lines.get((index, field), line), message) for field, message in found)
        if not found:
            figures.append(Figure(**item))
    order = {measure: rank for rank, measure in enumerate(measures)}
    figures.sort(key=lambda f: (order.get(f.measure, 0), f.as_of, f.value))
    return Ledger(measures, figures), problems


def _cross_check(item: dict, measures: dict, entry_sources: dict) -> list:
    found = []
    if item["measure"] not in measures:
        found.append(("measure", f"field 'measure' is {item['measure']!r}, which is not in measures.yaml; "
                                 f"expected one of {', '.join(measures) or 'the measures defined there'}"))
    if item["entry"] not in entry_sources:
        found.append(("entry", f"field 'entry' is {item['entry']!r}, which is not a timeline entry id; expected "
                               "the slug of the entry whose source publishes this figure"))
    elif item["source"] > entry_sources[item["entry"]]:
        found.append(("source", f"field 'source' is {item['source']}, but entry '{item['entry']}' has "
                                f"{entry_sources[item['entry']]} sources; expected the number of the one "
                                "that publishes this figure"))
    return found
