"""Write clean article records as gzipped JSON Lines into the spool.

Records are first appended to a raw ``.open`` batch file. When a batch is
finalised (every ``NEWSVAULT_TEXT_BATCH`` records and at the end of the run)
each record's blocks pass through the source's site-learned profile, which
by then has seen the whole batch, so boilerplate learned on page 40 is also
removed from page 1. Only then are the records compressed, given their
final name, and their URLs marked as archived.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Self

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from pipelines.cleaning import SiteProfile
from storage.keys import text_key
from storage.runledger import RunLedger
from storage.state import open_archived_set

logger = logging.getLogger(__name__)

# zlib's default: level 9 costs about twice the CPU for files a few percent smaller.
GZIP_LEVEL = 6


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
        self.keywords = [re.compile(rf"\b{re.escape(k)}\b", re.IGNORECASE) for k in keywords]
        self.batch_size = batch_size
        self.ledger = RunLedger(spool, run_id, source)
        self.batch = 0
        self._raw: IO[str] | None = None
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

    def _stat(self, key: str, count: int = 1) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"text/{key}", count)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, dict) or "_blocks" not in item:
            return item
        self.profile.observe(item["_seen_url"], item["_blocks"])
        if self._raw is None:
            self._raw_path = (
                self.spool / ".text" / f"{self.run_id}-{self.source}-{self.batch:04d}.jsonl"
            )
            self._raw_path.parent.mkdir(parents=True, exist_ok=True)
            self._raw = self._raw_path.open("w", encoding="utf-8")
        # "text" is rebuilt from the filtered blocks at finalisation: not stored twice
        # (left empty, not removed, so the published records keep their key order)
        raw = {**item, "text": ""}
        self._raw.write(json.dumps(raw, ensure_ascii=False) + "\n")
        self._in_batch += 1
        if self._in_batch >= self.batch_size:
            self._finalise()
        return item

    def _keep(self, record: dict[str, Any]) -> str | None:
        """Why a record is dropped at finalisation, or None to keep it."""
        if not record["text"].strip():
            return "empty_after_cleaning"
        if self.keywords and not any(k.search(record["text"]) for k in self.keywords):
            return "no_keyword"
        return None

    def _finalise(self) -> None:
        if self._raw is None or self._raw_path is None:
            return
        self._raw.close()
        key = text_key(self.source, datetime.now(UTC), f"{self.run_id}-{self.batch:04d}")
        final = self.spool / key
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = final.with_name(final.name + ".open")
        kept, urls = 0, []
        with (
            self._raw_path.open(encoding="utf-8") as raw,
            gzip.open(tmp, "wt", encoding="utf-8", compresslevel=GZIP_LEVEL) as out,
        ):
            for line in raw:
                record = json.loads(line)
                record["text"] = "\n".join(self.profile.filter(record.pop("_blocks")))
                urls.append(record.pop("_seen_url"))
                why = self._keep(record)
                if why:
                    self._stat(f"dropped/{why}")
                    continue
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                kept += 1
        if kept:
            with tmp.open("rb+") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, final)
            self.ledger.add(key, final, records=kept)
        else:
            tmp.unlink()
        for url in urls:
            self.state.mark_archived(url)
        self._stat("records", kept)
        self._raw_path.unlink()
        self._raw, self._raw_path, self._in_batch = None, None, 0
        self.batch += 1
        self.profile.save(self.profile_path)

    def close_spider(self) -> None:
        self._finalise()
        self.profile.save(self.profile_path)
        self.state.close()
