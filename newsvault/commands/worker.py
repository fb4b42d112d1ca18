"""``newsvault worker [--concurrency N] [--source S ...] [--max-idle S]``"""

from __future__ import annotations

import argparse
import os

from newsvault import app
from newsvault.batchjob import become_batch_job
from newsvault.fleet import DEFAULT_LEASE_S, default_worker_id, resolve_redis_url
from newsvault.fleet import safe_worker_id as _safe_id
from newsvault.locks import SourceBusy
from newsvault.summary import print_summary


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "worker",
        help="crawl from the shared Redis queue until stopped (distributed mode)",
        description="Run a distributed worker. Redis comes from $NEWSVAULT_REDIS_URL or "
        "[distributed] redis_url. SIGTERM/SIGINT closes the files, publishes and exits.",
    )
    parser.add_argument(
        "--source",
        action="append",
        default=[],
        metavar="SOURCE",
        help="serve only this source (repeatable; default: every configured source)",
    )
    parser.add_argument(
        "--concurrency", type=int, metavar="N", help="concurrent requests per source"
    )
    parser.add_argument(
        "--max-idle",
        type=float,
        default=0.0,
        metavar="S",
        help="exit after S seconds without work (default: run until stopped)",
    )
    parser.add_argument("--worker-id", help="name in WARC files and manifests (default: host-pid)")
    parser.add_argument(
        "--lease",
        type=float,
        default=DEFAULT_LEASE_S,
        metavar="S",
        help="seconds of silence after which other workers take over this one's requests",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    become_batch_job()
    config = app.load(args)
    redis_url = resolve_redis_url(config, os.environ)
    if not redis_url:
        print("newsvault worker: set [distributed] redis_url or NEWSVAULT_REDIS_URL")
        return 2
    if args.concurrency is not None and args.concurrency < 1:
        print("newsvault worker: --concurrency must be at least 1")
        return 2
    keys = list(dict.fromkeys(args.source)) or sorted(config.sources)
    sources = [config.source(k) for k in keys]
    from newsvault.worker import WorkerOptions, run_worker, worker_ok  # Scrapy: only when crawling

    options = WorkerOptions(
        redis_url=redis_url,
        worker_id=_safe_id(args.worker_id) if args.worker_id else default_worker_id(),
        max_idle_s=args.max_idle,
        lease_s=max(args.lease, 3.0),
        concurrency=args.concurrency,
    )
    try:
        result = run_worker(config, sources, options)
    except SourceBusy as exc:
        print(f"newsvault worker: {exc}")
        return 1
    print_summary(result)
    return 0 if worker_ok(result) else 1
