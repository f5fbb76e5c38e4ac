"""Controlled vocabularies kept as data in timeline/vocab/*.yaml: the hub vocabularies (topics, places,
entities) and the source vocabularies (publisher kinds, publishers, blocked hosts)."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from .load import Problem, read_data_list

KINDS = ("topics", "places", "entities")
REQUIRED = ("id", "name", "name_zh", "pinyin", "description")
OPTIONAL = ("aliases", "kind", "lat", "lon")


@dataclass(frozen=True)
class Term:
    id: str
    name: str
    name_zh: str
    pinyin: str
    description: str
    aliases: tuple = ()
    kind: str = ""
    lat: float | None = None
    lon: float | None = None


@dataclass
class Vocabulary:
    terms: dict = field(default_factory=lambda: {kind: {} for kind in KINDS})
    sources: Sources = field(default_factory=lambda: Sources())

    def knows(self, kind: str, term_id: str) -> bool:
        return term_id in self.terms[kind]

    def get(self, kind: str, term_id: str) -> Term:
        return self.terms[kind][term_id]

    def suggest(self, kind: str, term_id: str) -> str | None:
        """Closest known id, matching ids and also names and aliases (so 'spc' finds the court)."""
        if not isinstance(term_id, str):
            return None
        lookup = {}
        for term in self.terms[kind].values():
            for label in (term.id, term.name, *term.aliases):
                lookup.setdefault(str(label).lower(), term.id)
        match = difflib.get_close_matches(term_id.lower(), list(lookup), n=1, cutoff=0.6)
        return lookup[match[0]] if match else None


def load_vocabulary(vocab_dir: Path, root: Path) -> tuple[Vocabulary, list[Problem]]:
    vocab, problems = Vocabulary(), []
    for kind in KINDS:
        shown, data, lines, read_problems = read_data_list(vocab_dir, kind, root, kind)
        problems.extend(read_problems)
        for index, item in enumerate(data):
            line = lines.get((index,), 1)
            term, term_problems = _parse_term(item, kind)
            problems.extend(Problem(shown, line, message) for message in term_problems)
            if term is None:
                continue
            if term.id in vocab.terms[kind]:
                problems.append(Problem(shown, line, f"duplicate {kind} id '{term.id}'"))
            vocab.terms[kind][term.id] = term
    vocab.sources, source_problems = load_sources_vocab(vocab_dir, root)
    return vocab, problems + source_problems


def _parse_term(item, kind: str) -> tuple[Term | None, list[str]]:
    if not isinstance(item, dict):
        return None, [f"each {kind} term must be a mapping with {', '.join(REQUIRED)}"]
    errors = [f"term {item.get('id', '?')!r}: missing field '{name}'" for name in REQUIRED
              if not isinstance(item.get(name), str) or not item.get(name)]
    errors += [f"term {item.get('id', '?')!r}: unknown field '{name}'" for name in item
               if name not in REQUIRED + OPTIONAL]
    if kind == "places" and not all(isinstance(item.get(k), (int, float)) for k in ("lat", "lon")):
        errors.append(f"term {item.get('id', '?')!r}: places need numeric lat and lon")
    if errors:
        return None, errors
    aliases = item.get("aliases") or []
    return Term(id=item["id"], name=item["name"], name_zh=item["name_zh"], pinyin=item["pinyin"],
                description=item["description"], aliases=tuple(str(a) for a in aliases),
                kind=item.get("kind", ""), lat=item.get("lat"), lon=item.get("lon")), []


# ---------------------------------------------------------------- publishers and hosts
#
# Sources name their publisher by id (timeline/vocab/publishers.yaml). A publisher's kind
# (timeline/vocab/publisher-kinds.yaml) says whether it can issue primary documents, and its domains
# say which addresses are its own: a source's `url` must be on one of them, a copy read elsewhere
# goes in `via`. timeline/vocab/blocked-hosts.yaml lists hosts that may never be cited and hosts
# (mirrors, archives) that may only appear as the copy read.

PUBLISHER_REQUIRED = ("id", "name", "kind", "domains", "language")
PUBLISHER_OPTIONAL = ("name_zh", "aliases")
HOST_RULES = {"blocked": "may not be cited at all", "copy-only": "may only be given as the copy read (`via`)"}
HOST_NAME = re.compile(r"(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+")


@dataclass(frozen=True)
class PublisherKind:
    id: str
    name: str
    primary: bool           # whether its documents about its own acts can be primary sources
    description: str


@dataclass(frozen=True)
class Publisher:
    id: str
    name: str
    kind: str
    domains: tuple
    language: str
    name_zh: str = ""
    aliases: tuple = ()

    def owns(self, host: str) -> bool:
        return any(host == domain or host.endswith("." + domain) for domain in self.domains)


@dataclass(frozen=True)
class HostRule:
    host: str
    rule: str               # blocked | copy-only
    reason: str


@dataclass
class Sources:
    """What the source checks and the citation renderers look up."""
    kinds: dict = field(default_factory=dict)        # kind id -> PublisherKind
    publishers: dict = field(default_factory=dict)   # id -> Publisher
    aliases: dict = field(default_factory=dict)      # lower-case id, name or alias -> id
    hosts: dict = field(default_factory=dict)        # host -> HostRule

    def publisher(self, name: str) -> Publisher | None:
        """The publisher an entry names by id, or by a name or alias."""
        if not isinstance(name, str):
            return None
        found = self.publishers.get(name) or self.publishers.get(self.aliases.get(name.lower(), ""))
        return found

    def suggest(self, name: str) -> str | None:
        if not isinstance(name, str):
            return None
        match = difflib.get_close_matches(name.lower(), list(self.aliases), n=1, cutoff=0.6)
        return self.aliases[match[0]] if match else None

    def host_rule(self, host: str) -> HostRule | None:
        """The rule for a host or for the nearest parent domain that has one."""
        labels = host.split(".")
        for start in range(len(labels) - 1):
            rule = self.hosts.get(".".join(labels[start:]))
            if rule:
                return rule
        return None

    def owner_of(self, host: str) -> Publisher | None:
        """The publisher whose domain is the longest match for host (news.court.gov.cn -> the court)."""
        owners = [(max(len(d) for d in p.domains if host == d or host.endswith("." + d)), p.id)
                  for p in self.publishers.values() if p.owns(host)]
        return self.publishers[max(owners)[1]] if owners else None

    def can_be_primary(self, publisher: Publisher) -> bool:
        kind = self.kinds.get(publisher.kind)
        return bool(kind and kind.primary)


def host_problem(host: str) -> str | None:
    """Why a URL's host is malformed, or None."""
    if host.endswith("."):
        return "ends in a dot"
    if host != host.lower():
        return "has capital letters"
    if not HOST_NAME.fullmatch(host):
        return "is not a domain name of dot-separated labels"
    return None


