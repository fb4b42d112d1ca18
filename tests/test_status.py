"""``newsvault status``: last run, freshness, and the warnings that matter."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from newsvault.cli import main
from newsvault.demosite import feeds
from newsvault.demosite.server import SiteServer
from newsvault.scheduler_history import RunHistory
from newsvault.status import recent_manifests
from storage.local import FileStore
from tests.test_new_coverage import crawl, live_site, site_config

__all__ = ["live_site"]  # the fixture, shared with test_new_coverage


def status(capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["--config", "newsvault.toml", "status", *extra])
    return code, capsys.readouterr().out


def status_json(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    code, out = status(capsys, "--json")
    assert code == 0
    (source,) = json.loads(out)["sources"]
    return dict(source) | {"spool_pending": json.loads(out)["spool_pending"]}


def only_rss(work: Path, server: SiteServer) -> None:
    path = site_config(work, server)
    text = path.read_text()
    # One feed is the only seed, so an empty feed means nothing new.
    start = text.index('feeds = ["')
    text = (
        text[:start] + f'feeds = ["{server.base_url}/rss.xml"]\n' + text[text.index("allowed_") :]
    )
    path.write_text(text + "\n[scheduler]\nsilence_runs = 2\n")


def test_status_warns_when_a_feed_goes_silent(
    tmp_path: Path,
    live_site: SiteServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    only_rss(tmp_path, live_site)
    crawl(tmp_path)
    healthy = status_json(capsys)
    assert healthy["warnings"] == []
    assert healthy["last_run"]["result"] == "finished"
    assert healthy["last_run"]["new_articles"] == healthy["new_24h"] > 0
    assert healthy["last_run"]["warc_bytes"] > 0
    assert healthy["lag_s"] > 0 and healthy["next_run"]
    assert healthy["spool_pending"] == 0

    live_site.site.add("/rss.xml", feeds.rss([], live_site.base_url), "application/rss+xml")
    crawl(tmp_path)
    emptied = status_json(capsys)
    assert emptied["last_run"]["new_articles"] == 0
    assert any("feed(s) empty" in w for w in emptied["warnings"])
    assert not any("nothing new" in w for w in emptied["warnings"]), "one quiet run of two"

    crawl(tmp_path)  # the feed is unchanged now: 304, still nothing new
    silent = status_json(capsys)
    assert "nothing new in the last 2 run(s)" in silent["warnings"]

    code, out = status(capsys)
    assert code == 0, "warnings alone do not fail status"
    assert "demo" in out and "nothing new in the last 2 run(s)" in out
    assert status(capsys, "--fail-on-warning")[0] == 1


def test_status_reports_a_failed_scheduled_crawl(
    tmp_path: Path,
    live_site: SiteServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    only_rss(tmp_path, live_site)
    never = status_json(capsys)
    assert never["last_run"] is None and never["warnings"] == []
    history = RunHistory(tmp_path / "state" / "scheduler" / "history.sqlite")
    history.finished(history.started("demo"), "timeout", -15, "over 3600 s")
    failed = status_json(capsys)
    assert failed["last_job"]["result"] == "timeout"
    assert failed["warnings"] == ["last scheduled crawl timeout: over 3600 s"]
    code, out = status(capsys)
    assert code == 0 and "never" in out


def test_runs_started_within_one_second_keep_their_order(tmp_path: Path) -> None:
    """Run ids name the second only; the manifests' own start times order them."""
    store = FileStore(tmp_path / "archive")
    starts = {
        # the later run's id sorts first
        "20261124T101500Z-ffffff": ("2026-11-24T10:15:00.100+00:00", 7),
        "20261124T101500Z-000000": ("2026-11-24T10:15:00.900+00:00", 0),
        "20261124T101400Z-aaaaaa": ("2026-11-24T10:14:00.000+00:00", 3),
    }
    for run_id, (start, fetched) in starts.items():
        body = {"run_id": run_id, "start": start, "counts": {"articles/fetched": fetched}}
        path = tmp_path / f"{run_id}.json"
        path.write_text(json.dumps(body))
        store.put(f"runs/demo/{run_id}.json", path, hashlib.sha256(path.read_bytes()).hexdigest())
    now = datetime(2026, 11, 26, tzinfo=UTC)  # none within the last day: only `keep` counts
    order = [m["run_id"] for m in recent_manifests(store, "demo", 1, now)]
    assert order[-1] == "20261124T101500Z-000000"
    assert "20261124T101400Z-aaaaaa" not in order
    assert [m["run_id"] for m in recent_manifests(store, "demo", 5, now)] == [
        "20261124T101400Z-aaaaaa",
        "20261124T101500Z-ffffff",
        "20261124T101500Z-000000",
    ]
