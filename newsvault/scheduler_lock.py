"""One running scheduler per state directory.

Two schedulers sharing one job store run every job two to four times, so a
scheduler holds an exclusive lock on a file next to its job store for as
long as it runs.
"""

from __future__ import annotations

from pathlib import Path

from newsvault.locks import FileLock


class SchedulerRunning(Exception):
    """Another scheduler already runs on this state directory."""


class SchedulerLock(FileLock):
    def __init__(self, directory: Path) -> None:
        super().__init__(directory / "scheduler.lock")

    def busy(self, holder: str) -> Exception:
        return SchedulerRunning(
            f"another scheduler (pid {holder}) is running on {self.path.parent}"
        )
