"""``newsvault upload --resume``: publish what waits in the spool."""

from __future__ import annotations

import argparse
import sys

from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

from newsvault import app
from storage.spool import PublishReport, publish

EXIT_OK = 0
EXIT_FAILED = 1


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "upload", help="publish spooled WARCs, texts and manifests to the archive"
    )
    parser.add_argument(
        "--resume",
        action="store_true",
        help="publish everything an earlier run left in the spool (safe to repeat)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    config = app.load(args)
    spool = app.spool(config)
    store = app.archive(config)
    pending = spool.pending()
    total = sum(path.stat().st_size for _, path in pending)
    with Progress(
        TextColumn("uploading"),
        BarColumn(),
        DownloadColumn(),
        transient=True,
        disable=not sys.stderr.isatty(),
    ) as progress:
        task = progress.add_task("upload", total=total)
        report = publish(spool, store, lambda _key, size: progress.advance(task, size))
    for path in spool.open_files():
        print(f"newsvault upload: still being written, not published: {path}", file=sys.stderr)
    return _summary(report, store.url)


def _summary(report: PublishReport, url: str) -> int:
    print(
        f"published {len(report.published)} file(s) to {url}, "
        f"{len(report.already_there)} already there"
    )
    if report.ok:
        return EXIT_OK
    for key, problem in sorted(report.failed.items()):
        print(f"newsvault upload: {key}: {problem}", file=sys.stderr)
    for key in report.held_back:
        print(f"newsvault upload: {key}: held back until its files are published", file=sys.stderr)
    print(
        f"newsvault upload: {report.remaining} file(s) kept in the spool; "
        "run `newsvault upload --resume` once storage is reachable",
        file=sys.stderr,
    )
    return EXIT_FAILED
