"""The crawl's stats collector: Scrapy's in-memory collector, without the per-access wrapper."""

from __future__ import annotations

import inspect

from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from newsvault.settings import DEFAULTS
from newsvault.stats import DirectStatsCollector


def test_crawl_stats_count_like_scrapys_and_call_its_methods_directly() -> None:
    crawler = get_crawler(settings_dict={"STATS_CLASS": DEFAULTS["STATS_CLASS"]})
    stats = crawler.stats
    assert isinstance(stats, DirectStatsCollector)
    # Scrapy's own collector hands out a wrapper (a plain function) for each public method.
    assert not inspect.ismethod(MemoryStatsCollector(crawler).inc_value)
    assert stats.inc_value.__func__ is MemoryStatsCollector.inc_value  # type: ignore[attr-defined]
    stats.inc_value("pages")
    stats.inc_value("pages", 2)
    stats.max_value("largest", 5)
    stats.max_value("largest", 3)
    stats.min_value("smallest", 5)
    stats.min_value("smallest", 3)
    stats.set_value("result", "finished")
    assert stats.get_value("pages") == 3
    assert stats.get_stats() == {"pages": 3, "largest": 5, "smallest": 3, "result": "finished"}
    assert stats.get_value("missing", "default") == "default"
