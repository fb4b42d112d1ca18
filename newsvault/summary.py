"""The end-of-run summary: what was found, fetched, stored, dropped and why."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from newsvault.crawl import CrawlResult


def _sum(stats: dict[str, Any], prefix: str) -> int:
    return sum(int(v) for k, v in stats.items() if k.startswith(prefix) and isinstance(v, int))


def reasons(stats: dict[str, Any]) -> dict[str, int]:
    """Why found articles did not end as clean records, by reason."""
    out: dict[str, int] = {}
    for key, value in stats.items():
        for prefix in ("item_dropped_reasons_count/", "text/dropped/", "articles/failed/"):
            if key.startswith(prefix):
                name = key.removeprefix(prefix)
                out[name] = out.get(name, 0) + int(value)
    for key in ("articles/already_archived", "articles/offsite"):
        if stats.get(key):
            out[key.split("/", 1)[1]] = int(stats[key])
    return out


def discovery_problems(stats: dict[str, Any]) -> list[str]:
    """Feeds, sitemaps or section pages that failed or came back empty."""
    keys = ("feed_failed", "sitemap_failed", "section_failed", "feed_empty")
    return [
        f"{k.replace('_', ' ')}: {stats[f'discovery/{k}']}"
        for k in keys
        if stats.get(f"discovery/{k}")
    ]


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
    for item in result.sources:
        problems = discovery_problems(item.stats)
        if problems:
            console.print(
                f"[yellow]warning[/yellow] {item.source}: " + ", ".join(problems), soft_wrap=True
            )
    report = result.publish
    if report is None:
        console.print("output kept in the spool (not published)")
    elif report.ok:
        console.print(
            f"published {len(report.published)} file(s), "
            f"{len(report.already_there)} already in the archive",
            soft_wrap=True,
        )
    else:
        console.print(
            f"[red]publishing incomplete:[/red] {report.remaining} file(s) kept in the "
            "spool; run `newsvault upload --resume` when storage is back",
            soft_wrap=True,
        )
