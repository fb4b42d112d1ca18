"""Run one distributed worker: a crawler per source fed from Redis, then publish.

Like :func:`newsvault.crawl.run_crawl`, but each source's spider takes its
requests from the shared queue and stays open until SIGTERM/SIGINT (Scrapy
closes the spiders gracefully) or until it has had no work for ``max_idle_s``.
Then the WARC and text files are closed and published like a local crawl's.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from redis.exceptions import RedisError

from newsvault.config import Config, Source
from newsvault.crawl import CrawlResult, run_crawl
from newsvault.fleet import DEFAULT_LEASE_S, distributed_settings
from spiders.distributed import DistributedNewsSpider
from storage.redisstate import Outage, connect

logger = logging.getLogger(__name__)

# A worker closes its spiders with one of these; both mean "done, publish".
CLEAN_REASONS = frozenset({"finished", "shutdown"})


@dataclass(frozen=True)
class WorkerOptions:
    redis_url: str
    worker_id: str
    max_idle_s: float = 0.0
    lease_s: float = DEFAULT_LEASE_S
    concurrency: int | None = None


def wait_for_redis(url: str, max_delay_s: float = 30.0) -> None:
    """Block until Redis answers, retrying with a growing delay (a paused worker)."""
    outage, delay = Outage(url, "worker start"), 1.0
    client = connect(url)
    try:
        while True:
            try:
                client.ping()
            except RedisError as exc:
                outage.down(exc)
                time.sleep(delay)
                delay = min(delay * 2, max_delay_s)
                continue
            outage.up()
            return
    finally:
        client.close()


def worker_ok(result: CrawlResult) -> bool:
    crawled = all(r.reason in CLEAN_REASONS for r in result.sources)
    return crawled and result.publish is not None and result.publish.ok


def run_worker(config: Config, sources: list[Source], options: WorkerOptions) -> CrawlResult:
    wait_for_redis(options.redis_url)
    logger.info("worker %s serving %s", options.worker_id, ", ".join(s.key for s in sources))
    return run_crawl(
        config,
        sources,
        worker_id=options.worker_id,
        spider_cls=DistributedNewsSpider,
        extra_settings=lambda source: distributed_settings(
            options.redis_url,
            source.key,
            max_idle_s=options.max_idle_s,
            lease_s=options.lease_s,
            concurrency=options.concurrency,
        ),
    )
