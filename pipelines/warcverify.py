"""Check one local WARC file the way an archive needs it to be.

``warcio check`` verifies digests but accepts a truncated file, so the gzip
members are walked first with zlib: every member must end properly. Then
every record is read with digest checking, the file must open with a
``warcinfo`` record, every record must be WARC/1.1, and the CDXJ index next
to it must be exactly what cdxj-indexer produces for the file today.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from pipelines import warcbrotli
from pipelines.warcindex import index_by_reading

# The index must be rebuilt exactly as write_cdxj builds it, brotli records included.
warcbrotli.install()

WARC_PROTOCOL = "WARC/1.1"
_CHUNK = 1 << 16


@dataclass(frozen=True)
class Member:
    """One gzip member: ``[start, end)`` in the file; ``complete`` if it ended."""

    start: int
    end: int
    complete: bool


@dataclass
class WarcCheck:
    path: Path
    records: int = 0
    members: int = 0
    cdxj_lines: int | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def gzip_members(path: Path) -> Iterator[Member]:
    """Walk the gzip members of a file; the last one is incomplete if cut short."""
    with path.open("rb") as fh:
        start = pos = 0
        inflater = zlib.decompressobj(wbits=31)
        pending = b""
        while True:
            data = pending or fh.read(_CHUNK)
            pending = b""
            if not data:
                break
            try:
                inflater.decompress(data)
            except zlib.error:
                # Garbage: nothing from here on is a member we can trust.
                yield Member(start, path.stat().st_size, complete=False)
                return
            pos += len(data) - len(inflater.unused_data)
            if inflater.eof:
                yield Member(start, pos, complete=True)
                pending, start = inflater.unused_data, pos
                inflater = zlib.decompressobj(wbits=31)
        if pos > start:
            yield Member(start, pos, complete=False)


def expected_cdxj(path: Path) -> str:
    """The index cdxj-indexer writes for this file (as ``write_cdxj`` calls it)."""
    out = io.StringIO()
    index_by_reading(path, out)
    return out.getvalue()


def _check_members(check: WarcCheck) -> bool:
    for member in gzip_members(check.path):
        if not member.complete:
            check.problems.append(f"truncated or corrupt gzip member at offset {member.start}")
            return False
        check.members += 1
    return True


def _check_records(check: WarcCheck) -> None:
    with check.path.open("rb") as fh:
        records = ArchiveIterator(fh, check_digests=True)
        try:
            for record in records:
                check.records += 1
                if check.records == 1 and record.rec_type != "warcinfo":
                    check.problems.append(f"first record is {record.rec_type}, not warcinfo")
                if record.rec_headers.protocol != WARC_PROTOCOL:
                    check.problems.append(
                        f"record {check.records} is {record.rec_headers.protocol}"
                    )
                while record.raw_stream.read(_CHUNK):
                    pass
                if record.digest_checker.problems:
                    rid = record.rec_headers.get_header("WARC-Record-ID")
                    check.problems.append(f"{rid}: {'; '.join(record.digest_checker.problems)}")
        except (ArchiveLoadFailed, ValueError, OSError, EOFError) as exc:
            check.problems.append(f"unreadable after record {check.records}: {exc}")
    if check.records != check.members:
        check.problems.append(f"{check.members} gzip members but {check.records} records")


def _check_cdxj(check: WarcCheck, cdxj: Path) -> None:
    if not cdxj.exists():
        check.problems.append(f"missing index {cdxj.name}")
        return
    stored = cdxj.read_text(encoding="utf-8").splitlines()
    check.cdxj_lines = len(stored)
    expected = expected_cdxj(check.path).splitlines()
    if stored != expected:
        check.problems.append(f"index has {len(stored)} lines, the WARC indexes to {len(expected)}")


def check_warc(path: Path, cdxj: Path | None = None) -> WarcCheck:
    """Every check on one file; ``cdxj`` (optional) is its stored index."""
    check = WarcCheck(path)
    if not _check_members(check):
        return check
    _check_records(check)
    if cdxj is not None and check.ok:
        _check_cdxj(check, cdxj)
    return check
