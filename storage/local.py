"""``file://`` backend: the embedded archive in a local directory."""

from __future__ import annotations

import errno
import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

from storage.base import ConflictError, ObjectInfo, StoreUnusable, file_sha256
from storage.keys import safe_key


class FileStore:
    """A directory laid out exactly like the bucket.

    Objects appear under their final name only when complete, through a hard
    link, which fails instead of overwriting when another writer got there
    first. A spooled file on the same filesystem is linked as it is (a
    gigabyte WARC is not copied); from elsewhere it is copied to a temporary
    name and flushed first.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.url = root.resolve().as_uri()
        # Files this store linked: path -> ((inode, device, size, mtime), sha256).
        self._linked: dict[Path, tuple[tuple[int, int, int, int], str]] = {}

    def _path(self, key: str) -> Path:
        return self.root / safe_key(key)

    def put(self, key: str, path: Path, sha256: str) -> bool:
        final = self._path(key)
        if final.exists():
            return self._same(key, final, sha256)
        final.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, final)
        except FileExistsError:
            return self._same(key, final, sha256)
        except OSError as exc:
            if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
                raise
        else:
            with final.open("rb") as fh:
                os.fsync(fh.fileno())
                self._linked[final] = (_identity(os.fstat(fh.fileno())), sha256)
            return True
        tmp = final.with_name(f".{final.name}.{os.getpid()}.partial")
        shutil.copyfile(path, tmp)
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        try:
            os.link(tmp, final)
        except FileExistsError:
            return self._same(key, final, sha256)
        finally:
            tmp.unlink(missing_ok=True)
        return True

    def _same(self, key: str, final: Path, sha256: str) -> bool:
        if file_sha256(final) != sha256:
            raise ConflictError(f"{key}: a different object is already archived")
        return False

    def check(self) -> None:
        existing = self.root
        while not existing.exists() and existing != existing.parent:
            existing = existing.parent
        if self.root.exists() and not self.root.is_dir():
            raise StoreUnusable(f"{self.root} is not a directory")
        if not os.access(existing, os.W_OK):
            raise StoreUnusable(f"{existing} is not writable")

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def get_range(self, key: str, offset: int, length: int) -> bytes:
        with self._path(key).open("rb") as fh:
            fh.seek(offset)
            return fh.read(length)

    def download(self, key: str, dest: Path) -> None:
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(f".{dest.name}.partial")
        shutil.copyfile(self._path(key), tmp)
        os.replace(tmp, dest)

    def list(self, prefix: str = "") -> Iterator[ObjectInfo]:
        if not self.root.is_dir():
            return
        for path in sorted(self.root.rglob("*")):
            if not path.is_file() or path.name.startswith("."):
                continue
            key = path.relative_to(self.root).as_posix()
            if key.startswith(prefix):
                yield ObjectInfo(key=key, size=path.stat().st_size)

    def exists(self, key: str) -> ObjectInfo | None:
        path = self._path(key)
        try:
            st = path.stat()
        except FileNotFoundError:
            return None
        if not stat.S_ISREG(st.st_mode):
            return None
        # Asked once, right after put(): forgotten then, so the record stays small.
        linked = self._linked.pop(path, None)
        if linked is not None and linked[0] == _identity(st):
            # The very file put() linked, unchanged: reading it back (650 MB after
            # a 10,000-page crawl) could only give the digest it was linked with.
            return ObjectInfo(key=key, size=st.st_size, sha256=linked[1])
        return ObjectInfo(key=key, size=st.st_size, sha256=file_sha256(path))


def _identity(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_ino, st.st_dev, st.st_size, st.st_mtime_ns)
