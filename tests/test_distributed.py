"""Distributed crawling on a real redis-server: sharing, failover, outages, restarts."""

from __future__ import annotations

import json
import os
import pprint
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request, Spider
from scrapy.utils.test import get_crawler

from newsvault.fleet import distributed_settings, enqueue_sources
from storage.redisstate import RedisArchivedSet, RedisKeys, worker_key
from tests.conftest import run_cli, text_records, write_config
from tests.proctree import PolicyWatch
from tests.redis_fixtures import BigSite, RedisServer, start_big_site
from tests.redisproxy import ReplyLosingProxy

pytest_plugins = ["tests.redis_fixtures"]


@dataclass
class Worker:
    name: str
    process: subprocess.Popen[bytes]
    log: Path

    def wait(self, timeout: float = 120) -> int:
        return self.process.wait(timeout=timeout)

    def stderr(self) -> str:
        return self.log.read_text(errors="replace")


def worker_config(root: Path, name: str, site: BigSite, **crawl: object) -> Path:
    """A worker's own directory (its own state, like another machine) and a shared archive."""
    work = root / name
    work.mkdir(parents=True, exist_ok=True)
    path = write_config(work / "newsvault.toml", site, **crawl)  # type: ignore[arg-type]
    text = path.read_text().replace('"file://archive"', f'"file://{root / "archive"}"')
    path.write_text(text.replace("extract_workers = 2", "extract_workers = 1"))
    return work


def start_worker(
    root: Path,
    name: str,
    site: BigSite,
    redis: RedisServer | ReplyLosingProxy,
    *args: str,
    **crawl: object,
) -> Worker:
    work = worker_config(root, name, site, **crawl)
    log = work / "worker.log"
    with log.open("wb") as err:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "newsvault",
                "--config",
                "newsvault.toml",
                "worker",
                "--worker-id",
                name,
                *args,
            ],
            cwd=work,
            stdout=subprocess.DEVNULL,
            stderr=err,
            env={**os.environ, "NEWSVAULT_REDIS_URL": redis.url},
        )
    return Worker(name, process, log)


def manifests(root: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text()) for p in (root / "archive" / "runs").rglob("*.json")]


def wait_for(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def assert_archived_once(root: Path, site: BigSite) -> None:
    urls = Counter(r["canonical_url"] for r in text_records(root))
    expected = {f"{site.base}{a.path}" for a in site.articles}
    assert set(urls) == expected
    assert max(urls.values()) == 1, [u for u, n in urls.items() if n > 1]


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, BigSite, Any]]:
    root = tmp_path_factory.mktemp("two")
    redis = RedisServer(root / "redis")
    redis.start()
    site = start_big_site(200)
    idle = ("--max-idle", "6", "--concurrency", "4")
    # A politeness delay makes one worker alone need longer than the other's idle
    # poll (Scrapy looks at an idle scheduler every 5 s), so both get work.
    workers = [start_worker(root, n, site, redis, *idle, download_delay=0.05) for n in ("wa", "wb")]
    with PolicyWatch(workers[0].process.pid) as watch:
        # Both up (heartbeating) before the work arrives, or a slow starter may find none.
        client = redis.client()
        wait_for(lambda: all(client.exists(worker_key(n)) for n in ("wa", "wb")), 60, "workers")
        enqueue_sources(redis.url, ["demo"])
        codes = [w.wait() for w in workers]
    yield root, site, (redis, workers, codes, watch)
    site.server.shutdown()
    site.server.server_close()
    redis.stop()


def test_two_workers_archive_every_article_exactly_once(
    two_workers: tuple[Path, BigSite, Any],
) -> None:
    root, site, (_, workers, codes, _) = two_workers
    assert codes == [0, 0], [w.stderr()[-3000:] for w in workers]
    fetched = Counter(site.article_requests())
    assert len(fetched) == 200 and set(fetched.values()) == {1}
    assert_archived_once(root, site)
    by_worker = Counter(m["worker"] for m in manifests(root))
    assert set(by_worker) == {"wa", "wb"}, "each worker publishes its own manifest"
    warcs = [p.name for p in (root / "archive" / "warc").rglob("*.warc.gz")]
    assert any("wa" in n for n in warcs) and any("wb" in n for n in warcs)
    shares = [
        sum(m["counts"].get("articles/fetched", 0) for m in manifests(root) if m["worker"] == w)
        for w in ("wa", "wb")
    ]
    assert sum(shares) == 200 and min(shares) > 0, shares


def test_a_worker_and_its_cleaning_processes_run_as_a_batch_job(
    two_workers: tuple[Path, BigSite, Any],
) -> None:
    _, _, (_, _, codes, watch) = two_workers
    assert codes == [0, 0]
    assert len(watch.processes()) >= 3, "the worker, its pool's forkserver and a cleaner"
    assert watch.not_batch() == {}


def test_restart_with_persisted_state_fetches_nothing_twice(
    two_workers: tuple[Path, BigSite, Any],
) -> None:
    root, site, (redis, _, _, _) = two_workers
    before = Counter(site.article_requests())
    worker = start_worker(root, "wc", site, redis, "--max-idle", "5")
    result = run_cli(
        ["--config", "newsvault.toml", "enqueue", "demo"],
        cwd=root / "wc",
        env={"NEWSVAULT_REDIS_URL": redis.url},
    )
    assert result.returncode == 0, result.stderr
    assert worker.wait() == 0, worker.stderr()[-3000:]
    assert Counter(site.article_requests()) == before, "no article fetched again"
    assert "/rss.xml" in site.requests()[-50:], "discovery ran again"
    assert_archived_once(root, site)


