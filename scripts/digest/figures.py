"""Published figures charted on explainer pages, kept as data in timeline/data/<metric>.yaml.

Each row cites the timeline entry whose sources publish the figure, so every number on a chart can be
traced to an entry page and from there to its sources. Rows are checked like entries: every problem
is reported as path:line: message, and an unknown entry id stops the build.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .load import Problem, display_path, load_vocab_file

METRICS = {"debtor-list-size": "Published size of the list of dishonest judgment debtors"}
UNITS = ("people", "entries")
FIELDS = ("date", "value", "unit", "entry", "note")
DATE = re.compile(r"\d{4}-\d{2}(-\d{2})?")


@dataclass(frozen=True)
class Figure:
    date: str        # the day (or month) the figure refers to
    value: int
    unit: str        # the SPC counts people in some statements and list entries in others
    entry: str       # id of the entry whose sources publish the figure
    note: str


def load_figures(data_dir: Path, root: Path, entry_ids: set) -> tuple[dict, list]:
    """{metric: [Figure, ...] oldest first} and the problems found; a missing file means no figures."""
    figures, problems = {}, []
    for metric in METRICS:
        path = data_dir / f"{metric}.yaml"
        if path.exists():
            rows, found = _load_rows(path, display_path(path, root), entry_ids)
            figures[metric] = sorted(rows, key=lambda f: (f.date, f.value))
            problems.extend(found)
    return figures, problems


def _load_rows(path: Path, shown: str, entry_ids: set) -> tuple[list, list]:
    data, lines, problems = load_vocab_file(path, shown)
    rows = []
    for index, item in enumerate(data):
        errors = _row_errors(item, entry_ids)
        problems.extend(Problem(shown, lines.get((index,), 1), message) for message in errors)
        if not errors:
            rows.append(Figure(**{name: item[name] for name in FIELDS}))
    return rows, problems


def _row_errors(item, entry_ids: set) -> list:
    if not isinstance(item, dict):
        return [f"each row must be a mapping with {', '.join(FIELDS)}"]
    errors = [f"unknown field '{name}'; expected {', '.join(FIELDS)}" for name in item if name not in FIELDS]
    errors += [f"missing field '{name}'" for name in FIELDS if name not in item]
    if errors:
        return errors
    if not (isinstance(item["date"], str) and DATE.fullmatch(item["date"])):
        errors.append(f"field 'date' is {item['date']!r}; expected YYYY-MM-DD or YYYY-MM")
    if not isinstance(item["value"], int) or isinstance(item["value"], bool) or item["value"] < 0:
        errors.append(f"field 'value' is {item['value']!r}; expected a whole number of 0 or more")
    if item["unit"] not in UNITS:
        errors.append(f"field 'unit' is {item['unit']!r}; expected one of {', '.join(UNITS)}")
    if item["entry"] not in entry_ids:
        errors.append(f"field 'entry' is {item['entry']!r}, which is not a timeline entry id; expected "
                      "the slug of the entry whose sources publish this figure")
    if not isinstance(item["note"], str) or not item["note"].strip():
        errors.append("field 'note' is empty; expected who published the figure and when")
    return errors
