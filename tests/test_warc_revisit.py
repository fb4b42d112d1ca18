"""Two crawls of the fixture site: unchanged pages become revisit records."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from newsvault.demosite.server import SiteServer
from newsvault.demosite.site import build_site
from pipelines.warcindex import cdxj_path
from pipelines.warcverify import expected_cdxj
from storage.state import CrawlState
from tests.conftest import run_cli, write_config

PROFILE = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"


def crawl(work: Path, *extra: str) -> set[Path]:
    """Crawl; returns the WARC files it added to the archive."""
    before = set((work / "archive").rglob("*.warc.gz"))
    result = run_cli(["--config", "newsvault.toml", "crawl", "demo", *extra], cwd=work)
    assert result.returncode == 0, result.stderr
    return set((work / "archive").rglob("*.warc.gz")) - before


def main_records(paths: set[Path]) -> dict[str, Any]:
    """Target URI → headers of its response or revisit record."""
    found = {}
    for path in sorted(paths):
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh, check_digests=True):
                if record.rec_type in ("response", "revisit"):
                    found[record.rec_headers.get_header("WARC-Target-URI")] = record.rec_headers
    return found


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    work = tmp_path_factory.mktemp("revisit")
    server = SiteServer(None)
    server.site = build_site(server.base_url)
    server.start()
    base = server.base_url
    write_config(work / "newsvault.toml", SimpleNamespace(base=base, hostport=base[7:]))
    try:
        first = main_records(crawl(work))
        changed = next(a.path for a in server.site.articles if not a.path.startswith("/world/"))
        page = server.site.pages[changed]
        server.site.pages[changed] = replace(
            page, body=page.body.replace(b"</p>", b" (updated)</p>", 1)
        )
        second = main_records(crawl(work, "--refetch"))
    finally:
        server.shutdown()
        server.server_close()
    yield SimpleNamespace(work=work, base=base, first=first, second=second, changed=base + changed)


def test_unchanged_articles_become_revisits(two_runs: Any) -> None:
    articles = [two_runs.base + a.path for a in build_site("").articles]
    unchanged = [url for url in articles if url != two_runs.changed]
    assert unchanged
    for url in unchanged:
        original, revisit = two_runs.first[url], two_runs.second[url]
        assert original.get_header("WARC-Type") == "response"
        assert revisit.get_header("WARC-Type") == "revisit"
        assert revisit.get_header("WARC-Profile") == PROFILE
        assert revisit.get_header("WARC-Refers-To-Target-URI") == url
        assert revisit.get_header("WARC-Refers-To-Date") == original.get_header("WARC-Date")
        assert revisit.get_header("WARC-Payload-Digest") == original.get_header(
            "WARC-Payload-Digest"
        )
        assert revisit.get_header("WARC-Date") > original.get_header("WARC-Date")


def test_changed_page_gets_a_full_response(two_runs: Any) -> None:
    original, again = two_runs.first[two_runs.changed], two_runs.second[two_runs.changed]
    assert again.get_header("WARC-Type") == "response"
    assert again.get_header("WARC-Payload-Digest") != original.get_header("WARC-Payload-Digest")


def test_digest_index_is_durable(two_runs: Any) -> None:
    state = CrawlState(two_runs.work / "state" / "sources" / "demo" / "state.sqlite")
    try:
        changed = state.last_capture(two_runs.changed)
        assert changed is not None
        assert changed.record_id == two_runs.second[two_runs.changed].get_header("WARC-Record-ID")
        # A revisit does not replace the capture it refers to.
        url = next(u for u in two_runs.first if u != two_runs.changed and "/20" in u)
        kept = state.last_capture(url)
        assert kept is not None
        assert kept.warc_date == two_runs.first[url].get_header("WARC-Date")
    finally:
        state.close()


def test_crawl_index_is_what_cdxj_indexer_writes(two_runs: Any) -> None:
    """The index built while writing (responses, revisits, redirects, 404s, robots.txt,
    feeds) has the very lines cdxj-indexer gets by reading each WARC back."""
    warcs = sorted((two_runs.work / "archive").rglob("*.warc.gz"))
    assert len(warcs) >= 2
    mimes = set()
    for warc in warcs:
        built = cdxj_path(warc).read_text(encoding="utf-8")
        assert built == expected_cdxj(warc)
        mimes |= {line.split('"mime": "')[1].split('"')[0] for line in built.splitlines()}
    assert {"warc/revisit", "text/html"} <= mimes
