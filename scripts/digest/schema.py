"""The entry format, declared once as a JSON Schema (timeline/entry.schema.json): where it is, and
the facts other modules read from it (the status list)."""
from __future__ import annotations

import json
from pathlib import Path

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "timeline" / "entry.schema.json"


def load_schema(path: Path = SCHEMA_PATH) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


STATUSES = tuple(load_schema()["properties"]["status"]["enum"])
