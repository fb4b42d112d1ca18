"""``newsvault crawl (SOURCE... | --all)``"""

from __future__ import annotations

import argparse

from newsvault import app
from newsvault.batchjob import become_batch_job
from newsvault.locks import SourceBusy
from newsvault.summary import print_summary
from pipelines import workerpool


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("crawl", help="crawl sources into the archive")
    app.add_source_arguments(parser, "crawl")
    parser.add_argument(
        "--refetch", action="store_true", help="fetch articles again even if already archived"
    )
    parser.add_argument(
        "--no-publish",
        action="store_true",
        help="leave the output in the spool (publish later with upload --resume)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    become_batch_job()
    config = app.load(args)
    sources = app.chosen_sources(config, args)
    app.archive_for_writing(config)  # a misconfigured store stops here, before any fetch
    # The extraction workers start first and load the cleaner while Scrapy is imported.
    with workerpool.started(config.crawl.extract_workers):
        from newsvault.crawl import run_crawl

        try:
            result = run_crawl(
                config, sources, refetch=args.refetch, publish_output=not args.no_publish
            )
        except SourceBusy as exc:
            print(f"newsvault crawl: {exc}")
            return 1
    print_summary(result)
    if args.no_publish:
        return 0 if all(r.reason == "finished" for r in result.sources) else 1
    return 0 if result.ok else 1
