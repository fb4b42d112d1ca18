"""A rolling WARC/1.1 file writer on warcio.

Files are written as ``<name>.warc.gz.open`` and renamed when closed, so an
incomplete file never carries a final name. Each file starts with a
``warcinfo`` record; each record is its own gzip member, so a reader can
seek to any record with one ranged read.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from warcio.recordloader import ArcWarcRecord
from warcio.warcwriter import WARCWriter

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
    dated spool folder); ``on_close`` receives each finished file's path.
    """

    def __init__(
        self,
        directory_for: Callable[[datetime], Path],
        prefix: str,
        host: str,
        max_size: int,
        warcinfo: dict[str, str],
        on_close: Callable[[Path], None] | None = None,
    ) -> None:
        self.directory_for = directory_for
        self.prefix = prefix
        self.host = host
        self.max_size = max_size
        self.warcinfo = warcinfo
        self.on_close = on_close
        self.serial = 0
        self.path: Path | None = None
        self._fh: IO[bytes] | None = None
        self._writer: WARCWriter | None = None
        self.records_in_file = 0

    def record_builder(self) -> WARCWriter:
        """A writer used only to build records (digests, headers)."""
        return WARCWriter(None, gzip=True, warc_version=WARC_VERSION)

    def _open(self) -> WARCWriter:
        now = datetime.now(UTC)
        directory = self.directory_for(now)
        directory.mkdir(parents=True, exist_ok=True)
        name = warc_filename(self.prefix, now, self.serial, self.host)
        self.serial += 1
        self.path = directory / (name + OPEN_SUFFIX)
        self._fh = self.path.open("xb")
        self._writer = WARCWriter(self._fh, gzip=True, warc_version=WARC_VERSION)
        info = self._writer.create_warcinfo_record(name, self.warcinfo)
        self._writer.write_record(info)
        self.records_in_file = 1
        return self._writer

    def write(self, records: list[ArcWarcRecord]) -> list[RecordLocation]:
        """Write records together in one file; returns where each one landed."""
        writer = self._writer or self._open()
        assert self._fh is not None and self.path is not None
        locations = []
        for record in records:
            offset = self._fh.tell()
            writer.write_record(record)
            locations.append(
                RecordLocation(
                    filename=self.path.name.removesuffix(OPEN_SUFFIX),
                    offset=offset,
                    length=self._fh.tell() - offset,
                    record_id=str(record.rec_headers.get_header("WARC-Record-ID")),
                )
            )
        self.records_in_file += len(records)
        # Flush per exchange so a crash loses at most the record being written.
        self._fh.flush()
        if self._fh.tell() >= self.max_size:
            self.close()
        return locations

    def close(self) -> Path | None:
        """Close and rename the current file; returns its final path."""
        if self._fh is None or self.path is None:
            return None
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()
        final = self.path.with_name(self.path.name.removesuffix(OPEN_SUFFIX))
        os.replace(self.path, final)
        self._fh = self._writer = None
        self.path = None
        logger.info("closed %s (%d records)", final.name, self.records_in_file)
        if self.on_close:
            self.on_close(final)
        return final


def warcinfo_fields(**fields: Any) -> dict[str, str]:
    return {k.replace("_", "-"): str(v) for k, v in fields.items() if v not in (None, "")}
