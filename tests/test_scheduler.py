"""The crawl scheduler: overlap, restarts, busy sources, SIGTERM.

Most tests swap the crawl for a small fake command that takes the real
per-source lock and logs start and end times; the SIGTERM test runs the real
``newsvault schedule`` against the fixture site.
"""

from __future__ import annotations

import dataclasses
import gzip
import itertools
import json
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger
from warcio.archiveiterator import ArchiveIterator

from newsvault.config import Config, Source, load_config
from newsvault.locks import SourceLock
from newsvault.metrics import CrawlMetrics
from newsvault.scheduler import CrawlScheduler, cron_trigger, job_store_path
from newsvault.scheduler_lock import SchedulerRunning
from newsvault.scheduler_runner import CrawlRunner
from tests.conftest import FixtureSite, run_cli, write_config

# A stand-in for ``newsvault crawl SOURCE``: same lock, same busy message.
FAKE_CRAWL = """
import signal, sys, time
from pathlib import Path
from newsvault.locks import SourceBusy, SourceLock
source, log, state, secs = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), float(sys.argv[4])
def stop(*_):
    raise SystemExit(1)
signal.signal(signal.SIGTERM, stop)
try:
    SourceLock(state, source).acquire()
except SourceBusy as exc:
    print(f"newsvault crawl: {exc}")
    sys.exit(1)
with log.open("a") as fh:
    fh.write(f"start {time.time()}\\n")
try:
    time.sleep(secs)
finally:
    with log.open("a") as fh:
        fh.write(f"end {time.time()}\\n")
"""


def config_text(cron: str = "*/30 * * * *", scheduler: str = "") -> str:
    return f"""
[storage]
url = "file://archive"
[state]
dir = "state"
[scheduler]
{scheduler or "misfire_grace_s = 600"}
[sources.demo]
name = "Demo"
feeds = ["http://127.0.0.1:9/rss.xml"]
allowed_domains = ["127.0.0.1"]
article_pattern = "/20"
schedule = "{cron}"
"""


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # Relative state and storage paths resolve against the working directory.
    monkeypatch.chdir(tmp_path)
    return tmp_path


def make_config(work: Path, **kwargs: str) -> Config:
    path = work / "newsvault.toml"
    path.write_text(config_text(**kwargs))
    return load_config(path)


def fake_runner(config: Config, work: Path, secs: float) -> CrawlRunner:
    command = [sys.executable, "-c", FAKE_CRAWL, "{source}", str(work / "fake.log")]
    command += [str(config.state_dir), str(secs)]
    return CrawlRunner(config, command=command, kill_grace_s=5)


def intervals(work: Path, until: float) -> list[tuple[float, float]]:
    """(start, end) of each fake crawl; a killed one ends at ``until``."""
    out: list[tuple[float, float]] = []
    log = work / "fake.log"
    for line in log.read_text().splitlines() if log.exists() else []:
        kind, stamp = line.split()
        if kind == "start":
            out.append((float(stamp), until))
        else:
            out[-1] = (out[-1][0], float(stamp))
    return out


def backdate(config: Config, source: str, minutes: float) -> None:
    """Pretend the scheduler was down: move a stored job's next run into the past."""
    # The store alone: a second running scheduler could process the job itself.
    store = SQLAlchemyJobStore(url=f"sqlite:///{job_store_path(config)}")
    store.start(BackgroundScheduler(timezone="UTC"), "default")
    job = store.lookup_job(source)
    assert job is not None
    job.next_run_time = datetime.now(UTC) - timedelta(minutes=minutes)
    store.update_job(job)
    store.shutdown()


def seed_job_store(config: Config) -> None:
    scheduler = CrawlScheduler(config)
    scheduler.start()
    scheduler.stop()


def test_cron_uses_the_source_time_zone(work: Path) -> None:
    config = make_config(work)
    source = config.source("demo")
    berlin = dataclasses.replace(source, timezone="Europe/Berlin")
    assert str(getattr(cron_trigger(source, "UTC"), "timezone", "")) == "UTC"
    assert getattr(cron_trigger(berlin, "UTC"), "timezone", None) == ZoneInfo("Europe/Berlin")


