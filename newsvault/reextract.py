"""Rebuild clean article records from archived WARC response records, offline.

Each source's WARCs are read from the archive (through the local object cache),
article responses are cleaned in a process pool on every core, and the result
is a new text set under ``reextract/<set_id>/``, tagged with the extractor
version and configuration hash. The crawl-time text set stays untouched.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator

from newsvault.config import Config, Source
from pipelines import warcbrotli
from pipelines.cleaning import CleaningRules, Extraction, SiteProfile
from pipelines.cleaning.extract import extract
from pipelines.extraction import build_record
from spiders.items import ArticlePage
from spiders.urls import canonical
from storage.base import Store
from storage.cache import ObjectCache
from storage.keys import parse_dated_key, reextract_key
from storage.spool import Spool

Progress = Callable[[int], None]
warcbrotli.install()


@dataclass
class ReextractReport:
    set_id: str
    articles: int = 0
    changed: int = 0
    unchanged: int = 0
    new: int = 0
    empty: int = 0
    keys: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Window:
    since: date | None = None
    until: date | None = None

    def holds(self, key: str) -> bool:
        parsed = parse_dated_key(key)
        if parsed is None:
            return False
        day = parsed[2]
        return not ((self.since and day < self.since) or (self.until and day > self.until))


def article_pages(path: Path, source: Source) -> Iterator[ArticlePage]:
    """Article response records of one WARC file, as the spider would have seen them."""
    with path.open("rb") as fh:
        records = ArchiveIterator(fh)
        for record in records:
            if record.rec_type != "response" or record.http_headers is None:
                continue
            url = str(record.rec_headers.get_header("WARC-Target-URI"))
            ctype = record.http_headers.get_header("Content-Type") or ""
            status = record.http_headers.get_statuscode()
            if status != "200" or "html" not in ctype or not source.article_pattern.search(url):
                continue
            body = record.content_stream().read()  # content-decoded, as Scrapy hands it on
            records.read_to_end()
            date_header = str(record.rec_headers.get_header("WARC-Date"))
            yield ArticlePage(
                source=source.key,
                url=url,
                canonical_url=canonical(url),
                status=200,
                body=body,
                fetched_at=date_header[:19] + "+00:00",
                discovered_via="reextract",
                warc={
                    "warc_file": path.name,
                    "warc_offset": records.get_record_offset(),
                    "warc_length": records.get_record_length(),
                    "warc_record_id": record.rec_headers.get_header("WARC-Record-ID"),
                    "warc_date": date_header,
                    "payload_digest": record.rec_headers.get_header("WARC-Payload-Digest"),
                },
            )


def _clean(page: ArticlePage, rules: CleaningRules) -> tuple[ArticlePage, Extraction | None]:
    return page, extract(page.body, page.url, rules)


def bounded_map(
    pool: ProcessPoolExecutor,
    fn: Callable[[ArticlePage, CleaningRules], Any],
    pages: Iterator[ArticlePage],
    rules: CleaningRules,
    limit: int,
) -> Iterator[Any]:
    """Like ``pool.map`` but with at most ``limit`` pages in flight, in order:
    a WARC of a gigabyte must not be read into memory at once."""
    window: deque[Future[Any]] = deque()
    for page in pages:
        window.append(pool.submit(fn, page, rules))
        if len(window) >= limit:
            yield window.popleft().result()
    while window:
        yield window.popleft().result()


def text_digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def old_texts(store: Store, source: str, window: Window) -> dict[str, bytes]:
    """A digest of the crawl-time text by record id, to count what changed
    (digests, not texts: an archive's worth of text need not sit in memory)."""
    texts: dict[str, bytes] = {}
    for obj in store.list(f"text/{source}/"):
        if obj.key.endswith(".jsonl.gz") and window.holds(obj.key):
            for line in gzip.decompress(store.get(obj.key)).decode("utf-8").splitlines():
                record = json.loads(line)
                texts[record["id"]] = text_digest(record["text"])
    return texts


class Reextractor:
    def __init__(
        self, config: Config, store: Store, spool: Spool, cache: ObjectCache, workers: int = 0
    ) -> None:
        self.config, self.store, self.spool, self.cache = config, store, spool, cache
        self.workers = workers or os.cpu_count() or 1
        self.started = datetime.now(UTC)

    def run(
        self, sources: list[Source], window: Window, progress: Progress | None = None
    ) -> ReextractReport:
        rules_hash = CleaningRules().config_hash()[:8]
        report = ReextractReport(f"{self.started:%Y%m%dT%H%M%SZ}-{rules_hash}")
        with ProcessPoolExecutor(self.workers) as pool:
            for source in sources:
                self._source(pool, source, window, report, progress)
        return report

    def warc_keys(self, source: Source, window: Window) -> list[tuple[str, int]]:
        return [
            (o.key, o.size)
            for o in self.store.list(f"warc/{source.key}/")
            if o.key.endswith(".warc.gz") and window.holds(o.key)
        ]

    def _source(
        self,
        pool: ProcessPoolExecutor,
        source: Source,
        window: Window,
        report: ReextractReport,
        progress: Progress | None,
    ) -> None:
        rules = CleaningRules(drop_selectors=source.drop_selectors)
        profile_path = self.config.state_dir / "sources" / source.key / "profile.json"
        profile = SiteProfile.load(profile_path)
        before = old_texts(self.store, source.key, window)
        results: list[dict[str, Any]] = []
        for key, size in self.warc_keys(source, window):
            pages = article_pages(self.cache.local(key, size), source)
            for page, found in bounded_map(pool, _clean, pages, rules, 4 * self.workers):
                if progress:
                    progress(1)
                if found is None or not found.text.strip():
                    report.empty += 1
                    continue
                profile.observe(page.canonical_url, found.blocks, found.block_keys)
                results.append(build_record(page, found, rules))
        self._write(source, results, profile, before, report)

    def _write(
        self,
        source: Source,
        results: list[dict[str, Any]],
        profile: SiteProfile,
        before: dict[str, bytes],
        report: ReextractReport,
    ) -> None:
        by_day: dict[str, list[dict[str, Any]]] = {}
        for record in results:
            record.pop("_seen_url", None)
            blocks = profile.filter(record.pop("_blocks"), record.pop("_keys", None))
            record["text"] = "\n".join(blocks)
            record["text_set"] = report.set_id
            by_day.setdefault(record["fetched_at"][:10], []).append(record)
            old = before.get(record["id"])
            report.articles += 1
            if old is None:
                report.new += 1
            elif old == text_digest(record["text"]):
                report.unchanged += 1
            else:
                report.changed += 1
        for day, records in sorted(by_day.items()):
            key = reextract_key(report.set_id, source.key, date.fromisoformat(day), 0)
            path = self.spool.path_for(key)
            tmp = path.with_name(path.name + ".open")
            with gzip.open(tmp, "wt", encoding="utf-8") as out:
                for record in records:
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
            tmp.replace(path)
            report.keys.append(key)
