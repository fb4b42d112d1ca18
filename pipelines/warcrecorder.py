"""Archive every HTTP exchange of a crawl as WARC request/response records.

Fed by Scrapy's ``response_downloaded`` signal, which fires when the download
handler returns and before any downloader middleware touches the response:
robots.txt, feeds, sitemaps, redirects and error pages are archived too, with
the body exactly as it came off the wire (still content-encoded).
"""

from __future__ import annotations

import base64
import errno
import hashlib
import logging
import socket
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Self

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response
from scrapy.utils.defer import deferred_from_coro

from newsvault import __version__
from pipelines.httpheaders import request_headers, response_headers
from pipelines.warcfile import RollingWarcWriter, warcinfo_fields
from pipelines.warcindex import cdxj_path
from storage.keys import safe_component, warc_key
from storage.runledger import RunLedger
from storage.state import Capture, CrawlState

logger = logging.getLogger(__name__)


def payload_digest(body: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")  # noqa: S324


def _optional_int(value: object) -> int | None:
    return None if value in (None, "") else int(str(value))


def warc_date(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class WarcRecorderExtension:
    def __init__(
        self,
        crawler: Crawler,
        spool: Path,
        source: str,
        run_id: str,
        max_size: int,
        prefix: str,
        host: str,
        state_path: Path,
        robots: str,
        compressor: str = "isal",
        gzip_level: int | None = None,
    ) -> None:
        self.crawler = crawler
        self.spool = spool
        self.source = source
        self.state = CrawlState(state_path)
        self.ledger = RunLedger(spool, run_id, source)
        info = warcinfo_fields(
            software=f"newsvault/{__version__}",
            format="WARC File Format 1.1",
            conformsTo="https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
            hostname=socket.gethostname(),
            run_id=run_id,
            source=source,
            robots=robots,
        )
        self.writer = RollingWarcWriter(
            self._directory,
            prefix,
            host,
            max_size,
            info,
            on_close=self._closed_file,
            compressor=compressor,
            gzip_level=gzip_level,
        )
        self.failed = False
        self.builder = self.writer.record_builder()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        s = crawler.settings
        if not s.getbool("NEWSVAULT_WARC_ENABLED", True):
            raise NotConfigured("WARC recording disabled")
        ext = cls(
            crawler,
            spool=Path(s["NEWSVAULT_SPOOL_DIR"]),
            source=s["NEWSVAULT_SOURCE"],
            run_id=s["NEWSVAULT_RUN_ID"],
            max_size=s.getint("NEWSVAULT_WARC_MAX_SIZE", 1 << 30),
            prefix=s.get("NEWSVAULT_WARC_PREFIX", "newsvault"),
            host=safe_component(s.get("NEWSVAULT_WORKER_ID") or socket.gethostname()),
            state_path=Path(s["NEWSVAULT_STATE_PATH"]),
            robots="obey" if s.getbool("ROBOTSTXT_OBEY") else "ignore",
            compressor=s.get("NEWSVAULT_WARC_COMPRESSOR", "isal"),
            gzip_level=_optional_int(s.get("NEWSVAULT_WARC_GZIP_LEVEL")),
        )
        crawler.signals.connect(ext.response_downloaded, signal=signals.response_downloaded)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def _directory(self, when: datetime) -> Path:
        return self.spool / warc_key(self.source, when, "x").rsplit("/", 1)[0]

    def _closed_file(self, path: Path) -> None:
        # Per-file counts let `newsvault verify` check each file on its own.
        writer = self.writer
        self.ledger.add(
            path.relative_to(self.spool).as_posix(),
            path,
            sha256=writer.closed_sha256,
            records=writer.records_in_file,
        )
        index = cdxj_path(path)
        if not index.exists():
            return  # the writer logged why; `newsvault verify` reports it
        key = index.relative_to(self.spool).as_posix()
        self.ledger.add(key, index, records=writer.closed_index_lines)

    def response_downloaded(self, response: Response, request: Request, spider: Spider) -> None:
        stats = self.crawler.stats
        assert stats is not None
        now = datetime.now(UTC)
        date = warc_date(now)
        digest = payload_digest(response.body)
        previous = self.state.last_capture(response.url) if response.status == 200 else None
        http = response_headers(response)
        ip = {"WARC-IP-Address": str(response.ip_address)} if response.ip_address else {}
        if previous and previous.payload_digest == digest:
            main = self.builder.create_revisit_record(
                response.url,
                digest,
                response.url,
                previous.warc_date,
                http_headers=http,
                warc_headers_dict={"WARC-Date": date, "WARC-Refers-To": previous.record_id, **ip},
            )
            stats.inc_value("warc/revisits")
        else:
            main = self.builder.create_warc_record(
                response.url,
                "response",
                payload=BytesIO(response.body),
                # Without the length warcio spools the body to a temporary file it never closes.
                length=len(response.body),
                http_headers=http,
                # The digest above, so warcio does not hash the body a second time.
                warc_headers_dict={"WARC-Date": date, "WARC-Payload-Digest": digest, **ip},
            )
        main_id = str(main.rec_headers.get_header("WARC-Record-ID"))
        req = self.builder.create_warc_record(
            response.url,
            "request",
            http_headers=request_headers(request),
            warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": main_id},
        )
        if self.failed:
            return  # the spider is closing: nothing more can be archived
        try:
            location, _ = self.writer.write([main, req])
        except OSError as exc:
            self._write_failed(exc)
            return
        if main.rec_type == "response" and response.status == 200:
            self.state.record_capture(response.url, Capture(digest, date, main_id))
        stats.inc_value("warc/records", 2)
        stats.inc_value("warc/bytes", location.length)
        request.meta["nv_warc"] = {
            "warc_file": location.filename,
            "warc_offset": location.offset,
            "warc_length": location.length,
            "warc_record_id": main_id,
            "warc_date": date,
            "payload_digest": digest,
            "warc_record_type": main.rec_type,
        }

    def _write_failed(self, exc: OSError) -> None:
        """Stop the run loudly: an exchange that cannot be archived must not be fetched."""
        self.failed = True
        assert self.crawler.stats is not None and self.crawler.engine is not None
        self.crawler.stats.inc_value("warc/write_errors")
        reason = "disk_full" if exc.errno == errno.ENOSPC else "warc_write_failed"
        logger.error("cannot write WARC records (%s): stopping the crawl", exc)
        deferred_from_coro(self.crawler.engine.close_spider_async(reason=reason))

    def spider_closed(self, spider: Spider, reason: str) -> None:
        self.writer.close()
        self.state.close()
