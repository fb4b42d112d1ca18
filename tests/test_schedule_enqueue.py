"""In distributed mode the scheduler hands due sources to the workers."""

from __future__ import annotations

from pathlib import Path

from newsvault.config import load_config
from newsvault.scheduler_runner import CrawlRunner
from storage.redisstate import RedisKeys
from tests.redis_fixtures import RedisServer

pytest_plugins = ["tests.redis_fixtures"]


def test_due_source_is_enqueued_not_crawled(tmp_path: Path, redis_server: RedisServer) -> None:
    path = tmp_path / "nv.toml"
    path.write_text(f"""
[storage]
url = "file://archive"
[state]
dir = "{tmp_path / "state"}"
[sources.x]
name = "X"
feeds = ["https://example.org/rss.xml"]
allowed_domains = ["example.org"]
article_pattern = "/news/"
""")
    never = ["/bin/false"]  # a local crawl would fail: it must not be started at all
    runner = CrawlRunner(load_config(path), command=never, redis_url=redis_server.url)
    outcome = runner.run("x")
    assert outcome.result == "enqueued"
    assert redis_server.client().exists(RedisKeys("x").start)

    redis_server.stop()
    assert runner.run("x").result == "failed"
