"""Run one crawl of one or more sources, then publish what it produced.

A crawl runs in the calling process (Twisted's reactor cannot restart, so a
process runs one crawl); several sources crawl concurrently as one crawler
each. Output goes to the spool first and is published afterwards; leftovers
from an earlier run that could not publish go out first.
"""

from __future__ import annotations

import gc
import logging
import secrets
import shutil
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy.crawler import AsyncCrawlerProcess, Crawler
from scrapy.settings import Settings

from newsvault import app
from newsvault.config import Config, Source
from newsvault.crawlsettings import base_settings, frontier_dir, source_settings
from newsvault.locks import SourceLock
from pipelines.salvage import salvage_spool
from spiders.news import NewsSpider
from storage.base import Store, StoreError
from storage.keys import profile_key
from storage.spool import PublishReport, Spool, publish

logger = logging.getLogger(__name__)


# Finish reasons of a crawl whose local spool could not be written.
LOCAL_WRITE_FAILURES = frozenset({"disk_full", "warc_write_failed"})


def new_run_id(now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    return f"{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


@dataclass
class SourceResult:
    source: str
    reason: str
    stats: dict[str, Any]


@dataclass
class CrawlResult:
    run_id: str
    sources: list[SourceResult] = field(default_factory=list)
    publish: PublishReport | None = None

    @property
    def ok(self) -> bool:
        crawled = all(r.reason == "finished" for r in self.sources)
        return crawled and self.publish is not None and self.publish.ok


def scrapy_log_level() -> int:
    return logging.DEBUG if logger.getEffectiveLevel() <= logging.DEBUG else logging.WARNING


def sync_profile_from_archive(store: Store, source: str, local: Path) -> None:
    """Start from the newest published profile when this machine has none."""
    if local.exists():
        return
    try:
        keys = sorted(o.key for o in store.list(f"profiles/{source}/"))
        if keys:
            store.download(keys[-1], local)
    except StoreError as exc:
        logger.warning("could not read the site profile of %s from the archive: %s", source, exc)


def spool_profile(spool: Spool, source: str, run_id: str, local: Path) -> None:
    if local.exists():
        shutil.copyfile(local, spool.path_for(profile_key(source, run_id)))


@contextmanager
def quiet_collector() -> Iterator[None]:
    """Fewer, cheaper garbage collections while the reactor runs.

    Scrapy, Twisted and the config live as long as the crawl: frozen, they are
    not rescanned by every full collection. Each page allocates thousands of
    short-lived objects, and most are freed by reference counting before a
    larger first generation is ever scanned. Together this took the collector
    from about 8 % of the reactor's CPU to about 2 % (bench/README.md).
    Garbage is collected before freezing, so none is kept for good, and the
    collector is restored afterwards.
    """
    thresholds = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def source_crawler(spider_cls: type[NewsSpider], settings: dict[str, Any]) -> Crawler:
    """A crawler for one source whose own settings outrank the process's.

    Scrapy copies the process's settings over each crawler's at their own
    priority; at a higher one, what a source or a worker sets for itself (a
    worker's scheduler, dupefilter and concurrency) is not reset to the defaults.
    """
    return Crawler(spider_cls, Settings(settings, priority="spider"))


def run_crawl(
    config: Config,
    sources: list[Source],
    *,
    refetch: bool = False,
    publish_output: bool = True,
    worker_id: str = "",
    spider_cls: type[NewsSpider] = NewsSpider,
    extra_settings: Callable[[Source], dict[str, Any]] | None = None,
) -> CrawlResult:
    """Crawl ``sources`` concurrently in this process, then publish the spool.

    A distributed worker runs the same way with its own spider class and the
    settings that connect it to the shared frontier (``extra_settings``).
    """
    run_id = new_run_id()
    spool, store = app.spool(config), app.archive(config)
    result = CrawlResult(run_id)
    with ExitStack() as stack:
        for source in sources:
            stack.enter_context(SourceLock(config.state_dir, source.key))
        # Under the locks, so no running crawl's open file is taken for a crashed one;
        # before publishing, so a crashed run's files go out with their manifest.
        salvage_spool(
            spool.root,
            lambda key: app.source_state_dir(config, key) / "state.sqlite",
            [s.key for s in sources],
            {s.key: s.keywords for s in sources},
        )
        leftovers = spool.pending() if publish_output else []
        if leftovers:
            logger.info("publishing %d file(s) left by an earlier run", len(leftovers))
            publish(spool, store)
        logging.getLogger("scrapy.utils.log").setLevel(scrapy_log_level())
        process = AsyncCrawlerProcess(Settings(base_settings(config)))
        # Logging is configured by the CLI; Scrapy's stats dump and item lines are debug output.
        logging.getLogger("scrapy").setLevel(scrapy_log_level())
        crawlers = []
        for source in sources:
            state_dir = app.source_state_dir(config, source.key)
            # Request queues of a killed run are never resumed (see crawlsettings).
            shutil.rmtree(state_dir / "frontier", ignore_errors=True)
            sync_profile_from_archive(store, source.key, state_dir / "profile.json")
            settings = source_settings(config, source, run_id, spool.root, state_dir, worker_id)
            settings.update(extra_settings(source) if extra_settings else {})
            crawler = source_crawler(spider_cls, settings)
            process.crawl(crawler, source=source, refetch=refetch)
            crawlers.append((source, crawler, state_dir))
        with quiet_collector():
            process.start()
        for source, crawler, state_dir in crawlers:
            assert crawler.stats is not None
            stats = crawler.stats.get_stats()
            result.sources.append(
                SourceResult(source.key, str(stats.get("finish_reason", "?")), stats)
            )
            spool_profile(spool, source.key, run_id, state_dir / "profile.json")
            # the run's on-disk request queues: never resumed, so never kept
            shutil.rmtree(frontier_dir(state_dir, run_id), ignore_errors=True)
    failed = [r.source for r in result.sources if r.reason in LOCAL_WRITE_FAILURES]
    if failed:
        # The spool could not be written completely (disk full): publish nothing now;
        # once there is space, the next crawl salvages and publishes what is there.
        logger.error("local writes failed for %s: output kept in the spool", ", ".join(failed))
    elif publish_output:
        result.publish = publish(spool, store)
    return result