def load_sources_vocab(vocab_dir: Path, root: Path) -> tuple[Sources, list[Problem]]:
    sources, problems = Sources(), []
    for name, noun, parse in (("publisher-kinds", "publisher kinds", _parse_kind),
                              ("publishers", "publishers", _parse_publisher),
                              ("blocked-hosts", "host rules", _parse_host)):
        shown, data, lines, read_problems = read_data_list(vocab_dir, name, root, noun)
        problems.extend(read_problems)
        for index, item in enumerate(data):
            line = lines.get((index,), 1)
            problems.extend(Problem(shown, line, message) for message in parse(item, sources))
    return sources, problems


def _fields(item, noun: str, required: tuple, optional: tuple) -> list:
    if not isinstance(item, dict):
        return [f"each {noun} must be a mapping with {', '.join(required)}"]
    label = item.get("id", item.get("host", "?"))
    errors = [f"{noun} {label!r}: missing field '{name}'" for name in required if item.get(name) in (None, "")]
    errors += [f"{noun} {label!r}: unknown field '{name}'; allowed fields are: {', '.join(required + optional)}"
               for name in item if name not in required + optional]
    return errors


def _parse_kind(item, sources: Sources) -> list:
    errors = _fields(item, "publisher kind", ("id", "name", "primary", "description"), ())
    if not errors and not isinstance(item["primary"], bool):
        errors.append(f"publisher kind {item['id']!r}: field 'primary' is {item['primary']!r}; expected true or false")
    if errors:
        return errors
    if item["id"] in sources.kinds:
        return [f"duplicate publisher kind '{item['id']}'"]
    sources.kinds[item["id"]] = PublisherKind(item["id"], item["name"], item["primary"], item["description"])
    return []


def _parse_publisher(item, sources: Sources) -> list:
    errors = _fields(item, "publisher", PUBLISHER_REQUIRED, PUBLISHER_OPTIONAL)
    if not isinstance(item, dict) or any("missing field" in error for error in errors):
        return errors
    label = item["id"]
    if not isinstance(label, str) or not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", label):
        return errors + [f"publisher id {label!r}; expected a lowercase id such as supreme-peoples-court"]
    if item["kind"] not in sources.kinds:
        errors.append(f"publisher {label!r}: kind {item['kind']!r} is unknown; expected one of "
                      f"{', '.join(sources.kinds)}")
    domains = item["domains"] if isinstance(item["domains"], list) else None
    if domains is None:
        errors.append(f"publisher {label!r}: field 'domains' must be a list of host names, e.g. [court.gov.cn]")
    for domain in domains or ():
        why = host_problem(domain) if isinstance(domain, str) else "is not text"
        if why:
            errors.append(f"publisher {label!r}: domain {domain!r} {why}; expected a host name such as court.gov.cn")
    aliases = item.get("aliases") or []
    if not isinstance(aliases, list):
        errors.append(f"publisher {label!r}: field 'aliases' must be a list")
        aliases = []
    if label in sources.publishers:
        errors.append(f"duplicate publisher id '{label}'")
    for domain in domains or ():
        owner = next((p.id for p in sources.publishers.values() if domain in p.domains), None)
        if owner:
            errors.append(f"publisher {label!r}: domain {domain!r} already belongs to publisher '{owner}'; "
                          "expected each domain under one publisher (use aliases for other names)")
    if errors:
        return errors
    publisher = Publisher(id=label, name=str(item["name"]), kind=item["kind"], domains=tuple(domains),
                          language=str(item["language"]), name_zh=str(item.get("name_zh") or ""),
                          aliases=tuple(str(alias) for alias in aliases))
    sources.publishers[label] = publisher
    for name in (label, publisher.name, *publisher.aliases):
        sources.aliases.setdefault(name.lower(), label)
    return []


def _parse_host(item, sources: Sources) -> list:
    errors = _fields(item, "host", ("host", "rule", "reason"), ())
    if errors:
        return errors
    host = item["host"]
    why = host_problem(host) if isinstance(host, str) else "is not text"
    if why:
        errors.append(f"host {host!r} {why}; expected a host name such as example.com")
    if item["rule"] not in HOST_RULES:
        errors.append(f"host {host!r}: rule {item['rule']!r} is unknown; expected one of {', '.join(HOST_RULES)}")
    if not errors and host in sources.hosts:
        errors.append(f"duplicate host '{host}'")
    if errors:
        return errors
    sources.hosts[host] = HostRule(host, item["rule"], str(item["reason"]))
    return []
