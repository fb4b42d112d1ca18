"""Write clean article records as gzipped JSON Lines into the spool.

Records are first appended to a raw ``.open`` batch file. When a batch is
finalised (every ``NEWSVAULT_TEXT_BATCH`` records and at the end of the run)
each record's blocks pass through the source's site-learned profile, which
by then has seen the whole batch, so boilerplate learned on page 40 is also
removed from page 1. Only then are the records compressed, given their
final name, and their URLs marked as archived.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Self

import orjson
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from pipelines.cleaning import SiteProfile
from pipelines.textbatch import finalise_batch, keyword_check
from storage.keys import text_key
from storage.runledger import RunLedger
from storage.state import open_archived_set

logger = logging.getLogger(__name__)

PROFILE_SAVE_INTERVAL_S = 60.0


class TextWriterPipeline:
    def __init__(
        self,
        crawler: Crawler,
        spool: Path,
        source: str,
        run_id: str,
        profile_path: Path,
        keywords: list[str],
        batch_size: int,
    ) -> None:
        self.crawler = crawler
        self.spool = spool
        self.source = source
        self.run_id = run_id
        self.profile_path = profile_path
        self._drop = keyword_check(keywords)
        self.batch_size = batch_size
        self.ledger = RunLedger(spool, run_id, source)
        self.batch = 0
        self._raw: IO[bytes] | None = None
        self._raw_path: Path | None = None
        self._in_batch = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        s = crawler.settings
        if not s.getbool("NEWSVAULT_TEXT_ENABLED", True):
            raise NotConfigured("text output disabled")
        return cls(
            crawler,
            Path(s["NEWSVAULT_SPOOL_DIR"]),
            s["NEWSVAULT_SOURCE"],
            s["NEWSVAULT_RUN_ID"],
            Path(s["NEWSVAULT_PROFILE_PATH"]),
            s.getlist("NEWSVAULT_KEYWORDS"),
            s.getint("NEWSVAULT_TEXT_BATCH", 500),
        )

    def open_spider(self) -> None:
        self.state = open_archived_set(self.crawler.settings)
        self.profile = SiteProfile.load(self.profile_path)
        self._profile_saved = time.monotonic()

    def _stat(self, key: str, count: int = 1) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"text/{key}", count)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, dict) or "_blocks" not in item:
            return item
        self.profile.observe(item["_seen_url"], item["_blocks"], item.get("_keys"))
        if self._raw is None:
            self._raw_path = (
                self.spool / ".text" / f"{self.run_id}-{self.source}-{self.batch:04d}.jsonl"
            )
            self._raw_path.parent.mkdir(parents=True, exist_ok=True)
            self._raw = self._raw_path.open("wb")
        # "text" is rebuilt from the filtered blocks at finalisation: not stored twice
        # (left empty, not removed, so the published records keep their key order)
        raw = {**item, "text": ""}
        self._raw.write(orjson.dumps(raw, option=orjson.OPT_APPEND_NEWLINE))
        # Flushed per record: after a crash, salvage finalises every complete line,
        # so only the articles in flight are fetched again.
        self._raw.flush()
        self._in_batch += 1
        if self._in_batch >= self.batch_size:
            self._finalise()
        return item

    def _finalise(self) -> None:
        if self._raw is None or self._raw_path is None:
            return
        self._raw.close()
        key = text_key(self.source, datetime.now(UTC), f"{self.run_id}-{self.batch:04d}")
        final = self.spool / key
        result = finalise_batch(self._raw_path, final, self.profile, self._drop)
        if result.kept:
            self.ledger.add(key, final, records=result.kept)
        for why, count in result.dropped.items():
            self._stat(f"dropped/{why}", count)
        self.state.mark_archived(*result.urls)
        self._stat("records", result.kept)
        self._raw_path.unlink()
        self._raw, self._raw_path, self._in_batch = None, None, 0
        self.batch += 1
        # The profile is tens of thousands of counts by now; saving it costs more
        # than finalising a batch, so a long crawl saves it once a minute (and at
        # the end). A crash loses at most that minute of learning, never records.
        if time.monotonic() - self._profile_saved >= PROFILE_SAVE_INTERVAL_S:
            self._save_profile()

    def _save_profile(self) -> None:
        self.profile.save(self.profile_path)
        self._profile_saved = time.monotonic()

    def close_spider(self) -> None:
        self._finalise()
        self._save_profile()
        self.state.close()
