"""Hostile and malformed entries: each gets its exact `path:line: message`, none a traceback or a hang."""
import datetime as dt
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from digest.load import load_entry, parse_yaml
from digest.pipeline import check, format_problems
from digest.validate import validate
from digest.vocab import load_vocabulary

HOSTILE = FIXTURES / "hostile"
TODAY = dt.date(2026, 11, 28)


def test_hostile_corpus_reports_exactly_the_expected_problems():
    """tests/fixtures/hostile/expected.txt lists every problem of the 40 hostile files, reviewed by hand."""
    expected = (HOSTILE / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert format_problems(check(HOSTILE, today=TODAY).problems).splitlines() == expected


def test_corpus_is_large_enough():
    files = [p for p in (HOSTILE / "timeline").glob("[0-9]*/*") if p.is_file()]
    assert len(files) >= 30


def test_symlink_leaving_the_repository(tmp_path):
    root = tmp_path / "repo"
    (root / "timeline" / "2020").mkdir(parents=True)
    os.symlink("/etc/hostname", root / "timeline" / "2020" / "2020-01-01-escape.md")
    [problem] = [p for p in check(root, today=TODAY).problems if "escape" in p.path]
    assert problem.message == "file is a symbolic link to a place outside timeline/; entries must be real files"


def test_oversized_file(tmp_path):
    path = tmp_path / "2020-01-01-big.md"
    path.write_bytes(b"---\ntitle: x\n---\n" + b"word " * 60_000)
    [problem] = load_entry(path, "big.md").problems
    assert problem.message == "file is 300017 bytes; entries must be at most 262144 bytes"


# ---------------------------------------------------------------- property-based

VOCAB, _ = load_vocabulary(HOSTILE / "timeline" / "vocab", HOSTILE)
FAST = settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


def run_everything(tmp_path, data: bytes):
    path = tmp_path / "2020-01-01-fuzz.md"
    path.write_bytes(data)
    entry = load_entry(path, "timeline/2020/2020-01-01-fuzz.md")
    return validate([entry], VOCAB, today=TODAY)


@FAST
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_only_ever_produce_problems(tmp_path_factory, data):
    problems = run_everything(tmp_path_factory.mktemp("b"), b"---\n" + data)
    assert all(p.line >= 1 and "\n" not in p.message for p in problems)


yaml_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                         st.text(max_size=40), st.dates().map(str))
yaml_values = st.recursive(yaml_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)), max_leaves=20)
FIELDS = ["title", "summary", "date", "added", "updated", "topics", "places", "entities", "status",
          "sources", "corrections", "other"]


@FAST
@given(st.dictionaries(st.sampled_from(FIELDS), yaml_values, max_size=12), st.text(max_size=200))
def test_arbitrary_front_matter_only_ever_produces_problems(tmp_path_factory, fields, body):
    import yaml
    front = yaml.safe_dump(fields, allow_unicode=True)
    problems = run_everything(tmp_path_factory.mktemp("y"), f"---\n{front}---\n{body}".encode("utf-8", "surrogatepass"))
    assert all(p.line >= 1 and "\n" not in p.message for p in problems)


@FAST
@given(st.text(max_size=300))
def test_parse_yaml_raises_only_yaml_errors(text):
    import yaml
    try:
        parse_yaml(text, numbers=False)
    except yaml.YAMLError:
        pass
