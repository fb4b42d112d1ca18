"""Put a growing file on disk while it is still being written.

A file's closing fsync writes out everything not yet on disk, and the crawl
waits for it: about 30 ms for a 65 MB WARC here, 0.3 s for 650 MB, at the end
of a run when nothing else is left to do. Flushing every few megabytes from a
thread (``fdatasync`` releases the GIL) leaves the close only the tail, and
keeps less of the file at risk should the machine lose power mid-run.
"""

from __future__ import annotations

import logging
import os
import threading

logger = logging.getLogger(__name__)

SYNC_EVERY = 8 << 20


class WriteBehind:
    """Background ``fdatasync`` of one file at a time, at most one in flight."""

    def __init__(self, every: int = SYNC_EVERY) -> None:
        self.every = every
        self._unsynced = 0
        self._thread: threading.Thread | None = None

    def wrote(self, fd: int, count: int) -> None:
        """``count`` more bytes went to ``fd``; flush them if enough have gathered."""
        self._unsynced += count
        if self._unsynced < self.every or (self._thread and self._thread.is_alive()):
            return
        self._unsynced = 0
        self._thread = threading.Thread(
            target=self._sync, args=(fd,), name="write-behind", daemon=True
        )
        self._thread.start()

    def settle(self) -> None:
        """Wait for a flush in progress: call before the file's descriptor is closed."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        self._unsynced = 0

    @staticmethod
    def _sync(fd: int) -> None:
        try:
            os.fdatasync(fd)
        except OSError as exc:  # the closing fsync reports what matters
            logger.debug("background flush failed: %s", exc)
