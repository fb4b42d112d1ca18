"""One generic, config-driven news spider.

Discovery requests (feeds, sitemaps, section pages) run every time; article
requests are made once per canonical URL and skipped when an earlier run
archived them already (unless the user asks to refetch).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from newsvault.config import Source
from spiders import discovery
from spiders.items import ArticlePage
from spiders.requests import SpiderRequest
from spiders.urls import canonical, in_scope
from storage.scratch import ScratchSet
from storage.state import ArchivedSet, open_archived_set

DAY = 86400.0


class NewsSpider(scrapy.Spider):
    name = "news"

    def __init__(self, source: Source, refetch: bool = False, **kwargs: Any) -> None:
        super().__init__(name=f"news:{source.key}", **kwargs)
        self.source = source
        self.allowed_domains = list(source.allowed_domains)
        self.refetch = refetch
        self.state: ArchivedSet | None = None
        self.max_section_pages = 5
        # the article URLs this run has queued (see from_crawler)
        self._queued = ScratchSet(None)

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.max_section_pages = crawler.settings.getint("NEWSVAULT_MAX_SECTION_PAGES", 5)
        spider.state = open_archived_set(crawler.settings)
        jobdir = crawler.settings.get("JOBDIR")
        if jobdir:
            spider._queued.close()
            spider._queued = ScratchSet(Path(jobdir) / "queued.sqlite")
        crawler.signals.connect(spider.request_dropped, signal=signals.request_dropped)
        return spider

    async def start(self) -> AsyncIterator[Request]:
        # Seeds come from the user's own config: they may sit on a feed host
        # outside allowed_domains, so the offsite filter does not apply to them.
        for url in self.source.feeds:
            yield self._discovery(url, self.parse_feed, "feed")
        for url in self.source.sitemaps:
            yield self._discovery(url, self.parse_sitemap, "sitemap")
        for url in self.source.start_urls:
            yield self._discovery(url, self.parse_section, "section", page=1)

    def _discovery(self, url: str, callback: Any, kind: str, **cb_kwargs: Any) -> Request:
        self.crawler.stats.inc_value(f"discovery/{kind}_requests")
        return SpiderRequest(
            url,
            callback=callback,
            errback=self.discovery_failed,
            dont_filter=True,
            cb_kwargs=cb_kwargs,
            meta={"nv_kind": kind, "nv_refetch": self.refetch, "handle_httpstatus_list": [304]},
            priority=10,
        )

    def discovery_failed(self, failure: Failure) -> None:
        request: Request = failure.request  # type: ignore[attr-defined]  # set by Scrapy
        kind = request.meta.get("nv_kind", "discovery")
        self.crawler.stats.inc_value(f"discovery/{kind}_failed")
        self.logger.warning("%s %s failed: %s", kind, request.url, failure.value)

    def _not_modified(self, response: Response) -> bool:
        if response.status == 304:
            self.crawler.stats.inc_value("discovery/not_modified")
            return True
        return False

    def parse_feed(self, response: Response) -> Iterator[Request]:
        if self._not_modified(response):
            return
        links = discovery.feed_links(response)
        self.crawler.stats.inc_value("discovery/feed_entries", len(links))
        if not links:
            self.crawler.stats.inc_value("discovery/feed_empty")
        for url in links:
            yield from self._article(url, "feed", check_pattern=False)

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        if self._not_modified(response):
            return
        found = discovery.sitemap_links(response)
        for url in found.sitemaps:
            if in_scope(url, self.source.allowed_domains):
                yield SpiderRequest(
                    url,
                    callback=self.parse_sitemap,
                    errback=self.discovery_failed,
                    meta={"nv_kind": "sitemap"},
                    priority=10,
                )
        self.crawler.stats.inc_value("discovery/sitemap_urls", len(found.pages))
        for url in found.pages:
            yield from self._article(url, "sitemap")

    def parse_section(self, response: Response, page: int) -> Iterator[Request]:
        if self._not_modified(response):
            return
        for url, _text in discovery.page_links(response):
            yield from self._article(url, "section")
        if page < self.max_section_pages:
            for url in discovery.next_page_links(response):
                if in_scope(
                    url, self.source.allowed_domains
                ) and not self.source.article_pattern.search(url):
                    yield SpiderRequest(
                        url,
                        callback=self.parse_section,
                        errback=self.discovery_failed,
                        cb_kwargs={"page": page + 1},
                        meta={"nv_kind": "section"},
                        priority=5,
                    )

    def _article(self, url: str, via: str, *, check_pattern: bool = True) -> Iterator[Request]:
        stats = self.crawler.stats
        url = canonical(url)
        if check_pattern and not self.source.article_pattern.search(url):
            return
        if not in_scope(url, self.source.allowed_domains):
            stats.inc_value("articles/offsite")
            return
        if not self._queued.add(url):
            return
        stats.inc_value("articles/found")
        max_age = self.source.revisit_after_days * DAY
        assert self.state is not None
        if not self.refetch and self.state.is_archived(url, max_age):
            stats.inc_value("articles/already_archived")
            return
        yield SpiderRequest(
            url,
            callback=self.parse_article,
            errback=self.article_failed,
            meta={"nv_kind": "article", "nv_via": via, "nv_canonical": url},
        )

    def request_dropped(self, request: Request) -> None:
        # Article requests are de-duplicated before they are made, so one the
        # scheduler drops is a redirect to an already-seen URL (a loop).
        if request.meta.get("nv_kind") == "article" and request.meta.get("redirect_times"):
            self.crawler.stats.inc_value("articles/failed/RedirectToSeenURL")

    def article_failed(self, failure: Failure) -> None:
        """Count why an article was not fetched: robots, egress, redirects, network."""
        reason = type(failure.value).__name__
        if "robots.txt" in str(failure.value):
            reason = "robots.txt"
        elif isinstance(failure.value, HttpError):
            reason = f"HTTP {failure.value.response.status}"
        self.crawler.stats.inc_value(f"articles/failed/{reason}")
        request = getattr(failure, "request", None)  # Scrapy attaches the failed request
        self.logger.info("article %s not fetched: %s", getattr(request, "url", "?"), failure.value)

    def parse_article(self, response: Response) -> Iterator[ArticlePage]:
        self.crawler.stats.inc_value("articles/fetched")
        yield ArticlePage(
            source=self.source.key,
            url=response.url,
            canonical_url=response.meta["nv_canonical"],
            status=response.status,
            body=response.body,
            fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
            discovered_via=response.meta.get("nv_via", ""),
            warc=dict(response.meta.get("nv_warc", {})),
        )

    def closed(self, reason: str) -> None:
        self._queued.close()
        if self.state is not None:
            self.state.close()
