"""A real redis-server and a large fixture site for the distributed tests.

Use with ``pytest_plugins = ["tests.redis_fixtures"]``. Every server binds
127.0.0.1 on a free port; the system Redis on 6379 is never touched.
PYTEST_DONT_REWRITE: test modules import helpers from here before pytest
loads it as a plugin.
"""

from __future__ import annotations

import random
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import redis

from newsvault.demosite.content import Article, all_articles
from newsvault.demosite.server import SiteServer
from newsvault.demosite.site import build_site

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
WORDS_TEXT = (
    "parliament minister treaty ceasefire harbour election council budget tariff "
    "pipeline refinery drought harvest court verdict senator governor protest union "
    "strike wages inflation currency exports shipping insurance reactor inspectors "
    "delegation summit envoy sanctions ledger quarterly earnings regulator auditors"
)
WORDS = WORDS_TEXT.split()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RedisServer:
    """redis-server on 127.0.0.1; ``durable`` keeps an append-only file in ``data``."""

    data: Path
    durable: bool = False
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url)

    def start(self) -> None:
        self.data.mkdir(parents=True, exist_ok=True)
        persistence = ["--appendonly", "yes"] if self.durable else ["--appendonly", "no"]
        listen = ["--bind", "127.0.0.1", "--port", str(self.port), "--save", ""]
        self.process = subprocess.Popen(
            [REDIS_SERVER, *listen, "--dir", str(self.data), *persistence],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if self.client().ping():
                    return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()  # SIGTERM: redis flushes its append-only file
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path / "redis")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def durable_redis(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path / "redis", durable=True)
    server.start()
    yield server
    server.stop()


def generated_articles(count: int, seed: int = 8) -> list[Article]:
    """``count`` distinct articles, each with its own text (shared text reads as boilerplate)."""
    rng = random.Random(seed)
    out = []
    for n in range(count):
        day = f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}"
        slug = f"generated-story-{n:04d}"
        title = f"Story {n}: " + " ".join(rng.sample(WORDS, 5)).capitalize()
        paragraphs = [
            " ".join(rng.choice(WORDS) for _ in range(40)).capitalize() + f" (report {n}-{p})."
            for p in range(4)
        ]
        lines = [("headline", title)] + [("article", p) for p in paragraphs]
        path = f"/business/{day.replace('-', '/')}/{slug}/"
        out.append(Article(slug, path, day, "ledger", title, lines, "Staff reporter"))
    return out


@dataclass
class BigSite:
    """The demo site with ``total`` articles, served from a thread of the test process."""

    server: SiteServer
    articles: list[Article]

    @property
    def base(self) -> str:
        return self.server.base_url

    @property
    def hostport(self) -> str:
        return self.base.removeprefix("http://")

    def requests(self) -> list[str]:
        return list(self.server.requests)

    def article_requests(self) -> list[str]:
        paths = {a.path for a in self.articles}
        return [p for p in self.requests() if p in paths]


def start_big_site(total: int = 200) -> BigSite:
    server = SiteServer(None)
    extra = generated_articles(total - len(all_articles()))
    server.site = build_site(server.base_url, extra=extra)
    server.start()
    return BigSite(server, server.site.articles)


@pytest.fixture
def big_site() -> Iterator[BigSite]:
    site = start_big_site()
    yield site
    site.server.shutdown()
    site.server.server_close()
