"""``newsvault upload`` and ``newsvault ls`` against file:// and s3:// archives."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest

from newsvault.cli import main
from storage import open_store
from storage.keys import manifest_key, text_key, warc_key
from storage.spool import Spool
from tests.s3_fixtures import Bucket, free_ports, write_config

pytest_plugins = ["tests.s3_fixtures"]

DAY = date(2026, 3, 4)
WARC = warc_key("x", DAY, "nv-20260304-00001-example.org.warc.gz")
TEXT = text_key("x", DAY, "run1")
MANIFEST = manifest_key("x", "run1")


@pytest.fixture(params=["file", "s3"])
def archive_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "file":
        return (tmp_path / "archive").as_uri()
    bucket: Bucket = request.getfixturevalue("s3_bucket")
    return f"s3://{bucket.name}/arch"


@pytest.fixture(autouse=True)
def wide_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # rich wraps at 80 columns when not on a terminal


def fill_spool(root: Path) -> dict[str, bytes]:
    files = {WARC: b"W" * 3000, TEXT: b'{"id": "a"}\n'}
    listed = [
        {"key": k, "size": len(v), "sha256": hashlib.sha256(v).hexdigest()}
        for k, v in files.items()
    ]
    manifest = {
        "source": "x",
        "run_id": "run1",
        "start": "2026-03-04T10:00:00Z",
        "end": "2026-03-04T10:05:00Z",
        "counts": {"articles": 2, "pages": 3},
        "files": listed,
    }
    files[MANIFEST] = json.dumps(manifest).encode()
    for key, data in files.items():
        path = root / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return files


def cli(config: Path, *args: str) -> int:
    return main(["--config", str(config), *args])


def test_upload_publishes_the_spool_once(
    archive_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, archive_url)
    spool = tmp_path / "state" / "spool"
    files = fill_spool(spool)
    (spool / "warc/x/2026/03/04/next.warc.gz.open").write_bytes(b"half")
    assert cli(config, "upload", "--resume") == 0
    out, err = capsys.readouterr()
    assert "published 3 file(s)" in out
    assert "next.warc.gz.open" in err
    assert [key for key, _ in Spool(spool).pending()] == []
    assert (spool / "warc/x/2026/03/04/next.warc.gz.open").is_file()
    assert cli(config, "upload", "--resume") == 0
    assert "published 0 file(s)" in capsys.readouterr().out
    assert cli(config, "ls", "warcs") == 0  # the archive is readable through the same URL
    assert WARC.rsplit("/", 1)[1] in capsys.readouterr().out
    store = open_store(archive_url)
    assert {key: store.get(key) for key in files} == files


def test_upload_with_storage_down_keeps_the_spool(
    s3_bucket: Bucket, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", f"http://127.0.0.1:{free_ports(1)[0]}")
    config = write_config(tmp_path, f"s3://{s3_bucket.name}/arch?attempts=1")
    files = fill_spool(tmp_path / "state" / "spool")
    assert cli(config, "upload", "--resume") == 1
    err = capsys.readouterr().err
    assert "3 file(s) kept in the spool" in err and "upload --resume" in err
    assert {k: p.read_bytes() for k, p in Spool(tmp_path / "state" / "spool").pending()} == files
    assert s3_bucket.object_keys() == []


def test_upload_conflict_exits_non_zero(
    archive_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, archive_url)
    fill_spool(tmp_path / "state" / "spool")
    assert cli(config, "upload", "--resume") == 0
    (tmp_path / "state" / "spool" / TEXT).parent.mkdir(parents=True)
    (tmp_path / "state" / "spool" / TEXT).write_bytes(b"rewritten")
    (tmp_path / "state" / "spool" / MANIFEST).parent.mkdir(parents=True)
    (tmp_path / "state" / "spool" / MANIFEST).write_bytes(b'{"run_id": "run1", "again": 1}')
    assert cli(config, "upload", "--resume") == 1
    err = capsys.readouterr().err
    assert "different object" in err and f"{MANIFEST}: held back" in err
    assert (tmp_path / "state" / "spool" / TEXT).read_bytes() == b"rewritten"


def test_ls_views(archive_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = write_config(tmp_path, archive_url)
    spool = tmp_path / "state" / "spool"
    fill_spool(spool)
    assert cli(config, "-q", "ls", "spool") == 0
    out = capsys.readouterr().out
    assert MANIFEST in out and TEXT in out and "3 file(s)" in out
    assert cli(config, "-q", "upload") == 0
    (spool / "warc/y/2026/03/04/w.warc.gz.open").parent.mkdir(parents=True)
    (spool / "warc/y/2026/03/04/w.warc.gz.open").write_bytes(b"x")
    capsys.readouterr()

    assert cli(config, "ls") == 0
    runs = capsys.readouterr().out
    assert "run1" in runs and "articles 2, pages 3" in runs and "2026-03-04T10:05:00Z" in runs
    assert cli(config, "ls", "sources") == 0
    assert [line.split() for line in capsys.readouterr().out.splitlines() if " x " in line] == [
        ["│", "x", "│", "1", "│", "1", "│", "3.4", "KiB", "│"]
    ]
    assert cli(config, "ls", "warcs") == 0
    warcs = capsys.readouterr().out
    assert "2026-03-04" in warcs and "2.9 KiB" in warcs and "1 WARC file(s)" in warcs
    assert cli(config, "ls", "warcs", "--source", "other") == 0
    assert "0 WARC file(s)" in capsys.readouterr().out
    assert cli(config, "ls", "spool", "--source", "y") == 0
    assert "being written" in capsys.readouterr().out


def test_ls_survives_an_unreadable_manifest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = tmp_path / "archive"
    (archive / "runs" / "x").mkdir(parents=True)
    (archive / "runs" / "x" / "broken.json").write_text("{not json")
    assert cli(write_config(tmp_path, archive.as_uri()), "ls", "runs") == 0
    assert "unreadable manifest" in capsys.readouterr().out
