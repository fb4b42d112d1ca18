"""Finish the text batches a killed crawl left in the spool.

Every complete line of a raw batch is a clean record whose WARC records were
written (and flushed) before the record existed, so the batch is finalised
like any other, added to its run's ledger and its URLs marked archived: only
the articles in flight when the crawl died are fetched again.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipelines.cleaning import SiteProfile
from pipelines.textbatch import finalise_batch, keyword_check
from spiders.urls import canonical
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


def recover_text(
    spool: Path,
    source: str,
    state_path: Path,
    keywords: Sequence[str],
    lost: Collection[str] = (),
) -> int:
    """Finalise the source's raw batches; returns how many records were kept.

    ``lost`` are URLs whose WARC response record was cut off by the salvage
    (data the operating system never wrote): their records would point at
    nothing, so they are left out and the URLs fetched again.
    """
    kept = 0
    check = keyword_check(keywords)
    # Target URIs as fetched, and as the spider recorded them (canonical).
    lost = {*lost, *(canonical(url) for url in lost)}

    def drop(record: dict[str, Any]) -> str | None:
        return "warc_record_lost" if record.get("url") in lost else check(record)

    for raw, run_id, batch in raw_batches(spool, source):
        key = text_key(source, datetime.now(UTC), f"{run_id}-{batch}")
        profile = SiteProfile.load(state_path.parent / "profile.json")
        result = finalise_batch(raw, spool / key, profile, drop)
        if result.kept:
            RunLedger(spool, run_id, source).add(key, spool / key, records=result.kept)
        state = CrawlState(state_path)
        try:
            state.mark_archived(*(url for url in result.urls if url not in lost))
        finally:
            state.close()
        raw.unlink()
        kept += result.kept
    return kept
