"""``newsvault pull --out DIR [filters]``"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from rich.progress import Progress

from newsvault import app
from newsvault.pull import FORMATS, PullFilter, UnsafePathError, Writer, records, text_files


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("pull", help="copy clean articles out of the archive")
    parser.add_argument("--out", required=True, type=Path, help="output directory")
    parser.add_argument(
        "--source", action="append", default=[], help="only this source (repeatable)"
    )
    parser.add_argument(
        "--since", type=date.fromisoformat, help="published on or after (YYYY-MM-DD)"
    )
    parser.add_argument(
        "--until", type=date.fromisoformat, help="published on or before (YYYY-MM-DD)"
    )
    parser.add_argument("--query", default="", help="words that must all appear in title or text")
    parser.add_argument("--format", choices=FORMATS, default="jsonl")
    parser.add_argument(
        "--text-set",
        default="",
        help="a set made by `newsvault reextract` (default: crawl-time text)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    config = app.load(args)
    for name in args.source:
        config.source(name)  # an unknown source is a usage error, not an empty result
    store = app.archive(config, check=True)
    filt = PullFilter(frozenset(args.source), args.since, args.until, tuple(args.query.split()))
    args.out.mkdir(parents=True, exist_ok=True)
    writer = Writer(args.out, args.format)
    seen: set[str] = set()
    files = text_files(store, filt, args.text_set)
    try:
        with Progress(transient=True, disable=not sys.stderr.isatty()) as progress:
            task = progress.add_task("pulling", total=len(files))
            for key in files:
                for record in records(store, key):
                    if record["id"] not in seen and filt.wants(record):
                        seen.add(record["id"])
                        writer.add(record)
                progress.advance(task)
    except UnsafePathError as exc:
        print(f"newsvault pull: {exc}", file=sys.stderr)
        return 2
    finally:
        writer.close()
    total = sum(writer.counts.values())
    print(f"pulled {total} article(s) from {len(files)} file(s) into {args.out}", file=sys.stderr)
    return 0
