"""Scheduled crawls: one APScheduler job per source, kept in SQLite.

The job store lives under the state directory, so schedules and missed runs
survive restarts; a restarted scheduler runs a missed job once (coalesce)
when it is no later than ``misfire_grace_s``. Jobs name a module-level
function and plain arguments (source key, config path), which is what the
persistent store can pickle. A lock file keeps a second scheduler off the
same job store, and each source's crawl lock keeps crawls from overlapping.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_EXECUTED,
    EVENT_JOB_MAX_INSTANCES,
    EVENT_JOB_MISSED,
    JobEvent,
)
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger

from newsvault.config import Config, Source, load_config
from newsvault.scheduler_lock import SchedulerLock
from newsvault.scheduler_runner import CrawlRunner

logger = logging.getLogger(__name__)

JOB_FUNC = "newsvault.scheduler:crawl_job"
ENDED = EVENT_JOB_EXECUTED | EVENT_JOB_ERROR | EVENT_JOB_MISSED | EVENT_JOB_MAX_INSTANCES
# Concurrent crawl subprocesses; more sources wait their turn in the pool.
MAX_CRAWLS = 8
TriggerFactory = Callable[[Source, str], BaseTrigger]

# The runner of the scheduler running in this process; jobs find it here.
_active: CrawlRunner | None = None


def crawl_job(source: str, config_path: str) -> str:
    """What a stored job calls: crawl one source, return the result word."""
    runner = _active or CrawlRunner(load_config(Path(config_path)))
    return runner.run(source).result


def cron_trigger(source: Source, default_tz: str) -> BaseTrigger:
    return CronTrigger.from_crontab(source.schedule, timezone=source.timezone or default_tz)


def job_store_path(config: Config) -> Path:
    return config.state_dir / "scheduler" / "jobs.sqlite"


class CrawlScheduler:
    def __init__(
        self,
        config: Config,
        runner: CrawlRunner | None = None,
        trigger: TriggerFactory = cron_trigger,
    ) -> None:
        self.config = config
        self.runner = runner or CrawlRunner(config)
        self.trigger = trigger
        self.lock = SchedulerLock(config.state_dir / "scheduler")
        self.scheduler = BackgroundScheduler(
            jobstores={"default": SQLAlchemyJobStore(url=f"sqlite:///{job_store_path(config)}")},
            executors={"default": ThreadPoolExecutor(min(max(len(config.sources), 1), MAX_CRAWLS))},
            job_defaults=self.job_options(),
            timezone=config.scheduler.timezone,
        )
        self._due: set[str] = set()
        self._ended = threading.Condition()

    def job_options(self) -> dict[str, object]:
        # One crawl per source at a time; a backlog of missed runs is one run.
        grace = self.config.scheduler.misfire_grace_s
        return {"coalesce": True, "max_instances": 1, "misfire_grace_time": grace}

    def start(self) -> None:
        """Take the lock, bring the stored jobs in line with the config, run."""
        self.lock.acquire()
        try:
            self.scheduler.add_listener(self._on_event, ENDED)
            # Paused first: jobs due since the last run are counted before any runs.
            self.scheduler.start(paused=True)
            self._sync_jobs()
            now = datetime.now(UTC)
            self._due = {
                j.id
                for j in self.scheduler.get_jobs()
                if j.next_run_time and j.next_run_time <= now
            }
            global _active  # noqa: PLW0603 - one scheduler per process, by the lock
            _active = self.runner
            self.scheduler.resume()
        except BaseException:
            if self.scheduler.running:
                self.scheduler.shutdown(wait=False)
            self.lock.release()
            raise
        logger.info(
            "scheduler started: %d job(s), %d due now", len(self.next_runs()), len(self._due)
        )

    def _sync_jobs(self) -> None:
        tz = self.config.scheduler.timezone
        config_path = str(self.config.path.resolve())
        stored = {job.id: job for job in self.scheduler.get_jobs()}
        for key in stored.keys() - self.config.sources.keys():
            logger.info("source %s left the config: removing its job", key)
            self.scheduler.remove_job(key)
        for key, source in sorted(self.config.sources.items()):
            trigger = self.trigger(source, tz)
            name = f"crawl {key} {trigger} {getattr(trigger, 'timezone', '')}"
            args = (key, config_path)
            job = stored.get(key)
            if job is not None and job.name == name and tuple(job.args) == args:
                # Unchanged: keep its next run time, and so a missed run; new limits apply.
                self.scheduler.modify_job(key, **self.job_options())
                continue
            self.scheduler.add_job(
                JOB_FUNC, trigger, args=args, id=key, name=name, replace_existing=True
            )

    def _on_event(self, event: JobEvent) -> None:
        if event.code == EVENT_JOB_MAX_INSTANCES:
            self.runner.note(event.job_id, "skipped", "previous crawl still running")
        elif event.code == EVENT_JOB_MISSED:
            when = getattr(event, "scheduled_run_time", None)
            self.runner.note(event.job_id, "missed", f"missed the run at {when}")
        elif event.code == EVENT_JOB_ERROR:
            logger.error("job %s raised: %r", event.job_id, getattr(event, "exception", None))
        with self._ended:
            self._due.discard(event.job_id)
            self._ended.notify_all()

    def wait_due(self, timeout: float | None = None) -> bool:
        """Wait until every job that was due at start has run (or been skipped)."""
        with self._ended:
            return self._ended.wait_for(lambda: not self._due, timeout)

    def next_runs(self) -> dict[str, datetime | None]:
        return {job.id: job.next_run_time for job in self.scheduler.get_jobs()}

    def stop(self) -> None:
        """Take no new jobs, let running crawls finish (after SIGTERM), release."""
        global _active  # noqa: PLW0603
        try:
            self.scheduler.pause()
            self.runner.terminate_all()
            self.scheduler.shutdown(wait=True)
        finally:
            _active = None
            self.lock.release()
