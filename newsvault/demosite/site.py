"""The demo site as a map from path to response."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from newsvault.demosite import feeds, render
from newsvault.demosite.content import Article, all_articles

PER_PAGE = 3
DISALLOWED = "/private/2025/05/26/internal-memo/"
OFFSITE = "https://offsite.invalid/2025/05/21/elsewhere/"


@dataclass(frozen=True)
class Page:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha1(self.body).hexdigest()[:16] + '"'  # noqa: S324


@dataclass
class Site:
    base: str
    articles: list[Article]
    pages: dict[str, Page] = field(default_factory=dict)

    def add(self, path: str, text: str, content_type: str = "text/html; charset=utf-8") -> None:
        self.pages[path] = Page(text.encode("utf-8"), content_type)

    def article(self, slug: str) -> Article:
        return next(a for a in self.articles if a.slug == slug)


def build_site(base: str, extra: list[Article] | None = None) -> Site:
    """All pages of the site served at ``base`` (``http://127.0.0.1:PORT``)."""
    articles = all_articles() + list(extra or [])
    site = Site(base, articles)
    for article in articles:
        site.add(article.path, render.article_page(article, base))
    site.add(DISALLOWED, render.section_page("Internal memo", [], None))
    xml = "application/xml"
    seeds, stories = articles[:2], articles[2:]
    site.add("/rss.xml", feeds.rss(seeds + stories[:2] + stories[4:], base), "application/rss+xml")
    site.add("/atom.xml", feeds.atom(stories[2:4], base), "application/atom+xml")
    site.add(
        "/sitemap-index.xml",
        feeds.sitemap_index(["/sitemap-news.xml", "/sitemap-pages.xml"], base),
        xml,
    )
    site.add("/sitemap-news.xml", feeds.news_sitemap(articles, base), xml)
    site.add("/sitemap-pages.xml", feeds.plain_sitemap(["/", "/world/", "/about/"], base), xml)
    site.add("/robots.txt", feeds.robots(base), "text/plain")
    site.add("/", render.section_page("Demo News", [("/world/", "World")], None))
    site.add("/about/", render.section_page("About us", [], None))
    links = [(a.path, a.title) for a in articles]
    pages = [links[i : i + PER_PAGE] for i in range(0, len(links), PER_PAGE)]
    # The first page also links a robots-disallowed path and another site.
    pages[0] = [*pages[0], (DISALLOWED, "Internal memo"), (OFFSITE, "Elsewhere")]
    for number, chunk in enumerate(pages, start=1):
        path = "/world/" if number == 1 else f"/world/?page={number}"
        nxt = f"/world/?page={number + 1}" if number < len(pages) else None
        site.add(path, render.section_page(f"World, page {number}", chunk, nxt))
    return site
