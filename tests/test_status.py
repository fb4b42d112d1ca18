"""``newsvault status``: last run, freshness, and the warnings that matter."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newsvault.cli import main
from newsvault.demosite import feeds
from newsvault.demosite.server import SiteServer
from newsvault.scheduler_history import RunHistory
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
