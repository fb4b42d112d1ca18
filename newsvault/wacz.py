"""Package archived WARCs as a WACZ file that ReplayWeb.page opens.

The packaging itself is done by the ``wacz`` tool, installed beside pywb in
the replay tools' environment; newsvault supplies the WARCs and the page list
(one entry per clean article, so the viewer lists the articles by title).
"""

from __future__ import annotations

import gzip
import json
import subprocess
from pathlib import Path

from newsvault.pywb import Pywb, PywbError
from newsvault.replay import Selection
from storage.base import Store
from storage.cache import ObjectCache


def wacz_tool(pywb: Pywb) -> Path:
    tool = pywb.venv / "bin" / "wacz"
    if not tool.exists():
        raise PywbError(f"{tool} is missing: run `make setup` to install the replay tools")
    return tool


def selected_warcs(store: Store, cache: ObjectCache, pick: Selection) -> list[Path]:
    return [
        cache.local(obj.key, obj.size)
        for obj in store.list("warc/")
        if obj.key.endswith(".warc.gz") and pick.holds(obj.key)
    ]


def write_pages(store: Store, pick: Selection, path: Path) -> int:
    """The WACZ page list: every clean article in the selection, once."""
    seen: set[str] = set()
    with path.open("w", encoding="utf-8") as out:
        out.write(
            json.dumps({"format": "json-pages-1.0", "id": "pages", "title": "Articles"}) + "\n"
        )
        for obj in store.list("text/"):
            if not (obj.key.endswith(".jsonl.gz") and pick.holds(obj.key)):
                continue
            for line in gzip.decompress(store.get(obj.key)).decode("utf-8").splitlines():
                record = json.loads(line)
                if record["id"] in seen:
                    continue
                seen.add(record["id"])
                page = {
                    "id": record["id"],
                    "url": record["url"],
                    "ts": record["warc_date"],
                    "title": record.get("title") or record["url"],
                }
                out.write(json.dumps(page, ensure_ascii=False) + "\n")
    return len(seen)


def create_wacz(tool: Path, warcs: list[Path], pages: Path, out: Path, title: str) -> None:
    done = subprocess.run(
        [str(tool), "create", "-o", str(out), "-p", str(pages), "--title", title, *map(str, warcs)],
        capture_output=True,
        text=True,
        check=False,
        timeout=3600,
    )
    if done.returncode != 0:
        raise PywbError(f"wacz create exited {done.returncode}: {done.stderr.strip()[-2000:]}")
