"""One running scheduler per state directory.

Two schedulers sharing one job store run every job two to four times, so a
scheduler holds an exclusive ``flock`` on a file next to its job store for as
long as it runs. The lock dies with the process: a crash leaves nothing stale.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType


class SchedulerRunning(Exception):
    """Another scheduler already runs on this state directory."""


class SchedulerLock:
    def __init__(self, directory: Path) -> None:
        self.path = directory / "scheduler.lock"
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode(errors="replace").strip() or "?"
            os.close(fd)
            raise SchedulerRunning(
                f"another scheduler (pid {holder}) is running on {self.path.parent}"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> SchedulerLock:
        self.acquire()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()
