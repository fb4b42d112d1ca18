"""The small interface every archive backend implements."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable


class StoreError(Exception):
    """Storage could not be reached or refused the operation."""


class StoreUnusable(StoreError):
    """Storage that no retry will fix: no such bucket, refused credentials,
    a host name that does not resolve. A configuration problem, not an outage."""


class ConflictError(StoreError):
    """An object exists under the key with different content."""


@dataclass(frozen=True)
class ObjectInfo:
    key: str
    size: int
    sha256: str | None = None


@runtime_checkable
class Store(Protocol):
    """Where the archive lives. Keys come from :mod:`storage.keys`."""

    url: str

    def put(self, key: str, path: Path, sha256: str) -> bool:
        """Publish a local file once. True if written, False if an identical
        object was already there; :class:`ConflictError` if a different one is."""

    def get(self, key: str) -> bytes:
        """The whole object."""

    def get_range(self, key: str, offset: int, length: int) -> bytes:
        """``length`` bytes from ``offset``: one WARC record by provenance."""

    def download(self, key: str, dest: Path) -> None:
        """Copy an object to a local file, atomically."""

    def list(self, prefix: str = "") -> Iterator[ObjectInfo]:
        """Objects under a prefix, in key order."""

    def exists(self, key: str) -> ObjectInfo | None:
        """Size and checksum of an object, or None."""

    def check(self) -> None:
        """Raise :class:`StoreUnusable` for a wrongly configured store, or
        :class:`StoreError` when it is merely unreachable right now."""


def file_sha256(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()
