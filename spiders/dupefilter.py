"""Request de-duplication with the fingerprints on disk.

Scrapy's own filter keeps the fingerprint of every request of the run in a
Python set (with a JOBDIR, in a file too): about 75 bytes a URL that are never
given back, 75 MB for a site of a million pages. Here the fingerprints live in
SQLite in the run's JOBDIR, which the crawl deletes when the run ends; the
memory used is SQLite's page cache, a fixed 2 MB or so.
"""

from __future__ import annotations

from pathlib import Path
from typing import Self

from scrapy.crawler import Crawler
from scrapy.dupefilters import RFPDupeFilter
from scrapy.http import Request
from scrapy.utils.job import job_dir
from scrapy.utils.request import RequestFingerprinterProtocol

from storage.scratch import ScratchSet


class DiskDupeFilter(RFPDupeFilter):
    """Scrapy's fingerprints and duplicate logging, stored in ``<JOBDIR>/seen.sqlite``
    (in memory for a crawl without a JOBDIR)."""

    def __init__(
        self,
        path: Path | None = None,
        debug: bool = False,
        *,
        fingerprinter: RequestFingerprinterProtocol | None = None,
    ) -> None:
        super().__init__(None, debug, fingerprinter=fingerprinter)
        self._seen = ScratchSet(path)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        jobdir = job_dir(crawler.settings)
        return cls(
            Path(jobdir, "seen.sqlite") if jobdir else None,
            crawler.settings.getbool("DUPEFILTER_DEBUG"),
            fingerprinter=crawler.request_fingerprinter,
        )

    def request_seen(self, request: Request) -> bool:
        return not self._seen.add(self._fingerprint(request))

    def close(self, reason: str) -> None:
        self._seen.close()
