"""Stage 4f: what a page says about itself to link previews and search engines.

Open Graph and Twitter-card tags, schema.org JSON-LD (NewsArticle for entries, ClaimReview for disputed
and debunked ones, CollectionPage for hubs, Dataset for the data page, WebSite with a SearchAction for
the home page), the sitemap with content dates, and robots.txt. Everything is derived from the model,
never from the clock, so two builds of one commit are byte-identical. Generator-neutral: the adapter puts
head_html() into each page's <head>.
"""
from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from xml.sax.saxutils import escape as xml_escape

from markdown.extensions.toc import slugify as toc_slugify

from .figures import KIND_LABELS as MEASURE_KINDS
from .model import STATUS_LABELS, Entry, Timeline
from .paths import entry_page, hub_page, page_url, year_page
from .vocab import KINDS

SITE_IMAGE = "assets/social-card.png"        # 1200 x 630, drawn by scripts/make_social_card.py
SITE_IMAGE_SIZE = (1200, 630)
SITE_IMAGE_ALT = "Social Credit Digest: a sourced timeline of China's social credit system"
LOCALE = "en_GB"
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
SCHEMA_TYPES = {"topics": "Thing", "places": "Place", "entities": "Organization"}
DATA_FILES = (("data/entries.json", "application/json", "Every entry with every field"),
              ("data/entries.csv", "text/csv", "One row per entry"),
              ("data/entries.schema.json", "application/schema+json", "JSON Schema of entries.json"),
              ("data/figures.csv", "text/csv", "The statistics ledger: every published figure with its definition"),
              ("data/figures.json", "application/json", "The statistics ledger with its measures"))


@dataclass(frozen=True)
class Site:
    url: str            # absolute, ends with '/'
    title: str
    description: str = ""

    def absolute(self, page: str) -> str:
        """Site-relative .md path -> canonical absolute URL."""
        return self.url + page_url(page)


@dataclass(frozen=True)
class PageMeta:
    title: str
    description: str
    url: str                                   # canonical, absolute
    type: str = "website"                      # og:type: article for entries
    published: str = ""                        # YYYY-MM-DD
    modified: str = ""
    section: str = ""
    tags: tuple = ()
    jsonld: tuple = field(default=())          # schema.org objects, each its own script block


def _organisation(site: Site) -> dict:
    return {"@type": "Organization", "name": site.title, "url": site.url}


def _term(kind: str, term_id: str, timeline: Timeline, site: Site) -> dict:
    term = timeline.vocab.get(kind, term_id)
    return {"@type": SCHEMA_TYPES[kind], "name": term.name, "alternateName": term.name_zh,
            "url": site.absolute(hub_page(kind, term_id))}


def _citation(source, timeline: Timeline) -> dict:
    publisher = timeline.vocab.sources.publishers[source.publisher]
    work = {"@type": "CreativeWork", "name": source.title, "inLanguage": source.language,
            "datePublished": source.date,
            "publisher": {"@type": "Organization", "name": publisher.name,
                          **({"alternateName": publisher.name_zh} if publisher.name_zh else {})}}
    if source.title_en:
        work["alternativeHeadline"] = source.title_en
    if source.link:
        work["url"] = source.link
    return work


def entry_meta(entry: Entry, timeline: Timeline, site: Site) -> PageMeta:
    url = site.absolute(entry_page(entry))
    image = site.url + SITE_IMAGE
    article = {
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": entry.title,
        "description": entry.summary, "url": url, "mainEntityOfPage": url,
        "datePublished": entry.added, "dateModified": entry.modified, "inLanguage": "en",
        "image": image, "author": _organisation(site), "publisher": _organisation(site),
        "about": [_term("topics", t, timeline, site) for t in entry.topics],
        "mentions": [_term(kind, t, timeline, site) for kind in ("places", "entities") for t in entry.terms(kind)],
        "citation": [_citation(source, timeline) for source in entry.sources],
        "license": LICENSE_URL,
    }
    blocks = [article]
    if entry.status in ("disputed", "debunked"):
        blocks.append(claim_review(entry, timeline, site, url))
    topic = timeline.vocab.get("topics", entry.topics[0]).name
    tags = tuple(timeline.vocab.get(kind, t).name for kind in KINDS for t in entry.terms(kind))
    return PageMeta(title=entry.title, description=entry.summary, url=url, type="article",
                    published=entry.added, modified=entry.modified, section=topic, tags=tags,
                    jsonld=tuple(blocks))


