"""Run one scheduled crawl as a subprocess, with a time limit.

Scrapy's reactor cannot restart, so every crawl gets its own process. The
child runs in its own session: a terminal's Ctrl-C reaches the scheduler
only, which forwards exactly one SIGTERM, so Scrapy closes its WARCs and
publishes instead of being cut off twice.
"""

from __future__ import annotations

import json
import logging
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from redis.exceptions import RedisError

from newsvault import app
from newsvault.config import Config
from newsvault.fleet import enqueue_sources
from newsvault.locks import SourceBusy, SourceLock
from newsvault.metrics import CrawlMetrics
from newsvault.scheduler_history import RunHistory, history_path
from storage.base import StoreError

logger = logging.getLogger(__name__)

DEFAULT_COMMAND = (sys.executable, "-m", "newsvault", "--config", "{config}", "crawl", "{source}")
# What ``newsvault crawl`` prints when another process holds the source lock.
BUSY_MARK = "is being crawled by another process"


@dataclass
class Outcome:
    source: str
    result: str
    exit_code: int | None = None
    duration_s: float = 0.0
    detail: str = ""
    manifests: list[dict[str, Any]] = field(default_factory=list)


class CrawlRunner:
    def __init__(
        self,
        config: Config,
        *,
        command: Sequence[str] = DEFAULT_COMMAND,
        time_limit_s: float | None = None,
        kill_grace_s: float = 30.0,
        metrics: CrawlMetrics | None = None,
        redis_url: str = "",
    ) -> None:
        self.config = config
        # In distributed mode a due source is handed to the workers instead.
        self.redis_url = redis_url
        self.command = tuple(command)
        self.time_limit_s = time_limit_s or float(config.scheduler.crawl_time_limit_s)
        self.kill_grace_s = kill_grace_s
        self.metrics = metrics
        self.home = config.state_dir / "scheduler"
        self.history = RunHistory(history_path(config.state_dir))
        self._running: dict[str, subprocess.Popen[bytes]] = {}
        self._lock = threading.Lock()
        self.stopping = threading.Event()

    def argv(self, source: str) -> list[str]:
        # Plain replacement, not str.format: other braces in the command stay as they are.
        config = str(self.config.path.resolve())
        return [p.replace("{config}", config).replace("{source}", source) for p in self.command]

    def run(self, source: str) -> Outcome:
        """Crawl one source; never raises for an ordinary failure."""
        if self.stopping.is_set():
            return self._skip(source, "scheduler is stopping")
        if self.redis_url:
            return self._enqueue(source)
        if self._busy(source):
            return self._skip(source, "source busy: another crawl holds its lock")
        before = self._manifest_keys(source)
        run_id = self.history.started(source)
        started = time.monotonic()
        outcome = self._execute(source)
        outcome.duration_s = time.monotonic() - started
        outcome.manifests = self._new_manifests(source, before)
        self.history.finished(run_id, outcome.result, outcome.exit_code, outcome.detail)
        self._observe(outcome)
        logger.info(
            "crawl of %s: %s (exit %s, %.1f s)",
            source,
            outcome.result,
            outcome.exit_code,
            outcome.duration_s,
        )
        return outcome

    def _enqueue(self, source: str) -> Outcome:
        try:
            enqueue_sources(self.redis_url, [source])
        except RedisError as exc:
            return self.note(source, "failed", f"enqueue: Redis unreachable: {exc}")
        return self.note(source, "enqueued", "discovery queued for the workers")

    def _skip(self, source: str, why: str) -> Outcome:
        logger.info("crawl of %s skipped: %s", source, why)
        return self.note(source, "skipped", why)

    def note(self, source: str, result: str, detail: str) -> Outcome:
        """A job that started no crawl (skipped, missed): history and metrics."""
        self.history.record(source, result, detail)
        outcome = Outcome(source, result, detail=detail)
        self._observe(outcome)
        return outcome

    def _busy(self, source: str) -> bool:
        try:
            with SourceLock(self.config.state_dir, source):
                return False
        except SourceBusy:
            return True

    def _execute(self, source: str) -> Outcome:
        log = self.home / "logs" / f"{source}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("wb") as out:
            proc = subprocess.Popen(
                self.argv(source), stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
            with self._lock:
                self._running[source] = proc
                if self.stopping.is_set():  # a stop that came while it was starting
                    proc.send_signal(signal.SIGTERM)
            try:
                timed_out = self._wait(proc)
            finally:
                with self._lock:
                    self._running.pop(source, None)
        return self._judge(source, proc.returncode, timed_out, log)

    def _wait(self, proc: subprocess.Popen[bytes]) -> bool:
        """Wait for the child; past the time limit SIGTERM it, then SIGKILL."""
        try:
            proc.wait(timeout=self.time_limit_s)
            return False
        except subprocess.TimeoutExpired:
            logger.warning("crawl pid %s over its time limit: terminating", proc.pid)
            proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=self.kill_grace_s)
        except subprocess.TimeoutExpired:
            logger.warning("crawl pid %s ignored SIGTERM: killing", proc.pid)
            proc.kill()
            proc.wait()
        return True

    def _judge(self, source: str, code: int, timed_out: bool, log: Path) -> Outcome:
        tail = log.read_bytes()[-2000:].decode("utf-8", "replace")
        if timed_out:
            return Outcome(source, "timeout", code, detail=f"over {self.time_limit_s:g} s")
        if code == 0:
            return Outcome(source, "ok", code)
        if BUSY_MARK in tail:
            return Outcome(source, "skipped", code, detail="source busy: another crawl holds it")
        if self.stopping.is_set():
            return Outcome(source, "interrupted", code, detail="stopped by SIGTERM")
        last = tail.strip().splitlines()[-1:] or [""]
        return Outcome(source, "failed", code, detail=last[0][-300:])

    def terminate_all(self) -> None:
        """Forward SIGTERM to every running crawl; take no new ones."""
        self.stopping.set()
        with self._lock:
            running = list(self._running.items())
        for source, proc in running:
            logger.info("forwarding SIGTERM to the crawl of %s (pid %s)", source, proc.pid)
            proc.send_signal(signal.SIGTERM)

    def running(self) -> list[str]:
        with self._lock:
            return sorted(self._running)

    def _manifest_keys(self, source: str) -> set[str]:
        try:
            return {o.key for o in app.archive(self.config).list(f"runs/{source}/")}
        except StoreError as exc:
            logger.warning("cannot list the runs of %s: %s", source, exc)
            return set()

    def _new_manifests(self, source: str, before: set[str]) -> list[dict[str, Any]]:
        store = app.archive(self.config)
        out = []
        for key in sorted(self._manifest_keys(source) - before):
            try:
                out.append(json.loads(store.get(key)))
            except (StoreError, ValueError) as exc:
                logger.warning("cannot read manifest %s: %s", key, exc)
        return out

    def _observe(self, outcome: Outcome) -> None:
        if self.metrics is not None:
            self.metrics.observe(
                outcome.source, outcome.result, outcome.duration_s, time.time(), outcome.manifests
            )
