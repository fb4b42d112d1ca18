"""The run manifest: what one crawl of one source produced.

Written into the spool when the spider closes, after the WARC writer and the
text pipeline have closed their files, and published last, so a manifest in
the archive means every file it lists is there too.
"""

from __future__ import annotations

import json
import os
import socket
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self

from scrapy import Spider, signals
from scrapy.crawler import Crawler

from newsvault import __version__
from storage.keys import manifest_key
from storage.runledger import RunLedger

# Stats copied into the manifest's counts, by prefix.
COUNTED = (
    "articles/",
    "discovery/",
    "extract/",
    "text/",
    "warc/",
    "egress/",
    "robotstxt/",
    "downloader/response_count",
    "downloader/exception_count",
    "item_dropped_reasons_count/",
    "memusage/max",
    "log_count/ERROR",
)


def write_manifest(spool: Path, manifest: dict[str, Any]) -> Path:
    path = spool / manifest_key(manifest["source"], manifest["run_id"])
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".open")
    tmp.write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)
    return path


class RunManifestExtension:
    def __init__(
        self, crawler: Crawler, spool: Path, source: str, run_id: str, worker: str
    ) -> None:
        self.crawler = crawler
        self.spool = spool
        self.source = source
        self.run_id = run_id
        self.worker = worker
        self.started = datetime.now(UTC)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        s = crawler.settings
        ext = cls(
            crawler,
            Path(s["NEWSVAULT_SPOOL_DIR"]),
            s["NEWSVAULT_SOURCE"],
            s["NEWSVAULT_RUN_ID"],
            s.get("NEWSVAULT_WORKER_ID") or socket.gethostname(),
        )
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_closed(self, spider: Spider, reason: str) -> None:
        assert self.crawler.stats is not None
        stats = self.crawler.stats.get_stats()
        ledger = RunLedger(self.spool, self.run_id, self.source)
        counts = {
            k: v
            for k, v in sorted(stats.items())
            if k.startswith(COUNTED) and isinstance(v, int | float)
        }
        write_manifest(
            self.spool,
            {
                "source": self.source,
                "run_id": self.run_id,
                "worker": self.worker,
                "software": f"newsvault/{__version__}",
                # Milliseconds: runs of one source can start within the same second.
                "start": self.started.isoformat(timespec="milliseconds"),
                "end": datetime.now(UTC).isoformat(timespec="milliseconds"),
                "result": reason,
                "counts": counts,
                "files": ledger.entries(),
            },
        )
        ledger.discard()
