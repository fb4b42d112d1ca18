"""Recover what a crashed crawl left in the spool, before the next run starts.

A crashed run leaves ``*.warc.gz.open`` files, raw text batches under
``.text/`` and a run ledger under ``.runs/`` but no manifest. Each open WARC
is cut after its last complete record (one gzip member per record), given
its final name, indexed and verified; the records past the cut are reported
and their digests forgotten, so their URLs are fetched again as full
responses. Raw text batches are finalised (``pipelines.textsalvage``), so
only the articles in flight are fetched again. Every crashed ledger becomes a
manifest with ``"result": "crashed"``, so nothing is published without one.

Call it only while holding the locks of the sources it salvages: an open
file of a running crawl looks exactly like a crashed one.
"""

from __future__ import annotations

import logging
import os
import re
import socket
import zlib
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsvault import __version__
from pipelines.manifest import write_manifest
from pipelines.textsalvage import recover_text
from pipelines.warcfile import OPEN_SUFFIX
from pipelines.warcindex import cdxj_path, count_lines, write_cdxj
from pipelines.warcverify import Member, check_warc, gzip_members
from storage.keys import manifest_key
from storage.runledger import RunLedger
from storage.state import CrawlState

logger = logging.getLogger(__name__)

_HEADER = re.compile(rb"^(WARC-Record-ID|WARC-Type|WARC-Target-URI):[ \t]*(.*?)\r?$", re.M)
_LEDGER = re.compile(r"^(\d{8}T\d{6}Z-[0-9a-f]+)-(.+)\.jsonl$")
_RUN_ID = re.compile(rb"^run-id:[ \t]*(.*?)\r?$", re.M)


@dataclass(frozen=True)
class LostRecord:
    """What could still be read of a record cut off by the crash."""

    record_id: str | None
    record_type: str | None
    target_uri: str | None


@dataclass
class SalvagedWarc:
    path: Path
    records: int
    run_id: str | None
    lost: list[LostRecord] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _headers(data: bytes) -> dict[str, str]:
    """WARC headers from the start of a (possibly partial) gzip member."""
    inflater = zlib.decompressobj(wbits=31)
    try:
        text = inflater.decompress(data, 1 << 16)
    except zlib.error:
        return {}
    head = text.split(b"\r\n\r\n", 1)[0]
    return {m[1].decode(): m[2].decode("utf-8", "replace") for m in _HEADER.finditer(head)}


def _lost(data: bytes) -> LostRecord:
    found = _headers(data)
    return LostRecord(
        found.get("WARC-Record-ID"), found.get("WARC-Type"), found.get("WARC-Target-URI")
    )


def warc_run_id(path: Path) -> str | None:
    """The ``run-id`` field of the file's warcinfo record (its first member)."""
    with path.open("rb") as fh:
        head = fh.read(1 << 16)
    try:
        info = zlib.decompressobj(wbits=31).decompress(head, 1 << 16)
    except zlib.error:
        return None
    match = _RUN_ID.search(info)
    return match[1].decode() if match else None


def salvage_warc(path: Path) -> SalvagedWarc:
    """Cut an open WARC after its last good record; rename and index it."""
    members = list(gzip_members(path))
    complete = [m for m in members if m.complete]
    lost = [_lost(_head(path, m)) for m in members if not m.complete]
    final = path.with_name(path.name.removesuffix(OPEN_SUFFIX))
    while complete:
        _cut(path, complete[-1].end)
        check = check_warc(path)
        if check.ok:
            break
        # A complete member that is not a complete record: drop it too.
        bad: Member = complete.pop()
        lost.insert(0, _lost(_head(path, bad)))
    if not complete:
        path.unlink()
        logger.warning("nothing to salvage in %s", path.name)
        return SalvagedWarc(final, 0, None, lost, ["no complete record"])
    os.replace(path, final)
    check = check_warc(final, write_cdxj(final))
    logger.warning("salvaged %s: kept %d records, lost %d", final.name, check.records, len(lost))
    return SalvagedWarc(final, check.records, warc_run_id(final), lost, check.problems)


def _head(path: Path, member: Member) -> bytes:
    """The start of a member: enough for its WARC headers, not the whole record."""
    with path.open("rb") as fh:
        fh.seek(member.start)
        return fh.read(min(member.end - member.start, 1 << 16))


def _cut(path: Path, end: int) -> None:
    with path.open("rb+") as fh:
        fh.truncate(end)
        fh.flush()
        os.fsync(fh.fileno())


def forget_lost(salvaged: list[SalvagedWarc], state_path: Path) -> list[str]:
    """Forget the digests of lost responses; returns their URLs (to fetch again)."""
    lost = [r for s in salvaged for r in s.lost if r.record_type == "response" and r.record_id]
    if not lost:
        return []
    state = CrawlState(state_path)
    try:
        state.forget_captures([str(r.record_id) for r in lost])
        urls = sorted({str(r.target_uri) for r in lost if r.target_uri})
        # Normally none is marked yet (marking follows the text batch); after an OS
        # crash that lost flushed WARC data one may be: fetch it again either way.
        state.forget_archived(urls)
    finally:
        state.close()
    return urls


def remove_half_written_text(spool: Path, source: str) -> list[Path]:
    """Compressed text files a crawl was still writing; their raw batch is recovered."""
    removed = []
    for path in (spool / "text" / source).rglob(f"*{OPEN_SUFFIX}"):
        path.unlink()
        removed.append(path)
    return removed


