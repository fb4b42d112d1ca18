"""A crawl published to real S3 (SeaweedFS), pulled back, and no secret anywhere."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from tests.conftest import FixtureSite, run_cli, write_config
from tests.s3_fixtures import TEST_SECRET_KEY, Bucket

pytest_plugins = ["tests.s3_fixtures"]


def s3_config(tmp_path: Path, site: FixtureSite, bucket: Bucket) -> None:
    path = write_config(tmp_path / "nv.toml", site)
    path.write_text(path.read_text().replace("file://archive", f"s3://{bucket.name}/news"))


def test_crawl_publish_pull_round_trip(
    tmp_path: Path, site: FixtureSite, s3_bucket: Bucket
) -> None:
    s3_config(tmp_path, site, s3_bucket)
    crawl = run_cli(["-v", "--config", "nv.toml", "crawl", "demo"], cwd=tmp_path)
    assert crawl.returncode == 0, crawl.stderr
    keys = s3_bucket.object_keys()
    assert all(k.startswith("news/") for k in keys)
    assert any(k.startswith("news/warc/demo/") and k.endswith(".warc.gz") for k in keys)
    assert any(k.startswith("news/runs/demo/") for k in keys)
    assert not list((tmp_path / "state" / "spool").rglob("*.gz")), "published files leave the spool"

    pulled = run_cli(["--config", "nv.toml", "pull", "--out", "out"], cwd=tmp_path)
    assert pulled.returncode == 0, pulled.stderr
    records = [json.loads(x) for x in (tmp_path / "out" / "demo.jsonl").read_text().splitlines()]
    text_keys = [k for k in keys if k.startswith("news/text/")]
    stored = [
        json.loads(line)
        for key in text_keys
        for line in gzip.decompress(s3_bucket.body(key)).decode().splitlines()
    ]
    assert sorted(r["id"] for r in records) == sorted(r["id"] for r in stored)
    assert len(records) == 6

    status = run_cli(["--config", "nv.toml", "status", "--json"], cwd=tmp_path)
    listing = run_cli(["--config", "nv.toml", "ls", "runs"], cwd=tmp_path)
    outputs = [
        crawl.stdout,
        crawl.stderr,
        pulled.stderr,
        status.stdout,
        status.stderr,
        listing.stdout,
        listing.stderr,
    ]
    for text in outputs:
        assert TEST_SECRET_KEY not in text
    for key in keys:
        assert TEST_SECRET_KEY.encode() not in s3_bucket.body(key)
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert TEST_SECRET_KEY.encode() not in path.read_bytes(), path


def test_crawl_with_storage_down_keeps_everything(
    tmp_path: Path, site: FixtureSite, s3_bucket: Bucket
) -> None:
    s3_config(tmp_path, site, s3_bucket)
    down = {"AWS_ENDPOINT_URL_S3": "http://127.0.0.1:9", "AWS_MAX_ATTEMPTS": "1"}
    crawl = run_cli(["--config", "nv.toml", "crawl", "demo"], cwd=tmp_path, env=down)
    assert crawl.returncode == 1
    assert "upload --resume" in crawl.stderr
    assert TEST_SECRET_KEY not in crawl.stderr + crawl.stdout
    spooled = list((tmp_path / "state" / "spool").rglob("*.warc.gz"))
    assert spooled and list((tmp_path / "state" / "spool").rglob("*.json"))
    assert s3_bucket.object_keys() == []

    resumed = run_cli(["--config", "nv.toml", "upload", "--resume"], cwd=tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    keys = s3_bucket.object_keys()
    assert any(k.endswith(".warc.gz") for k in keys) and any(
        k.startswith("news/runs/") for k in keys
    )


def test_misconfigured_storage_stops_before_any_fetch(
    tmp_path: Path, site: FixtureSite, s3_bucket: Bucket
) -> None:
    s3_config(tmp_path, site, s3_bucket)
    config = tmp_path / "nv.toml"
    good = config.read_text()
    cases = {
        "no such bucket": (good.replace(s3_bucket.name, "no-such-bucket-here"), {}),
        "unknown host": (good, {"AWS_ENDPOINT_URL_S3": "http://storage.invalid:8333"}),
        "wrong secret": (good, {"AWS_SECRET_ACCESS_KEY": "not-the-secret"}),
        "not a directory": (good.replace(f"s3://{s3_bucket.name}/news", "file://nv.toml"), {}),
    }
    for name, (text, env) in cases.items():
        config.write_text(text)
        site.clear_log()
        result = run_cli(["--config", "nv.toml", "crawl", "demo"], cwd=tmp_path, env=env)
        assert result.returncode == 2, (name, result.stderr)
        assert "storage misconfigured" in result.stderr, name
        assert site.requests() == [], f"{name}: nothing may be fetched"
        assert not (tmp_path / "state" / "spool").exists(), f"{name}: no data touched"
        assert TEST_SECRET_KEY not in result.stderr
