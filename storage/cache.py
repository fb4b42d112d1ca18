"""A local copy of archived objects, fetched once.

Replay and re-extraction read whole WARC files; from S3 that means a
download, which must not happen twice for the same object. A cached copy is
reused when its size matches the object's; a local archive is read in place.
"""

from __future__ import annotations

from pathlib import Path

from storage.base import Store
from storage.keys import safe_key
from storage.local import FileStore


class ObjectCache:
    def __init__(self, root: Path, store: Store) -> None:
        self.root = root
        self.store = store
        self.downloads = 0

    def local(self, key: str, size: int | None = None) -> Path:
        if isinstance(self.store, FileStore):
            return self.store.root / safe_key(key)
        path = self.root / safe_key(key)
        if path.is_file() and (size is None or path.stat().st_size == size):
            return path
        self.store.download(key, path)
        self.downloads += 1
        return path
