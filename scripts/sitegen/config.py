"""What the site stage reads from mkdocs.yml: the one configuration all three generators share."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

SOURCE_DOCS = "docs"          # the pages people write; docs_dir in mkdocs.yml is where they are staged


class _Loader(yaml.SafeLoader):
    """mkdocs.yml with its tags: !ENV [NAME, default] is resolved, any other tag read as plain data."""


def _env(loader, node):
    names = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else [loader.construct_scalar(node)]
    *variables, default = names if len(names) > 1 else (*names, None)
    return next((os.environ[name] for name in variables if name in os.environ), default)


def _other(loader, suffix, node):
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_scalar(node)


_Loader.add_constructor("!ENV", _env)
_Loader.add_multi_constructor("!", _other)
_Loader.add_multi_constructor("tag:", _other)


@dataclass(frozen=True)
class SiteConfig:
    file: Path                  # mkdocs.yml
    source_docs: Path           # docs/: written by people
    docs_dir: Path              # where the generator reads pages: the staged copy (generated)
    site_dir: Path              # where the generator writes (an intermediate: build.py finishes it)
    site_url: str               # ends with '/'
    site_name: str
    site_description: str
    nav_pages: frozenset        # .md paths in the navigation
    nav_titles: dict            # .md path -> its title in the navigation
    markdown_extensions: tuple  # names, in order

    @property
    def root(self) -> Path:
        return self.file.parent


def read_config(file: Path) -> SiteConfig:
    file = Path(file).resolve()
    data = yaml.load(file.read_text(encoding="utf-8"), Loader=_Loader) or {}
    root = file.parent
    url = data.get("site_url") or "http://127.0.0.1:8000/"
    titles = dict(_nav_pages(data.get("nav") or []))
    extensions = tuple(next(iter(item)) if isinstance(item, dict) else item
                       for item in data.get("markdown_extensions") or [])
    return SiteConfig(file=file, source_docs=root / SOURCE_DOCS, docs_dir=root / data.get("docs_dir", "docs"),
                      site_dir=root / data.get("site_dir", "site"), site_url=url if url.endswith("/") else url + "/",
                      site_name=data.get("site_name", ""), site_description=(data.get("site_description") or "").strip(),
                      nav_pages=frozenset(titles), nav_titles=titles, markdown_extensions=extensions)


def _nav_pages(items, title=None):
    for item in items:
        if isinstance(item, str):
            yield item, title
        elif isinstance(item, dict):
            for name, value in item.items():
                if isinstance(value, str):
                    if value.endswith(".md"):
                        yield value, name
                else:
                    yield from _nav_pages(value, name)
