"""The news spider as a distributed worker: discovery on command, fetches from Redis.

The spider never closes on its own while work may come: when idle it takes a
``discover`` command (``newsvault enqueue``) and yields the source's discovery
requests into the shared scrapy-redis queue, which every worker pops from. It
closes after ``NEWSVAULT_MAX_IDLE`` seconds without work (0: never).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any, Self

import redis
from redis.exceptions import RedisError
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Request, Response
from scrapy.utils.defer import deferred_from_coro
from scrapy_redis.dupefilter import RFPDupeFilter
from twisted.internet.task import LoopingCall

from newsvault.distributed import inflight_field
from spiders.news import NewsSpider
from storage.redisfrontier import Frontier
from storage.redisstate import InFlight, Outage, RedisKeys, connect

# Sitemaps nest; past this depth a child sitemap is fetched once, not every round.
MAX_SITEMAP_DEPTH = 3


class DistributedNewsSpider(NewsSpider):
    keys: RedisKeys
    redis: redis.Redis
    inflight: InFlight
    frontier: Frontier
    outage: Outage
    dupefilter: RFPDupeFilter

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_idle_s = 0.0
        self.lease_s = 30.0
        self._idle_since: float | None = None
        self._dequeued = 0
        self._beat: LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        s = crawler.settings
        spider.max_idle_s = s.getfloat("NEWSVAULT_MAX_IDLE", 0.0)
        spider.lease_s = s.getfloat("NEWSVAULT_WORKER_LEASE", 30.0)
        spider.keys = RedisKeys(spider.source.key)
        spider.redis = connect(s["NEWSVAULT_REDIS_URL"])
        spider.inflight = InFlight(spider.redis, spider.keys, s["NEWSVAULT_WORKER_ID"])
        spider.frontier = Frontier(spider.redis, spider.keys, s["NEWSVAULT_WORKER_ID"])
        spider.outage = Outage(s["NEWSVAULT_REDIS_URL"], f"discovery of {spider.source.key}")
        spider.dupefilter = RFPDupeFilter(spider.redis, spider.keys.dupefilter)
        crawler.signals.connect(spider.on_opened, signal=signals.spider_opened)
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        crawler.signals.connect(spider.on_item_dropped, signal=signals.item_dropped)
        return spider

    async def start(self) -> AsyncIterator[Request]:
        # Nothing at start: discovery runs when a discover command arrives.
        nothing: tuple[Request, ...] = ()
        for request in nothing:
            yield request

    def on_opened(self) -> None:
        # The heartbeat tells other workers this one's in-flight requests are alive.
        self._beat = LoopingCall(self._heartbeat)
        self._beat.start(self.lease_s / 3, now=True)

    def _heartbeat(self) -> None:
        try:
            self.inflight.beat(self.lease_s)
        except RedisError as exc:
            self.outage.down(exc)

    def on_idle(self) -> None:
        try:
            keep_open = self._idle_poll()
        except RedisError as exc:
            self.outage.down(exc)
            self._idle_since = None  # an outage is not idleness
            raise DontCloseSpider from None
        self.outage.up()
        if keep_open:
            raise DontCloseSpider

    def _idle_poll(self) -> bool:
        """Take new work if there is any; False once idle for max_idle_s."""
        dequeued = int(self.crawler.stats.get_value("scheduler/dequeued/redis", 0))
        if dequeued != self._dequeued:
            self._dequeued, self._idle_since = dequeued, None
        requeued = self.inflight.requeue(own=False)
        command = self.frontier.take_command()
        if command is not None:
            self._start_discovery()
        if command is not None or requeued:
            self._idle_since = None
            return True
        now = time.monotonic()
        self._idle_since = self._idle_since or now
        if self.max_idle_s and now - self._idle_since >= self.max_idle_s:
            self.logger.info("no work for %.0f s: closing", now - self._idle_since)
            return False
        return True

    def _start_discovery(self) -> None:
        self.logger.info("discovery of %s requested", self.source.key)
        self.crawler.stats.inc_value("distributed/discover_commands")
        self._queued.clear()  # a new round may find again what an old one lost
        deferred_from_coro(self._discover()).addErrback(
            lambda f: self.logger.error("discovery failed: %s", f.value)
        )

    async def _discover(self) -> None:
        assert self.crawler.engine is not None
        async for request in super().start():
            self.crawler.engine.crawl(request)

    # Callbacks: as NewsSpider's, plus "done" bookkeeping and rediscovery every round.

    def parse_feed(self, response: Response) -> Iterator[Request]:
        yield from self._finish(response, super().parse_feed(response))

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        yield from self._finish(response, super().parse_sitemap(response))

    def parse_section(self, response: Response, page: int) -> Iterator[Request]:
        yield from self._finish(response, super().parse_section(response, page))

    def _finish(self, response: Response, produced: Iterable[Request]) -> Iterator[Request]:
        shallow = response.meta.get("depth", 0) < MAX_SITEMAP_DEPTH
        for request in produced:
            kind = request.meta.get("nv_kind")
            # The dupefilter persists: a child discovery page must pass it again next round.
            again = kind == "section" or (kind == "sitemap" and shallow)
            yield request.replace(dont_filter=True) if again else request
        self._done(response.request)

    def _article(self, url: str, via: str, *, check_pattern: bool = True) -> Iterator[Request]:
        assert self.state is not None
        for request in super()._article(url, via, check_pattern=check_pattern):
            # Yielded although archived: a revisit the persistent dupefilter must let through.
            revisit = self.refetch or self.state.is_archived(request.meta["nv_canonical"])
            # Its in-flight entry is cleared when it is marked archived (RedisArchivedSet).
            yield request.replace(errback=self.article_failed, dont_filter=revisit)

    def discovery_failed(self, failure: Any) -> None:
        super().discovery_failed(failure)
        self._done(failure.request)

    def article_failed(self, failure: Any) -> None:
        request = failure.request
        self.logger.warning("article %s failed: %s", request.url, failure.value)
        self.crawler.stats.inc_value(f"articles/failed/{type(failure.value).__name__}")
        self._done(request)
        try:
            # Forget it, so that a later discovery round tries it again.
            fingerprint = self.dupefilter.request_fingerprint(request)
            self.redis.srem(self.keys.dupefilter, fingerprint)
        except RedisError as exc:
            self.outage.down(exc)

    def on_item_dropped(self, item: Any, response: Response | None) -> None:
        if response is not None:
            self._done(response.request)

    def _done(self, request: Request | None) -> None:
        if request is None:
            return
        try:
            self.inflight.done(inflight_field(self.crawler, request))
        except RedisError as exc:
            # Left in flight: requeued (a harmless repeat) only if this worker dies.
            self.outage.down(exc)

    def closed(self, reason: str) -> None:
        if self._beat is not None and self._beat.running:
            self._beat.stop()
        try:
            self.inflight.requeue(own=True)
            self.frontier.forget_receipts()
        except RedisError as exc:
            self.logger.error("could not requeue this worker's in-flight requests: %s", exc)
        super().closed(reason)
        self.redis.close()
