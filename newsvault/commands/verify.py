"""``newsvault verify [--source NAME] [--since DATE]``: check every archived WARC."""

from __future__ import annotations

import argparse
import logging
from datetime import date

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from newsvault import app
from newsvault.verify import FileResult, verify_archive
from storage.keys import safe_component

logger = logging.getLogger(__name__)
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "verify", help="check archived WARCs: gzip members, digests, counts, indexes"
    )
    parser.add_argument("--source", help="only this source")
    parser.add_argument("--since", help="only WARCs of this day (YYYY-MM-DD) or later")
    parser.set_defaults(func=run)


def _size(size: int) -> str:
    return f"{size / 1024:.1f} KiB" if size >= 1024 else f"{size} B"


def results_table(results: list[FileResult]) -> Table:
    table = Table(title="WARC verification")
    table.add_column("file", overflow="fold")
    for name in ("records", "size", "status"):
        table.add_column(name, no_wrap=True)
    table.add_column("problem", overflow="fold")
    for result in results:
        status = "[green]ok[/green]" if result.ok else "[red]FAILED[/red]"
        table.add_row(
            result.key, str(result.records), _size(result.size), status, "; ".join(result.problems)
        )
    failed = sum(not r.ok for r in results)
    table.caption = f"{len(results)} WARC file(s), {failed} failed"
    return table


def run(args: argparse.Namespace) -> int:
    config = app.load(args)
    try:
        since = date.fromisoformat(args.since) if args.since else None
    except ValueError:
        print(f"newsvault verify: --since wants a date like 2025-05-01, not {args.since!r}")
        return EXIT_USAGE
    source = safe_component(args.source) if args.source else None
    if source is not None and source not in config.sources:
        print(f"newsvault verify: no source {source!r} in the configuration")
        return EXIT_USAGE
    console = Console()
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("verifying", total=None)
        results = verify_archive(
            app.archive(config),
            source,
            since,
            progress=lambda key: progress.update(task, description=key.rsplit("/", 1)[-1]),
        )
    console.print(results_table(results))
    for result in results:
        if not result.ok:
            # Also on stderr, unwrapped, so logs and CI name the file whole.
            logger.error("%s: %s", result.key, "; ".join(result.problems))
    return EXIT_OK if all(r.ok for r in results) else EXIT_FAILED
