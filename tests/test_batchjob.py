"""Bulk commands run as batch jobs, down to their cleaning workers."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from newsvault.batchjob import become_batch_job
from tests.conftest import REPO, FixtureSite, run_cli_watched, text_records, write_config


def test_a_crawl_and_its_cleaning_workers_run_as_a_batch_job(
    tmp_path: Path, site: FixtureSite
) -> None:
    write_config(tmp_path / "nv.toml", site)
    done, watch = run_cli_watched(["--config", "nv.toml", "crawl", "demo"], cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert len(text_records(tmp_path)) >= 6
    # the crawl, the pool's forkserver and its two workers, with their threads
    assert len(watch.processes()) >= 4, watch.seen
    assert len(watch.seen) > len(watch.processes()), "the crawl's own threads were seen"
    assert watch.not_batch() == {}


def test_where_the_policy_is_refused_the_command_runs_as_before(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(pid: int, policy: int, param: os.sched_param) -> None:
        raise PermissionError(1, "Operation not permitted")

    before = os.sched_getscheduler(0)
    monkeypatch.setattr(os, "sched_setscheduler", refuse)
    assert become_batch_job() is False
    monkeypatch.delattr(os, "SCHED_BATCH")
    assert become_batch_job() is False
    assert os.sched_getscheduler(0) == before


def test_the_demo_archives_the_bundled_site_as_a_batch_job(tmp_path: Path) -> None:
    # as `make demo` runs it: the shipped configuration, relative to where it runs
    (tmp_path / "config").mkdir()
    shutil.copy(REPO / "config" / "newsvault.toml", tmp_path / "config")
    done, watch = run_cli_watched(["demo"], cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert len(text_records(tmp_path)) >= 6
    assert len(watch.processes()) >= 4, watch.seen
    assert watch.not_batch() == {}
