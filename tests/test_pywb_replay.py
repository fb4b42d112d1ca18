"""pywb replays what we archive: a response, and a revisit of it."""

from __future__ import annotations

import gzip
import os
import time
import urllib.request
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from newsvault.demosite.site import build_site
from newsvault.pywb import PywbError, Wayback, add_warcs, find_pywb
from tests.conftest import run_cli, start_site, write_config


def crawl(work: Path, *extra: str) -> list[Path]:
    before = set((work / "archive").rglob("*.warc.gz"))
    result = run_cli(["--config", "newsvault.toml", "crawl", "demo", *extra], cwd=work)
    assert result.returncode == 0, result.stderr
    return sorted(set((work / "archive").rglob("*.warc.gz")) - before)


def capture(warcs: list[Path], url: str) -> tuple[str, str]:
    """(record type, 14-digit timestamp) of the page's main record."""
    for path in warcs:
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type in ("response", "revisit") and (
                    record.rec_headers.get_header("WARC-Target-URI") == url
                ):
                    date = record.rec_headers.get_header("WARC-Date")
                    return record.rec_type, "".join(c for c in date if c.isdigit())[:14]
    raise AssertionError(f"{url} not archived")


@pytest.fixture(scope="module")
def replay(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    try:
        pywb = find_pywb(os.environ)
    except PywbError as exc:
        pytest.fail(str(exc))  # CI runs `make setup` first: a missing pywb is a failure
    work = tmp_path_factory.mktemp("pywb")
    site = start_site(work)
    try:
        write_config(work / "newsvault.toml", site)
        first = crawl(work)
        time.sleep(1.1)  # a later second, so the revisit has its own timestamp
        second = crawl(work, "--refetch")
    finally:
        site.stop()
    root = work / "pywb"
    root.mkdir()
    add_warcs(pywb, root, "news", first + second)
    article = next(a for a in build_site(site.base).articles if not a.path.startswith("/world/"))
    url = site.base + article.path
    body = build_site(site.base).pages[article.path].body
    with Wayback(pywb, root) as wayback:
        yield SimpleNamespace(
            wayback=wayback,
            url=url,
            body=body,
            first=capture(first, url),
            second=capture(second, url),
        )


def fetch(wayback: Wayback, timestamp: str, url: str) -> tuple[int, dict[str, str], bytes]:
    with urllib.request.urlopen(f"{wayback.url}/news/{timestamp}id_/{url}", timeout=30) as resp:
        data = resp.read()
        headers = {k.lower(): v for k, v in resp.headers.items()}
        if headers.get("content-encoding") == "gzip":
            data = gzip.decompress(data)
        return resp.status, headers, data


def memento(headers: dict[str, str]) -> str:
    """The 14-digit timestamp of the record pywb actually served."""
    return f"{parsedate_to_datetime(headers['memento-datetime']):%Y%m%d%H%M%S}"


def test_response_replays_with_the_original_bytes(replay: Any) -> None:
    kind, timestamp = replay.first
    assert kind == "response"
    status, headers, body = fetch(replay.wayback, timestamp, replay.url)
    assert status == 200
    assert memento(headers) == timestamp
    assert body == replay.body


def test_revisit_replays(replay: Any) -> None:
    kind, timestamp = replay.second
    assert kind == "revisit" and timestamp != replay.first[1]
    status, headers, body = fetch(replay.wayback, timestamp, replay.url)
    assert status == 200
    assert memento(headers) == timestamp, "served from the revisit record"
    assert body == replay.body, "the revisit resolved to the first capture's payload"
