from pathlib import Path

from digest.load import load_entry, parse_yaml, split_front_matter


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_dates_and_numbers_stay_text(tmp_path):
    path = write(tmp_path, "2019-10-02-x.md", b"---\ndate: 2019-10-02\npublished: 2019\n---\nBody\n")
    entry = load_entry(path, "x.md")
    assert entry.data == {"date": "2019-10-02", "published": "2019"}
    assert entry.problems == []


def test_line_numbers_of_nested_fields():
    data, lines = parse_yaml("title: T\nsources:\n  - url: a\n    title: b\n  - url: c\n", first_line=2)
    assert lines[("title",)] == 2
    assert lines[("sources", 0, "url")] == 4
    assert lines[("sources", 1, "url")] == 6


def test_bom_and_crlf_are_accepted(tmp_path):
    path = write(tmp_path, "a.md", "\ufeff---\r\ntitle: Café\r\n---\r\nBody\r\n".encode("utf-8"))
    entry = load_entry(path, "a.md")
    assert entry.data == {"title": "Café"}
    assert entry.body == "Body\n"
    assert entry.body_line == 4


def test_body_line_counts_front_matter():
    front, body, body_line = split_front_matter("---\na: 1\nb: 2\n---\nfirst\n")
    assert (front, body, body_line) == ("a: 1\nb: 2\n", "first\n", 5)


def test_alias_is_refused_with_a_line(tmp_path):
    path = write(tmp_path, "a.md", b"---\na: &x [1, 2]\nb: *x\n---\nBody\n")
    [problem] = load_entry(path, "a.md").problems
    assert problem.line == 2 and "anchors and aliases" in problem.message   # the anchor's line


def test_deep_nesting_is_refused(tmp_path):
    path = write(tmp_path, "a.md", b"---\na: " + b"[" * 200 + b"]" * 200 + b"\n---\nBody\n")
    [problem] = load_entry(path, "a.md").problems
    assert "nesting deeper" in problem.message


def test_binary_and_oversized_files(tmp_path):
    binary = load_entry(write(tmp_path, "b.md", b"---\x00\x01"), "b.md").problems[0]
    assert "binary" in binary.message
    big = load_entry(write(tmp_path, "c.md", b"x" * 300_000), "c.md").problems[0]
    assert "at most 262144 bytes" in big.message
