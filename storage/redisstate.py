"""Crawl state shared by distributed workers, in Redis.

Every key of a source sits under ``newsvault:<source>:``; scrapy-redis keeps
its request queue and dupefilter there too (see :mod:`newsvault.distributed`).
The archived record is a hash ``canonical URL -> archive time`` so a restarted
or added worker fetches nothing another one archived already.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import redis
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

PREFIX = "newsvault"
# Seconds the archived set keeps retrying unsaved marks when it closes.
CLOSE_RETRY_S = 60.0


@dataclass(frozen=True)
class RedisKeys:
    """The Redis keys of one source."""

    source: str

    def _key(self, name: str) -> str:
        return f"{PREFIX}:{self.source}:{name}"

    @property
    def requests(self) -> str:
        return self._key("requests")

    @property
    def dupefilter(self) -> str:
        return self._key("dupefilter")

    @property
    def start(self) -> str:
        return self._key("start")

    @property
    def inflight(self) -> str:
        return self._key("inflight")

    @property
    def archived(self) -> str:
        return self._key("archived")

    def receipt(self, kind: str, worker_id: str) -> str:
        """What a worker's last ``kind`` attempt took (see :mod:`storage.redisfrontier`)."""
        return self._key(f"receipt:{kind}:{worker_id}")


def worker_key(worker_id: str) -> str:
    return f"{PREFIX}:worker:{worker_id}"


def safe_url(url: str) -> str:
    """The URL without its password, fit for a log line."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


class RedactedURL(str):
    """A Redis URL whose repr hides the password: Scrapy logs settings with repr()."""

    __slots__ = ()

    def __repr__(self) -> str:
        return repr(safe_url(str(self)))


def connect(url: str) -> redis.Redis:
    # Short timeouts: a worker should notice an outage quickly and pause, not hang.
    return redis.Redis.from_url(
        str(url), socket_timeout=10, socket_connect_timeout=5, health_check_interval=30
    )


class Outage:
    """Logs a Redis outage once when it starts and once when it ends."""

    def __init__(self, url: str, what: str) -> None:
        self.url = safe_url(str(url))
        self.what = what
        self.since: float | None = None

    def down(self, exc: Exception) -> None:
        if self.since is None:
            self.since = time.monotonic()
            logger.warning(
                "redis at %s unreachable (%s): %s paused, retrying", self.url, exc, self.what
            )

    def up(self) -> None:
        if self.since is not None:
            logger.warning(
                "redis at %s reachable again after %.0f s: %s resumed",
                self.url,
                time.monotonic() - self.since,
                self.what,
            )
            self.since = None


class RedisArchivedSet:
    """Which canonical URLs are archived, shared by every worker of a source.

    Marks that cannot be saved while Redis is down are kept and saved with the
    next mark; a lookup that fails answers "not archived", because the shared
    dupefilter still stops a second fetch of a URL already requested.
    """

    def __init__(self, redis_url: str, source: str, client: redis.Redis | None = None) -> None:
        self.keys = RedisKeys(source)
        self.client = client or connect(redis_url)
        self.outage = Outage(redis_url, f"archived record of {source}")
        self._unsaved: dict[str, float] = {}

    def is_archived(self, url: str, max_age_s: float = 0.0) -> bool:
        try:
            value: Any = self.client.hget(self.keys.archived, url)
        except RedisError as exc:
            self.outage.down(exc)
            return url in self._unsaved
        self.outage.up()
        if value is None:
            return url in self._unsaved
        return not (max_age_s > 0 and time.time() - float(value) > max_age_s)

    def mark_archived(self, *urls: str) -> None:
        """Mark URLs archived, all in one round trip."""
        now = time.time()
        self._unsaved.update(dict.fromkeys(urls, now))
        self._save()

    def _save(self) -> bool:
        if not self._unsaved:
            return True
        try:
            pipe = self.client.pipeline(transaction=True)
            pipe.hset(self.keys.archived, mapping=dict(self._unsaved))
            # An archived article is no longer in flight on this worker.
            pipe.hdel(self.keys.inflight, *self._unsaved)
            pipe.execute()
        except RedisError as exc:
            self.outage.down(exc)
            return False
        self.outage.up()
        self._unsaved.clear()
        return True

    def archived_count(self) -> int:
        count: Any = self.client.hlen(self.keys.archived)
        return int(count)

    def close(self, retry_s: float = CLOSE_RETRY_S) -> None:
        deadline = time.monotonic() + retry_s
        while not self._save() and time.monotonic() < deadline:
            time.sleep(1.0)
        if self._unsaved:
            logger.error(
                "%d archived mark(s) of %s not saved (Redis unreachable): they will be refetched",
                len(self._unsaved),
                self.keys.source,
            )
        self.client.close()


# Put an in-flight request back on the queue only if nobody claimed it since.
_REQUEUE = """
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
  redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
  redis.call('HDEL', KEYS[1], ARGV[1])
  return 1
end
return 0
"""


class InFlight:
    """Requests a worker took from the shared queue and has not finished.

    A request popped from the shared queue would be lost with a killed worker,
    so the pop records it here (field: the canonical URL or request
    fingerprint; value: worker, score and the queue entry) until it is
    archived or done; entries of a worker whose heartbeat key expired go back
    on the queue.
    """

    def __init__(self, client: redis.Redis, keys: RedisKeys, worker_id: str) -> None:
        self.client = client
        self.keys = keys
        self.worker_id = worker_id
        self._requeue = client.register_script(_REQUEUE)

    def done(self, field: str) -> None:
        self.client.hdel(self.keys.inflight, field)

    def beat(self, lease_s: float) -> None:
        self.client.set(worker_key(self.worker_id), str(time.time()), px=int(lease_s * 1000))

    def requeue(self, *, own: bool) -> int:
        """Requeue this worker's entries (own) or those of workers gone silent."""
        entries: dict[bytes, bytes] = self.client.hgetall(self.keys.inflight)  # type: ignore[assignment]
        moved, alive = 0, {self.worker_id: not own}
        for field, value in entries.items():
            worker, score, data = value.split(b"\n", 2)
            name = worker.decode()
            if name not in alive:
                alive[name] = bool(self.client.exists(worker_key(name)))
            if alive[name]:
                continue
            keys = [self.keys.inflight, self.keys.requests]
            moved += int(self._requeue(keys=keys, args=[field, value, float(score), data]))
        if moved:
            logger.warning(
                "%s: %d request(s) in flight on %s put back on the queue",
                self.keys.source,
                moved,
                "this worker" if own else "silent workers",
            )
        return moved
