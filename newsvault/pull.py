"""Copy clean articles out of the archive, filtered, one file per source."""

from __future__ import annotations

import gzip
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from storage.base import Store
from storage.keys import parse_dated_key, safe_component

FORMATS = ("jsonl", "parquet", "txt")


class UnsafePathError(ValueError):
    """A pulled file would land outside the output directory."""


@dataclass(frozen=True)
class PullFilter:
    sources: frozenset[str] = frozenset()
    since: date | None = None
    until: date | None = None
    words: tuple[str, ...] = ()

    def wants_file(self, key: str) -> bool:
        parsed = parse_dated_key(key)
        if parsed is None or parsed[0] != "text" or not key.endswith(".jsonl.gz"):
            return False
        _, source, day, _ = parsed
        if self.sources and source not in self.sources:
            return False
        # An article cannot be published after it was fetched.
        return not (self.since and day < self.since)

    def wants(self, record: dict[str, Any]) -> bool:
        day = article_day(record)
        if (self.since and (day is None or day < self.since)) or (
            self.until and (day is None or day > self.until)
        ):
            return False
        haystack = f"{record.get('title') or ''}\n{record.get('text') or ''}"
        return all(re.search(rf"\b{re.escape(w)}\b", haystack, re.IGNORECASE) for w in self.words)


def article_day(record: dict[str, Any]) -> date | None:
    """Publication day, or the fetch day for articles without one."""
    for key in ("published", "fetched_at"):
        value = record.get(key)
        if isinstance(value, str) and len(value) >= 10:
            try:
                return date.fromisoformat(value[:10])
            except ValueError:
                continue
    return None


def text_files(store: Store, filt: PullFilter, text_set: str = "") -> list[str]:
    """Keys of the crawl-time text set, or of a re-extracted set by its id."""
    if not text_set:
        return [o.key for o in store.list("text/") if filt.wants_file(o.key)]
    prefix = f"reextract/{safe_component(text_set)}/"
    return [
        o.key for o in store.list(prefix) if filt.wants_file("text/" + o.key.removeprefix(prefix))
    ]


def records(store: Store, key: str) -> Iterator[dict[str, Any]]:
    with gzip.open(io.BytesIO(store.get(key)), "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def inside(out: Path, *parts: str) -> Path:
    """``out/parts`` after checking it cannot escape ``out``."""
    base = out.resolve()
    target = base.joinpath(*parts).resolve()
    if target != base and base not in target.parents:
        raise UnsafePathError(f"refusing to write outside {out}: {target}")
    return target


class Writer:
    """Per-source output in one of :data:`FORMATS`."""

    def __init__(self, out: Path, fmt: str) -> None:
        self.out, self.fmt = out, fmt
        self.buffers: dict[str, list[dict[str, Any]]] = {}
        self.handles: dict[str, io.TextIOWrapper] = {}
        self.counts: dict[str, int] = {}

    def add(self, record: dict[str, Any]) -> None:
        source = safe_component(str(record.get("source", "unknown")))
        self.counts[source] = self.counts.get(source, 0) + 1
        if self.fmt == "jsonl":
            if source not in self.handles:
                path = inside(self.out, f"{source}.jsonl")
                self.handles[source] = path.open("w", encoding="utf-8")
            self.handles[source].write(json.dumps(record, ensure_ascii=False) + "\n")
        elif self.fmt == "txt":
            path = inside(self.out, source, f"{safe_component(str(record['id']))}.txt")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(
                f"{record.get('title') or ''}\n\n{record.get('text') or ''}\n", encoding="utf-8"
            )
        else:
            self.buffers.setdefault(source, []).append(record)

    def close(self) -> None:
        for handle in self.handles.values():
            handle.close()
        if self.fmt == "parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            for source, rows in self.buffers.items():
                for row in rows:
                    row["extractor"] = json.dumps(row.get("extractor"))
                pq.write_table(pa.Table.from_pylist(rows), inside(self.out, f"{source}.parquet"))