def claim_review(entry: Entry, timeline: Timeline, site: Site, url: str) -> dict:
    """The entry as a fact check: the claim is the entry's subject, the rating its status word.

    The claim's first appearance is the earliest-dated source that is not a primary document (the
    report that carried the claim); where every source is primary, none is named."""
    reports = sorted((s for s in entry.sources if not s.primary), key=lambda s: (s.date, s.title))
    claim = {"@type": "Claim", "name": entry.title,
             "appearance": [_citation(source, timeline) for source in reports]}
    if reports:
        claim["firstAppearance"] = _citation(reports[0], timeline)
    return {"@context": "https://schema.org", "@type": "ClaimReview", "url": url,
            "claimReviewed": entry.title, "datePublished": entry.added, "dateModified": entry.modified,
            "author": _organisation(site), "itemReviewed": claim,
            "reviewRating": {"@type": "Rating", "alternateName": STATUS_LABELS[entry.status],
                             "ratingExplanation": entry.summary}}


def hub_meta(kind: str, term_id: str, timeline: Timeline, site: Site, listed: list) -> PageMeta:
    term = timeline.vocab.get(kind, term_id)
    url = site.absolute(hub_page(kind, term_id))
    entries = timeline.by_term[(kind, term_id)]
    collection = {
        "@context": "https://schema.org", "@type": "CollectionPage", "name": term.name,
        "alternateName": term.name_zh, "description": term.description, "url": url, "inLanguage": "en",
        "dateModified": max(e.modified for e in entries), "isPartOf": {"@type": "WebSite", "url": site.url},
        "mainEntity": {"@type": "ItemList", "numberOfItems": len(entries), "itemListElement": [
            {"@type": "ListItem", "position": n, "url": site.absolute(entry_page(e)), "name": e.title}
            for n, e in enumerate(listed, start=1)]},
    }
    return PageMeta(title=term.name, description=term.description, url=url, jsonld=(collection,))


def home_meta(site: Site) -> PageMeta:
    website = {"@context": "https://schema.org", "@type": "WebSite", "name": site.title, "url": site.url,
               "description": site.description, "inLanguage": "en", "publisher": _organisation(site),
               "potentialAction": {"@type": "SearchAction",
                                   "target": {"@type": "EntryPoint",
                                              "urlTemplate": site.url + "search/?q={search_term_string}"},
                                   "query-input": "required name=search_term_string"}}
    return PageMeta(title=site.title, description=site.description or site.title, url=site.url, jsonld=(website,))


def data_meta(timeline: Timeline, site: Site, title: str, description: str) -> PageMeta:
    years = [e.year for e in timeline.entries]
    dataset = {
        "@context": "https://schema.org", "@type": "Dataset", "name": f"{site.title}: timeline entries and figures",
        "description": description or f"Timeline entries and published figures of {site.title}",
        "url": site.url + "data/", "license": LICENSE_URL, "isAccessibleForFree": True,
        "creator": _organisation(site), "publisher": _organisation(site), "inLanguage": "en",
        "temporalCoverage": f"{min(years)}/{max(years)}" if years else "",
        "dateModified": timeline.last_added,
        "variableMeasured": [{"@type": "PropertyValue", "name": m.name, "description":
                              f"{MEASURE_KINDS[m.kind]}: {m.definition}"} for m in timeline.ledger.measures.values()],
        "distribution": [{"@type": "DataDownload", "name": path.split("/")[-1], "description": what,
                          "encodingFormat": mime, "contentUrl": site.url + path} for path, mime, what in DATA_FILES],
    }
    return PageMeta(title=title, description=description, url=site.url + "data/", jsonld=(dataset,))


def page_metas(timeline: Timeline, site: Site, listing_size: int, memo=None) -> dict:
    """{page path: PageMeta} for the pages whose metadata comes from the model. memo: see
    digest.pipeline.Memo (an entry's metadata depends on the entry and the vocabularies only)."""
    if memo is None:
        metas = {entry_page(entry): entry_meta(entry, timeline, site) for entry in timeline.entries}
    else:
        metas = {entry_page(entry): memo.get_or(("meta", entry, site), lambda e=entry: entry_meta(e, timeline, site))
                 for entry in timeline.entries}
    for kind in KINDS:
        for term in timeline.used_terms(kind):
            listed = timeline.by_term[(kind, term.id)][:listing_size]
            metas[hub_page(kind, term.id)] = hub_meta(kind, term.id, timeline, site, listed)
    metas["index.md"] = home_meta(site)
    return metas


def _ld(block: dict) -> str:
    # "</" cannot end the script element early: JSON allows "\/" for "/".
    text = json.dumps(block, ensure_ascii=False, sort_keys=False, separators=(",", ":")).replace("</", "<\\/")
    return f'<script type="application/ld+json">{text}</script>'


