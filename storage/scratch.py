"""A set of keys that lives as long as one run, on disk in its JOBDIR.

A Python set would grow with the site and never give the memory back; this
stays in SQLite beside Scrapy's request queues and goes when the crawl deletes
them. Without a path (a crawl without a JOBDIR) it is an in-memory database.
The crawl keeps two: the article URLs it has queued and the fingerprints of
the requests it has seen.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


class ScratchSet:
    def __init__(self, path: Path | None) -> None:
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(":memory:" if path is None else str(path), isolation_level=None)
        # scratch data of one run: nothing to recover after a crash
        self._db.execute("PRAGMA journal_mode=OFF")
        self._db.execute("PRAGMA synchronous=OFF")
        self._db.execute("CREATE TABLE IF NOT EXISTS keys (key PRIMARY KEY) WITHOUT ROWID")

    def add(self, key: str | bytes) -> bool:
        """Record ``key``; True if it was not there before."""
        cursor = self._db.execute("INSERT OR IGNORE INTO keys (key) VALUES (?)", (key,))
        return cursor.rowcount == 1

    def clear(self) -> None:
        self._db.execute("DELETE FROM keys")

    def close(self) -> None:
        self._db.close()
