"""Stage 1: read timeline files into raw front matter + body, with line numbers.

Nothing here judges the content; it only turns bytes into data and reports what could not be read
(bad encoding, missing front matter, YAML syntax) as Problems, never as exceptions.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

MAX_FILE_BYTES = 256 * 1024
MAX_YAML_DEPTH = 20
ENTRY_NAME = re.compile(r"^(?P<date>\d{4}(?:-\d{2}(?:-\d{2})?)?)-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.md$")


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    message: str

    def __post_init__(self):
        # One problem, one line: control characters quoted from hostile input are shown escaped.
        clean = re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\x{ord(m.group()):02x}", self.message)
        object.__setattr__(self, "message", clean)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class RawEntry:
    """One timeline file as read: front matter data, where each key sits, and the body."""
    path: str                      # as shown in messages, relative to the repository
    data: dict | None = None       # front matter, or None when it could not be read
    lines: dict = field(default_factory=dict)  # field path tuple -> 1-based line
    body: str = ""
    body_line: int = 1             # 1-based line where the body starts
    problems: list[Problem] = field(default_factory=list)

    def line_of(self, *keys) -> int:
        """Line of the deepest known field along keys (falls back to its parents, then line 1)."""
        keys = tuple(keys)
        while keys:
            if keys in self.lines:
                return self.lines[keys]
            keys = keys[:-1]
        return 1


# libyaml's parser when PyYAML has it (about 8x faster: `make check` on 10,000 entries must stay quick).
_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Nesting written on one line ("[[[[", "{{{", "- - - -") is refused before parsing, so a hostile file
# cannot make the parser recurse deeply; block nesting is bounded by the file size and checked after.
_DEEP_FLOW = re.compile(r"(?:[\[{]\s*){%d,}|(?:-[ \t]+){%d,}" % (MAX_YAML_DEPTH, MAX_YAML_DEPTH))


class YAMLShapeError(yaml.MarkedYAMLError):
    """Valid YAML that entries may not use: aliases and deep nesting."""


def _without(tags):
    return {first: [(tag, rx) for tag, rx in resolvers if tag not in tags]
            for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


class _Loader(_BASE_LOADER):
    """Keeps dates as text (vocabulary files: numbers allowed for coordinates)."""


class _EntryLoader(_BASE_LOADER):
    """Front matter has no numbers: `date: 2019` and `published: 2019-10` stay the text typed."""


_Loader.yaml_implicit_resolvers = _without({"tag:yaml.org,2002:timestamp"})
_EntryLoader.yaml_implicit_resolvers = _without(
    {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"})


def parse_yaml(text: str, first_line: int = 1, numbers: bool = True):
    """Parse one YAML document; return (data, {path: line}). Raises yaml.YAMLError."""
    deep = _DEEP_FLOW.search(text)
    if deep:
        line = text.count("\n", 0, deep.start())
        raise YAMLShapeError(None, None, f"nesting deeper than {MAX_YAML_DEPTH} levels",
                             yaml.Mark("", deep.start(), line, 0, None, None))
    loader = (_Loader if numbers else _EntryLoader)(text)
    try:
        node = loader.get_single_node()
        lines: dict = {}
        # One walk checks the shape (before anything is expanded: an alias bomb never is), records
        # each field's line and builds the data.
        data = _walk(node, (), first_line, lines, set(), loader) if node is not None else None
    finally:
        loader.dispose()
    return data, lines


_PLAIN_TAGS = {"tag:yaml.org,2002:str"}


def _walk(node, path, first_line, lines, seen, loader):
    if id(node) in seen:
        raise YAMLShapeError(None, None, "YAML anchors and aliases (&name, *name) are not allowed in entries",
                             node.start_mark)
    if len(path) > MAX_YAML_DEPTH:
        raise YAMLShapeError(None, None, f"nesting deeper than {MAX_YAML_DEPTH} levels", node.start_mark)
    lines[path] = node.start_mark.line + first_line
    if isinstance(node, yaml.ScalarNode):
        return node.value if node.tag in _PLAIN_TAGS else loader.construct_object(node)
    seen.add(id(node))
    if node.tag not in ("tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"):
        return loader.construct_object(node)      # raises for tags entries may not use
    if isinstance(node, yaml.SequenceNode):
        return [_walk(item, path + (index,), first_line, lines, seen, loader)
                for index, item in enumerate(node.value)]
    data = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise YAMLShapeError(None, None, "field names must be plain text", key_node.start_mark)
        if len(path) >= MAX_YAML_DEPTH:
            raise YAMLShapeError(None, None, f"nesting deeper than {MAX_YAML_DEPTH} levels", key_node.start_mark)
        key = key_node.value if key_node.tag in _PLAIN_TAGS else loader.construct_object(key_node)
        if key in data:     # PyYAML would silently keep the last value
            raise YAMLShapeError(None, None, f"field {key!r} appears twice", key_node.start_mark)
        here = path + (key,)
        if isinstance(value_node, yaml.ScalarNode):          # most values: read here, without a call
            data[key] = value_node.value if value_node.tag in _PLAIN_TAGS else loader.construct_object(value_node)
        else:
            data[key] = _walk(value_node, here, first_line, lines, seen, loader)
        lines[here] = key_node.start_mark.line + first_line
    return data


def yaml_problem(path: str, error: yaml.YAMLError, first_line: int) -> Problem:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line = mark.line + first_line if mark else first_line
    what = " ".join(str(getattr(error, "problem", None) or error).split())
    what = re.sub(r' in "<unicode string>", position \d+', "", what)   # libyaml repeats the position
    if isinstance(error, YAMLShapeError):
        return Problem(path, line, f"front matter: {what}")
    if isinstance(error, yaml.constructor.ConstructorError):
        return Problem(path, line, f"front matter uses a YAML tag entries may not use ({what}); "
                                   "write plain values")
    context = getattr(error, "context", None)
    detail = f"{context}: {what}" if context else what
    return Problem(path, line, f"front matter is not valid YAML ({detail}); check indentation, "
                               "and quote values that contain ': ' or start with [ { * & ! % @ '")


def read_text(path: Path, shown: str) -> tuple[str | None, Problem | None]:
    """Read a file as UTF-8 text (BOM and CRLF accepted) or say why not."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, Problem(shown, 1, f"file is {size} bytes; entries must be at most "
                                           f"{MAX_FILE_BYTES} bytes")
        raw = path.read_bytes()
    except OSError as error:
        return None, Problem(shown, 1, f"cannot read file: {error.strerror}")
    if b"\x00" in raw:
        return None, Problem(shown, 1, "file is binary (contains NUL bytes); entries must be UTF-8 text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[:error.start].count(b"\n") + 1
        return None, Problem(shown, line, f"file is not valid UTF-8 (byte 0x{raw[error.start]:02x} at "
                                          f"offset {error.start}); save it as UTF-8")
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """Return (front matter, body, body's first line) or None when there is no front matter block."""
    if not text.startswith("---\n"):
        return None
    end = re.search(r"^---[ \t]*$", text[4:], re.M)
    if end is None:
        return None
    front = text[4:4 + end.start()]
    rest = text[4 + end.end():]
    body = rest[1:] if rest.startswith("\n") else rest
    body_line = front.count("\n") + 3
    return front, body, body_line


def load_entry(path: Path, shown: str) -> RawEntry:
    entry = RawEntry(path=shown)
    text, problem = read_text(path, shown)
    if problem:
        entry.problems.append(problem)
        return entry
    parts = split_front_matter(text)
    if parts is None:
        entry.problems.append(Problem(shown, 1, "no front matter: the file must start with a line '---', "
                                                "the YAML fields, and a closing line '---'"))
        return entry
    front, entry.body, entry.body_line = parts
    try:
        data, entry.lines = parse_yaml(front, first_line=2, numbers=False)
    except yaml.YAMLError as error:
        entry.problems.append(yaml_problem(shown, error, first_line=2))
        return entry
    except RecursionError:
        entry.problems.append(Problem(shown, 2, f"front matter nests too deeply (limit {MAX_YAML_DEPTH})"))
        return entry
    if not isinstance(data, dict):
        entry.problems.append(Problem(shown, 2, f"front matter must be a mapping of fields, "
                                                f"got {type(data).__name__}"))
        return entry
    entry.data = data
    return entry


def find_entry_files(timeline_dir: Path) -> list[Path]:
    """Everything inside timeline/YYYY/ folders (folders like _drafts/, intake/, vocab/ are not entries)."""
    found = []
    for year_dir in sorted(timeline_dir.iterdir()):
        if year_dir.is_dir() and re.fullmatch(r"\d{4}", year_dir.name):
            found.extend(sorted(year_dir.iterdir()))
    return found


def refuse_file(path: Path, timeline_dir: Path) -> str | None:
    """Why a file in a year folder cannot be an entry, or None when it can be read as one."""
    if path.is_symlink():
        target = path.resolve()
        if not target.is_relative_to(timeline_dir.resolve()):
            return "file is a symbolic link to a place outside timeline/; entries must be real files"
    if path.is_dir():
        return "folders inside a year folder are not read; put entries directly in timeline/YYYY/"
    if path.suffix != ".md":
        return f"file type {path.suffix or '(none)'!r} is not an entry; entries are Markdown files ending in .md"
    return None


def load_timeline(timeline_dir: Path, root: Path, files: list[Path] | None = None) -> list[RawEntry]:
    """Load the given files of the timeline (default: all of them)."""
    entries = []
    for path in find_entry_files(timeline_dir) if files is None else files:
        shown = display_path(path, root)
        reason = refuse_file(path, timeline_dir)
        if reason:
            entries.append(RawEntry(path=shown, problems=[Problem(shown, 1, reason)]))
        else:
            entries.append(load_entry(path, shown))
    return entries


def display_path(path: Path, root: Path) -> str:
    try:
        return os.path.relpath(path, root)
    except ValueError:
        return str(path)


def load_vocab_file(path: Path, shown: str, noun: str = "terms") -> tuple[list, dict, list[Problem]]:
    text, problem = read_text(path, shown)
    if problem:
        return [], {}, [problem]
    try:
        data, lines = parse_yaml(text, first_line=1)
    except yaml.YAMLError as error:
        return [], {}, [yaml_problem(shown, error, first_line=1)]
    if not isinstance(data, list):
        return [], {}, [Problem(shown, 1, f"file must be a YAML list of {noun}")]
    return data, lines, []


def read_list_file(path: Path, root: Path, noun: str) -> tuple[str, list, dict, list[Problem]]:
    """(shown path, items, line map, problems) of a YAML file that holds a list of `noun`s; a missing
    file is one problem. The one reader of vocabularies, data and intake lists, so all report path:line
    alike and name what the file should hold."""
    shown = display_path(path, root)
    if not path.is_file():
        return shown, [], {}, [Problem(shown, 1, f"file is missing; expected a YAML list of {noun}")]
    data, lines, problems = load_vocab_file(path, shown, noun)
    return shown, data, lines, problems


def read_data_list(folder: Path, name: str, root: Path, noun: str) -> tuple[str, list, dict, list[Problem]]:
    """read_list_file() of folder/<name>.yaml."""
    return read_list_file(folder / f"{name}.yaml", root, noun)
