"""Distributed mode inside a worker's crawl: the Redis scheduler and in-flight leases.

Which Redis, the settings a worker adds and enqueueing live in
:mod:`newsvault.fleet`, which the CLI imports without loading Scrapy.
"""

from __future__ import annotations

import logging
import time
from typing import Any, Self

from redis.exceptions import RedisError
from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.utils.misc import load_object
from scrapy.utils.request import request_from_dict
from scrapy_redis.scheduler import Scheduler

from storage.redisstate import InFlight, Outage, RedisKeys

logger = logging.getLogger(__name__)

# Seconds a closing scheduler keeps retrying requests it could not send to Redis.
UNSENT_RETRY_S = 60.0


def inflight_field(crawler: Crawler, request: Request) -> str:
    """An in-flight entry's name: the canonical URL of an article, else the fingerprint."""
    canonical = request.meta.get("nv_canonical")
    if canonical:
        return str(canonical)
    return crawler.request_fingerprinter.fingerprint(request).hex()


class ResilientRedisScheduler(Scheduler):  # type: ignore[misc]
    """scrapy-redis's scheduler, paused (not crashed) by a Redis outage.

    Requests scheduled while Redis is down wait in memory and go out when it
    returns; popping answers "nothing now" and "work pending" meanwhile, so the
    engine neither stops nor spins. Every popped request is recorded in flight.
    """

    crawler: Crawler
    df: Any  # scrapy-redis's RFPDupeFilter (untyped)
    inflight: InFlight
    outage: Outage
    unsent: list[tuple[Request, bool]]

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        scheduler: Self = super().from_crawler(crawler)
        s = crawler.settings
        source = s["NEWSVAULT_SOURCE"]
        scheduler.crawler = crawler
        scheduler.inflight = InFlight(scheduler.server, RedisKeys(source), s["NEWSVAULT_WORKER_ID"])
        scheduler.outage = Outage(s["REDIS_URL"], f"request queue of {source}")
        # (request, already through the dupefilter)
        scheduler.unsent = []
        return scheduler

    def open(self, spider: Spider) -> None:
        # scrapy-redis's open(), minus its Spider.log() call, deprecated in Scrapy 2.14+.
        self.spider = spider
        key = self.queue_key % {"spider": spider.name}
        queue_cls = load_object(self.queue_cls)
        self.queue = queue_cls(
            server=self.server, spider=spider, key=key, serializer=self.serializer
        )
        if not self.df:
            self.df = load_object(self.dupefilter_cls).from_spider(spider)
        if self.flush_on_start:
            self.flush()
        pending = len(self.queue)
        if pending:
            logger.info("%s: resuming, %d request(s) queued", key, pending)

    def enqueue_request(self, request: Request) -> bool:
        if self.unsent and not self._send_unsent():
            self.unsent.append((request, False))
            return True
        return self._send(request, checked=False)

    def _send(self, request: Request, *, checked: bool) -> bool:
        try:
            if not (checked or request.dont_filter):
                if self.df.request_seen(request):
                    self.df.log(request, self.spider)
                    return False
                checked = True
            self.queue.push(request)
        except RedisError as exc:
            self.outage.down(exc)
            self.unsent.append((request, checked))
            return True
        self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def _send_unsent(self) -> bool:
        pending, self.unsent = self.unsent, []
        for i, (request, checked) in enumerate(pending):
            self._send(request, checked=checked)
            if self.unsent:  # Redis still down: keep the rest, in order
                self.unsent.extend(pending[i + 1 :])
                return False
        self.outage.up()
        return True

    def next_request(self) -> Request | None:
        if self.unsent and not self._send_unsent():
            return None
        try:
            request = self._pop()
        except RedisError as exc:
            self.outage.down(exc)
            return None
        self.outage.up()
        return request

    def _pop(self) -> Request | None:
        pipe = self.server.pipeline()
        pipe.multi()
        pipe.zrange(self.queue.key, 0, 0, withscores=True).zremrangebyrank(self.queue.key, 0, 0)
        results, _ = pipe.execute()
        if not results:
            return None
        data, score = results[0]
        request = request_from_dict(self.queue.serializer.loads(data), spider=self.spider)
        try:
            self.inflight.claim(inflight_field(self.crawler, request), score, data)
        except RedisError as exc:
            # Fetched anyway; only if this worker also dies now is the request lost.
            self.outage.down(exc)
        self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self) -> bool:
        if self.unsent:
            return True
        try:
            return len(self) > 0
        except RedisError as exc:
            self.outage.down(exc)
            return True  # unknown: keep the spider open

    def close(self, reason: str) -> None:
        deadline = time.monotonic() + UNSENT_RETRY_S
        while self.unsent and not self._send_unsent() and time.monotonic() < deadline:
            time.sleep(1.0)
        if self.unsent:
            logger.error("%d request(s) lost: Redis unreachable at shutdown", len(self.unsent))
        super().close(reason)