def test_job_longer_than_its_interval_never_runs_twice(work: Path) -> None:
    config = make_config(work)
    runner = fake_runner(config, work, secs=2.5)

    def every_second(source: Source, tz: str) -> BaseTrigger:
        return IntervalTrigger(seconds=1)

    scheduler = CrawlScheduler(config, runner, trigger=every_second)
    scheduler.start()
    time.sleep(4.6)
    scheduler.stop()
    runs = intervals(work, until=time.time())
    assert runs, "the job ran"
    for (_, end), (start, _) in itertools.pairwise(runs):
        assert start >= end, f"overlap: {runs}"
    skipped = [r for r in runner.history.runs("demo") if r.result == "skipped"]
    assert skipped and "still running" in skipped[0].detail


def test_second_scheduler_on_the_same_state_is_refused(work: Path) -> None:
    config = make_config(work)
    first = CrawlScheduler(config)
    first.start()
    try:
        with pytest.raises(SchedulerRunning, match="another scheduler"):
            CrawlScheduler(config).start()
        cli = run_cli(["--config", "newsvault.toml", "schedule", "--once"], cwd=work, timeout=60)
        assert cli.returncode == 1
        assert "another scheduler" in cli.stderr
    finally:
        first.stop()
    # The lock went with the first one; nothing is due, so --once returns at once.
    cli = run_cli(["--config", "newsvault.toml", "schedule", "--once"], cwd=work, timeout=60)
    assert cli.returncode == 0, cli.stderr


def test_crawl_lock_keeps_two_runners_apart(work: Path) -> None:
    config = make_config(work)
    runners = [fake_runner(config, work, secs=1.5) for _ in range(2)]
    results: list[str] = []

    def crawl(runner: CrawlRunner) -> None:
        results.append(runner.run("demo").result)

    first = threading.Thread(target=crawl, args=(runners[0],))
    first.start()
    deadline = time.time() + 20
    while not (work / "fake.log").exists() and time.time() < deadline:
        time.sleep(0.05)
    crawl(runners[1])  # the first crawl holds the source lock now
    first.join()
    assert sorted(results) == ["ok", "skipped"]
    assert len(intervals(work, until=time.time())) == 1
    assert {r.result for r in runners[1].history.runs("demo")} == {"ok", "skipped"}


def test_busy_exit_of_the_crawl_counts_as_skipped(work: Path) -> None:
    config = make_config(work)
    with SourceLock(config.state_dir, "demo"):
        # Taken between the runner's check and the crawl's own lock: the message decides.
        command = [sys.executable, "-c", FAKE_CRAWL, "{source}", str(work / "fake.log")]
        runner = CrawlRunner(config, command=[*command, str(config.state_dir), "0"])
        outcome = runner._judge("demo", 1, False, _log(work, "is being crawled by another process"))
    assert outcome.result == "skipped"
    assert runner._judge("demo", 2, False, _log(work, "boom")).result == "failed"


def _log(work: Path, text: str) -> Path:
    path = work / "crawl.log"
    path.write_text(f"newsvault crawl: source 'demo' {text}\n")
    return path


def test_time_limit_terminates_the_crawl(work: Path) -> None:
    config = make_config(work)
    runner = fake_runner(config, work, secs=30)
    runner.time_limit_s = 3.0  # room for the fake to start and install its handler
    started = time.monotonic()
    outcome = runner.run("demo")
    assert outcome.result == "timeout"
    assert time.monotonic() - started < 15
    assert intervals(work, until=0)[0][1] > 0, "the crawl saw SIGTERM and closed"


def test_restart_after_downtime_runs_a_missed_job_exactly_once(work: Path) -> None:
    config = make_config(work, cron="* * * * *")
    seed_job_store(config)
    backdate(config, "demo", minutes=3.5)  # three or four runs missed
    runner = fake_runner(config, work, secs=0.2)
    scheduler = CrawlScheduler(config, runner)
    scheduler.start()
    assert scheduler.wait_due(timeout=30)
    next_run = scheduler.next_runs()["demo"]
    scheduler.stop()
    assert len(intervals(work, until=0)) == 1
    assert [r.result for r in runner.history.runs("demo")] == ["ok"]
    assert next_run is not None and next_run > datetime.now(UTC)


