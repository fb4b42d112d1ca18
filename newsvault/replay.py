"""Keep a pywb collection in step with the archive, for replay.

The collection links the archive's WARCs (from a local archive in place, from
S3 through the local object cache, downloaded once) and uses the CDXJ index
written next to each WARC, so nothing is re-indexed or copied twice.
"""

from __future__ import annotations

import gzip
import json
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pipelines.replaypath import REPLAY_COLLECTION
from storage.base import Store
from storage.cache import ObjectCache
from storage.keys import parse_dated_key

COLLECTION = REPLAY_COLLECTION


@dataclass(frozen=True)
class Selection:
    sources: frozenset[str] = frozenset()
    since: date | None = None

    def holds(self, key: str) -> bool:
        parsed = parse_dated_key(key)
        if parsed is None:
            return False
        _, source, day, _ = parsed
        return (not self.sources or source in self.sources) and not (
            self.since and day < self.since
        )


def sync_collection(store: Store, cache: ObjectCache, root: Path, pick: Selection) -> int:
    """Link selected WARCs and their indexes into the collection; returns the WARC count."""
    coll = root / "collections" / COLLECTION
    archive, indexes = coll / "archive", coll / "indexes"
    for folder in (archive, indexes):
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.iterdir():
            old.unlink()  # the selection may have changed since the last replay
    count = 0
    for obj in store.list("warc/"):
        if not obj.key.endswith(".warc.gz") or not pick.holds(obj.key):
            continue
        name = obj.key.rsplit("/", 1)[1]
        os.symlink(cache.local(obj.key, obj.size).resolve(), archive / name)
        index_key = obj.key.removesuffix(".warc.gz") + ".cdxj"
        os.symlink(cache.local(index_key).resolve(), indexes / (name + ".cdxj"))
        count += 1
    return count


def newest_articles(store: Store, pick: Selection) -> dict[str, dict[str, Any]]:
    """The most recently fetched clean record of each selected source."""
    newest: dict[str, dict[str, Any]] = {}
    for obj in store.list("text/"):
        if not (obj.key.endswith(".jsonl.gz") and pick.holds(obj.key)):
            continue
        for line in gzip.decompress(store.get(obj.key)).decode("utf-8").splitlines():
            record = json.loads(line)
            best = newest.get(record["source"])
            if best is None or record["fetched_at"] >= best["fetched_at"]:
                newest[record["source"]] = record
    return newest
