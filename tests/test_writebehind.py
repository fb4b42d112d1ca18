"""A WARC being written is flushed to disk in the background, never under its close."""

from __future__ import annotations

import os
import threading
import time
from io import BytesIO
from pathlib import Path

import pytest

from pipelines import writebehind
from pipelines.warcfile import RollingWarcWriter
from pipelines.warcverify import check_warc


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

    monkeypatch.setattr(writebehind.os, "fdatasync", slow_fdatasync)
    w = RollingWarcWriter(
        lambda _: tmp_path, "nv", "test.host", 1 << 30, {"software": "t"}, sync_every=50_000
    )
    builder = w.record_builder()
    for n in range(8):
        record = builder.create_warc_record(
            f"https://news.example/a/{n}",
            "resource",
            payload=BytesIO(os.urandom(30_000)),
            length=30_000,
        )
        w.write([record])
    assert started.wait(10), "nothing was flushed while the file was open"
    path = w.close()
    closed_at = time.monotonic()
    assert all(name == "write-behind" for name, _ in flushes)
    assert all(size >= 50_000 for _, size in flushes)
    assert len(finished) == len(flushes), "the file was closed under a flush in progress"
    assert max(finished) <= closed_at
    assert path is not None and check_warc(path).ok
