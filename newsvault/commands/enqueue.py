"""``newsvault enqueue (SOURCE... | --all)``"""

from __future__ import annotations

import argparse
import os

from redis.exceptions import RedisError

from newsvault import app
from newsvault.distributed import enqueue_sources, resolve_redis_url


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "enqueue",
        help="ask the distributed workers to crawl sources",
        description="Queue a discovery round of each source for the workers "
        "(Redis from $NEWSVAULT_REDIS_URL or [distributed] redis_url).",
    )
    parser.add_argument("sources", nargs="*", metavar="SOURCE", help="source names from the config")
    parser.add_argument("--all", action="store_true", help="every configured source")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    config = app.load(args)
    if args.all == bool(args.sources):
        print("newsvault enqueue: name one or more sources, or --all")
        return 2
    redis_url = resolve_redis_url(config, os.environ)
    if not redis_url:
        print("newsvault enqueue: set [distributed] redis_url or NEWSVAULT_REDIS_URL")
        return 2
    keys = sorted(config.sources) if args.all else list(dict.fromkeys(args.sources))
    for key in keys:
        config.source(key)  # unknown names fail here, before anything is queued
    try:
        asked = enqueue_sources(redis_url, keys)
    except RedisError as exc:
        print(f"newsvault enqueue: Redis unreachable: {exc}")
        return 1
    print(f"queued discovery of {len(asked)} source(s): {', '.join(asked)}")
    return 0
