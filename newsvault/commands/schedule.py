"""``newsvault schedule [--once] [--metrics-file PATH]``: crawl sources on their cron."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from newsvault import app
from newsvault.fleet import resolve_redis_url

if TYPE_CHECKING:
    from newsvault.metrics import CrawlMetrics
    from newsvault.scheduler import CrawlScheduler
    from newsvault.scheduler_runner import CrawlRunner

logger = logging.getLogger(__name__)

EPILOG = """\
Each source is crawled on its `schedule` (cron, in the source's `timezone`,
else [scheduler] timezone, else UTC), one crawl subprocess per run, limited to
[scheduler] crawl_time_limit_s. Jobs live in STATE/scheduler/jobs.sqlite, so a
restarted scheduler runs a run it missed once, if no later than misfire_grace_s.
Only one scheduler may run per state directory; a second one exits with 1.
SIGTERM or SIGINT: no new crawls start, running crawls get SIGTERM, finish
their files and publish; then exit 0. A second signal is forwarded too
(Scrapy then stops at once). Outcomes go to STATE/scheduler/history.sqlite
(see `newsvault status`). Prometheus metrics are served on
127.0.0.1:[scheduler] metrics_port when it is above 0."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "schedule",
        help="run scheduled crawls (long-running service)",
        description=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--once", action="store_true", help="run the jobs that are due or missed now, then exit"
    )
    parser.add_argument(
        "--metrics-file", type=Path, help="also write Prometheus metrics to this textfile"
    )
    parser.add_argument(
        "--kill-grace",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="after the time limit's SIGTERM, wait this long before SIGKILL (default 30)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # Imported here: APScheduler and SQLAlchemy would slow every other command's start.
    from newsvault.metrics import CrawlMetrics
    from newsvault.scheduler import CrawlScheduler
    from newsvault.scheduler_lock import SchedulerRunning
    from newsvault.scheduler_runner import CrawlRunner

    config = app.load(args)
    metrics = CrawlMetrics()
    metrics.track(sorted(config.sources))
    runner = CrawlRunner(
        config,
        kill_grace_s=args.kill_grace,
        metrics=metrics,
        redis_url=resolve_redis_url(config, os.environ),
    )
    scheduler = CrawlScheduler(config, runner)
    stop = threading.Event()
    install_stop_handlers(stop, runner)
    try:
        scheduler.start()
    except SchedulerRunning as exc:
        print(f"newsvault schedule: {exc}", file=sys.stderr)
        return 1
    try:
        if config.scheduler.metrics_port > 0:
            metrics.serve(config.scheduler.metrics_port)
        serve(scheduler, stop, args.once, args.metrics_file, metrics)
    except OSError as exc:  # the metrics port is taken, the textfile unwritable
        print(f"newsvault schedule: {exc}", file=sys.stderr)
        return 1
    finally:
        logger.info("stopping: waiting for %s", ", ".join(runner.running()) or "no crawl")
        scheduler.stop()
        metrics.close()
        if args.metrics_file:
            metrics.write(args.metrics_file)
    return 0


def serve(
    scheduler: CrawlScheduler,
    stop: threading.Event,
    once: bool,
    metrics_file: Path | None,
    metrics: CrawlMetrics,
) -> None:
    # Short waits keep the main thread responsive to signals; the textfile is
    # rewritten every ten of them, which is often enough for a scrape interval.
    ticks = 0
    while not stop.wait(1.0):
        if metrics_file and ticks % 10 == 0:
            metrics.write(metrics_file)
        ticks += 1
        if once and scheduler.wait_due(timeout=0):
            return


def install_stop_handlers(stop: threading.Event, runner: CrawlRunner) -> None:
    def handle(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():
            runner.terminate_all()  # a second signal: Scrapy stops without waiting
        logger.info("signal %s: stopping after the running crawls", signum)
        stop.set()

    signal.signal(signal.SIGTERM, handle)
    signal.signal(signal.SIGINT, handle)
