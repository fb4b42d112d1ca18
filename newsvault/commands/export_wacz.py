"""``newsvault export-wacz --out FILE.wacz``: a WACZ package of the archive."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

from newsvault import app
from newsvault.pywb import PywbError, find_pywb
from newsvault.replay import Selection
from newsvault.wacz import create_wacz, selected_warcs, wacz_tool, write_pages
from storage.cache import ObjectCache


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("export-wacz", help="package archived pages as a WACZ file")
    parser.add_argument("--out", required=True, type=Path, help="the .wacz file to write")
    parser.add_argument("--source", action="append", default=[], help="only this source")
    parser.add_argument("--since", type=date.fromisoformat, help="WARCs fetched on or after")
    parser.add_argument("--title", default="newsvault archive")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    config = app.load(args)
    for name in args.source:
        config.source(name)
    store = app.archive(config)
    pick = Selection(frozenset(args.source), args.since)
    try:
        tool = wacz_tool(find_pywb(os.environ))
        warcs = selected_warcs(store, ObjectCache(config.state_dir / "cache", store), pick)
        if not warcs:
            print("newsvault export-wacz: no WARC matches the selection", file=sys.stderr)
            return 1
        with tempfile.TemporaryDirectory() as tmp:
            pages = Path(tmp) / "pages.jsonl"
            count = write_pages(store, pick, pages)
            args.out.parent.mkdir(parents=True, exist_ok=True)
            create_wacz(tool, warcs, pages, args.out, args.title)
    except PywbError as exc:
        print(f"newsvault export-wacz: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {args.out}: {len(warcs)} WARC file(s), {count} page(s)", file=sys.stderr)
    return 0
