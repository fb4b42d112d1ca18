"""The page's own metadata: Open Graph, JSON-LD, <time>, <html lang>, canonical link.

Used as a fallback where trafilatura finds no title, author, date or site name,
and as the source of the language and canonical URL.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from lxml.html import HtmlElement

log = logging.getLogger(__name__)

ARTICLE_TYPES = frozenset(
    {"NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle", "BlogPosting"}
    | {"OpinionNewsArticle", "BackgroundNewsArticle", "LiveBlogPosting", "Report"}
)


@dataclass
class PageMetadata:
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    language: str | None = None
    site_name: str | None = None
    canonical_url: str | None = None


def _meta(tree: HtmlElement, *names: str) -> str | None:
    for name in names:
        for attr in ("property", "name", "itemprop"):
            for value in tree.xpath(f"//meta[@{attr}=$n]/@content", n=name):
                if str(value).strip():
                    return str(value).strip()
    return None


def _walk(node: Any) -> list[dict[str, Any]]:
    """Every JSON-LD object, flattening lists and @graph containers."""
    if isinstance(node, list):
        return [obj for item in node for obj in _walk(item)]
    if isinstance(node, dict):
        return [node, *_walk(node.get("@graph", []))]
    return []


def _article_ld(tree: HtmlElement) -> dict[str, Any]:
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            log.debug("skipping invalid JSON-LD block")
            continue
        for obj in _walk(data):
            types = obj.get("@type")
            types = types if isinstance(types, list) else [types]
            if ARTICLE_TYPES.intersection(t for t in types if isinstance(t, str)):
                return obj
    return {}


def _names(value: Any) -> list[str]:
    """Author names from a JSON-LD author: a string, a Person, or a list of either."""
    if isinstance(value, list):
        return [name for item in value for name in _names(item)]
    if isinstance(value, dict):
        value = value.get("name")
    return [value.strip()] if isinstance(value, str) and value.strip() else []


def _text(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("name") or value.get("alternateName")
    if isinstance(value, list):
        value = value[0] if value else None
    return value.strip() if isinstance(value, str) and value.strip() else None


def page_metadata(tree: HtmlElement, url: str) -> PageMetadata:
    """Collect what the page declares about itself, first declaration wins."""
    ld = _article_ld(tree)
    meta = PageMetadata()
    meta.title = _text(ld.get("headline")) or _meta(tree, "og:title", "twitter:title")
    meta.authors = _names(ld.get("author")) or split_authors(_meta(tree, "author"))
    meta.published = (
        _text(ld.get("datePublished"))
        or _meta(tree, "article:published_time", "datePublished", "date")
        or _first(tree.xpath("//time[@datetime]/@datetime"))
    )
    meta.site_name = _text(ld.get("publisher")) or _meta(tree, "og:site_name", "application-name")
    meta.language = (
        _first(tree.xpath("/html/@lang"))
        or _text(ld.get("inLanguage"))
        or _meta(tree, "og:locale", "language", "content-language")
    )
    if meta.language:
        meta.language = meta.language.replace("_", "-")
    canonical = _first(tree.xpath("//link[@rel='canonical']/@href")) or _meta(tree, "og:url")
    meta.canonical_url = urljoin(url, canonical) if canonical else None
    return meta


def _first(values: list[Any]) -> str | None:
    for value in values:
        if str(value).strip():
            return str(value).strip()
    return None


def split_authors(value: str | None) -> list[str]:
    """trafilatura joins authors with "; "; pages use commas and "and"."""
    if not value:
        return []
    for sep in (";", " and ", ","):
        value = value.replace(sep, ";")
    return [name.strip() for name in value.split(";") if name.strip()]
