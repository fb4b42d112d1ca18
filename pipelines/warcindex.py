"""CDXJ indexes next to WARC files, in the form cdxj-indexer writes them.

The crawl builds each file's index as it writes the records (``CdxjBuilder``),
because it knows every record's offset and length already: reading a closed
gigabyte back to index it stalled the crawl for seconds. Salvage and
re-indexing use cdxj-indexer on the file itself (``write_cdxj``), and
``newsvault verify`` checks that both give the same lines.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

import surt
from warcio.recordloader import ArcWarcRecord
from warcio.timeutils import iso_date_to_timestamp

from pipelines import warcbrotli

warcbrotli.install()

# The record types cdxj-indexer lists by default that a crawl writes.
INDEXED = ("response", "revisit", "resource", "metadata")
_MIME_END = re.compile(r"[;\s]")


def cdxj_path(warc: Path) -> Path:
    return warc.with_name(warc.name.removesuffix(".warc.gz") + ".cdxj")


def _publish(final: Path, write: Callable[[TextIO], object]) -> Path:
    tmp = final.with_name(final.name + ".open")
    with tmp.open("w", encoding="utf-8") as out:
        write(out)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, final)
    return final


def index_by_reading(warc: Path, out: TextIO) -> None:
    """cdxj-indexer over the file itself: salvage's index, and the reference
    ``newsvault verify`` holds every stored index to."""
    # Imported here: cdxj-indexer pulls in pkg_resources, a tenth of a second.
    from cdxj_indexer.main import CDXJIndexer

    CDXJIndexer(
        output=out, inputs=[str(warc)], sort=True, post_append=True, filename=warc.name
    ).process_all()


def write_cdxj(warc: Path) -> Path:
    """Index one WARC by reading it; the index appears under its final name when complete."""
    return _publish(cdxj_path(warc), lambda out: index_by_reading(warc, out))


def _mime(record: ArcWarcRecord) -> str | None:
    if record.rec_type == "revisit":
        return "warc/revisit"
    headers = record.http_headers if record.rec_type == "response" else record.rec_headers
    value = headers.get_header("Content-Type") if headers else None
    return _MIME_END.split(value, 1)[0].strip() if value else None


def cdxj_line(record: ArcWarcRecord, filename: str, offset: int, length: int) -> str | None:
    """The line cdxj-indexer would write for this record at this place, if it indexes it."""
    if record.rec_type not in INDEXED:
        return None
    warc = record.rec_headers
    if record.rec_type in ("resource", "metadata") and (
        warc.get_header("Content-Type") == "application/warc-fields"
    ):
        return None
    url = warc.get_header("WARC-Target-URI")
    status = None
    if record.rec_type in ("response", "revisit") and record.http_headers:
        status = record.http_headers.get_statuscode()
    fields = {
        "url": url,
        "mime": _mime(record),
        "status": status,
        "digest": warc.get_header("WARC-Payload-Digest"),
        "length": str(length),
        "offset": str(offset),
        "filename": filename,
    }
    try:
        key = surt.surt(url)
    except Exception:  # cdxj-indexer falls back to the URL the same way
        key = url
    stamp = iso_date_to_timestamp(warc.get_header("WARC-Date"))
    index = {name: value for name, value in fields.items() if value is not None}
    return f"{key} {stamp} {json.dumps(index)}\n"


class CdxjBuilder:
    """Lines of one WARC file's index, collected as records are written."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, record: ArcWarcRecord, filename: str, offset: int, length: int) -> None:
        line = cdxj_line(record, filename, offset, length)
        if line is not None:
            self.lines.append(line)

    def write(self, warc: Path) -> Path:
        """The sorted index beside ``warc``, published atomically."""
        lines = sorted(self.lines)
        self.lines = []
        return _publish(cdxj_path(warc), lambda out: out.writelines(lines))


def count_lines(path: Path) -> int:
    with path.open("rb") as fh:
        return sum(1 for line in fh if line.strip())
