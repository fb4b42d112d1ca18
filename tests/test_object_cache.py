"""WARCs from S3 are cached locally and never downloaded twice."""

from __future__ import annotations

from pathlib import Path

from storage.base import file_sha256
from storage.cache import ObjectCache
from storage.s3 import S3Store
from tests.s3_fixtures import Bucket

pytest_plugins = ["tests.s3_fixtures"]


def test_objects_are_downloaded_once(tmp_path: Path, s3_bucket: Bucket) -> None:
    store = S3Store.from_url(f"s3://{s3_bucket.name}/a")
    source = tmp_path / "x.warc.gz"
    source.write_bytes(b"warc bytes" * 100)
    store.put("warc/s/2025/05/21/x.warc.gz", source, file_sha256(source))
    cache = ObjectCache(tmp_path / "cache", store)
    first = cache.local("warc/s/2025/05/21/x.warc.gz", 1000)
    again = cache.local("warc/s/2025/05/21/x.warc.gz", 1000)
    assert first == again and first.read_bytes() == source.read_bytes()
    assert cache.downloads == 1
    first.write_bytes(b"truncated")  # a damaged copy is fetched again
    assert cache.local("warc/s/2025/05/21/x.warc.gz", 1000).read_bytes() == source.read_bytes()
    assert cache.downloads == 2
