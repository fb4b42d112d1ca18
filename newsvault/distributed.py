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

from storage.redisfrontier import Frontier
from storage.redisstate import Outage, RedisKeys

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
    engine neither stops nor spins. Pushing and popping go through
    :class:`~storage.redisfrontier.Frontier`, whose scripts lose nothing when a
    reply is lost, and every popped request is recorded in flight.
    """

    crawler: Crawler
    df: Any  # scrapy-redis's RFPDupeFilter (untyped)
    frontier: Frontier
    outage: Outage
    unsent: list[Request]

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        scheduler: Self = super().from_crawler(crawler)
        s = crawler.settings
        source = s["NEWSVAULT_SOURCE"]
        scheduler.crawler = crawler
        scheduler.frontier = Frontier(scheduler.server, RedisKeys(source), s["NEWSVAULT_WORKER_ID"])
        scheduler.outage = Outage(s["REDIS_URL"], f"request queue of {source}")
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
            self.unsent.append(request)
            return True
        return self._send(request)

    def _send(self, request: Request) -> bool:
        fingerprint = None if request.dont_filter else self.df.request_fingerprint(request)
        field = inflight_field(self.crawler, request)
        data = self.queue._encode_request(request)
        try:
            queued = self.frontier.push(field, data, -request.priority, fingerprint)
        except RedisError as exc:
            self.outage.down(exc)
            self.unsent.append(request)
            return True
        if not queued:
            self.df.log(request, self.spider)
            return False
        self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def _send_unsent(self) -> bool:
        pending, self.unsent = self.unsent, []
        for i, request in enumerate(pending):
            self._send(request)
            if self.unsent:  # Redis still down: keep the rest, in order
                self.unsent.extend(pending[i + 1 :])
                return False
        self.outage.up()
        return True

    def next_request(self) -> Request | None:
        if self.unsent and not self._send_unsent():
            return None
        try:
            popped = self.frontier.pop()
        except RedisError as exc:
            self.outage.down(exc)
            return None
        self.outage.up()
        if popped is None:
            return None
        request = request_from_dict(self.queue.serializer.loads(popped.data), spider=self.spider)
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
