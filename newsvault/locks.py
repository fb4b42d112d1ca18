"""Exclusive file locks: one crawl of a source, one scheduler per state dir.

``flock`` locks vanish with the process that held them, so a crashed crawl or
scheduler never leaves a stale lock behind. The holder's pid is written into
the file so a refusal can name it.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType
from typing import Self


class SourceBusy(Exception):
    """Another process is crawling this source."""


class FileLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def busy(self, holder: str) -> Exception:
        """The error to raise when another process holds the lock."""
        return BlockingIOError(f"{self.path} is locked by pid {holder}")

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode(errors="replace").strip() or "?"
            os.close(fd)
            raise self.busy(holder) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> Self:
        self.acquire()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()


class SourceLock(FileLock):
    def __init__(self, state_dir: Path, source: str) -> None:
        super().__init__(state_dir / "locks" / f"{source}.lock")
        self.source = source

    def busy(self, holder: str) -> Exception:
        return SourceBusy(f"source {self.source!r} is being crawled by another process")
