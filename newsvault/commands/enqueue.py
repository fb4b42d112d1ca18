"""``newsvault enqueue (SOURCE... | --all)``"""

from __future__ import annotations

import argparse
import os
import sys

from redis.exceptions import RedisError

from newsvault import app
from newsvault.fleet import enqueue_sources, resolve_redis_url


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "enqueue",
        help="ask the distributed workers to crawl sources",
        description="Queue a discovery round of each source for the workers "
        "(Redis from $NEWSVAULT_REDIS_URL or [distributed] redis_url).",
    )
    app.add_source_arguments(parser, "queue")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    config = app.load(args)
    # Unknown names fail here, before anything is queued.
    keys = [source.key for source in app.chosen_sources(config, args)]
    redis_url = resolve_redis_url(config, os.environ)
    if not redis_url:
        raise app.UsageError("set [distributed] redis_url or NEWSVAULT_REDIS_URL")
    try:
        asked = enqueue_sources(redis_url, keys)
    except RedisError as exc:
        print(f"newsvault enqueue: Redis unreachable: {exc}", file=sys.stderr)
        return 1
    print(f"queued discovery of {len(asked)} source(s): {', '.join(asked)}")
    return 0
