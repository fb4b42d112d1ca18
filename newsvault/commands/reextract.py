"""``newsvault reextract``: rebuild clean text from stored WARCs, offline."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from rich.progress import Progress

from newsvault import app
from newsvault.batchjob import become_batch_job
from storage.cache import ObjectCache
from storage.spool import publish


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "reextract", help="rebuild clean text from archived WARCs with the current extractor"
    )
    parser.add_argument("--source", action="append", default=[], help="only this source")
    parser.add_argument("--since", type=date.fromisoformat, help="WARCs fetched on or after")
    parser.add_argument("--until", type=date.fromisoformat, help="WARCs fetched on or before")
    parser.add_argument("--workers", type=int, default=0, help="processes (default: all cores)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    become_batch_job()
    # The cleaner (trafilatura) loads only for the commands that clean.
    from newsvault.reextract import Reextractor, Window

    config = app.load(args)
    names = args.source or sorted(config.sources)
    sources = [config.source(name) for name in names]
    store, spool = app.archive(config), app.spool(config)
    cache = ObjectCache(config.state_dir / "cache", store)
    worker = Reextractor(config, store, spool, cache, args.workers)
    with Progress(disable=not sys.stderr.isatty()) as progress:
        task = progress.add_task("re-extracting", total=None)
        report = worker.run(
            sources, Window(args.since, args.until), lambda n: progress.advance(task, n)
        )
    published = publish(spool, store)
    print(
        f"text set {report.set_id}: {report.articles} article(s), {report.changed} changed, "
        f"{report.unchanged} unchanged, {report.new} not in the crawl-time set, "
        f"{report.empty} without text",
        file=sys.stderr,
    )
    if not published.ok:
        print(
            "newsvault reextract: publishing incomplete; run `newsvault upload --resume`",
            file=sys.stderr,
        )
        return 1
    return 0
