"""Turn fetched article pages into clean article records.

Extraction runs in the worker pool, never on the reactor thread. A page that
is too large, times out or makes the extractor fail is still archived (its
WARC record is already written) and is counted, not fatal. At most
``NEWSVAULT_EXTRACT_MAX_IN_FLIGHT`` pages wait in or for the pool: beyond that
``process_item`` waits, so Scrapy's scraper slot fills up and the engine stops
taking responses from the downloader instead of queueing page bodies in memory.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from concurrent.futures import TimeoutError as FutureTimeout
from functools import lru_cache
from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured

from pipelines import workerpool
from pipelines.cleaning import CleaningRules, Extraction, extractor_version
from pipelines.replaypath import replay_path
from spiders.items import ArticlePage

logger = logging.getLogger(__name__)


class NotExtracted(DropItem):
    """Base for pages archived as WARC but without a clean record."""


class NoText(NotExtracted):
    pass


class TooLarge(NotExtracted):
    pass


class ExtractionTimeout(NotExtracted):
    pass


class ExtractionFailed(NotExtracted):
    pass


class HttpError(NotExtracted):
    pass


def record_id(canonical_url: str, payload_digest: str) -> str:
    return hashlib.sha256(f"{canonical_url}\n{payload_digest}".encode()).hexdigest()[:32]


@lru_cache(maxsize=64)
def provenance(rules: CleaningRules) -> dict[str, str]:
    """The extractor block of a record; the rules hash JSON-encodes every phrase
    pattern, too much to redo for each page on the reactor thread."""
    return {"name": "newsvault", "version": extractor_version(), "config_hash": rules.config_hash()}


def build_record(page: ArticlePage, ex: Extraction, rules: CleaningRules) -> dict[str, Any]:
    warc = page.warc
    return {
        "id": record_id(page.canonical_url, str(warc.get("payload_digest", ""))),
        "source": page.source,
        "url": page.url,
        "canonical_url": ex.canonical_url or page.canonical_url,
        "title": ex.title,
        "authors": ex.authors,
        "published": ex.published,
        "language": ex.language,
        "site_name": ex.site_name,
        "text": ex.text,
        "fetched_at": page.fetched_at,
        "warc_file": warc.get("warc_file"),
        "warc_offset": warc.get("warc_offset"),
        "warc_length": warc.get("warc_length"),
        "warc_record_id": warc.get("warc_record_id"),
        "warc_date": warc.get("warc_date"),
        "payload_digest": warc.get("payload_digest"),
        "replay_url": replay_path(str(warc.get("warc_date", "")), page.url),
        "extractor": dict(provenance(rules)),
        "_blocks": ex.blocks,
        "_keys": ex.block_keys,
        "_seen_url": page.canonical_url,
    }


class ExtractionPipeline:
    def __init__(
        self,
        crawler: Crawler,
        rules: CleaningRules,
        workers: int,
        timeout: float,
        max_bytes: int,
        max_in_flight: int = 0,
    ) -> None:
        self.crawler = crawler
        self.rules = rules
        self.workers = workers
        self.timeout = timeout
        self.max_bytes = max_bytes
        # Four per worker: a finished worker finds its next page already in its
        # pipe while the crawl's thread is busy; two left the cores idle 8 % of
        # the time (bench/README.md).
        self.max_in_flight = max_in_flight or 4 * workerpool.size(workers)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        s = crawler.settings
        if not s.getbool("NEWSVAULT_EXTRACT_ENABLED", True):
            raise NotConfigured("extraction disabled")
        rules = CleaningRules(drop_selectors=tuple(s.getlist("NEWSVAULT_DROP_SELECTORS")))
        return cls(
            crawler,
            rules,
            s.getint("NEWSVAULT_EXTRACT_WORKERS", 0),
            s.getfloat("NEWSVAULT_EXTRACT_TIMEOUT", 30.0),
            s.getint("NEWSVAULT_EXTRACT_MAX_BYTES", 5 * 1024 * 1024),
            s.getint("NEWSVAULT_EXTRACT_MAX_IN_FLIGHT", 0),
        )

    def open_spider(self) -> None:
        self.pool = workerpool.acquire(self.workers)
        self.slots = asyncio.Semaphore(self.max_in_flight)

    def close_spider(self) -> None:
        workerpool.release()

    def _count(self, key: str) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"extract/{key}")

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, ArticlePage):
            return item
        if item.status != 200:
            self._count("http_error")
            raise HttpError(f"HTTP {item.status} for {item.url}")
        if len(item.body) > self.max_bytes:
            self._count("too_large")
            raise TooLarge(f"{len(item.body)} bytes, over the cap, for {item.url}")
        async with self.slots:
            result = await self._extract(item)
        if result is None or not result.text.strip():
            self._count("no_text")
            raise NoText(f"no article text found in {item.url}")
        self._count("ok")
        return build_record(item, result, self.rules)

    async def _extract(self, item: ArticlePage) -> Extraction | None:
        future = self.pool.schedule(
            workerpool.clean, args=(item.body, item.url, self.rules), timeout=self.timeout
        )
        try:
            result: Extraction | None = await asyncio.wrap_future(future)
        except (FutureTimeout, TimeoutError):
            self._count("timeout")
            raise ExtractionTimeout(f"extraction over {self.timeout}s for {item.url}") from None
        except Exception as exc:
            self._count("failed")
            logger.warning("extraction failed for %s: %r", item.url, exc)
            raise ExtractionFailed(f"extraction failed for {item.url}: {exc!r}") from None
        return result
