"""A rolling WARC/1.1 file writer on warcio.

Files are written as ``<name>.warc.gz.open`` and renamed when closed, so an
incomplete file never carries a final name. Each file starts with a
``warcinfo`` record; each record is its own gzip member, so a reader can
seek to any record with one ranged read.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO, FileIO
from pathlib import Path
from typing import Any

from warcio.recordloader import ArcWarcRecord
from warcio.warcwriter import WARCWriter

from pipelines.warcgzip import gzip_member
from pipelines.warcindex import CdxjBuilder
from pipelines.writebehind import SYNC_EVERY, WriteBehind

logger = logging.getLogger(__name__)

WARC_VERSION = "1.1"
OPEN_SUFFIX = ".open"


@dataclass(frozen=True)
class RecordLocation:
    filename: str
    offset: int
    length: int
    record_id: str


def warc_filename(prefix: str, when: datetime, serial: int, host: str) -> str:
    """IIPC-style name: ``<prefix>-<timestamp>-<serial>-<host>.warc.gz``."""
    stamp = when.strftime("%Y%m%d%H%M%S") + f"{when.microsecond // 1000:03d}"
    return f"{prefix}-{stamp}-{serial:05d}-{host}.warc.gz"


class RollingWarcWriter:
    """Writes records to the current file; rolls over past ``max_size`` bytes.

    ``directory_for`` maps the opening time of a file to its directory (the
    dated spool folder); ``on_close`` receives each finished file's path. Each
    closed file gets its CDXJ index beside it, built from the records as they
    were written.
    """

    def __init__(
        self,
        directory_for: Callable[[datetime], Path],
        prefix: str,
        host: str,
        max_size: int,
        warcinfo: dict[str, str],
        on_close: Callable[[Path], None] | None = None,
        compressor: str = "isal",
        gzip_level: int | None = None,
        sync_every: int = SYNC_EVERY,
    ) -> None:
        self.compress = gzip_member(compressor, gzip_level)
        self._behind = WriteBehind(sync_every)
        self.directory_for = directory_for
        self.prefix = prefix
        self.host = host
        self.max_size = max_size
        self.warcinfo = warcinfo
        self.on_close = on_close
        self.serial = 0
        self.path: Path | None = None
        self._fh: FileIO | None = None
        self.records_in_file = 0
        self.index = CdxjBuilder()
        self._sha256 = hashlib.sha256()
        # of the file closed last: its digest, kept while writing, and its index lines
        self.closed_sha256 = ""
        self.closed_index_lines = 0

    def record_builder(self) -> WARCWriter:
        """A writer used only to build records (digests, headers)."""
        return WARCWriter(None, gzip=True, warc_version=WARC_VERSION)

    def _member(self, record: ArcWarcRecord) -> bytes:
        """One record as one gzip member, by our compressor (warcio's is zlib at level 9)."""
        buf = BytesIO()
        WARCWriter(buf, gzip=False, warc_version=WARC_VERSION).write_record(record)
        return self.compress(buf.getvalue())

    def _open(self) -> FileIO:
        now = datetime.now(UTC)
        directory = self.directory_for(now)
        directory.mkdir(parents=True, exist_ok=True)
        name = warc_filename(self.prefix, now, self.serial, self.host)
        self.serial += 1
        self.path = directory / (name + OPEN_SUFFIX)
        # Unbuffered: after a failed write nothing is left in a buffer to land later.
        self._fh = FileIO(self.path, "xb")
        self._sha256 = hashlib.sha256()
        self.records_in_file = 0
        info = self.record_builder().create_warcinfo_record(name, self.warcinfo)
        self._append([self._member(info)])
        self.records_in_file = 1
        return self._fh

    def _append(self, members: list[bytes]) -> None:
        """Append whole members, or nothing: a failed write (disk full) is cut off."""
        assert self._fh is not None
        start = self._fh.tell()
        payload = b"".join(members)
        data = memoryview(payload)
        try:
            while data:
                written = self._fh.write(data)
                data = data[written or 0 :]
        except OSError:
            os.ftruncate(self._fh.fileno(), start)
            self._fh.seek(start)
            raise
        self._sha256.update(payload)
        self._behind.wrote(self._fh.fileno(), len(payload))

    def write(self, records: list[ArcWarcRecord]) -> list[RecordLocation]:
        """Write records together in one file; returns where each one landed.

        Each record is one gzip member, so a reader can seek to any of them.
        Either all of ``records`` land or, on an error, none does.
        """
        fh = self._fh or self._open()
        assert self.path is not None
        members = [self._member(record) for record in records]
        offset = fh.tell()
        self._append(members)
        locations = []
        filename = self.path.name.removesuffix(OPEN_SUFFIX)
        for record, member in zip(records, members, strict=True):
            locations.append(
                RecordLocation(
                    filename=filename,
                    offset=offset,
                    length=len(member),
                    record_id=str(record.rec_headers.get_header("WARC-Record-ID")),
                )
            )
            self.index.add(record, filename, offset, len(member))
            offset += len(member)
        self.records_in_file += len(records)
        if fh.tell() >= self.max_size:
            self.close()
        return locations

    def close(self) -> Path | None:
        """Close and rename the current file; returns its final path."""
        if self._fh is None or self.path is None:
            return None
        self._behind.settle()
        os.fsync(self._fh.fileno())
        self._fh.close()
        final = self.path.with_name(self.path.name.removesuffix(OPEN_SUFFIX))
        os.replace(self.path, final)
        self._fh = None
        self.path = None
        logger.info("closed %s (%d records)", final.name, self.records_in_file)
        self.closed_sha256 = self._sha256.hexdigest()
        self.closed_index_lines = len(self.index.lines)
        try:
            self.index.write(final)
        except OSError:
            # The WARC is complete; `newsvault verify` reports the missing index,
            # which can be rebuilt from the WARC at any time.
            logger.exception("could not write the index of %s", final.name)
        if self.on_close:
            self.on_close(final)
        return final


def warcinfo_fields(**fields: Any) -> dict[str, str]:
    return {k.replace("_", "-"): str(v) for k, v in fields.items() if v not in (None, "")}
