"""How a cited source reads, the same on entry pages, in feeds and in the data downloads.

A citation names the original publication (publisher, its own title, date, language and address)
and, where a copy was read instead, that copy ("read via ..."). Nothing here knows of a site generator.
"""
from __future__ import annotations

from html import escape

from .model import Source, display_date
from .validate import url_host
from .vocab import Sources

LANGUAGE_NAMES = {"en": "English", "zh": "Chinese", "zh-Hans": "Chinese (simplified)",
                  "zh-Hant": "Chinese (traditional)", "de": "German", "fr": "French", "ja": "Japanese",
                  "ko": "Korean", "es": "Spanish", "it": "Italian", "nl": "Dutch", "el": "Greek",
                  "ru": "Russian", "pt": "Portuguese"}


def language_name(tag: str) -> str:
    return LANGUAGE_NAMES.get(tag, tag)


def publisher_label(source: Source, vocab: Sources) -> str:
    """'Supreme People's Court (最高人民法院)'."""
    publisher = vocab.publishers[source.publisher]
    return f"{publisher.name} ({publisher.name_zh})" if publisher.name_zh else publisher.name


def source_html(source: Source, vocab: Sources) -> str:
    """One citation as inline HTML (escaped here; the caller wraps it in <li>)."""
    title = escape(source.title)
    lang = f' lang="{escape(source.language)}"' if source.language != "en" else ""
    cited = f'<cite{lang}><a href="{escape(source.link)}">{title}</a></cite>'
    if source.title_en:
        cited += f" [{escape(source.title_en)}]"
    parts = [f'<span class="scd-publisher">{escape(publisher_label(source, vocab))}</span>: {cited}, '
             f"{display_date(source.date)}, {language_name(source.language)}."]
    if source.primary:
        parts.append(' <span class="scd-primary">Primary source</span>')
    if source.via and source.url:
        parts.append(f' Read via <a href="{escape(source.via)}">{escape(url_host(source.via))}</a>.')
    elif source.via:
        parts.append(f' Read via {escape(url_host(source.via))}; the original address is not known.')
    return "".join(parts)


def source_record(source: Source, vocab: Sources) -> dict:
    """One citation as plain JSON values; absent optional fields are null."""
    publisher = vocab.publishers[source.publisher]
    return {"publisher": publisher.id, "publisher_name": publisher.name,
            "publisher_name_zh": publisher.name_zh or None, "publisher_kind": publisher.kind,
            "title": source.title, "title_en": source.title_en or None, "date": source.date,
            "language": source.language, "url": source.url or None, "via": source.via or None,
            "primary": source.primary}
