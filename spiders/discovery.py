"""Find article links in feeds, sitemaps and section pages.

Parsing is delegated to maintained libraries: feedparser for RSS and Atom,
Scrapy's hardened sitemap reader (no entity expansion) for sitemaps.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass

import feedparser
from scrapy.http import Response, TextResponse
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

logger = logging.getLogger(__name__)

MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemaps.org limit for one file
_PAGINATION = re.compile(r"([?&](page|p|pg)=\d+|/page/\d+/?$)", re.IGNORECASE)
_NEXT_TEXT = re.compile(r"^\s*(next|older|more)\b|^\s*(›|»|→)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class SitemapLinks:
    sitemaps: list[str]  # further sitemaps to read (index entries, robots.txt lines)
    pages: list[str]  # page URLs listed


def feed_links(response: Response) -> list[str]:
    """Entry links of an RSS 2.0, RSS 1.0 or Atom feed, in feed order."""
    parsed = feedparser.parse(response.body, response_headers={"content-location": response.url})
    if parsed.bozo and not parsed.entries:
        logger.warning("unreadable feed %s: %s", response.url, parsed.get("bozo_exception"))
    links: list[str] = []
    for entry in parsed.entries:
        link = entry.get("link") or next(
            (x.get("href") for x in entry.get("links", []) if x.get("rel") == "alternate"), None
        )
        if link:
            links.append(response.urljoin(str(link)))
    return links


def sitemap_links(response: Response) -> SitemapLinks:
    """Links of a sitemap, sitemap index, news sitemap or robots.txt."""
    if response.url.endswith("/robots.txt"):
        found = sitemap_urls_from_robots(response.body, base_url=response.url)
        return SitemapLinks(list(found), [])
    body = response.body
    if body[:2] == b"\x1f\x8b":  # a .xml.gz sitemap served without Content-Encoding
        body = gunzip(body, max_size=MAX_SITEMAP_BYTES)
    try:
        sitemap = Sitemap(body)
    except (StopIteration, ValueError) as exc:
        logger.warning("unreadable sitemap %s: %s", response.url, exc)
        return SitemapLinks([], [])
    locs = [response.urljoin(entry["loc"]) for entry in sitemap if entry.get("loc")]
    if sitemap.type == "sitemapindex":
        return SitemapLinks(locs, [])
    return SitemapLinks([], locs)


def page_links(response: Response) -> Iterator[tuple[str, str]]:
    """(absolute URL, anchor text) for every link on an HTML page."""
    if not isinstance(response, TextResponse):
        return
    for anchor in response.css("a[href]"):
        href = anchor.attrib.get("href", "").strip()
        if href and not href.startswith(("#", "mailto:", "javascript:", "tel:")):
            text = " ".join(anchor.css("::text").getall())
            yield response.urljoin(href), text


def next_page_links(response: Response) -> list[str]:
    """Pagination of a section page: rel=next, "Next"/"Older" links, ?page=N."""
    if not isinstance(response, TextResponse):
        return []
    found = [
        response.urljoin(h)
        for h in response.css('a[rel~="next"]::attr(href), link[rel~="next"]::attr(href)').getall()
    ]
    for url, text in page_links(response):
        if _NEXT_TEXT.search(text) or _PAGINATION.search(url):
            found.append(url)
    return list(dict.fromkeys(found))
