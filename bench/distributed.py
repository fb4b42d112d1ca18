"""Distributed crawl throughput with 1 and 2 local workers, and Redis bytes per URL.

``python bench/distributed.py [--pages N] [--workers 1,2] [--concurrency C]``

Serves ``bench/bigsite.py``'s realistic pages (150-200 KB each) from a thread,
starts a private redis-server on 127.0.0.1, and for each worker count runs
that many ``newsvault worker`` processes against a fresh Redis and archive,
enqueues one discovery round and times it from the enqueue to the last
article request the site receives. While it runs it samples the Redis keys
with ``MEMORY USAGE`` to report bytes per queued request, per dupefilter
fingerprint and per archived URL.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import redis

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bigsite import BigSiteHandler, BigSiteServer, crawl_config  # noqa: E402

from newsvault.fleet import enqueue_sources  # noqa: E402
from storage.redisstate import RedisKeys  # noqa: E402
from tests.redis_fixtures import RedisServer  # noqa: E402


class CountingHandler(BigSiteHandler):
    def do_GET(self) -> None:
        if self.path.startswith("/news/"):
            server: Any = self.server
            with server.lock:
                server.article_times.append(time.monotonic())
        super().do_GET()


@dataclass
class Sample:
    per_request: list[float] = field(default_factory=list)
    per_fingerprint: float = 0.0
    per_archived: float = 0.0


def sample_memory(client: redis.Redis, keys: RedisKeys, out: Sample, stop: threading.Event) -> None:
    while not stop.wait(0.5):
        queued: Any = client.zcard(keys.requests)
        if queued:
            used: Any = client.memory_usage(keys.requests, samples=0)
            out.per_request.append(used / queued)


def key_bytes_per_member(client: redis.Redis, key: str, count: Any) -> float:
    used: Any = client.memory_usage(key, samples=0)
    return float(used) / int(count) if count else 0.0


def run(workers: int, pages: int, concurrency: int, site: Any, tmp: Path) -> dict[str, float]:
    root = tmp / f"w{workers}"
    server = RedisServer(root / "redis")
    server.start()
    base = f"http://127.0.0.1:{site.server_address[1]}"
    procs = []
    for n in range(workers):
        work = root / f"worker{n}"
        work.mkdir(parents=True)
        (work / "newsvault.toml").write_text(
            crawl_config(base, concurrency, root / "archive", extra="extract_workers = 1")
        )
        argv = [sys.executable, "-m", "newsvault", "-q", "--config", "newsvault.toml", "worker"]
        argv += ["--worker-id", f"bench{n}", "--max-idle", "5"]
        env = {**os.environ, "NEWSVAULT_REDIS_URL": server.url, "PYTHONPATH": str(REPO)}
        procs.append(subprocess.Popen(argv, cwd=work, env=env, stdout=subprocess.DEVNULL))
    time.sleep(4)  # let the workers import and open their spiders
    client, keys, sample, stop = server.client(), RedisKeys("big"), Sample(), threading.Event()
    sampler = threading.Thread(target=sample_memory, args=(client, keys, sample, stop))
    sampler.start()
    with site.lock:
        site.article_times.clear()
    began = time.monotonic()
    enqueue_sources(server.url, ["big"])
    for proc in procs:
        proc.wait(timeout=1800)
    stop.set()
    sampler.join()
    last = max(site.article_times)
    fetched = len(site.article_times)
    result = {
        "workers": workers,
        "articles": fetched,
        "seconds": last - began,
        "per_minute": fetched / (last - began) * 60,
        "exit_codes": sum(abs(p.returncode) for p in procs),
        "queue_bytes_per_request": max(sample.per_request, default=0.0),
        "dupefilter_bytes_per_url": key_bytes_per_member(
            client, keys.dupefilter, client.scard(keys.dupefilter)
        ),
        "archived_bytes_per_url": key_bytes_per_member(
            client, keys.archived, client.hlen(keys.archived)
        ),
    }
    server.stop()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/distributed.py")
    parser.add_argument("--pages", type=int, default=400)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args(argv)
    site = BigSiteServer(args.pages)
    site.RequestHandlerClass = CountingHandler
    site.lock, site.article_times = threading.Lock(), []  # type: ignore[attr-defined]
    threading.Thread(target=site.serve_forever, daemon=True).start()
    tmp = Path(tempfile.mkdtemp(prefix="nv-bench-"))
    try:
        for count in (int(w) for w in args.workers.split(",")):
            r = run(count, args.pages, args.concurrency, site, tmp)
            print(
                f"{r['workers']} worker(s): {r['articles']} articles in {r['seconds']:.1f} s = "
                f"{r['per_minute']:.0f}/min (exit codes sum {r['exit_codes']}); Redis bytes: "
                f"queued request {r['queue_bytes_per_request']:.0f}, "
                f"dupefilter {r['dupefilter_bytes_per_url']:.0f}/URL, "
                f"archived {r['archived_bytes_per_url']:.0f}/URL",
                flush=True,
            )
    finally:
        site.shutdown()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
