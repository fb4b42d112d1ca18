"""A crawl killed mid-run, its WARC cut mid-record, then salvaged."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from newsvault.cli import main
from newsvault.demosite.server import SiteHandler, SiteServer
from newsvault.demosite.site import build_site
from pipelines.salvage import LostRecord, _headers, salvage_spool
from pipelines.warcindex import cdxj_path
from pipelines.warcverify import check_warc, gzip_members
from storage.local import FileStore
from storage.spool import Spool, publish
from storage.state import CrawlState
from tests.conftest import run_cli, write_config

# An article the server does not answer while the crawl runs: the crawl is busy, not done.
HELD = build_site("").articles[-1].path


class HoldingHandler(SiteHandler):
    def do_GET(self) -> None:
        if self.path == HELD and not self.server.release.is_set():  # type: ignore[attr-defined]
            self.server.held.set()  # type: ignore[attr-defined]
            self.server.release.wait(30)  # type: ignore[attr-defined]
            return  # the crawl that asked is dead by now: nobody to answer
        super().do_GET()


@pytest.fixture(scope="module")
def server() -> Iterator[SiteServer]:
    srv = SiteServer(None)
    srv.site = build_site(srv.base_url)
    srv.RequestHandlerClass = HoldingHandler
    srv.held, srv.release = threading.Event(), threading.Event()  # type: ignore[attr-defined]
    srv.start()
    yield srv
    srv.release.set()  # type: ignore[attr-defined]
    srv.shutdown()
    srv.server_close()


def site_of(srv: SiteServer) -> Any:
    base = srv.base_url
    return SimpleNamespace(base=base, hostport=base.removeprefix("http://"))


def crash_a_crawl(work: Path, srv: SiteServer) -> None:
    """Start a crawl, wait until it is busy, then kill it and its workers at once."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsvault", "--config", "newsvault.toml", "crawl", "demo"],
        cwd=work,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not srv.held.wait(0.1):  # type: ignore[attr-defined]
            assert proc.poll() is None, "the crawl ended without asking for the held page"
            assert time.monotonic() < deadline
        time.sleep(1.0)  # let the requests in flight land in the WARC and the text batch
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)


