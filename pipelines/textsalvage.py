"""Finish the text batches a killed crawl left in the spool.

Every complete line of a raw batch is a clean record whose WARC records were
written (and flushed) before the record existed, so the batch is finalised
like any other, added to its run's ledger and its URLs marked archived: only
the articles in flight when the crawl died are fetched again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from pipelines.cleaning import SiteProfile
from pipelines.textbatch import finalise_batch, keyword_check
from storage.keys import text_key
from storage.runledger import RunLedger
from storage.state import CrawlState

RAW_BATCH = re.compile(r"^(\d{8}T\d{6}Z-[0-9a-f]+)-(.+)-(\d{4})\.jsonl$")


def raw_batches(spool: Path, source: str) -> list[tuple[Path, str, str]]:
    """(path, run id, batch number) of a source's unfinished raw batches."""
    folder = spool / ".text"
    found = []
    for path in sorted(folder.glob("*.jsonl")) if folder.is_dir() else []:
        match = RAW_BATCH.match(path.name)
        # Matched exactly: a glob for "demo" would also take a batch of source "x-demo".
        if match and match[2] == source:
            found.append((path, match[1], match[3]))
    return found


def recover_text(spool: Path, source: str, state_path: Path, keywords: Sequence[str]) -> int:
    """Finalise the source's raw batches; returns how many records were kept."""
    kept = 0
    for raw, run_id, batch in raw_batches(spool, source):
        key = text_key(source, datetime.now(UTC), f"{run_id}-{batch}")
        profile = SiteProfile.load(state_path.parent / "profile.json")
        result = finalise_batch(raw, spool / key, profile, keyword_check(keywords))
        if result.kept:
            RunLedger(spool, run_id, source).add(key, spool / key, records=result.kept)
        state = CrawlState(state_path)
        try:
            for url in result.urls:
                state.mark_archived(url)
        finally:
            state.close()
        raw.unlink()
        kept += result.kept
    return kept
