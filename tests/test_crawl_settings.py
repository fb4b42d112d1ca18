"""A source's and a worker's own Scrapy settings survive the crawl process's defaults."""

from __future__ import annotations

from scrapy.crawler import CrawlerRunner
from scrapy.settings import Settings

from newsvault.crawl import source_crawler
from newsvault.fleet import distributed_settings
from newsvault.settings import DEFAULTS
from spiders.news import NewsSpider


def test_a_workers_own_settings_outrank_the_process_defaults() -> None:
    process_settings = dict(DEFAULTS)
    own = {**DEFAULTS, **distributed_settings("redis://127.0.0.1:6379/0", "demo", concurrency=4)}
    # What Scrapy's process does to a crawler handed to it: copy its own settings over.
    crawler = CrawlerRunner(Settings(process_settings)).create_crawler(
        source_crawler(NewsSpider, own)
    )
    assert crawler.settings["DUPEFILTER_CLASS"] == "scrapy_redis.dupefilter.RFPDupeFilter"
    assert crawler.settings.getint("CONCURRENT_REQUESTS") == 4
    assert crawler.settings["SCHEDULER"] == "newsvault.distributed.ResilientRedisScheduler"
    # and what a worker does not set is the process's
    assert crawler.settings["STATS_CLASS"] == DEFAULTS["STATS_CLASS"]
