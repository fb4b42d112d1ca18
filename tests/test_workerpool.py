"""The extraction pool: started ahead of the first page, workers tuned for it."""

from __future__ import annotations

import fcntl
import gc
import os
import time
from pathlib import Path

import pytest

from pipelines import workerpool


def _descendants() -> set[int]:
    """Live processes below this one (workers are the forkserver's children)."""
    parent = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_bytes()
        except OSError:
            continue
        fields = stat.rsplit(b")", 1)[1].split()
        if fields[0] != b"Z":
            parent[int(entry.name)] = int(fields[1])
    found, todo = set(), [os.getpid()]
    while todo:
        pid = todo.pop()
        kids = [child for child, ppid in parent.items() if ppid == pid]
        found.update(kids)
        todo.extend(kids)
    return found


def test_pool_starts_its_processes_before_any_task() -> None:
    before = _descendants()
    with workerpool.started(1):
        deadline = time.monotonic() + 20
        while not (_descendants() - before) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _descendants() - before, "no worker started without a task"


def _worker_gc() -> tuple[int, int, int]:
    return workerpool.inherited_frozen, gc.get_freeze_count(), gc.get_threshold()[0]


def test_workers_freeze_what_they_inherit_and_collect_less_often() -> None:
    with workerpool.started(1) as pool:
        inherited, frozen, threshold = pool.schedule(_worker_gc).result(timeout=60)
    # the forkserver froze the cleaner and its libraries before forking the worker
    assert inherited > 10_000
    assert frozen >= inherited
    assert threshold > gc.get_threshold()[0]


def test_one_way_pipes_hold_several_pages() -> None:
    reader, writer = workerpool.WidePipeContext().Pipe(duplex=False)
    try:
        limit = int(Path("/proc/sys/fs/pipe-max-size").read_text())
        capacity = fcntl.fcntl(writer.fileno(), fcntl.F_GETPIPE_SZ)
        assert capacity == min(workerpool.PIPE_BYTES, limit)
        # a whole page goes in while no worker reads: the sender never waits half-way
        os.set_blocking(writer.fileno(), False)
        writer.send_bytes(b"x" * 600_000)
        assert len(reader.recv_bytes()) == 600_000
    finally:
        reader.close()
        writer.close()


def test_pool_hands_tasks_over_wide_pipes() -> None:
    with workerpool.started(1) as pool:
        page = b"<p>" * 200_000
        assert pool.schedule(len, args=(page,)).result(timeout=60) == len(page)
        # pebble's own channel to its workers: it must come from our context
        channel = pool._pool_manager.worker_manager.pool_channel
        assert channel is not None
        assert fcntl.fcntl(channel.writer.fileno(), fcntl.F_GETPIPE_SZ) >= workerpool.PIPE_BYTES


def test_pool_closes_when_its_last_user_leaves_and_started_waits_for_its_workers() -> None:
    with workerpool.started(1) as pool:
        user = workerpool.acquire(1)  # a crawl's pipeline takes over the early hold
        assert user is pool
        worker = user.schedule(os.getpid).result(timeout=60)
        assert worker in _descendants()
        workerpool.release()
        # closed when the last user left, not when the caller that started it is done
        with pytest.raises(RuntimeError):
            pool.schedule(os.getpid)
    assert worker not in _descendants()


def test_an_unused_early_pool_closes_with_its_starter() -> None:
    with workerpool.started(1) as pool:
        worker = pool.schedule(os.getpid).result(timeout=60)
    with pytest.raises(RuntimeError):
        pool.schedule(os.getpid)
    assert worker not in _descendants()
