"""Verify the archived WARC files of a store against their run manifests.

Each WARC is downloaded next to its CDXJ index into a scratch directory and
checked by :func:`pipelines.warcverify.check_warc`. The run manifests say
what each file should be: its size, its sha256 and (when recorded) its
number of records; older manifests only count records per run, so those
counts are compared once every WARC of the run has been checked.
"""

from __future__ import annotations

import json
import logging
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pipelines.warcindex import cdxj_path
from pipelines.warcverify import check_warc
from storage.base import ObjectInfo, Store, file_sha256
from storage.keys import parse_dated_key

logger = logging.getLogger(__name__)


@dataclass
class FileResult:
    key: str
    size: int
    records: int = 0
    run_id: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Listed:
    """A WARC file as a run manifest lists it."""

    manifest: dict[str, Any]
    entry: dict[str, Any]


def _manifests(store: Store, source: str | None) -> Iterator[dict[str, Any]]:
    for info in store.list(f"runs/{source}/" if source else "runs/"):
        try:
            data = json.loads(store.get(info.key))
        except (ValueError, UnicodeDecodeError) as exc:
            logger.warning("unreadable run manifest %s: %s", info.key, exc)
            continue
        if isinstance(data, dict):
            yield data


def listed_warcs(store: Store, source: str | None) -> dict[str, Listed]:
    """Every WARC key named by a run manifest, with its manifest entry."""
    listed = {}
    for manifest in _manifests(store, source):
        for entry in manifest.get("files") or []:
            if str(entry.get("key", "")).endswith(".warc.gz"):
                listed[entry["key"]] = Listed(manifest, entry)
    return listed


def _wanted(key: str, source: str | None, since: date | None) -> bool:
    parsed = parse_dated_key(key)
    if parsed is None or parsed[0] != "warc" or not parsed[3].endswith(".warc.gz"):
        return False
    return (source is None or parsed[1] == source) and (since is None or parsed[2] >= since)


def _against_manifest(result: FileResult, local: Path, listed: Listed | None) -> None:
    if listed is None:
        result.problems.append("in no run manifest")
        return
    entry = listed.entry
    result.run_id = str(listed.manifest.get("run_id", ""))
    if entry.get("size") != result.size or entry.get("sha256") != file_sha256(local):
        result.problems.append("size or sha256 differs from the run manifest")
    if "records" in entry and entry["records"] != result.records:
        result.problems.append(f"{result.records} records, manifest says {entry['records']}")


def verify_file(store: Store, info: ObjectInfo, listed: Listed | None, scratch: Path) -> FileResult:
    local = scratch / Path(info.key).name
    store.download(info.key, local)
    index_key = cdxj_path(Path(info.key)).as_posix()
    index = cdxj_path(local)
    if store.exists(index_key) is not None:
        store.download(index_key, index)
    check = check_warc(local, index)
    result = FileResult(info.key, info.size, check.records, problems=list(check.problems))
    _against_manifest(result, local, listed)
    local.unlink()
    index.unlink(missing_ok=True)
    return result


def _check_run_totals(results: list[FileResult], listed: dict[str, Listed]) -> None:
    """Manifests without per-file counts: compare the run's total once complete."""
    by_run: dict[str, list[FileResult]] = {}
    for result in results:
        entry = listed.get(result.key)
        if entry is not None and "records" not in entry.entry and "missing" not in result.problems:
            by_run.setdefault(result.run_id, []).append(result)
    for run_files in by_run.values():
        manifest = listed[run_files[0].key].manifest
        keys = {e["key"] for e in manifest["files"] if str(e["key"]).endswith(".warc.gz")}
        counted = (manifest.get("counts") or {}).get("warc/records")
        if keys != {r.key for r in run_files} or counted is None:
            continue  # not every file of the run was checked, or nothing to compare
        # The run counts the records it wrote; each file adds its warcinfo.
        found = sum(r.records - 1 for r in run_files)
        if found != counted:
            for result in run_files:
                result.problems.append(f"run has {found} records, manifest counts {counted}")


def verify_archive(
    store: Store,
    source: str | None = None,
    since: date | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[FileResult]:
    listed = listed_warcs(store, source)
    prefix = f"warc/{source}/" if source else "warc/"
    infos = [i for i in store.list(prefix) if _wanted(i.key, source, since)]
    results = []
    with tempfile.TemporaryDirectory(prefix="newsvault-verify-") as tmp:
        for info in infos:
            if progress:
                progress(info.key)
            results.append(verify_file(store, info, listed.get(info.key), Path(tmp)))
    stored = {i.key for i in infos}
    for key, item in sorted(listed.items()):
        if key not in stored and _wanted(key, source, since):
            results.append(FileResult(key, int(item.entry.get("size", 0)), problems=["missing"]))
    _check_run_totals(results, listed)
    return results
