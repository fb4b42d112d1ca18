"""``newsvault replay``: serve archived pages in pywb."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from datetime import date
from types import FrameType

from newsvault import app
from newsvault.pywb import PywbError, Wayback, add_warcs, find_pywb
from newsvault.replay import COLLECTION, Selection, newest_articles, sync_collection
from pipelines.replaypath import replay_path
from storage.cache import ObjectCache


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("replay", help="replay archived pages in pywb")
    parser.add_argument("--source", action="append", default=[], help="only this source")
    parser.add_argument("--since", type=date.fromisoformat, help="WARCs fetched on or after")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--bind", default="127.0.0.1", help="address to listen on")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    config = app.load(args)
    for name in args.source:
        config.source(name)
    try:
        pywb = find_pywb(os.environ)
    except PywbError as exc:
        print(f"newsvault replay: {exc}", file=sys.stderr)
        return 1
    store = app.archive(config)
    root = config.state_dir / "replay"
    root.mkdir(parents=True, exist_ok=True)
    pick = Selection(frozenset(args.source), args.since)
    add_warcs(pywb, root, COLLECTION, [])  # creates the collection once
    count = sync_collection(store, ObjectCache(config.state_dir / "cache", store), root, pick)
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    with Wayback(pywb, root, port=args.port, host=args.bind) as wayback:
        print(f"replaying {count} WARC file(s) at {wayback.url}/{COLLECTION}/", flush=True)
        for source, record in sorted(newest_articles(store, pick).items()):
            # Records from before replay_url existed get theirs built the same way.
            path = record.get("replay_url") or replay_path(record["warc_date"], record["url"])
            link = wayback.url + path
            print(f"{source}: {link}", flush=True)
        stop.wait()
    return 0