def head_html(meta: PageMeta, site: Site) -> str:
    """The <head> tags for one page, in a fixed order."""
    def tag(attribute: str, name: str, value: str) -> str:
        return f'<meta {attribute}="{name}" content="{html.escape(value, quote=True)}">'
    image = site.url + SITE_IMAGE
    tags = [tag("property", "og:title", meta.title), tag("property", "og:description", meta.description),
            tag("property", "og:url", meta.url), tag("property", "og:type", meta.type),
            tag("property", "og:site_name", site.title), tag("property", "og:locale", LOCALE),
            tag("property", "og:image", image), tag("property", "og:image:type", "image/png"),
            tag("property", "og:image:width", str(SITE_IMAGE_SIZE[0])),
            tag("property", "og:image:height", str(SITE_IMAGE_SIZE[1])),
            tag("property", "og:image:alt", SITE_IMAGE_ALT)]
    if meta.type == "article":
        tags += [tag("property", "article:published_time", meta.published),
                 tag("property", "article:modified_time", meta.modified),
                 tag("property", "article:section", meta.section)]
        tags += [tag("property", "article:tag", name) for name in meta.tags]
    tags += [tag("name", "twitter:card", "summary_large_image"), tag("name", "twitter:title", meta.title),
             tag("name", "twitter:description", meta.description), tag("name", "twitter:image", image),
             tag("name", "twitter:image:alt", SITE_IMAGE_ALT)]
    return "".join(tags) + "".join(_ld(block) for block in meta.jsonld)


# ---------------------------------------------------------------- myths

MYTH_HEADING = re.compile(r'^### \d+\. "(?P<claim>[^"\n]+)"(?: \((?P<origin>[^)\n]+)\))?[ \t]*$', re.M)
VERDICT = re.compile(r"^\*\*Verdict:\*\* (?P<word>[a-z ]+?)(?=[,.;]| for | in | as )", re.M)


def myth_reviews(markdown: str, url: str, site: Site, published: str, modified: str) -> list:
    """ClaimReview objects for a myths page: each `### N. "claim" (origin)` heading followed by a
    `**Verdict:** word` line, the word being the page's own scale (false, misleading, partly true, ...)."""
    headings = list(MYTH_HEADING.finditer(markdown))
    reviews = []
    for number, heading in enumerate(headings):
        end = headings[number + 1].start() if number + 1 < len(headings) else len(markdown)
        verdict = VERDICT.search(markdown, heading.end(), end)
        if verdict is None:
            continue
        claim = {"@type": "Claim", "name": heading["claim"]}
        if heading["origin"]:
            claim["appearance"] = {"@type": "CreativeWork", "name": heading["origin"]}
        anchor = toc_slugify(heading.group(0)[4:].strip(), "-")
        reviews.append({"@context": "https://schema.org", "@type": "ClaimReview", "url": f"{url}#{anchor}",
                        "claimReviewed": heading["claim"], "datePublished": published, "dateModified": modified,
                        "author": _organisation(site), "itemReviewed": claim,
                        "reviewRating": {"@type": "Rating", "alternateName": verdict["word"].capitalize()}})
    return reviews


# ---------------------------------------------------------------- sitemap and robots

def render_sitemap(pages: list) -> bytes:
    """pages: [(absolute URL, lastmod YYYY-MM-DD)], written in URL order."""
    rows = "".join(f"<url><loc>{xml_escape(url)}</loc><lastmod>{day}</lastmod></url>\n"
                   for url, day in sorted(set(pages)))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + rows + "</urlset>\n").encode("utf-8")


def render_robots(site: Site) -> bytes:
    return (f"User-agent: *\nDisallow: /pagefind/\n\nSitemap: {site.url}sitemap.xml\n").encode()


def content_dates(timeline: Timeline, per_page: int) -> dict:
    """{page path: the day its content last changed} for generated pages: an entry its review or
    correction, a year or hub listing (every page of it) its newest entry's."""
    dates = {entry_page(entry): entry.modified for entry in timeline.entries}
    listings = [(lambda n, k=kind, t=term_id: hub_page(k, t, n), entries)
                for (kind, term_id), entries in timeline.by_term.items()]
    listings += [(lambda n, y=year: year_page(y, n), entries) for year, entries in timeline.by_year.items()]
    for page_of, entries in listings:
        newest = max(e.modified for e in entries)
        for number in range(1, (len(entries) - 1) // per_page + 2):
            dates[page_of(number)] = newest
    return dates
