"""The ``file://`` store: hard links on one filesystem, copies across filesystems."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage import local
from storage import spool as spool_module
from storage.base import ConflictError, ObjectInfo, file_sha256
from storage.keys import manifest_key
from storage.local import FileStore
from storage.spool import Spool, publish

KEY = "warc/demo/2026/01/02/a.warc.gz"


def spooled(directory: Path, data: bytes) -> tuple[Path, str]:
    path = directory / "spooled.warc.gz"
    path.write_bytes(data)
    return path, hashlib.sha256(data).hexdigest()


def test_same_filesystem_links_without_copying(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "archive")
    path, sha = spooled(tmp_path, b"record" * 1000)
    assert store.put(KEY, path, sha) is True
    final = tmp_path / "archive" / KEY
    assert final.stat().st_ino == path.stat().st_ino, "one inode: the bytes were not copied"
    assert store.exists(KEY) == ObjectInfo(key=KEY, size=6000, sha256=sha)
    assert store.put(KEY, path, sha) is False, "the same object again is a no-op"
    other, other_sha = spooled(tmp_path / "archive", b"different")
    with pytest.raises(ConflictError):
        store.put(KEY, other, other_sha)
    assert final.read_bytes() == b"record" * 1000


@pytest.fixture
def other_filesystem(tmp_path: Path) -> Iterator[Path]:
    shm = Path("/dev/shm")
    if not shm.is_dir() or shm.stat().st_dev == tmp_path.stat().st_dev:
        pytest.skip("needs /dev/shm on a filesystem of its own")  # present on Linux CI
    with tempfile.TemporaryDirectory(dir=shm) as directory:
        yield Path(directory)


def test_other_filesystem_is_copied_whole(tmp_path: Path, other_filesystem: Path) -> None:
    store = FileStore(tmp_path / "archive")
    path, sha = spooled(other_filesystem, os.urandom(300_000))
    assert store.put(KEY, path, sha) is True
    final = tmp_path / "archive" / KEY
    assert final.read_bytes() == path.read_bytes()
    assert final.stat().st_dev != path.stat().st_dev
    assert [p.name for p in final.parent.iterdir()] == ["a.warc.gz"], "no partial file left"


def test_exists_reads_back_only_what_it_did_not_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[Path] = []
    real = local.file_sha256

    def counting(path: Path) -> str:
        reads.append(path)
        return real(path)

    monkeypatch.setattr(local, "file_sha256", counting)
    store = FileStore(tmp_path / "archive")
    path, sha = spooled(tmp_path, b"record" * 1000)
    store.put(KEY, path, sha)
    assert store.exists(KEY) == ObjectInfo(key=KEY, size=6000, sha256=sha)
    assert reads == [], "the linked file is the spooled one: nothing to read back"
    final = tmp_path / "archive" / KEY
    final.write_bytes(b"changed")  # the same inode, other bytes
    changed = store.exists(KEY)
    assert changed is not None and changed.sha256 == hashlib.sha256(b"changed").hexdigest()
    assert reads == [final]
    assert FileStore(tmp_path / "archive").exists(KEY) == changed, "another store reads it"


def test_publish_takes_recorded_digests_from_the_run_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spool = tmp_path / "spool"
    files = {
        KEY: os.urandom(200_000),  # listed with its size and digest: not read to hash it
        "warc/demo/2026/01/02/b.warc.gz": b"changed after it was listed",  # size differs
        "text/demo/2026/01/02/c.jsonl.gz": b"not listed",
    }
    for key, data in files.items():
        (spool / key).parent.mkdir(parents=True, exist_ok=True)
        (spool / key).write_bytes(data)
    listed = [
        {"key": KEY, "size": 200_000, "sha256": hashlib.sha256(files[KEY]).hexdigest()},
        {"key": "warc/demo/2026/01/02/b.warc.gz", "size": 3, "sha256": "0" * 64},
    ]
    manifest = manifest_key("demo", "run1")
    (spool / manifest).parent.mkdir(parents=True)
    (spool / manifest).write_text(json.dumps({"source": "demo", "files": listed}))
    hashed: list[str] = []

    def counting_sha256(path: Path) -> str:
        hashed.append(path.relative_to(spool).as_posix())
        return file_sha256(path)

    monkeypatch.setattr(spool_module, "file_sha256", counting_sha256)
    store = FileStore(tmp_path / "archive")
    report = publish(Spool(spool), store)
    assert report.ok and len(report.published) == 4
    assert sorted(hashed) == sorted([*list(files)[1:], manifest])
    for key, data in files.items():
        assert (tmp_path / "archive" / key).read_bytes() == data
        assert store.exists(key) == ObjectInfo(key, len(data), hashlib.sha256(data).hexdigest())
