"""SIGKILL at ten moments of a crawl, restart each time: nothing lost, nothing broken.

The crawl publishes to SeaweedFS through a fault proxy. Eight kills land while
articles are being fetched, archived and cleaned; two land while the output
is being published (the proxy stalls the upload). After the last, clean run
every article is archived and published, every published WARC verifies, no
unfinished file is published, and articles were fetched again only as many
times as there were requests in flight at the kills.
"""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsvault.demosite.server import SiteServer
from newsvault.demosite.site import build_site
from tests.conftest import run_cli
from tests.faultproxy import FaultProxy
from tests.redis_fixtures import generated_articles
from tests.s3_fixtures import Bucket

pytest_plugins = ["tests.s3_fixtures"]

FETCH_KILLS = [1, 2, 3, 4, 6, 8, 10, 12]  # kill once this many articles were requested
PUBLISH_KILLS = 2
CONCURRENCY = 2
IN_FLIGHT = CONCURRENCY + 4 * 2 + 2  # downloads + extraction queue (4 per worker) + items


@pytest.fixture
def news_site() -> Iterator[SiteServer]:
    server = SiteServer(None)
    server.site = build_site(server.base_url, extra=generated_articles(30))
    server.start()
    yield server
    server.shutdown()
    server.server_close()


def article_requests(server: SiteServer) -> list[str]:
    paths = {a.path for a in server.site.articles}
    return [p for p in server.requests if p in paths]


def start(work: Path) -> subprocess.Popen[bytes]:
    # Its own process group: SIGKILL takes the extraction workers down with it.
    return subprocess.Popen(
        [sys.executable, "-m", "newsvault", "--config", "nv.toml", "crawl", "news"],
        cwd=work,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def kill(proc: subprocess.Popen[bytes]) -> None:
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def wait_for(condition: object, proc: subprocess.Popen[bytes], timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.01)
    return False


def test_ten_kills_lose_nothing(
    tmp_path: Path, news_site: SiteServer, s3_bucket: Bucket, monkeypatch: pytest.MonkeyPatch
) -> None:
    proxy = FaultProxy(s3_bucket.server.address)
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", proxy.endpoint)
    try:
        run_with_kills(tmp_path, news_site, s3_bucket, proxy)
    finally:
        proxy.close()


def run_with_kills(
    tmp_path: Path, news_site: SiteServer, s3_bucket: Bucket, proxy: FaultProxy
) -> None:
    (tmp_path / "nv.toml").write_text(f"""
[storage]
url = "s3://{s3_bucket.name}/a?read_timeout=30&attempts=1"
[state]
dir = "state"
[crawl]
download_delay = 0.05
autothrottle = false
concurrent_requests_per_domain = {CONCURRENCY}
extract_workers = 2
allow_private_hosts = ["{news_site.base_url.removeprefix("http://")}"]
[sources.news]
name = "News"
feeds = ["{news_site.base_url}/rss.xml"]
sitemaps = ["{news_site.base_url}/robots.txt"]
allowed_domains = ["127.0.0.1"]
article_pattern = '/\\d{{4}}/\\d{{2}}/\\d{{2}}/'
""")
    kills = 0
    for threshold in FETCH_KILLS:
        before = len(article_requests(news_site))
        proc = start(tmp_path)
        hit = wait_for(
            lambda b=before, t=threshold: len(article_requests(news_site)) - b >= t, proc
        )
        kill(proc)
        kills += hit
    spool = tmp_path / "state" / "spool"
    for _ in range(PUBLISH_KILLS):
        proxy.set("stall")
        proc = start(tmp_path)
        # The run's manifest is in the spool: crawling is over, publishing has begun.
        assert wait_for(lambda: any((spool / "runs").rglob("*.json")), proc)
        time.sleep(0.5)
        kill(proc)
        kills += 1
        proxy.set("pass")
    assert kills >= 9, "the kills must land while work is under way"

    final = run_cli(["--config", "nv.toml", "crawl", "news"], cwd=tmp_path, timeout=300)
    assert final.returncode == 0, final.stderr
    keys = s3_bucket.object_keys()
    assert not [k for k in keys if k.endswith(".open")]
    assert not list(spool.rglob("*.gz")), "everything left the spool"

    records = [
        json.loads(line)
        for key in keys
        if key.startswith("a/text/")
        for line in gzip.decompress(s3_bucket.body(key)).decode().splitlines()
    ]
    urls = Counter(r["canonical_url"] for r in records)
    expected = {news_site.base_url + a.path for a in news_site.site.articles}
    assert set(urls) == expected, "every article archived and published"
    assert max(urls.values()) == 1, "no article stored twice"

    fetched = Counter(article_requests(news_site))
    extra = sum(fetched.values()) - len(expected)
    assert extra <= kills * IN_FLIGHT, f"{extra} refetches for {kills} kills"

    verify = run_cli(["--config", "nv.toml", "verify"], cwd=tmp_path, timeout=300)
    assert verify.returncode == 0, verify.stdout + verify.stderr
