"""CDXJ indexes next to closed WARC files, written by cdxj-indexer."""

from __future__ import annotations

import os
from pathlib import Path

from cdxj_indexer.main import CDXJIndexer

from pipelines import warcbrotli

warcbrotli.install()


def cdxj_path(warc: Path) -> Path:
    return warc.with_name(warc.name.removesuffix(".warc.gz") + ".cdxj")


def write_cdxj(warc: Path) -> Path:
    """Index one WARC; the index appears under its final name when complete."""
    final = cdxj_path(warc)
    tmp = final.with_name(final.name + ".open")
    with tmp.open("w", encoding="utf-8") as out:
        CDXJIndexer(
            output=out, inputs=[str(warc)], sort=True, post_append=True, filename=warc.name
        ).process_all()
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, final)
    return final


def count_lines(path: Path) -> int:
    with path.open("rb") as fh:
        return sum(1 for line in fh if line.strip())
