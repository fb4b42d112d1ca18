"""Which spooled files a run produced, kept durably for its manifest.

Each component that closes a file appends its key here; the manifest lists
exactly these files with their sizes and checksums. The ledger sits in a
hidden folder of the spool, so it is never published itself.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from storage.base import file_sha256


class RunLedger:
    def __init__(self, spool: Path, run_id: str, source: str) -> None:
        self.path = spool / ".runs" / f"{run_id}-{source}.jsonl"
        self.path.parent.mkdir(parents=True, exist_ok=True)

    def add(self, key: str, path: Path, sha256: str | None = None, **extra: object) -> None:
        """``sha256``: the file's digest if the writer kept one as it wrote (a
        gigabyte WARC is not read back for it)."""
        digest = sha256 or file_sha256(path)
        entry = {"key": key, "size": path.stat().st_size, "sha256": digest, **extra}
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry) + "\n")
            fh.flush()
            os.fsync(fh.fileno())

    def entries(self) -> list[dict[str, object]]:
        if not self.path.exists():
            return []
        with self.path.open(encoding="utf-8") as fh:
            return [json.loads(line) for line in fh if line.strip()]

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)
