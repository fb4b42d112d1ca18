"""One extraction process pool per crawl process.

Cleaning a page costs 10–15 ms of CPU and can take seconds on a huge page,
so it runs in worker processes with a per-task time limit (pebble kills and
replaces a worker that overruns). Crawlers of several sources in one process
share the pool, so a multi-source run does not start a pool per source.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from pebble import ProcessPool

_lock = threading.Lock()
_pool: ProcessPool | None = None
_users = 0


def size(workers: int) -> int:
    """Worker processes for a configured count; 0 means one per core."""
    return workers or os.cpu_count() or 1


def acquire(workers: int) -> ProcessPool:
    global _pool, _users  # noqa: PLW0603 - one pool per process is the point
    with _lock:
        if _pool is None:
            count = size(workers)
            # forkserver: forking a process that runs Twisted threads is unsafe.
            context = multiprocessing.get_context("forkserver")
            # Workers fork from a server that has imported the cleaner already, so a
            # replacement worker (every max_tasks) skips a quarter second of imports.
            context.set_forkserver_preload(["pipelines.cleaning"])
            _pool = ProcessPool(max_workers=count, max_tasks=500, context=context)
        _users += 1
        return _pool


def release() -> None:
    global _pool, _users  # noqa: PLW0603
    with _lock:
        _users -= 1
        if _users <= 0 and _pool is not None:
            _pool.close()  # type: ignore[no-untyped-call]
            _pool.join(timeout=30)
            _pool = None
            _users = 0


@contextmanager
def started(workers: int) -> Iterator[ProcessPool]:
    """Hold the pool open around a crawl, so its workers start before the crawl does."""
    pool = acquire(workers)
    try:
        yield pool
    finally:
        release()
