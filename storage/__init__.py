"""Archive storage: a small store interface, a local spool and a publisher."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from storage.base import ConflictError, ObjectInfo, Store, StoreError

__all__ = ["ConflictError", "ObjectInfo", "Store", "StoreError", "open_store"]


def open_store(url: str, cwd: Path | None = None) -> Store:
    """The backend for a storage URL: ``file://DIR`` or ``s3://BUCKET/PREFIX``.

    ``file://archive`` is relative to the working directory, ``file:///srv/a``
    absolute.
    """
    parsed = urlparse(url)
    if parsed.scheme == "file":
        raw = unquote(parsed.netloc + parsed.path)
        root = Path(raw)
        if not root.is_absolute():
            root = (cwd or Path.cwd()) / root
        from storage.local import FileStore

        return FileStore(root)
    if parsed.scheme == "s3":
        from storage.s3 import S3Store

        return S3Store.from_url(url)
    raise StoreError(f"unsupported storage URL {url!r}")
