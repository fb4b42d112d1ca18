"""S3Store against real servers: SeaweedFS (credentials required) and moto."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from storage import open_store
from storage.base import ConflictError, ObjectInfo, StoreError
from storage.keys import UnsafeKeyError, manifest_key, text_key, warc_key
from storage.s3 import S3Store
from tests.faultproxy import FaultProxy
from tests.s3_fixtures import TEST_ACCESS_KEY, TEST_SECRET_KEY, Bucket, free_ports

pytest_plugins = ["tests.s3_fixtures"]

DAY = date(2026, 1, 2)
# Small enough to make test files multipart, large enough for S3's 5 MiB part minimum.
MULTIPART = "multipart_threshold=1048576&part_size=5242880"


def _file(tmp_path: Path, name: str, data: bytes) -> tuple[Path, str]:
    path = tmp_path / name
    path.write_bytes(data)
    return path, hashlib.sha256(data).hexdigest()


def _store(bucket: Bucket, query: str = "") -> S3Store:
    store = open_store(f"s3://{bucket.name}/arch?{query}")
    assert isinstance(store, S3Store)
    return store


@pytest.mark.parametrize("checksums", ["when_required", "when_supported"])
def test_round_trip(
    any_bucket: Bucket, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, checksums: str
) -> None:
    monkeypatch.setenv("AWS_REQUEST_CHECKSUM_CALCULATION", checksums)
    monkeypatch.setenv("AWS_RESPONSE_CHECKSUM_VALIDATION", checksums)
    store = _store(any_bucket)
    key = warc_key("example", DAY, "a.warc.gz")
    path, sha = _file(tmp_path, "a", b"0123456789" * 100)
    assert store.put(key, path, sha) is True
    assert store.get(key) == path.read_bytes()
    assert store.get_range(key, 5, 7) == b"5678901"
    assert store.exists(key) == ObjectInfo(key=key, size=1000, sha256=sha)
    assert store.exists(warc_key("example", DAY, "none")) is None
    assert [info.key for info in store.list("warc/")] == [key]
    assert any_bucket.object_keys() == [f"arch/{key}"]
    store.download(key, tmp_path / "out" / "a")
    assert (tmp_path / "out" / "a").read_bytes() == path.read_bytes()
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["a"]


def test_second_put_of_same_file_is_a_no_op(any_bucket: Bucket, tmp_path: Path) -> None:
    store = _store(any_bucket)
    key = text_key("example", DAY, "run1")
    path, sha = _file(tmp_path, "t", b"same bytes")
    assert store.put(key, path, sha) is True
    assert store.put(key, path, sha) is False
    assert any_bucket.object_keys() == [f"arch/{key}"]


def test_different_content_under_same_key_conflicts(any_bucket: Bucket, tmp_path: Path) -> None:
    store = _store(any_bucket)
    key = manifest_key("example", "run1")
    first, sha1 = _file(tmp_path, "1", b"first")
    second, sha2 = _file(tmp_path, "2", b"second")
    store.put(key, first, sha1)
    with pytest.raises(ConflictError):
        store.put(key, second, sha2)
    assert any_bucket.body(f"arch/{key}") == b"first"


def test_object_without_our_metadata_is_compared_by_content(
    any_bucket: Bucket, tmp_path: Path
) -> None:
    key = warc_key("example", DAY, "foreign.warc.gz")
    any_bucket.client.put_object(Bucket=any_bucket.name, Key=f"arch/{key}", Body=b"foreign")
    path, sha = _file(tmp_path, "f", b"foreign")
    assert _store(any_bucket).put(key, path, sha) is False


@pytest.mark.parametrize("checksums", ["when_required", "when_supported"])
def test_multipart_above_threshold(
    any_bucket: Bucket, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, checksums: str
) -> None:
    monkeypatch.setenv("AWS_REQUEST_CHECKSUM_CALCULATION", checksums)
    store = _store(any_bucket, MULTIPART)
    key = warc_key("example", DAY, "big.warc.gz")
    data = bytes(range(256)) * (6 * 4096 + 7)  # 6 MiB and a bit: two parts
    path, sha = _file(tmp_path, "big", data)
    assert store.put(key, path, sha) is True
    assert store.put(key, path, sha) is False
    other, other_sha = _file(tmp_path, "other", data[:-1] + b"x")
    with pytest.raises(ConflictError):
        store.put(key, other, other_sha)
    assert store.exists(key) == ObjectInfo(key=key, size=len(data), sha256=sha)
    assert store.get(key) == data
    assert any_bucket.open_uploads() == []


def test_multipart_failing_midway_is_aborted(s3_bucket: Bucket, tmp_path: Path) -> None:
    proxy = FaultProxy(s3_bucket.server.address)
    try:
        proxy.set("reset", reset_after=2 << 20)
        _with_endpoint(proxy.endpoint)
        store = _store(s3_bucket, f"{MULTIPART}&attempts=2")
        key = warc_key("example", DAY, "big.warc.gz")
        path, sha = _file(tmp_path, "big", b"z" * (6 << 20))
        with pytest.raises(StoreError):
            store.put(key, path, sha)
    finally:
        proxy.close()
    assert s3_bucket.open_uploads() == []
    assert s3_bucket.object_keys() == []


def test_stale_upload_of_the_key_is_aborted_first(s3_bucket: Bucket, tmp_path: Path) -> None:
    key = warc_key("example", DAY, "big.warc.gz")
    s3_bucket.client.create_multipart_upload(Bucket=s3_bucket.name, Key=f"arch/{key}")
    path, sha = _file(tmp_path, "big", b"y" * (2 << 20))
    assert _store(s3_bucket, MULTIPART).put(key, path, sha) is True
    assert s3_bucket.open_uploads() == []


def test_list_pages_and_strips_prefix(any_bucket: Bucket, tmp_path: Path) -> None:
    store = _store(any_bucket)
    keys = sorted(manifest_key("src", f"run{i}") for i in range(5))
    for key in keys:
        path, sha = _file(tmp_path, "m", key.encode())
        store.put(key, path, sha)
    any_bucket.client.put_object(Bucket=any_bucket.name, Key="elsewhere/x", Body=b"x")
    _small_pages(store)
    assert [info.key for info in store.list()] == keys
    assert [info.key for info in store.list("runs/src/run3")] == [keys[3]]


def _small_pages(store: S3Store) -> None:
    """Make list_objects_v2 return two keys per page, so paging is exercised."""
    original = store.client.get_paginator

    def get_paginator(name: str) -> Any:
        paginator = original(name)
        paginate = paginator.paginate
        paginator.paginate = lambda **kw: paginate(PaginationConfig={"PageSize": 2}, **kw)
        return paginator

    store.client.get_paginator = get_paginator


def test_unsafe_keys_are_refused(s3_bucket: Bucket, tmp_path: Path) -> None:
    store = _store(s3_bucket)
    path, sha = _file(tmp_path, "x", b"x")
    for key in ("../escape", "/abs", "a/../b", "a\\b", "a/\x00"):
        with pytest.raises(UnsafeKeyError):
            store.put(key, path, sha)
    with pytest.raises(StoreError):
        list(store.list("../"))
    with pytest.raises(StoreError, match="unsafe"):
        S3Store.from_url(f"s3://{s3_bucket.name}/../up")


def test_errors_are_store_errors_without_secrets(
    s3_bucket: Bucket, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, sha = _file(tmp_path, "x", b"x")
    with pytest.raises(StoreError, match="NoSuchBucket") as missing:
        S3Store.from_url("s3://nv-no-such-bucket/p").put("a/b", path, sha)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", TEST_SECRET_KEY + "-wrong")
    with pytest.raises(StoreError) as denied:
        _store(s3_bucket).exists("a/b")
    _with_endpoint(f"http://127.0.0.1:{free_ports(1)[0]}")
    with pytest.raises(StoreError, match=r"127\.0\.0\.1") as refused:
        _store(s3_bucket, "attempts=1").get("a/b")
    for exc in (missing.value, denied.value, refused.value):
        assert TEST_SECRET_KEY not in str(exc)
        assert exc.__cause__ is None


def test_url_options() -> None:
    store = S3Store.from_url("s3://bkt/a/b/?read_timeout=2&attempts=3&part_size=6291456")
    assert (store.bucket, store.prefix, store.url) == ("bkt", "a/b", "s3://bkt/a/b")
    assert (store.options.read_timeout, store.options.attempts) == (2.0, 3)
    for bad in ("s3://bkt/p?colour=red", "s3://bkt/p?part_size=1", "s3://bkt/p?attempts=x"):
        with pytest.raises(StoreError):
            S3Store.from_url(bad)
    with pytest.raises(StoreError, match="credentials do not belong") as leaky:
        S3Store.from_url(f"s3://{TEST_ACCESS_KEY}:{TEST_SECRET_KEY}@bkt/p")
    assert TEST_SECRET_KEY not in str(leaky.value)


def _with_endpoint(endpoint: str) -> None:
    import os

    os.environ["AWS_ENDPOINT_URL_S3"] = endpoint  # the fixture's monkeypatch restores it
