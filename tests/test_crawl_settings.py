"""A source's and a worker's own Scrapy settings survive the crawl process's defaults."""

from __future__ import annotations

import json
from pathlib import Path

from scrapy.crawler import CrawlerRunner
from scrapy.settings import Settings

from newsvault.crawl import source_crawler
from newsvault.fleet import distributed_settings
from newsvault.settings import DEFAULTS
from spiders.news import NewsSpider
from tests.conftest import REPO, FixtureSite, run_cli


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


PIPELINE_PROBE = """
import asyncio, json, sys

import scrapy
from scrapy.crawler import AsyncCrawlerProcess

from newsvault.settings import DEFAULTS

base = sys.argv[1]
paths = ["/", "/world/", "/business/", "/about/", "/privacy/", "/terms/"]
seen = {"now": 0, "most": 0, "items": 0}


class SlowPipeline:
    async def process_item(self, item):
        seen["now"] += 1
        seen["most"] = max(seen["most"], seen["now"])
        await asyncio.sleep(0.3)  # as an item waits for the extraction pool
        seen["now"] -= 1
        seen["items"] += 1
        return item


class OneItemEach(scrapy.Spider):
    name = "probe"

    async def start(self):
        for path in paths:
            yield scrapy.Request(base + path, meta={"handle_httpstatus_all": True})

    def parse(self, response):
        yield {"url": response.url}


process = AsyncCrawlerProcess({
    "CONCURRENT_ITEMS": DEFAULTS["CONCURRENT_ITEMS"],
    "SCRAPER_SLOT_MAX_ACTIVE_SIZE": DEFAULTS["SCRAPER_SLOT_MAX_ACTIVE_SIZE"],
    "ITEM_PIPELINES": {"__main__.SlowPipeline": 100},
    "ROBOTSTXT_OBEY": False,
    "TELNETCONSOLE_ENABLED": False,
    "LOG_LEVEL": "ERROR",
})
process.crawl(OneItemEach)
process.start()
print(json.dumps(seen))
"""


def test_items_of_different_responses_go_through_the_pipelines_at_once(
    site: FixtureSite, tmp_path: Path
) -> None:
    # CONCURRENT_ITEMS bounds the items of ONE response; pages must still wait
    # for the extraction pool side by side, or the crawl would clean one at a time.
    probe = tmp_path / "probe.py"
    probe.write_text(PIPELINE_PROBE)
    done = run_cli([str(probe), site.base], cwd=REPO, entry=())
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["items"] == 6
    assert seen["most"] >= 3
