"""The end-of-run summary: what was found, fetched, stored, dropped and why."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from newsvault.crawl import CrawlResult


def _sum(stats: dict[str, Any], prefix: str) -> int:
    return sum(int(v) for k, v in stats.items() if k.startswith(prefix) and isinstance(v, int))


def reasons(stats: dict[str, Any]) -> dict[str, int]:
    """Why items or requests did not end as clean records, by reason."""
    out: dict[str, int] = {}
    for key, value in stats.items():
        for prefix in ("item_dropped_reasons_count/", "text/dropped/"):
            if key.startswith(prefix):
                out[key.removeprefix(prefix)] = out.get(key.removeprefix(prefix), 0) + int(value)
    for key in (
        "articles/already_archived",
        "articles/offsite",
        "robotstxt/forbidden",
        "egress/refused",
        "discovery/feed_failed",
        "discovery/sitemap_failed",
        "discovery/section_failed",
        "extract/timeout",
        "extract/failed",
    ):
        if stats.get(key):
            out[key.split("/", 1)[1]] = int(stats[key])
    for key, value in stats.items():
        # Refusals (robots, egress) are counted above; the rest are network failures.
        if (
            key.startswith("downloader/exception_type_count/")
            and "Ignore" not in key
            and "Refused" not in key
        ):
            name = key.rsplit(".", 1)[-1]
            out[name] = out.get(name, 0) + int(value)
    return out


def print_summary(result: CrawlResult, console: Console | None = None) -> None:
    console = console or Console(stderr=True)
    table = Table(title=f"newsvault run {result.run_id}")
    for column in ("source", "result", "found", "fetched", "stored", "WARC MB", "not stored (why)"):
        table.add_column(column)
    for item in result.sources:
        s = item.stats
        why = ", ".join(f"{k}: {v}" for k, v in sorted(reasons(s).items())) or "-"
        table.add_row(
            item.source,
            item.reason,
            str(s.get("articles/found", 0)),
            str(s.get("articles/fetched", 0)),
            str(_sum(s, "text/records")),
            f"{s.get('warc/bytes', 0) / 1e6:.2f}",
            why,
        )
    console.print(table)
    report = result.publish
    if report is None:
        console.print("output kept in the spool (not published)")
    elif report.ok:
        console.print(
            f"published {len(report.published)} file(s), "
            f"{len(report.already_there)} already in the archive"
        )
    else:
        console.print(
            f"[red]publishing incomplete:[/red] {report.remaining} file(s) kept in the "
            "spool; run `newsvault upload --resume` when storage is back"
        )