def cut_mid_response(warc: Path) -> tuple[list[str], LostRecord]:
    """Cut the file inside its last response record; returns the ids kept and the one cut."""
    data = warc.read_bytes()
    members = list(gzip_members(warc))
    heads = [_headers(data[m.start : m.end]) for m in members]
    last = max(i for i, h in enumerate(heads) if h.get("WARC-Type") == "response")
    cut = members[last]
    warc.write_bytes(data[: cut.start + (cut.end - cut.start) // 2])
    kept = [h["WARC-Record-ID"] for h in heads[:last]]
    head = heads[last]
    return kept, LostRecord(head["WARC-Record-ID"], "response", head["WARC-Target-URI"])


@pytest.fixture(scope="module")
def crashed(
    tmp_path_factory: pytest.TempPathFactory, server: SiteServer
) -> tuple[Path, Path, list[str], LostRecord]:
    work = tmp_path_factory.mktemp("salvage")
    write_config(work / "newsvault.toml", site_of(server))
    crash_a_crawl(work, server)
    server.release.set()  # type: ignore[attr-defined]
    spool = work / "state" / "spool"
    (warc,) = spool.rglob("*.warc.gz.open")
    kept, lost = cut_mid_response(warc)
    return work, warc, kept, lost


def state_of(work: Path) -> CrawlState:
    return CrawlState(work / "state" / "sources" / "demo" / "state.sqlite")


def test_verify_names_the_truncated_file(
    crashed: tuple[Path, Path, list[str], LostRecord],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    work, warc, _, _ = crashed
    key = warc.relative_to(work / "state" / "spool").as_posix().removesuffix(".open")
    published = work / "archive" / key
    published.parent.mkdir(parents=True)
    published.write_bytes(warc.read_bytes())
    monkeypatch.chdir(work)
    monkeypatch.setenv("COLUMNS", "250")
    try:
        code = main(["--config", "newsvault.toml", "verify"])
        out = capsys.readouterr()
    finally:
        published.unlink()
    assert code == 1
    assert published.name in out.out + out.err


def test_salvage_keeps_records_before_the_cut(
    crashed: tuple[Path, Path, list[str], LostRecord],
) -> None:
    work, warc, kept, lost = crashed
    spool = work / "state" / "spool"
    state = state_of(work)
    assert state.last_capture(str(lost.target_uri)) is not None
    state.close()
    assert list((spool / ".text").glob("*.jsonl")), "the crash left a raw text batch"

    report = salvage_spool(spool, lambda s: work / "state" / "sources" / s / "state.sqlite")

    final = warc.with_name(warc.name.removesuffix(".open"))
    assert not warc.exists() and final.exists()
    check = check_warc(final, cdxj_path(final))
    assert check.ok, check.problems
    with final.open("rb") as fh:
        ids = [r.rec_headers.get_header("WARC-Record-ID") for r in ArchiveIterator(fh)]
    assert ids == kept
    assert report.lost == [lost]
    assert report.refetch == [lost.target_uri]
    state = state_of(work)
    assert state.last_capture(str(lost.target_uri)) is None
    assert not state.is_archived(str(lost.target_uri))
    state.close()
    assert not list((spool / ".text").glob("*"))
    assert not list((spool / ".runs").glob("*"))
    (path,) = report.manifests
    manifest = json.loads(path.read_text())
    assert manifest["result"] == "crashed"
    entries = {e["key"]: e for e in manifest["files"]}
    assert entries[final.relative_to(spool).as_posix()]["records"] == len(kept)
    assert cdxj_path(final).relative_to(spool).as_posix() in entries


def test_salvaged_spool_publishes_verifies_and_refetches(
    crashed: tuple[Path, Path, list[str], LostRecord],
    server: SiteServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    work, _, _, lost = crashed
    spool = Spool(work / "state" / "spool")
    assert not spool.open_files()
    assert publish(spool, FileStore(work / "archive")).ok
    monkeypatch.chdir(work)
    assert main(["--config", "newsvault.toml", "verify"]) == 0, capsys.readouterr().out

    server.requests.clear()
    result = run_cli(["--config", "newsvault.toml", "crawl", "demo"], cwd=work)
    assert result.returncode == 0, result.stderr
    assert lost.target_uri.removeprefix(server.base_url) in server.requests  # type: ignore[union-attr]
    refetched = []
    for path in sorted((work / "archive" / "warc").rglob("*.warc.gz")):
        with path.open("rb") as fh:
            for record in ArchiveIterator(BytesIO(fh.read())):
                if record.rec_headers.get_header("WARC-Target-URI") == lost.target_uri:
                    refetched.append(record.rec_type)
    assert refetched == ["response", "request"], "fetched again as a full response"


def test_salvage_leaves_other_sources_alone(tmp_path: Path) -> None:
    """Only the named sources are salvaged, even when one's name ends in another's."""
    run = "20250525T090000Z-abc123"
    (tmp_path / ".text").mkdir()
    (tmp_path / ".runs").mkdir()
    ours = tmp_path / ".text" / f"{run}-demo-0000.jsonl"
    theirs = tmp_path / ".text" / f"{run}-x-demo-0000.jsonl"
    their_ledger = tmp_path / ".runs" / f"{run}-x-demo.jsonl"
    record = {
        "id": "a1",
        "source": "demo",
        "canonical_url": "https://e.org/1",
        "text": "",
        "_blocks": ["A paragraph of the story."],
        "_seen_url": "https://e.org/1",
    }
    for path in (ours, theirs, their_ledger):
        path.write_text(json.dumps(record) + "\n")
    their_open = tmp_path / "warc" / "x-demo" / "2025" / "05" / "25" / "a.warc.gz.open"
    their_open.parent.mkdir(parents=True)
    their_open.write_bytes(b"")

    report = salvage_spool(tmp_path, lambda s: tmp_path / s / "state.sqlite", ["demo"])

    assert report.recovered == 1 and not ours.exists()
    assert theirs.exists() and their_ledger.exists() and their_open.exists()
    # The recovered batch goes out with a crashed-run manifest of its own source only.
    assert [m.parent.name for m in report.manifests] == ["demo"] and not report.warcs
