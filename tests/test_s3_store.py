"""S3Store against real servers: SeaweedFS (with required credentials) and moto."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from storage import open_store
from storage.base import ConflictError, ObjectInfo, StoreError, file_sha256
from storage.keys import UnsafeKeyError, manifest_key, warc_key
from storage.s3 import S3Store
from tests.s3_fixtures import Bucket

pytest_plugins = ["tests.s3_fixtures"]

SMALL = {"multipart_threshold": 1 << 20, "part_size": 5 << 20}


def _file(tmp_path: Path, name: str, data: bytes) -> tuple[Path, str]:
    path = tmp_path / name
    path.write_bytes(data)
    return path, hashlib.sha256(data).hexdigest()


def _store(bucket: Bucket, query: str = "") -> S3Store:
    store = open_store(f"s3://{bucket.name}/arch{query}")
    assert isinstance(store, S3Store)
    return store


def test_round_trip(any_bucket: Bucket, tmp_path: Path) -> None:
    store = _store(any_bucket)
    key = warc_key("example", __import__("datetime").date(2026, 1, 2), "a.warc.gz")
    path, sha = _file(tmp_path, "a", b"0123456789" * 100)
    assert store.put(key, path, sha) is True
    assert store.get(key) == path.read_bytes()
    assert store.get_range(key, 5, 7) == b"5678901"
    assert store.exists(key) == ObjectInfo(key=key, size=1000, sha256=sha)
    assert store.exists("warc/none") is None
    assert [info.key for info in store.list("warc/")] == [key]
    assert any_bucket.keys() == [f"arch/{key}"]
    store.download(key, tmp_path / "out" / "a")
    assert (tmp_path / "out" / "a").read_bytes() == path.read_bytes()
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["a"]
