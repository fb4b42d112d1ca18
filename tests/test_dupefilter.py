"""Seen requests are kept on disk in the run's JOBDIR, not in a set in memory."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from scrapy import Request
from scrapy.utils.test import get_crawler

from newsvault.settings import DEFAULTS
from spiders.dupefilter import DiskDupeFilter


def test_seen_requests_go_to_sqlite_in_the_jobdir(tmp_path: Path) -> None:
    jobdir = tmp_path / "frontier" / "run1"
    settings = {"DUPEFILTER_CLASS": DEFAULTS["DUPEFILTER_CLASS"], "JOBDIR": str(jobdir)}
    crawler = get_crawler(settings_dict=settings)
    dupefilter = DiskDupeFilter.from_crawler(crawler)
    assert not dupefilter.request_seen(Request("https://news.example/a?x=1&y=2"))
    # Scrapy's fingerprint: the same canonical URL is the same request
    assert dupefilter.request_seen(Request("https://news.example/a?y=2&x=1#top"))
    assert not dupefilter.request_seen(Request("https://news.example/a?y=2&x=1", method="POST"))
    for n in range(5000):
        assert not dupefilter.request_seen(Request(f"https://news.example/story/{n}"))
    assert dupefilter.request_seen(Request("https://news.example/story/4999"))
    assert not dupefilter._fingerprints, "no fingerprint is kept in memory"
    dupefilter.close("finished")
    with sqlite3.connect(jobdir / "seen.sqlite") as db:
        assert db.execute("SELECT count(*) FROM keys").fetchone()[0] == 5002


def test_without_a_jobdir_the_filter_still_filters() -> None:
    dupefilter = DiskDupeFilter.from_crawler(get_crawler())
    assert not dupefilter.request_seen(Request("https://news.example/b"))
    assert dupefilter.request_seen(Request("https://news.example/b"))
    dupefilter.close("finished")
