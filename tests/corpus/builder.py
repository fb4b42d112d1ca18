"""Build an HTML page and its line labels together, so the two cannot drift apart."""

from __future__ import annotations

import json
from html import escape

from tests.corpus.stories import Story


def link(text: str, href: str, attrs: str = "") -> str:
    return f'<a href="{escape(href)}"{attrs}>{escape(text)}</a>'


class Page:
    """HTML parts plus one (label, visible line) pair per text line added."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.labels: list[tuple[str, str]] = []

    def raw(self, html: str) -> Page:
        """Markup without visible text of its own (wrappers, images, inputs)."""
        self.parts.append(html)
        return self

    def line(self, label: str, text: str, tag: str = "p", attrs: str = "", inner: str = "") -> Page:
        """One visible line; ``inner`` is its markup when it is more than escaped text."""
        self.parts.append(f"<{tag}{attrs}>{inner or escape(text)}</{tag}>")
        self.labels.append((label, text))
        return self

    def linked(self, label: str, text: str, href: str, tag: str = "p", attrs: str = "") -> Page:
        return self.line(label, text, tag, attrs, link(text, href))

    def html(self) -> str:
        return "\n".join(self.parts)


def head(title: str, lang: str = "en", extra: str = "") -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title>{extra}</head><body>"
    )


def og_tags(story: Story, site: str, url: str, published: str) -> str:
    tags = {
        "og:title": story.headline,
        "og:site_name": site,
        "og:url": url,
        "article:published_time": published,
    }
    return "".join(f'<meta property="{k}" content="{escape(v)}">' for k, v in tags.items())


def json_ld(story: Story, site: str, url: str, published: str, authors: list[str]) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": story.headline,
        "datePublished": published,
        "author": [{"@type": "Person", "name": a} for a in authors],
        "publisher": {"@type": "Organization", "name": site},
        "inLanguage": "en",
        "mainEntityOfPage": url,
    }
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def iso_date(date: str) -> str:
    """ "12 March 2025" -> "2025-03-12"."""
    months = "January February March April May June July August September October November December"
    day, month, year = date.split()
    return f"{year}-{months.split().index(month) + 1:02d}-{int(day):02d}"


def paragraph_with_link(text: str, href: str) -> str:
    """Story paragraph with an inline link on a few words, as newsrooms add them."""
    words = text.split(" ")
    if len(words) < 12:
        return escape(text)
    start = len(words) // 3
    before, linked, after = words[:start], words[start : start + 3], words[start + 3 :]
    return f"{escape(' '.join(before))} {link(' '.join(linked), href)} {escape(' '.join(after))}"
