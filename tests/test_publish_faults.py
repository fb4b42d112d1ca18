"""Publishing through a fault proxy: storage failures never lose or split a crawl.

In every fault mode the spool keeps what was not published, the bucket holds
only complete, correct objects (never a manifest before its files) and no
open multipart upload; ``newsvault upload --resume`` then completes the job.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from newsvault.cli import main
from storage import open_store
from storage.base import file_sha256
from storage.keys import manifest_key, text_key, warc_key
from storage.spool import Spool, publish
from tests.faultproxy import FaultProxy
from tests.s3_fixtures import TEST_SECRET_KEY, Bucket, write_config

pytest_plugins = ["tests.s3_fixtures"]

DAY = date(2026, 3, 4)
# Short timeouts and few attempts keep the outage cases fast; 1 MiB makes the
# 6 MiB WARC a two-part multipart upload.
OPTIONS = "attempts=2&connect_timeout=1&read_timeout=1&multipart_threshold=1048576"
# Where the publish must succeed: a bounded timeout, should a test hang, and multipart.
HEALTHY = "read_timeout=10&multipart_threshold=1048576"
# mode -> (proxy settings, how many spooled files get through before the fault bites)
MODES: dict[str, tuple[dict[str, int], int]] = {
    "refuse": ({}, 0),
    "500": ({}, 0),
    "503": ({}, 0),
    "stall": ({}, 0),
    "reset": ({"reset_after": 2 << 20}, 2),  # the multipart upload dies in its first part
    "reset-single": ({"reset_after": 100_000}, 1),  # a single PUT dies mid-body
}


@pytest.fixture
def proxy(s3_bucket: Bucket) -> Iterator[FaultProxy]:
    fault_proxy = FaultProxy(s3_bucket.server.address)
    os.environ["AWS_ENDPOINT_URL_S3"] = fault_proxy.endpoint  # restored by the monkeypatch
    yield fault_proxy
    fault_proxy.close()


def fill_spool(root: Path) -> dict[str, bytes]:
    files = {
        text_key("x", DAY, "run1"): b'{"title": "t"}\n' * 500,
        warc_key("x", DAY, "a.warc.gz"): os.urandom(300_000),
        warc_key("x", DAY, "b.warc.gz"): os.urandom((6 << 20) + 123),
    }
    listed = [
        {"key": k, "size": len(v), "sha256": file_sha256(_write(root, k, v))}
        for k, v in files.items()
    ]
    manifest = {"source": "x", "run_id": "run1", "start": "s", "end": "e", "files": listed}
    files[manifest_key("x", "run1")] = json.dumps(manifest).encode()
    _write(root, manifest_key("x", "run1"), files[manifest_key("x", "run1")])
    return files


def _write(root: Path, key: str, data: bytes) -> Path:
    path = root / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def assert_consistent(bucket: Bucket, spool: Path, files: dict[str, bytes]) -> None:
    """Nothing lost, nothing partial, nothing open, no manifest before its files."""
    stored = {key.removeprefix("arch/"): bucket.body(key) for key in bucket.object_keys()}
    for key, data in files.items():
        in_spool = (spool / key).is_file()
        assert in_spool or key in stored, f"{key} lost"
        if in_spool:
            assert (spool / key).read_bytes() == data
        if key in stored:
            assert stored[key] == data, f"{key} differs"
    assert set(stored) <= set(files)
    if manifest_key("x", "run1") in stored:
        assert set(stored) == set(files)
    assert bucket.open_uploads() == []


def _upload(config: Path) -> int:
    return main(["--config", str(config), "upload", "--resume"])


@pytest.mark.parametrize("mode", list(MODES))
def test_outage_keeps_spool_and_resume_completes(
    mode: str,
    s3_bucket: Bucket,
    proxy: FaultProxy,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = write_config(tmp_path, f"s3://{s3_bucket.name}/arch?{OPTIONS}")
    spool = tmp_path / "state" / "spool"
    files = fill_spool(spool)
    settings, got_through = MODES[mode]
    proxy.set(mode.split("-", maxsplit=1)[0], **settings)

    report = publish(Spool(spool), open_store(f"s3://{s3_bucket.name}/arch?{OPTIONS}"))
    assert not report.ok
    assert report.published == list(files)[:got_through]
    assert list(report.failed) == [list(files)[got_through]]
    assert report.remaining == len(files) - got_through
    assert_consistent(s3_bucket, spool, files)
    assert _upload(config) == 1
    assert "kept in the spool" in capsys.readouterr().err
    assert_consistent(s3_bucket, spool, files)

    proxy.set("pass")
    assert _upload(config) == 0
    assert {k.removeprefix("arch/"): s3_bucket.body(k) for k in s3_bucket.object_keys()} == files
    assert Spool(spool).pending() == []
    assert s3_bucket.open_uploads() == []


@pytest.mark.parametrize("checksums", ["when_required", "when_supported"])
def test_blips_are_retried_transparently(
    checksums: str, s3_bucket: Bucket, proxy: FaultProxy, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setenv("AWS_REQUEST_CHECKSUM_CALCULATION", checksums)
    monkeypatch.setenv("AWS_RESPONSE_CHECKSUM_VALIDATION", checksums)
    files = fill_spool(tmp_path / "spool")
    proxy.set("blip", failures=2)
    store = open_store(f"s3://{s3_bucket.name}/arch?attempts=3&{HEALTHY}")
    report = publish(Spool(tmp_path / "spool"), store)
    assert report.ok, report.failed
    assert proxy.failures == 0
    assert sorted(report.published) == sorted(files)
    assert {k.removeprefix("arch/"): s3_bucket.body(k) for k in s3_bucket.object_keys()} == files


def test_lost_reply_is_not_a_duplicate(
    s3_bucket: Bucket, proxy: FaultProxy, tmp_path: Path
) -> None:
    """The server stored the object but the reply was lost: the retry must not fail."""
    files = fill_spool(tmp_path / "spool")
    proxy.set("lose-reply", failures=1)
    store = open_store(f"s3://{s3_bucket.name}/arch?{HEALTHY}")
    report = publish(Spool(tmp_path / "spool"), store)
    assert report.ok, report.failed
    assert proxy.failures == 0
    assert report.already_there == [text_key("x", DAY, "run1")]
    assert {k.removeprefix("arch/"): s3_bucket.body(k) for k in s3_bucket.object_keys()} == files


def test_manifests_are_published_last(s3_bucket: Bucket, tmp_path: Path) -> None:
    files = fill_spool(tmp_path / "spool")
    store = open_store(f"s3://{s3_bucket.name}/arch?{HEALTHY}")
    order: list[str] = []
    put = store.put

    def recording_put(key: str, path: Path, sha256: str) -> bool:
        order.append(key)
        return put(key, path, sha256)

    store.put = recording_put  # type: ignore[method-assign]
    assert publish(Spool(tmp_path / "spool"), store).ok
    assert order[-1] == manifest_key("x", "run1")
    assert sorted(order) == sorted(files)


def test_manifest_held_back_while_one_of_its_files_conflicts(
    s3_bucket: Bucket, tmp_path: Path
) -> None:
    files = fill_spool(tmp_path / "spool")
    warc = warc_key("x", DAY, "a.warc.gz")
    s3_bucket.client.put_object(Bucket=s3_bucket.name, Key=f"arch/{warc}", Body=b"other")
    store = open_store(f"s3://{s3_bucket.name}/arch?{HEALTHY}")
    report = publish(Spool(tmp_path / "spool"), store)
    assert list(report.failed) == [warc] and "different object" in report.failed[warc]
    assert report.held_back == [manifest_key("x", "run1")]
    assert report.remaining == 2 and not report.ok
    assert (tmp_path / "spool" / manifest_key("x", "run1")).read_bytes() == files[
        manifest_key("x", "run1")
    ]
    assert store.exists(manifest_key("x", "run1")) is None


def test_secret_never_logged_or_stored(
    s3_bucket: Bucket, proxy: FaultProxy, tmp_path: Path,
    caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    caplog.set_level(logging.DEBUG)  # botocore's request dumps included
    config = write_config(tmp_path, f"s3://{s3_bucket.name}/arch?{OPTIONS}")
    files = fill_spool(tmp_path / "state" / "spool")
    proxy.set("500")
    assert main(["-vvv", "--config", str(config), "upload", "--resume"]) == 1
    proxy.set("pass")
    assert main(["-vvv", "--config", str(config), "upload", "--resume"]) == 0
    captured = capfd.readouterr()
    logged = "\n".join(r.getMessage() for r in caplog.records) + caplog.text
    assert "botocore" in caplog.text and "500" in captured.err + logged
    for text in (logged, captured.out, captured.err):
        assert TEST_SECRET_KEY not in text
    for key in s3_bucket.object_keys():
        head = s3_bucket.client.head_object(Bucket=s3_bucket.name, Key=key)
        assert TEST_SECRET_KEY.encode() not in s3_bucket.body(key)
        assert TEST_SECRET_KEY not in json.dumps(head["Metadata"])
    assert len(files) == len(s3_bucket.object_keys())