def open_warcs(spool: Path, source: str) -> list[Path]:
    return sorted((spool / "warc" / source).rglob(f"*.warc.gz{OPEN_SUFFIX}"))


def unindexed_warcs(spool: Path, source: str) -> list[Path]:
    """Closed WARCs whose run crashed while indexing them."""
    for stale in (spool / "warc" / source).rglob(f"*.cdxj{OPEN_SUFFIX}"):
        stale.unlink()
    return sorted(
        p for p in (spool / "warc" / source).rglob("*.warc.gz") if not cdxj_path(p).exists()
    )


@dataclass
class SalvageReport:
    warcs: list[SalvagedWarc] = field(default_factory=list)
    refetch: list[str] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    recovered: int = 0  # clean records finalised from raw batches
    manifests: list[Path] = field(default_factory=list)

    @property
    def lost(self) -> list[LostRecord]:
        return [record for warc in self.warcs for record in warc.lost]

    @property
    def ok(self) -> bool:
        return not any(w.problems for w in self.warcs if w.records)


def _key(spool: Path, path: Path) -> str:
    return path.relative_to(spool).as_posix()


def _record_count(path: Path) -> int:
    return sum(1 for member in gzip_members(path) if member.complete)


def crashed_runs(spool: Path, source: str) -> list[str]:
    """Runs of ``source`` whose ledger is still there: they never finished."""
    runs = spool / ".runs"
    found = [_LEDGER.match(p.name) for p in runs.glob("*.jsonl")] if runs.is_dir() else []
    return sorted(m[1] for m in found if m and m[2] == source)


def ledger_orphans(spool: Path, source: str) -> None:
    """Closed WARCs of a run without a manifest go into that run's ledger."""
    finished = {p.stem for p in (spool / "runs" / source).glob("*.json")}
    for warc in sorted((spool / "warc" / source).rglob("*.warc.gz")):
        run_id = warc_run_id(warc)
        if run_id is None or run_id in finished:
            continue
        ledger = RunLedger(spool, run_id, source)
        known = {str(e["key"]) for e in ledger.entries()}
        if _key(spool, warc) not in known:
            ledger.add(_key(spool, warc), warc, records=_record_count(warc))
        index = cdxj_path(warc)
        if index.exists() and _key(spool, index) not in known:
            ledger.add(_key(spool, index), index, records=count_lines(index))


def _crashed_manifest(source: str, run_id: str, files: list[dict[str, Any]]) -> dict[str, Any]:
    warc_records = sum(int(e["records"]) - 1 for e in files if e["key"].endswith(".warc.gz"))
    return {
        "source": source,
        "run_id": run_id,
        "worker": socket.gethostname(),
        "software": f"newsvault/{__version__}",
        "start": _run_start(run_id),
        "end": datetime.now(UTC).isoformat(timespec="seconds"),
        "result": "crashed",
        "counts": {"warc/records": warc_records},
        "files": files,
    }


def write_crashed_manifests(spool: Path, source: str) -> list[Path]:
    """A manifest for every crashed run, listing the files that do exist."""
    written = []
    for run_id in crashed_runs(spool, source):
        ledger = RunLedger(spool, run_id, source)
        if not (spool / manifest_key(source, run_id)).exists():
            files: list[dict[str, Any]] = [
                e for e in ledger.entries() if (spool / str(e["key"])).exists()
            ]
            for entry in files:
                if entry["key"].endswith(".warc.gz") and "records" not in entry:
                    entry["records"] = _record_count(spool / entry["key"])
            written.append(write_manifest(spool, _crashed_manifest(source, run_id, files)))
            logger.warning(
                "crashed run %s of %s: manifest of %d file(s)", run_id, source, len(files)
            )
        # Otherwise it crashed after writing its manifest: only the ledger is left over.
        ledger.discard()
    return written


def _run_start(run_id: str) -> str:
    started = datetime.strptime(run_id.split("-", 1)[0], "%Y%m%dT%H%M%SZ")
    return started.replace(tzinfo=UTC).isoformat(timespec="seconds")


def _spooled_sources(spool: Path) -> list[str]:
    warc = spool / "warc"
    sources = {p.name for p in warc.iterdir() if p.is_dir()} if warc.is_dir() else set()
    runs = spool / ".runs"
    for path in runs.glob("*.jsonl") if runs.is_dir() else []:
        if match := _LEDGER.match(path.name):
            sources.add(match[2])
    return sorted(sources)


def salvage_spool(
    spool: Path,
    state_for: Callable[[str], Path],
    sources: Collection[str] | None = None,
    keywords: Mapping[str, Sequence[str]] | None = None,
) -> SalvageReport:
    """Salvage every crashed run in the spool (of ``sources``, default all).

    ``state_for`` maps a source to its crawl state database.
    """
    report = SalvageReport()
    for source in sorted(sources) if sources is not None else _spooled_sources(spool):
        salvaged = [salvage_warc(path) for path in open_warcs(spool, source)]
        for path in unindexed_warcs(spool, source):
            write_cdxj(path)
        report.warcs += salvaged
        lost = forget_lost(salvaged, state_for(source))
        report.refetch += lost
        report.removed += remove_half_written_text(spool, source)
        report.recovered += recover_text(
            spool, source, state_for(source), (keywords or {}).get(source, ()), lost
        )
        ledger_orphans(spool, source)
        report.manifests += write_crashed_manifests(spool, source)
    return report
