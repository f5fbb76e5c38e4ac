"""`make build` is atomic: a failed build leaves the previous site/ as it was."""
import sys

from conftest import ROOT, make_site_source

sys.path.insert(0, str(ROOT / "scripts"))
import build_site  # noqa: E402


def test_failed_build_leaves_previous_site(tmp_path, monkeypatch):
    monkeypatch.setenv("DIGEST_SKIP_SEARCH", "1")
    source = make_site_source(tmp_path / "src")
    site = tmp_path / "site"
    assert build_site.build(site, config=source / "mkdocs.yml") == 0
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert (site / "timeline" / "2019" / "sensetime-listed" / "index.html").is_file()

    entry = source / "timeline" / "2019" / "2019-10-sensetime-listed.md"
    entry.write_text(entry.read_text().replace("status: reported", "status: rumoured"))
    assert build_site.build(site, config=source / "mkdocs.yml") != 0
    after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert not list(tmp_path.glob(".site-*"))            # no half-written build left behind


def test_successful_build_replaces_site(tmp_path, monkeypatch):
    monkeypatch.setenv("DIGEST_SKIP_SEARCH", "1")
    source = make_site_source(tmp_path / "src")
    site = tmp_path / "site"
    site.mkdir()
    (site / "stale.html").write_text("old")
    assert build_site.build(site, config=source / "mkdocs.yml") == 0
    assert not (site / "stale.html").exists() and (site / "index.html").is_file()
