"""Only new coverage: a second run fetches new articles and none of the old.

The site runs in this process, so articles can be added between runs; every
crawl runs in its own process, as the scheduler runs it.
"""

from __future__ import annotations

import dataclasses
import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest

from newsvault.demosite.content import Article, stories
from newsvault.demosite.server import SiteServer
from newsvault.demosite.site import build_site
from tests.conftest import FixtureSite, run_cli, write_config


@pytest.fixture
def live_site() -> Iterator[SiteServer]:
    server = SiteServer(None)
    server.site = build_site(server.base_url)
    server.start()
    yield server
    server.shutdown()
    server.server_close()


def site_config(work: Path, server: SiteServer, extra_source: str = "") -> Path:
    served = SimpleNamespace(base=server.base_url, hostport=server.base_url[len("http://") :])
    return write_config(work / "newsvault.toml", cast(FixtureSite, served), extra_source)


def crawl(work: Path, *extra: str) -> dict[str, Any]:
    """Run one crawl; return its manifest."""
    before = set((work / "archive" / "runs").rglob("*.json"))
    result = run_cli(["--config", "newsvault.toml", "crawl", "demo", *extra], cwd=work)
    assert result.returncode == 0, result.stderr
    (manifest,) = set((work / "archive" / "runs").rglob("*.json")) - before
    return cast(dict[str, Any], json.loads(manifest.read_text()))


def fresh_articles(count: int) -> list[Article]:
    """New stories with text of their own: repeated text would be learnt as boilerplate."""
    template = stories()[0]
    out = []
    for n in range(count):
        title = f"Fresh story number {n} on port traffic"
        paragraphs = [
            f"Port number {n} handled {1200 + n * 37} containers in week {n + 20}, officials said.",
            f"Dock workers in district {n} reported that cranes {n}A and {n}B ran day and night.",
            f"A spokesperson for harbour {n} said the backlog of {40 + n} ships would clear soon.",
        ]
        out.append(
            dataclasses.replace(
                template,
                slug=f"fresh-story-{n}",
                path=f"/business/2025/06/0{n + 1}/fresh-story-{n}/",
                day=f"2025-06-0{n + 1}",
                title=title,
                lines=[("headline", title)] + [("article", p) for p in paragraphs],
            )
        )
    return out


def archived_urls(work: Path, manifest: dict[str, Any]) -> set[str]:
    urls = set()
    for entry in manifest["files"]:
        if entry["key"].startswith("text/"):
            with gzip.open(work / "archive" / entry["key"], "rt", encoding="utf-8") as fh:
                urls |= {json.loads(line)["canonical_url"] for line in fh}
    return urls


def article_requests(server: SiteServer, paths: set[str]) -> set[str]:
    return paths & set(server.requests)


def test_second_run_fetches_only_the_new_articles(tmp_path: Path, live_site: SiteServer) -> None:
    site_config(tmp_path, live_site)
    old = {a.path for a in live_site.site.articles}
    first = crawl(tmp_path)
    assert article_requests(live_site, old) == old
    assert first["counts"]["articles/fetched"] == len(old)

    new = fresh_articles(2)
    live_site.site = build_site(live_site.base_url, extra=new)
    live_site.requests.clear()
    second = crawl(tmp_path)

    assert not article_requests(live_site, old), "no article of the first run is fetched again"
    new_paths = {a.path for a in new}
    assert article_requests(live_site, new_paths) == new_paths
    assert second["counts"]["articles/fetched"] == 2
    assert second["counts"]["articles/already_archived"] == len(old)
    assert archived_urls(tmp_path, second) == {live_site.base_url + p for p in new_paths}


def test_refetch_and_revisit_fetch_archived_articles_again(
    tmp_path: Path, live_site: SiteServer
) -> None:
    site_config(tmp_path, live_site)
    old = {a.path for a in live_site.site.articles}
    crawl(tmp_path)

    live_site.requests.clear()
    refetched = crawl(tmp_path, "--refetch")
    assert article_requests(live_site, old) == old, "--refetch fetches on purpose"
    assert refetched["counts"]["articles/fetched"] == len(old)

    # A tenth of a second: by the next run every archived article is due again.
    site_config(tmp_path, live_site, extra_source="revisit_after_days = 0.000001")
    live_site.requests.clear()
    revisited = crawl(tmp_path)
    assert article_requests(live_site, old) == old
    assert revisited["counts"]["articles/fetched"] == len(old)
