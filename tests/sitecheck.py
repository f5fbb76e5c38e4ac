"""Checks on a built site shared by the fixture and the real-content tests: HTML validity (Nu HTML
Checker), feeds (RSS Best Practices Profile, JSON Feed 1.1 schema) and internal links and anchors."""
from __future__ import annotations

import email.utils
import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import jsonschema

ROOT = Path(__file__).resolve().parents[1]
VNU_JAR = ROOT / "scripts" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
JSON_FEED_SCHEMA = json.loads((ROOT / "tests" / "schemas" / "jsonfeed-1.1.schema.json").read_text())
ATOM = "{http://www.w3.org/2005/Atom}"


def vnu_errors(site: Path) -> list[str]:
    assert shutil.which("java") and VNU_JAR.is_file(), "run `make test` to install Java and vnu.jar"
    out = subprocess.run(["java", "-jar", str(VNU_JAR), "--errors-only", "--skip-non-html", "--format", "gnu",
                          str(site)], capture_output=True, text=True)
    return [line for line in (out.stdout + out.stderr).splitlines() if line.strip()]


def rss_problems(path: Path, site_url: str, site: Path) -> list[str]:
    """RSS Best Practices Profile: guid on every item, RFC 822 dates, atom:link rel=self to itself."""
    problems = []
    parsed = feedparser.parse(path.read_bytes())
    if parsed.bozo:
        problems.append(f"{path}: not well-formed: {parsed.bozo_exception}")
    channel = ET.parse(path).getroot().find("channel")
    self_links = [link for link in channel.findall(f"{ATOM}link") if link.get("rel") == "self"]
    expected = site_url + str(path.relative_to(site))
    if [link.get("href") for link in self_links] != [expected]:
        problems.append(f"{path}: atom:link rel=self is not {expected}")
    items = channel.findall("item")
    # lastBuildDate comes from the data: required once there is an item to date it by.
    dates = ([channel.findtext("lastBuildDate")] if items else []) + [item.findtext("pubDate") for item in items]
    for text in dates:
        if text is None or email.utils.parsedate_to_datetime(text) is None or not text.endswith("GMT"):
            problems.append(f"{path}: date {text!r} is not RFC 822")
    for item in channel.findall("item"):
        if not item.findtext("guid") or not item.findtext("title") or not item.findtext("link"):
            problems.append(f"{path}: item without guid, title or link")
    return problems


def json_feed_problems(path: Path) -> list[str]:
    validator = jsonschema.Draft202012Validator(JSON_FEED_SCHEMA)
    return [f"{path}: {error.message}" for error in validator.iter_errors(json.loads(path.read_bytes()))]


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        for name in ("href", "src"):
            if attrs.get(name) and not (tag == "link" and attrs.get("rel") in ("canonical",)):
                self.links.append(attrs[name])


def _parse(path: Path, cache: dict) -> _Links:
    if path not in cache:
        parser = _Links()
        parser.feed(path.read_text(encoding="utf-8"))
        cache[path] = parser
    return cache[path]


def broken_links(site: Path) -> list[str]:
    """Every relative href/src in every page points to a file that exists, and every #anchor to an id."""
    cache, broken = {}, []
    for page in sorted(site.rglob("*.html")):
        if page.name == "404.html":
            continue               # served at any depth; its links are absolute to the site root
        for link in _parse(page, cache).links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "data:")):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(site)}: {link} (no such file)")
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in _parse(target, cache).ids:
                broken.append(f"{page.relative_to(site)}: {link} (no such anchor)")
    return broken
