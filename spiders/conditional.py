"""Conditional requests for discovery pages (feeds, sitemaps, sections).

Discovery pages are fetched every run; when the server supports it, an
``If-None-Match`` / ``If-Modified-Since`` request turns an unchanged feed
into a cheap 304. Validators are committed only when a run finishes
cleanly: after a crash the next run must read the feed in full again, or
articles the crashed run never archived would be missed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Self

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response

from storage.state import CrawlState

DISCOVERY = frozenset({"feed", "sitemap", "section"})


class ConditionalRequestMiddleware:
    def __init__(self, state_path: Path) -> None:
        self.state = CrawlState(state_path)
        self.pending: dict[str, tuple[str | None, str | None]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        s = crawler.settings
        if not s.getbool("NEWSVAULT_CONDITIONAL_ENABLED", True) or not s.get(
            "NEWSVAULT_STATE_PATH"
        ):
            raise NotConfigured("conditional discovery requests disabled")
        mw = cls(Path(s["NEWSVAULT_STATE_PATH"]))
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    def process_request(self, request: Request) -> None:
        # Only requests whose callback understands a 304 get validators.
        if 304 not in request.meta.get("handle_httpstatus_list", ()) or request.meta.get(
            "nv_refetch"
        ):
            return
        etag, modified = self.state.validators(request.url)
        if etag:
            request.headers.setdefault(b"If-None-Match", etag.encode("latin-1"))
        if modified:
            request.headers.setdefault(b"If-Modified-Since", modified.encode("latin-1"))

    def process_response(self, request: Request, response: Response) -> Response:
        if request.meta.get("nv_kind") in DISCOVERY and response.status == 200:
            etag = response.headers.get(b"ETag")
            modified = response.headers.get(b"Last-Modified")
            if etag or modified:
                self.pending[request.url] = (
                    etag.decode("latin-1") if etag else None,
                    modified.decode("latin-1") if modified else None,
                )
        return response

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if reason == "finished":
            for url, (etag, modified) in self.pending.items():
                self.state.set_validators(url, etag, modified)
        self.state.close()