def test_sigkilled_worker_is_taken_over(tmp_path: Path, redis_server: RedisServer) -> None:
    site = start_big_site(200)
    try:
        slow = ("--concurrency", "2", "--lease", "4", "--max-idle", "12")
        victim = start_worker(tmp_path, "victim", site, redis_server, *slow)
        survivor = start_worker(tmp_path, "survivor", site, redis_server, *slow)
        enqueue_sources(redis_server.url, ["demo"])
        wait_for(lambda: len(site.article_requests()) >= 40, 60, "40 articles fetched")
        victim.process.send_signal(signal.SIGKILL)
        victim.wait()
        assert survivor.wait() == 0, survivor.stderr()[-3000:]
        # Whatever the victim held in flight was put back and finished: nothing is left.
        assert redis_server.client().hlen(RedisKeys("demo").inflight) == 0
        assert_archived_once(tmp_path, site)
        assert {m["worker"] for m in manifests(tmp_path)} == {"survivor"}
    finally:
        site.server.shutdown()
        site.server.server_close()


def test_redis_outage_pauses_workers_and_loses_nothing(
    tmp_path: Path, durable_redis: RedisServer
) -> None:
    site = start_big_site(200)
    try:
        worker = start_worker(
            tmp_path, "w", site, durable_redis, "--concurrency", "1", "--max-idle", "5"
        )
        enqueue_sources(durable_redis.url, ["demo"])
        wait_for(lambda: len(site.article_requests()) >= 30, 60, "30 articles fetched")
        durable_redis.stop()
        time.sleep(3)
        assert worker.process.poll() is None, "a Redis outage must not stop the worker"
        durable_redis.start()
        assert worker.wait() == 0, worker.stderr()[-3000:]
        log = worker.stderr()
        assert "unreachable" in log and "reachable again" in log
        assert "Traceback" not in log
        fetched = Counter(site.article_requests())
        assert len(fetched) == 200 and set(fetched.values()) == {1}
        assert_archived_once(tmp_path, site)
    finally:
        site.server.shutdown()
        site.server.server_close()


def test_lost_replies_lose_no_request(tmp_path: Path, redis_server: RedisServer) -> None:
    """Redis does the work, the answer never arrives: a command, a push and a pop."""
    site = start_big_site(40)
    proxy = ReplyLosingProxy(redis_server.port)
    article = f"{site.base}{site.articles[7].path}".encode()
    dupefilter = RedisKeys("demo").dupefilter.encode()
    try:
        proxy.lose_reply(b"receipt:command:w")
        proxy.lose_reply(dupefilter, article)
        worker = start_worker(tmp_path, "w", site, proxy, "--concurrency", "1", "--max-idle", "5")
        enqueue_sources(redis_server.url, ["demo"])
        wait_for(lambda: len(site.article_requests()) >= 10, 60, "10 articles fetched")
        proxy.lose_reply(b"receipt:pop:w")
        assert worker.wait() == 0, worker.stderr()[-3000:]
        assert sorted(proxy.lost) == sorted(
            [(b"receipt:command:w",), (dupefilter, article), (b"receipt:pop:w",)]
        ), "every fault was injected"
        assert "Traceback" not in worker.stderr()
        fetched = Counter(site.article_requests())
        assert len(fetched) == 40 and set(fetched.values()) == {1}
        assert_archived_once(tmp_path, site)
        assert redis_server.client().hlen(RedisKeys("demo").inflight) == 0
    finally:
        proxy.close()
        site.server.shutdown()
        site.server.server_close()


class _Smoke(Spider):
    name = "smoke"

    def parse(self, response: Any) -> None:
        pass


def test_scrapy_redis_smoke(redis_server: RedisServer) -> None:
    """scrapy-redis's scheduler, dupefilter and queue still work with this Scrapy."""
    settings = {
        **distributed_settings(redis_server.url, "smoke"),
        "NEWSVAULT_SOURCE": "smoke",
        "NEWSVAULT_WORKER_ID": "t1",
    }
    crawler = get_crawler(_Smoke, settings)
    crawler._apply_settings()
    spider = _Smoke.from_crawler(crawler)
    crawler.spider = spider
    from scrapy.utils.misc import load_object

    scheduler_cls = load_object(settings["SCHEDULER"])
    scheduler = scheduler_cls.from_crawler(crawler)
    scheduler.open(spider)
    request = Request("http://127.0.0.1:9/a", callback=spider.parse, priority=3)
    assert scheduler.enqueue_request(request)
    assert not scheduler.enqueue_request(request.copy()), "the dupefilter drops a repeat"
    keys = RedisKeys("smoke")
    client = redis_server.client()
    assert client.zcard(keys.requests) == 1 and client.scard(keys.dupefilter) == 1
    scheduler.close("finished")
    again = scheduler_cls.from_crawler(crawler)  # persisted: a new worker resumes
    again.open(spider)
    assert again.has_pending_requests()
    popped = again.next_request()
    assert popped is not None and popped.url == request.url and popped.callback == spider.parse
    assert client.hexists(keys.inflight, crawler.request_fingerprinter.fingerprint(popped).hex())
    archived = RedisArchivedSet(redis_server.url, "smoke")
    archived.mark_archived("http://127.0.0.1:9/a")
    assert archived.is_archived("http://127.0.0.1:9/a") and archived.archived_count() == 1
    archived.close()


def test_redis_password_stays_out_of_logged_settings() -> None:
    """Scrapy logs overridden settings with repr(): the Redis URL must not show its password."""
    settings = distributed_settings("redis://:hunter2-canary@127.0.0.1:1/0", "demo")
    assert "hunter2-canary" not in pprint.pformat(settings)
    assert str(settings["REDIS_URL"]).endswith("@127.0.0.1:1/0"), "the value itself still works"
