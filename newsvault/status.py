"""What ``newsvault status`` reports: per-source health from the archive.

Run manifests in the archive are the record of what each crawl produced;
the scheduler's local history adds job outcomes that left no manifest
(skipped, missed, timed out). Warnings name what users of news archivers
notice too late: a feed that silently stopped yielding, a failed discovery.
"""

from __future__ import annotations

import gzip
import json
import logging
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.triggers.cron import CronTrigger

from newsvault.config import Config, Source
from newsvault.scheduler_history import JobRun, RunHistory
from storage.base import Store, StoreError

logger = logging.getLogger(__name__)

DAY = timedelta(days=1)
RUN_ID_TIME = "%Y%m%dT%H%M%SZ"


@dataclass
class LastRun:
    run_id: str
    start: str
    duration_s: float | None
    result: str
    new_articles: int
    warc_bytes: int


@dataclass
class SourceStatus:
    source: str
    name: str
    last_run: LastRun | None
    new_24h: int
    next_run: str | None
    lag_s: float | None
    last_job: JobRun | None
    warnings: list[str] = field(default_factory=list)


@dataclass
class StatusReport:
    generated_at: str
    spool_pending: int
    sources: list[SourceStatus]

    @property
    def healthy(self) -> bool:
        return not any(s.warnings for s in self.sources)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def parse_time(value: object) -> datetime | None:
    """ISO dates and times; naive values are taken as UTC."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def run_time(key: str) -> datetime | None:
    """The start time encoded in a manifest key's run id."""
    run_id = key.rsplit("/", 1)[-1].removesuffix(".json")
    try:
        return datetime.strptime(run_id.split("-", 1)[0], RUN_ID_TIME).replace(tzinfo=UTC)
    except ValueError:
        return None


def new_articles(manifest: dict[str, Any]) -> int:
    return int(manifest.get("counts", {}).get("articles/fetched", 0))


def recent_manifests(store: Store, source: str, keep: int, now: datetime) -> list[dict[str, Any]]:
    """The last ``keep`` manifests and every one of the last 24 h, oldest first."""
    keys = sorted(o.key for o in store.list(f"runs/{source}/") if o.key.endswith(".json"))
    # A run id names its start to the second, so runs started within one second
    # sort at random by key: take all that tie with the oldest wanted one, then
    # order by the manifests' own start times (to the millisecond).
    kept = set(keys[-keep:]) if keep > 0 else set()
    if kept and (cutoff := run_time(keys[-len(kept)])) is not None:
        kept.update(k for k in keys if (started := run_time(k)) is not None and started >= cutoff)
    wanted = [k for k in keys if k in kept or _within_day(k, now)]
    found = []
    for key in wanted:
        try:
            found.append((key, json.loads(store.get(key))))
        except (StoreError, ValueError) as exc:
            logger.warning("cannot read manifest %s: %s", key, exc)
    found.sort(key=lambda pair: (_started(*pair), pair[0]))
    return [manifest for _, manifest in found]


def _started(key: str, manifest: dict[str, Any]) -> datetime:
    return parse_time(manifest.get("start")) or run_time(key) or datetime.min.replace(tzinfo=UTC)


def _within_day(key: str, now: datetime) -> bool:
    started = run_time(key)
    return started is not None and now - started <= DAY


def archive_lag(store: Store, manifest: dict[str, Any]) -> float | None:
    """Seconds between the newest ``published`` article and its ``fetched_at``."""
    newest: tuple[datetime, datetime] | None = None
    for entry in manifest.get("files", []):
        key = str(entry.get("key", ""))
        if not key.startswith("text/"):
            continue
        try:
            lines = gzip.decompress(store.get(key)).decode("utf-8").splitlines()
        except (StoreError, OSError, UnicodeDecodeError) as exc:
            logger.warning("cannot read text records %s: %s", key, exc)
            continue
        for line in lines:
            record = json.loads(line)
            published, fetched = (parse_time(record.get(f)) for f in ("published", "fetched_at"))
            if published and fetched and (newest is None or published > newest[0]):
                newest = (published, fetched)
    return None if newest is None else (newest[1] - newest[0]).total_seconds()


def next_run(source: Source, config: Config, now: datetime) -> str | None:
    tz = source.timezone or config.scheduler.timezone
    fire = CronTrigger.from_crontab(source.schedule, timezone=tz).get_next_fire_time(None, now)
    return fire.isoformat(timespec="seconds") if fire else None


def warnings_for(
    manifests: list[dict[str, Any]], last_job: JobRun | None, silence_runs: int
) -> list[str]:
    out = []
    tail = manifests[-silence_runs:]
    if len(tail) == silence_runs and not any(new_articles(m) for m in tail):
        out.append(f"nothing new in the last {silence_runs} run(s)")
    counts = manifests[-1].get("counts", {}) if manifests else {}
    for key, value in sorted(counts.items()):
        if key.startswith("discovery/") and key.endswith("_failed") and value:
            kind = key.removeprefix("discovery/").removesuffix("_failed")
            out.append(f"{kind} failed {value}x in the last run")
    if counts.get("discovery/feed_empty"):
        out.append(f"{counts['discovery/feed_empty']} feed(s) empty in the last run")
    if manifests and manifests[-1].get("result") != "finished":
        out.append(f"last run ended: {manifests[-1].get('result')}")
    if last_job is not None and last_job.result in ("failed", "timeout", "missed"):
        out.append(f"last scheduled crawl {last_job.result}: {last_job.detail}".rstrip(": "))
    return out


def source_status(
    config: Config, source: Source, store: Store, history: RunHistory, now: datetime
) -> SourceStatus:
    silence = config.scheduler.silence_runs
    manifests = recent_manifests(store, source.key, silence, now)
    jobs = history.runs(source.key, limit=1)
    last_job = jobs[0] if jobs else None
    last = manifests[-1] if manifests else None
    day = [m for m in manifests if (t := parse_time(m.get("start"))) and now - t <= DAY]
    return SourceStatus(
        source=source.key,
        name=source.name,
        last_run=_last_run(last) if last else None,
        new_24h=sum(new_articles(m) for m in day),
        next_run=next_run(source, config, now),
        lag_s=archive_lag(store, last) if last else None,
        last_job=last_job,
        warnings=warnings_for(manifests, last_job, silence),
    )


def _last_run(manifest: dict[str, Any]) -> LastRun:
    start, end = parse_time(manifest.get("start")), parse_time(manifest.get("end"))
    counts = manifest.get("counts", {})
    return LastRun(
        run_id=str(manifest.get("run_id", "")),
        start=str(manifest.get("start", "")),
        duration_s=(end - start).total_seconds() if start and end else None,
        result=str(manifest.get("result", "?")),
        new_articles=new_articles(manifest),
        warc_bytes=int(counts.get("warc/bytes", 0)),
    )


def collect(
    config: Config, store: Store, history: RunHistory, spool_pending: int, now: datetime
) -> StatusReport:
    sources = [
        source_status(config, s, store, history, now) for _, s in sorted(config.sources.items())
    ]
    return StatusReport(now.isoformat(timespec="seconds"), spool_pending, sources)
