"""One extraction process pool per crawl process.

Cleaning a page costs 10–15 ms of CPU and can take seconds on a huge page,
so it runs in worker processes with a per-task time limit (pebble kills and
replaces a worker that overruns). Crawlers of several sources in one process
share the pool, so a multi-source run does not start a pool per source.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext
from typing import TYPE_CHECKING

from pebble import ProcessPool

if TYPE_CHECKING:
    from pipelines.cleaning import CleaningRules, Extraction

logger = logging.getLogger(__name__)

MAX_TASKS = 2000
# Linux's default for an unprivileged process (/proc/sys/fs/pipe-max-size).
PIPE_BYTES = 1 << 20

_lock = threading.Lock()
_pool: ProcessPool | None = None
_users = 0
# The hold ``started`` takes ahead of the crawl, until the first user takes it over.
_ahead = False
# Pools closing in the background: pebble's join waits for loops that wake every
# 0.1 s, and the crawl can close its files and publish meanwhile.
_closing: list[threading.Thread] = []
# In a worker: how many objects were frozen when it started (by the forkserver).
inherited_frozen = 0


def size(workers: int) -> int:
    """Worker processes for a configured count; 0 means one per core."""
    return workers or os.cpu_count() or 1


def acquire(workers: int, *, ahead: bool = False) -> ProcessPool:
    """The process's pool, started if needed; each call needs one ``release``.

    ``ahead``: a hold taken before the pool's users exist (see ``started``); the
    first user then takes that hold over, so the pool closes when the last user
    leaves, not when the caller that started it does.
    """
    global _pool, _users, _ahead  # noqa: PLW0603 - one pool per process is the point
    with _lock:
        if _pool is None:
            count = size(workers)
            # forkserver: forking a process that runs Twisted threads is unsafe.
            context = WidePipeContext()
            # Workers fork from a server that has imported the cleaner already, so a
            # replacement worker (every max_tasks) skips a quarter second of imports.
            # pipelines.preloaded comes last: it freezes everything loaded before it.
            context.set_forkserver_preload(
                ["pipelines.cleaning.extract", "pipelines.workerpool", "pipelines.preloaded"]
            )
            # A worker is replaced every MAX_TASKS pages: a bound on what a leak in a
            # C extension could hold, rare enough that the restarts cost nothing.
            _pool = ProcessPool(
                max_workers=count, max_tasks=MAX_TASKS, context=context, initializer=_quiet_gc
            )
            # pebble starts its workers at the first task; start them now, in the
            # background, so the forkserver loads the cleaner while the caller goes on.
            threading.Thread(target=_warm_up, args=(_pool,), daemon=True).start()
        if _ahead and not ahead:
            _ahead = False
            return _pool
        _users += 1
        _ahead = _ahead or ahead
        return _pool


class WidePipeContext(ForkServerContext):
    """A forkserver context whose one-way pipes hold several pages.

    pebble hands tasks to its workers through one such pipe. At Linux's default
    64 KiB a 150 KB page takes several writes, and between two of them the
    pool's sending thread waits for the crawl's GIL while a worker waits
    half-read; with room for a few pages a finished worker finds the next one
    whole. Steady use of two cores rose from 1.83 to 1.92 (bench/README.md).
    """

    def Pipe(self, duplex: bool = True) -> tuple[Connection, Connection]:
        reader, writer = super().Pipe(duplex)
        if not duplex:
            widen(writer)
        return reader, writer


def widen(conn: Connection) -> None:
    """Grow the pipe behind ``conn`` to PIPE_BYTES where the system allows it
    (a smaller pipe is slower, not wrong)."""
    try:
        fcntl.fcntl(conn.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except OSError as exc:  # over the system's or the user's limit
        logger.debug("pipe kept at its default size: %s", exc)


def _warm_up(pool: ProcessPool) -> None:
    with contextlib.suppress(RuntimeError):  # closed already: nothing to warm
        pool.schedule(os.getpid)


def _quiet_gc() -> None:
    """Worker start: the cleaner loaded by the forkserver is never garbage, and
    each page makes many short-lived objects; fewer, cheaper collections save
    about 2 % of the cleaning CPU (and keep the inherited pages shared)."""
    global inherited_frozen  # noqa: PLW0603 - read by the tests, in a worker
    inherited_frozen = gc.get_freeze_count()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


def clean(body: bytes, url: str, rules: CleaningRules) -> Extraction | None:
    """Clean one page, in a worker.

    The task names this function, not the cleaner, so the crawl's own process
    never imports trafilatura; the workers have it from the forkserver.
    """
    from pipelines.cleaning.extract import extract

    return extract(body, url, rules)


def release() -> None:
    """Give up one hold; the last one closes the pool in the background.

    The workers have finished every task by then (each user awaited its own);
    ``wait_closed`` waits until they have exited.
    """
    global _pool, _users, _ahead  # noqa: PLW0603
    with _lock:
        _users -= 1
        if _users <= 0 and _pool is not None:
            pool, _pool, _users, _ahead = _pool, None, 0, False
            pool.close()  # type: ignore[no-untyped-call]
            # Not a daemon: the interpreter waits for it before exiting.
            closer = threading.Thread(target=_join, args=(pool,), name="workerpool-close")
            closer.start()
            _closing.append(closer)


def _join(pool: ProcessPool) -> None:
    try:
        pool.join(timeout=30)
    except TimeoutError:  # a task still running: stop its worker
        logger.warning("extraction workers still busy at close; stopping them")
        pool.stop()  # type: ignore[no-untyped-call]
        pool.join()


def wait_closed() -> None:
    """Return once every closed pool's workers have exited."""
    while _closing:
        _closing.pop().join()


@contextmanager
def started(workers: int) -> Iterator[ProcessPool]:
    """Start the pool ahead of a crawl, so its workers load the cleaner while the
    crawl starts; the crawl's own users then hold it, and it closes when the last
    of them leaves (its workers exit while the crawl publishes). On exit, waits
    until they have."""
    pool = acquire(workers, ahead=True)
    try:
        yield pool
    finally:
        with _lock:
            unused = _ahead and _pool is pool
        if unused:
            release()
        wait_closed()
