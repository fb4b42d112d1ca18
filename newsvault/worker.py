"""Run one distributed worker: a crawler per source fed from Redis, then publish.

Like :func:`newsvault.crawl.run_crawl`, but each source's spider takes its
requests from the shared queue and stays open until SIGTERM/SIGINT (Scrapy
closes the spiders gracefully) or until it has had no work for ``max_idle_s``.
Then the WARC and text files are closed and published like a local crawl's.
"""

from __future__ import annotations

import logging
import time
from contextlib import ExitStack
from dataclasses import dataclass

from redis.exceptions import RedisError
from scrapy.crawler import AsyncCrawlerProcess, Crawler
from scrapy.settings import Settings

from newsvault import app
from newsvault.config import Config, Source
from newsvault.crawl import (
    CrawlResult,
    SourceResult,
    new_run_id,
    scrapy_log_level,
    spool_profile,
    sync_profile_from_archive,
)
from newsvault.crawlsettings import base_settings, source_settings
from newsvault.distributed import DEFAULT_LEASE_S, distributed_settings
from newsvault.locks import SourceLock
from spiders.distributed import DistributedNewsSpider
from storage.redisstate import Outage, connect
from storage.spool import publish

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
    run_id = new_run_id()
    spool, store = app.spool(config), app.archive(config)
    result = CrawlResult(run_id)
    if spool.pending():
        logger.info("publishing %d file(s) left by an earlier run", len(spool.pending()))
        publish(spool, store)
    wait_for_redis(options.redis_url)
    with ExitStack() as stack:
        # Local state (profile, spool names) is per machine: one worker per state dir.
        for source in sources:
            stack.enter_context(SourceLock(config.state_dir, source.key))
        logging.getLogger("scrapy.utils.log").setLevel(scrapy_log_level())
        process = AsyncCrawlerProcess(Settings(base_settings(config)))
        logging.getLogger("scrapy").setLevel(scrapy_log_level())
        crawlers = []
        for source in sources:
            state_dir = app.source_state_dir(config, source.key)
            sync_profile_from_archive(store, source.key, state_dir / "profile.json")
            settings = source_settings(
                config, source, run_id, spool.root, state_dir, options.worker_id
            )
            settings.update(
                distributed_settings(
                    options.redis_url,
                    source.key,
                    max_idle_s=options.max_idle_s,
                    lease_s=options.lease_s,
                    concurrency=options.concurrency,
                )
            )
            crawler = Crawler(DistributedNewsSpider, Settings(settings))
            process.crawl(crawler, source=source)
            crawlers.append((source, crawler, state_dir))
        logger.info("worker %s serving %s", options.worker_id, ", ".join(s.key for s in sources))
        process.start()
        for source, crawler, state_dir in crawlers:
            assert crawler.stats is not None
            stats = crawler.stats.get_stats()
            reason = str(stats.get("finish_reason", "?"))
            result.sources.append(SourceResult(source.key, reason, stats))
            spool_profile(spool, source.key, run_id, state_dir / "profile.json")
    result.publish = publish(spool, store)
    return result
