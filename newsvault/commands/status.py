"""``newsvault status [--json] [--fail-on-warning]``: how each source is doing."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime

from rich import box
from rich.console import Console
from rich.table import Table

from newsvault import app
from newsvault.scheduler_history import RunHistory, history_path
from newsvault.status import SourceStatus, StatusReport, collect, parse_time

DESCRIPTION = """\
Per source: the last run (start, duration, result), new articles in that run
and in the last 24 h, WARC bytes, the next run from its cron, the lag between
the newest published article and its archiving, and warnings (nothing new for
[scheduler] silence_runs runs, a failed or empty feed/sitemap, a failed
scheduled crawl). Also the files waiting in the spool.

Exit status: 0, also when there are warnings (they are printed, and listed
under "warnings" with --json); with --fail-on-warning, 1 when any source has
a warning. 2 for a configuration error."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "status",
        help="last run, freshness and warnings per source",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--fail-on-warning", action="store_true", help="exit 1 when any source has a warning"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    config = app.load(args)
    history = RunHistory(history_path(config.state_dir))
    pending = len(app.spool(config).pending())
    report = collect(config, app.archive(config), history, pending, datetime.now(UTC))
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        # Piped output has no terminal width; rich would cut it at 80 columns.
        print_report(report, Console() if sys.stdout.isatty() else Console(width=120))
    return 1 if args.fail_on_warning and not report.healthy else 0


def print_report(report: StatusReport, console: Console) -> None:
    console.print(table(report))
    # Warnings go below the table: long sentences would squeeze every column.
    for s in report.sources:
        for warning in s.warnings:
            console.print(f"[yellow]warning[/] {s.source}: {warning}")
    console.print(f"{report.spool_pending} file(s) waiting in the spool", highlight=False)


def table(report: StatusReport) -> Table:
    out = Table(
        title=f"newsvault status, {short_time(report.generated_at)} UTC",
        box=box.SIMPLE,
        pad_edge=False,
    )
    for column in ("source", "last run", "took", "result", "new", "24 h", "WARC", "next run"):
        out.add_column(column, no_wrap=column in ("last run", "next run"))
    out.add_column("lag", justify="right")
    out.add_column("health")
    for s in report.sources:
        out.add_row(*row(s))
    return out


def row(s: SourceStatus) -> list[str]:
    run = s.last_run
    health = f"[yellow]{len(s.warnings)} warning(s)[/]" if s.warnings else "[green]ok[/]"
    return [
        s.source,
        short_time(run.start) if run else "never",
        duration(run.duration_s) if run else "-",
        run.result if run else "-",
        str(run.new_articles) if run else "-",
        str(s.new_24h),
        size(run.warc_bytes) if run else "-",
        short_time(s.next_run),
        duration(s.lag_s),
        health,
    ]


def short_time(value: str | None) -> str:
    parsed = parse_time(value)
    return parsed.astimezone(UTC).strftime("%m-%d %H:%M") if parsed else "-"


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    # Negative when a page claims a publication time after its fetch (clock skew).
    sign, seconds = ("-" if seconds < 0 else ""), abs(seconds)
    for unit, length in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= length:
            return f"{sign}{seconds / length:.1f} {unit}"
    return f"{sign}{seconds:.0f} s"


def size(count: int) -> str:
    value = float(count)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"
