"""Distributed mode's entry points that need no Scrapy: which Redis, the settings
a worker adds, and asking the workers to crawl (``newsvault enqueue``, the scheduler).

Workers (``newsvault worker``) share one scrapy-redis request queue and
dupefilter per source; the scheduler class they run lives in
:mod:`newsvault.distributed`.
"""

from __future__ import annotations

import json
import logging
import os
import re
import socket
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from newsvault.config import Config
from storage.redisstate import RedactedURL, RedisKeys, connect, safe_url

logger = logging.getLogger(__name__)

ENV_REDIS_URL = "NEWSVAULT_REDIS_URL"
DEFAULT_LEASE_S = 30.0


def resolve_redis_url(config: Config, environ: Mapping[str, str]) -> str:
    """The environment (read by the CLI, passed in here) wins over the config file."""
    return environ.get(ENV_REDIS_URL) or config.distributed.redis_url


def default_worker_id() -> str:
    return safe_worker_id(f"{socket.gethostname()}-{os.getpid()}")


def safe_worker_id(name: str) -> str:
    # The id goes into WARC file names and Redis keys.
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-") or "worker"


def distributed_settings(
    redis_url: str,
    source: str,
    *,
    max_idle_s: float = 0.0,
    lease_s: float = DEFAULT_LEASE_S,
    concurrency: int | None = None,
) -> dict[str, Any]:
    """Scrapy settings layered over a source's settings in a worker."""
    keys = RedisKeys(source)
    url = RedactedURL(redis_url)
    settings: dict[str, Any] = {
        # scrapy-redis's scheduler with pause-and-retry and in-flight records.
        "SCHEDULER": "newsvault.distributed.ResilientRedisScheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_QUEUE_KEY": keys.requests,
        "SCHEDULER_DUPEFILTER_KEY": keys.dupefilter,
        "REDIS_URL": url,
        # Short timeouts: notice an outage quickly and pause rather than hang.
        "REDIS_PARAMS": {"socket_timeout": 10, "socket_connect_timeout": 5},
        "NEWSVAULT_REDIS_URL": url,
        "NEWSVAULT_MAX_IDLE": max_idle_s,
        "NEWSVAULT_WORKER_LEASE": lease_s,
    }
    if concurrency:
        settings["CONCURRENT_REQUESTS"] = concurrency
    return settings


def enqueue_sources(redis_url: str, sources: Iterable[str]) -> list[str]:
    """Ask the workers to run discovery for ``sources``; returns the sources asked.

    One pending command per source: asking again before a worker took it
    replaces it, so a scheduler firing while all workers are down does not
    pile up discovery rounds.
    """
    client = connect(redis_url)
    command = json.dumps({"command": "discover", "at": datetime.now(UTC).isoformat()})
    asked = []
    try:
        pipe = client.pipeline(transaction=False)
        for source in sources:
            pipe.set(RedisKeys(source).start, command)
            asked.append(source)
        pipe.execute()
    finally:
        client.close()
    logger.info("discovery of %s queued on %s", ", ".join(asked), safe_url(redis_url))
    return asked
