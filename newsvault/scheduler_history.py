"""The scheduler's record of every job outcome, for ``newsvault status``.

Run manifests in the archive say what a crawl produced; this small SQLite
table adds what only the scheduler knows: crawls skipped because the source
was busy, missed start times, time-outs, and crawls that never wrote a
manifest at all.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source TEXT NOT NULL,
    start TEXT NOT NULL,
    end TEXT,
    exit_code INTEGER,
    result TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS runs_source ON runs (source, id);
"""

# Results a job can end with; "running" until it ends.
RESULTS = ("running", "ok", "failed", "timeout", "interrupted", "skipped", "missed")


@dataclass(frozen=True)
class JobRun:
    source: str
    start: str
    end: str | None
    exit_code: int | None
    result: str
    detail: str


def history_path(state_dir: Path) -> Path:
    return state_dir / "scheduler" / "history.sqlite"


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class RunHistory:
    def __init__(self, path: Path) -> None:
        self.path = path

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.executescript(_SCHEMA)
        return db

    def started(self, source: str) -> int:
        with closing(self._connect()) as db:
            cur = db.execute(
                "INSERT INTO runs (source, start, result) VALUES (?, ?, 'running')",
                (source, now_iso()),
            )
            return int(cur.lastrowid or 0)

    def finished(self, run: int, result: str, exit_code: int | None, detail: str = "") -> None:
        with closing(self._connect()) as db:
            db.execute(
                "UPDATE runs SET end = ?, result = ?, exit_code = ?, detail = ? WHERE id = ?",
                (now_iso(), result, exit_code, detail, run),
            )

    def record(self, source: str, result: str, detail: str = "") -> None:
        """A job that never started a crawl (skipped or missed)."""
        self.finished(self.started(source), result, None, detail)

    def runs(self, source: str | None = None, limit: int = 100) -> list[JobRun]:
        """The newest runs first."""
        if not self.path.exists():
            return []
        query = "SELECT source, start, end, exit_code, result, detail FROM runs"
        args: tuple[object, ...] = ()
        if source is not None:
            query, args = query + " WHERE source = ?", (source,)
        with closing(self._connect()) as db:
            rows = db.execute(query + " ORDER BY id DESC LIMIT ?", (*args, limit)).fetchall()
        return [JobRun(*row) for row in rows]