def test_a_run_missed_beyond_the_grace_time_is_recorded_not_run(work: Path) -> None:
    config = make_config(work, cron="0 * * * *", scheduler="misfire_grace_s = 1")
    seed_job_store(config)
    backdate(config, "demo", minutes=150)
    runner = fake_runner(config, work, secs=0.2)
    scheduler = CrawlScheduler(config, runner)
    scheduler.start()
    assert scheduler.wait_due(timeout=30)
    scheduler.stop()
    assert not (work / "fake.log").exists()
    assert [r.result for r in runner.history.runs("demo")] == ["missed"]


def test_metrics_served_on_loopback_only() -> None:
    import urllib.request

    metrics = CrawlMetrics()
    metrics.track(["demo", "other"])
    metrics.observe("demo", "ok", 2.0, 1000.0, [{"counts": {"warc/bytes": 5}}])
    port = metrics.serve(0)
    try:
        assert metrics._server is not None
        assert metrics._server.server_address[0] == "127.0.0.1"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as resp:
            body = resp.read().decode()
    finally:
        metrics.close()
    assert 'newsvault_warc_bytes_total{source="demo"} 5.0' in body
    assert 'newsvault_last_success_timestamp_seconds{source="demo"} 1000.0' in body
    assert 'newsvault_failures_total{source="other"} 0.0' in body


@pytest.fixture
def slow_site(tmp_path: Path) -> Iterator[FixtureSite]:
    from tests.conftest import start_site

    served = start_site(tmp_path)
    yield served
    served.stop()


def test_sigterm_during_a_crawl_leaves_valid_published_warcs(
    work: Path, slow_site: FixtureSite
) -> None:
    path = write_config(work / "newsvault.toml", slow_site)
    # Slow enough that SIGTERM lands in the middle of the crawl.
    path.write_text(path.read_text().replace("download_delay = 0.0", "download_delay = 1.0"))
    config = load_config(path)
    seed_job_store(config)
    backdate(config, "demo", minutes=1)
    argv = ["--config", str(path), "schedule", "--metrics-file", "metrics.prom"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsvault", *argv],
        cwd=work,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.time() + 60
        while not any("/20" in p for p in slow_site.requests()) and time.time() < deadline:
            time.sleep(0.1)
        assert any("/20" in p for p in slow_site.requests()), "the crawl started fetching"
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=90)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, stderr
    archive = work / "archive"
    assert not list(archive.rglob("*.open"))
    warcs = sorted(archive.rglob("*.warc.gz"))
    assert warcs
    for warc in warcs:
        with warc.open("rb") as fh:
            assert sum(1 for _ in ArchiveIterator(fh, check_digests=True)) >= 1
        gzip.decompress(warc.read_bytes())  # not truncated
    manifests = [json.loads(p.read_text()) for p in (archive / "runs" / "demo").glob("*.json")]
    assert [m["result"] for m in manifests] == ["shutdown"]
    history = CrawlRunner(config).history.runs("demo")
    assert [r.result for r in history] == ["interrupted"]
    assert 'newsvault_runs_total{result="interrupted",source="demo"} 1.0' in (
        (work / "metrics.prom").read_text()
    )


def test_a_changed_schedule_replaces_the_stored_job(work: Path) -> None:
    seed_job_store(make_config(work, cron="*/30 * * * *"))
    config = make_config(work, cron="15 5 * * *", scheduler='timezone = "Asia/Tokyo"')
    scheduler = CrawlScheduler(config)
    scheduler.start()
    next_run = scheduler.next_runs()["demo"]
    scheduler.stop()
    assert next_run is not None
    local = next_run.astimezone(ZoneInfo("Asia/Tokyo"))
    assert (local.hour, local.minute) == (5, 15)
