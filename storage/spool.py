"""The local spool: everything a run produces lands here first.

The spool mirrors the bucket layout (``<spool>/<key>``). Files still being
written end in ``.open`` or start with a dot and are never published. A file
leaves the spool only after the store has confirmed an identical object.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from storage.base import ConflictError, Store, StoreError, file_sha256
from storage.keys import UnsafeKeyError, safe_key

logger = logging.getLogger(__name__)

# Published last, so a manifest in the bucket proves its files are there too.
LAST_PREFIXES = ("runs/",)


class PublishError(StoreError):
    """Some spooled files could not be published; they stay in the spool."""


@dataclass
class PublishReport:
    published: list[str] = field(default_factory=list)
    already_there: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    held_back: list[str] = field(default_factory=list)
    remaining: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed and self.remaining == 0


class Spool:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, key: str) -> Path:
        path = self.root / safe_key(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def pending(self) -> list[tuple[str, Path]]:
        """Complete files waiting for publication, manifests last."""
        if not self.root.is_dir():
            return []
        found = []
        for path in self.root.rglob("*"):
            if not path.is_file() or path.name.startswith(".") or path.name.endswith(".open"):
                continue
            key = path.relative_to(self.root).as_posix()
            found.append((key, path))
        return sorted(found, key=lambda item: (item[0].startswith(LAST_PREFIXES), item[0]))

    def open_files(self) -> list[Path]:
        if not self.root.is_dir():
            return []
        return sorted(p for p in self.root.rglob("*.open") if p.is_file())


def publish(
    spool: Spool, store: Store, progress: Callable[[str, int], None] | None = None
) -> PublishReport:
    """Publish every pending file exactly once; stop at the first outage."""
    report = PublishReport()
    pending = spool.pending()
    recorded = recorded_digests(path for key, path in pending if key.startswith(LAST_PREFIXES))
    for index, (key, path) in enumerate(pending):
        if report.failed and key.startswith(LAST_PREFIXES):
            # A manifest vouches for its files: never publish it after one failed.
            report.held_back.append(key)
            continue
        try:
            written, size = _publish_one(store, key, path, recorded.get(key))
        except (ConflictError, UnsafeKeyError) as exc:
            # A conflict will not heal by retrying: report it, keep the file, go on.
            report.failed[key] = str(exc)
            logger.error("not published: %s", exc)
            continue
        except (StoreError, OSError) as exc:
            report.failed[key] = str(exc)
            report.remaining = len(pending) - index
            logger.error(
                "storage unavailable, %d file(s) kept in the spool: %s", report.remaining, exc
            )
            break
        (report.published if written else report.already_there).append(key)
        path.unlink()
        if progress:
            progress(key, size)
    if report.failed and not report.remaining:
        report.remaining = len(report.failed) + len(report.held_back)
    if report.held_back:
        logger.warning("%d manifest(s) held back in the spool", len(report.held_back))
    _prune_empty_dirs(spool.root)
    return report


def recorded_digests(manifests: Iterable[Path]) -> dict[str, tuple[int, str]]:
    """(size, SHA-256) of each file the spooled run manifests list.

    Writers hash their files as they write them and the manifest records it;
    taking the digest from there spares reading a gigabyte WARC back at the end
    of every run. A manifest that cannot be read is skipped (its files are hashed).
    """
    recorded: dict[str, tuple[int, str]] = {}
    for manifest in manifests:
        try:
            files = json.loads(manifest.read_bytes()).get("files", [])
            for entry in files:
                recorded[str(entry["key"])] = (int(entry["size"]), str(entry["sha256"]))
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
            logger.debug("no digests taken from %s: %s", manifest, exc)
    return recorded


def _publish_one(
    store: Store, key: str, path: Path, recorded: tuple[int, str] | None = None
) -> tuple[bool, int]:
    """Put one file and confirm the store holds it; (newly written?, size).

    ``recorded``: the size and digest the file's writer recorded; used when the
    size still matches, otherwise the file is hashed here.
    """
    size = path.stat().st_size
    sha256 = recorded[1] if recorded is not None and recorded[0] == size else file_sha256(path)
    written = store.put(safe_key(key), path, sha256)
    info = store.exists(key)
    if info is None or info.size != size or (info.sha256 is not None and info.sha256 != sha256):
        raise StoreError(f"{key}: object missing or different after upload")
    return written, size


def _prune_empty_dirs(root: Path) -> None:
    if not root.is_dir():
        return
    for directory in sorted((p for p in root.rglob("*") if p.is_dir()), reverse=True):
        with contextlib.suppress(OSError):  # not empty: still holds spooled files
            directory.rmdir()
