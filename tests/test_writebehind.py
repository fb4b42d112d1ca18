"""A WARC being written is flushed to disk in the background, never under its close."""

from __future__ import annotations

import errno
import os
import threading
import time
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest

from pipelines.warcfile import RollingWarcWriter
from pipelines.warcverify import check_warc


def writer(directory: Path) -> RollingWarcWriter:
    """A writer that flushes in the background every 50,000 bytes."""
    return RollingWarcWriter(
        lambda _: directory, "nv", "test.host", 1 << 30, {"software": "t"}, sync_every=50_000
    )


def record(w: RollingWarcWriter, n: int) -> Any:
    """A 30,000-byte resource record."""
    return w.record_builder().create_warc_record(
        f"https://news.example/a/{n}",
        "resource",
        payload=BytesIO(os.urandom(30_000)),
        length=30_000,
    )


def test_writer_flushes_in_the_background_and_close_waits_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    flushes: list[tuple[str, int]] = []
    finished: list[float] = []
    started = threading.Event()

    def slow_fdatasync(fd: int) -> None:
        flushes.append((threading.current_thread().name, os.fstat(fd).st_size))
        started.set()
        time.sleep(0.2)  # a slow disk: close must still not close the file under it
        os.fsync(fd)
        finished.append(time.monotonic())

    monkeypatch.setattr("os.fdatasync", slow_fdatasync)
    w = writer(tmp_path)
    for n in range(8):
        w.write([record(w, n)])
    assert started.wait(10), "nothing was flushed while the file was open"
    path = w.close()
    closed_at = time.monotonic()
    assert all(name == "write-behind" for name, _ in flushes)
    assert all(size >= 50_000 for _, size in flushes)
    assert len(finished) == len(flushes), "the file was closed under a flush in progress"
    assert max(finished) <= closed_at
    assert path is not None and check_warc(path).ok


def test_a_failed_background_flush_fails_the_next_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Linux reports a write-back error once per open file: the background flush
    may be the only one to hear of it, so it must not be lost."""
    failed = threading.Event()

    def failing_fdatasync(fd: int) -> None:
        failed.set()
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr("os.fdatasync", failing_fdatasync)
    w = writer(tmp_path)
    w.write([record(w, 0)])
    w.write([record(w, 1)])  # past 50,000 bytes: the flush starts, and fails
    assert failed.wait(10)
    for thread in threading.enumerate():
        if thread.name == "write-behind":
            thread.join()
    with pytest.raises(OSError, match="Input/output error"):
        w.write([record(w, 2)])
    assert w.close() is not None, "reported once, the file still closes"
