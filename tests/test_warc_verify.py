"""``newsvault verify`` on a crawled archive, intact and tampered with."""

from __future__ import annotations

import gzip
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from newsvault.cli import main
from pipelines.warcverify import check_warc, gzip_members
from tests.conftest import run_cli, start_site, write_config


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    work = tmp_path_factory.mktemp("verify")
    site = start_site(work)
    try:
        write_config(work / "newsvault.toml", site)
        result = run_cli(["--config", "newsvault.toml", "crawl", "demo"], cwd=work)
        assert result.returncode == 0, result.stderr
    finally:
        site.stop()
    yield work


@pytest.fixture
def copy(crawled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the crawled archive, as the current directory."""
    shutil.copytree(crawled / "archive", tmp_path / "archive")
    shutil.copy(crawled / "newsvault.toml", tmp_path / "newsvault.toml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "250")
    return tmp_path


def verify(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["--config", "newsvault.toml", "verify", *args])
    out = capsys.readouterr()
    return code, out.out + out.err


def warcs(work: Path) -> list[Path]:
    return sorted((work / "archive" / "warc").rglob("*.warc.gz"))


def test_intact_archive_passes(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = verify(capsys)
    assert code == 0, out
    for warc in warcs(copy):
        assert warc.name in out
    assert "0 failed" in out


def test_truncated_file_fails_and_is_named(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    warc = warcs(copy)[0]
    data = warc.read_bytes()
    warc.write_bytes(data[: len(data) - 40])
    code, out = verify(capsys)
    assert code == 1
    assert warc.name in out and "truncated" in out


def test_wrong_payload_digest_fails(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A record changed but re-gzipped: every member is complete, the digest is not right."""
    warc = warcs(copy)[0]
    data = warc.read_bytes()
    members = list(gzip_members(warc))
    last = members[-2]  # a response record, written before its request
    record = gzip.decompress(data[last.start : last.end])
    # Flip one bit of the payload's last byte, just before the record's closing CRLFs.
    changed = record[:-5] + bytes([record[-5] ^ 1]) + record[-4:]
    warc.write_bytes(
        data[: last.start] + gzip.compress(changed) + data[last.end :],
    )
    assert "digest" in " ".join(check_warc(warc).problems)
    code, out = verify(capsys)
    assert code == 1 and "digest" in out


def test_index_must_match_the_warc(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    warc = warcs(copy)[0]
    index = warc.with_name(warc.name.replace(".warc.gz", ".cdxj"))
    lines = index.read_text().splitlines()
    index.write_text("\n".join(lines[1:]) + "\n")
    code, out = verify(capsys)
    assert code == 1 and "index has" in out


def edit_manifest(work: Path, change: Callable[[dict[str, Any]], None]) -> None:
    path = next((work / "archive" / "runs").rglob("*.json"))
    manifest = json.loads(path.read_text())
    change(manifest)
    path.write_text(json.dumps(manifest))


def test_per_file_record_count_must_match(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def wrong_count(manifest: dict[str, Any]) -> None:
        entry = next(e for e in manifest["files"] if e["key"].endswith(".warc.gz"))
        entry["records"] = check_warc(copy / "archive" / entry["key"]).records + 1

    edit_manifest(copy, wrong_count)
    code, out = verify(capsys)
    assert code == 1 and "manifest says" in out


def test_run_record_count_must_match(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Manifests without per-file counts are checked by the run's total."""

    def wrong_total(manifest: dict[str, Any]) -> None:
        for entry in manifest["files"]:
            entry.pop("records", None)
        manifest["counts"]["warc/records"] += 2

    edit_manifest(copy, wrong_total)
    code, out = verify(capsys)
    assert code == 1 and "manifest counts" in out


def test_file_outside_every_manifest_fails(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    warc = warcs(copy)[0]
    stray = warc.with_name(warc.name.replace("-00000-", "-00099-"))
    shutil.copy(warc, stray)
    shutil.copy(
        warc.with_name(warc.name.replace(".warc.gz", ".cdxj")),
        stray.with_name(stray.name.replace(".warc.gz", ".cdxj")),
    )
    code, out = verify(capsys)
    assert code == 1 and "in no run manifest" in out


def test_since_and_source_filters(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    warcs(copy)[0].write_bytes(b"broken")
    code, out = verify(capsys, "--since", "2999-01-01")
    assert code == 0 and "0 WARC file(s)" in out
    assert verify(capsys, "--source", "demo")[0] == 1


def test_bad_arguments_exit_two(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert verify(capsys, "--since", "yesterday")[0] == 2
    assert verify(capsys, "--source", "nowhere")[0] == 2
    (copy / "newsvault.toml").write_text("[storage\n")
    assert verify(capsys)[0] == 2
