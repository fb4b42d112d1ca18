"""``newsvault ls [runs|sources|warcs|spool] [--source NAME]``: what the archive holds."""

from __future__ import annotations

import argparse
import json
import logging
from collections import Counter
from typing import Any

from rich.console import Console
from rich.table import Table

from newsvault import app
from storage import Store
from storage.keys import parse_dated_key, safe_component
from storage.spool import Spool

logger = logging.getLogger(__name__)
VIEWS = ("runs", "sources", "warcs", "spool")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("ls", help="list runs, sources, WARCs or the spool")
    parser.add_argument("view", nargs="?", choices=VIEWS, default="runs")
    parser.add_argument("--source", help="only this source")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    config = app.load(args)
    source = safe_component(args.source) if args.source else None
    if args.view == "spool":
        table = spool_table(app.spool(config), source)
    else:
        store = app.archive(config)
        views = {"runs": runs_table, "sources": sources_table, "warcs": warcs_table}
        table = views[args.view](store, source)
    Console().print(table)
    return 0


def _size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def _manifest(store: Store, key: str) -> dict[str, Any] | None:
    try:
        data = json.loads(store.get(key))
    except (ValueError, UnicodeDecodeError) as exc:
        logger.warning("unreadable run manifest %s: %s", key, exc)
        return None
    return data if isinstance(data, dict) else None


def runs_table(store: Store, source: str | None) -> Table:
    table = Table("source", "run", "start", "end", "counts", "files", "size", title="runs")
    for info in store.list(f"runs/{source}/" if source else "runs/"):
        run = _manifest(store, info.key)
        if run is None:
            table.add_row("?", info.key, "", "", "unreadable manifest", "", "")
            continue
        files = run.get("files") or []
        counts = run.get("counts") or {}
        table.add_row(
            str(run.get("source", "")),
            str(run.get("run_id", "")),
            str(run.get("start", "")),
            str(run.get("end", "")),
            ", ".join(f"{name} {value}" for name, value in sorted(counts.items())),
            str(len(files)),
            _size(sum(int(f.get("size", 0)) for f in files)),
        )
    return table


def sources_table(store: Store, source: str | None) -> Table:
    runs: Counter[str] = Counter()
    warcs: Counter[str] = Counter()
    sizes: Counter[str] = Counter()
    for info in store.list():
        parts = info.key.split("/")
        if len(parts) < 3 or parts[0] not in ("runs", "warc", "text"):
            continue
        name = parts[1]
        if source and name != source:
            continue
        sizes[name] += info.size
        runs[name] += parts[0] == "runs"
        warcs[name] += parts[0] == "warc" and info.key.endswith(".warc.gz")
    table = Table("source", "runs", "WARCs", "size", title="sources")
    for name in sorted(sizes):
        table.add_row(name, str(runs[name]), str(warcs[name]), _size(sizes[name]))
    return table


def warcs_table(store: Store, source: str | None) -> Table:
    table = Table("source", "day", "WARC", "size", title="WARCs")
    count = total = 0
    for info in store.list(f"warc/{source}/" if source else "warc/"):
        parsed = parse_dated_key(info.key)
        if parsed is None or not parsed[3].endswith(".warc.gz"):
            continue
        _, name, day, filename = parsed
        table.add_row(name, day.isoformat(), filename, _size(info.size))
        count, total = count + 1, total + info.size
    table.caption = f"{count} WARC file(s), {_size(total)}"
    return table


def spool_table(spool: Spool, source: str | None) -> Table:
    table = Table("key", "size", "state", title=f"spool {spool.root}")
    rows = [(key, path, "waiting") for key, path in spool.pending()]
    rows += [(p.relative_to(spool.root).as_posix(), p, "being written") for p in spool.open_files()]
    count = total = 0
    for key, path, state in rows:
        if source and key.split("/")[1:2] != [source]:
            continue
        size = path.stat().st_size
        table.add_row(key, _size(size), state)
        count, total = count + 1, total + size
    table.caption = f"{count} file(s), {_size(total)}"
    return table
