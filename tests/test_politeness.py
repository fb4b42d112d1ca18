"""robots.txt under concurrency, its error policy, and the egress check."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsvault.demosite.server import SiteServer
from newsvault.demosite.site import Page, Site
from spiders.egress import is_public
from tests.conftest import run_cli, write_site_config

ARTICLE = (
    b"<html><body><article><h1>T</h1><p>"
    + b"Some article text here. " * 30
    + b"</p></article></body></html>"
)


def serve(pages: dict[str, Page]) -> SiteServer:
    server = SiteServer(None)
    server.site = Site(server.base_url, [], pages)
    server.start()
    return server


@pytest.fixture
def servers() -> Iterator[list[SiteServer]]:
    started: list[SiteServer] = []
    yield started
    for server in started:
        server.shutdown()
        server.server_close()


def config(
    work: Path, server: SiteServer, *, start_urls: tuple[str, ...] = (), feeds: tuple[str, ...] = ()
) -> None:
    source = f"""
[sources.s]
name = "S"
feeds = {json.dumps(list(feeds))}
start_urls = {json.dumps(list(start_urls))}
allowed_domains = ["127.0.0.1", "localhost"]
article_pattern = '/20\\d\\d/'
"""
    write_site_config(
        work / "nv.toml",
        server.base_url,
        source,
        concurrent_requests_per_domain=8,
        extract_workers=1,
    )


def counts(work: Path) -> dict[str, int]:
    manifest = next((work / "archive" / "runs").rglob("*.json"))
    return json.loads(manifest.read_text())["counts"]  # type: ignore[no-any-return]


def test_robots_disallow_holds_for_many_waiting_requests(
    tmp_path: Path, servers: list[SiteServer]
) -> None:
    pages = {"/robots.txt": Page(b"User-agent: *\nDisallow: /private/\n", "text/plain")}
    private = [f"/private/{n}/" for n in range(6)]
    for path in [*private, "/world/"]:
        pages[path] = Page(b"<html><body><a href='/2025/a/'>a</a></body></html>")
    pages["/2025/a/"] = Page(ARTICLE)
    server = serve(pages)
    servers.append(server)
    config(tmp_path, server, start_urls=tuple(server.base_url + p for p in [*private, "/world/"]))
    result = run_cli(["--config", "nv.toml", "crawl", "s"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert not [p for p in server.requests if p.startswith("/private/")]
    assert "/2025/a/" in server.requests
    assert counts(tmp_path)["robotstxt/forbidden"] == len(private)


@pytest.mark.parametrize(("status", "allowed"), [(500, False), (503, False), (404, True)])
def test_robots_error_policy(
    tmp_path: Path, servers: list[SiteServer], status: int, allowed: bool
) -> None:
    pages = {
        "/robots.txt": Page(b"oops", "text/plain", status=status),
        "/world/": Page(b"<html><body><a href='/2025/a/'>a</a></body></html>"),
        "/2025/a/": Page(ARTICLE),
    }
    server = serve(pages)
    servers.append(server)
    config(tmp_path, server, start_urls=(server.base_url + "/world/",))
    run_cli(["--config", "nv.toml", "crawl", "s"], cwd=tmp_path)
    fetched = set(server.requests) - {"/robots.txt"}
    assert bool(fetched) is allowed, server.requests


def test_egress_check_blocks_redirects_to_private_services(
    tmp_path: Path, servers: list[SiteServer]
) -> None:
    private = serve({"/2025/secret/": Page(ARTICLE)})
    servers.append(private)
    port = private.base_url.rsplit(":", 1)[1]
    targets = [
        f"http://127.0.0.1:{port}/2025/secret/",
        f"http://localhost:{port}/2025/secret/",
        "file:///etc/passwd",
    ]
    pages = {
        f"/2025/r{n}/": Page(b"", status=302, headers=(("Location", t),))
        for n, t in enumerate(targets)
    }
    pages["/2025/ok/"] = Page(ARTICLE)
    site = serve(pages)
    servers.append(site)
    links = "".join(f"<item><link>{site.base_url}{p}</link></item>" for p in pages)
    site.site.pages["/rss.xml"] = Page(
        f"<rss><channel>{links}</channel></rss>".encode(), "application/rss+xml"
    )
    config(tmp_path, site, feeds=(site.base_url + "/rss.xml",))
    result = run_cli(["--config", "nv.toml", "crawl", "s"], cwd=tmp_path)
    assert private.requests == [], "a private service was reached through a redirect"
    assert "/2025/ok/" in site.requests
    assert counts(tmp_path).get("egress/refused", 0) >= 2, result.stderr


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.9", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("::1", False),
        ("fd00::1", False),
        ("224.0.0.1", False),
        ("0.0.0.0", False),
        ("93.184.216.34", True),
        ("2606:4700::1111", True),
    ],
)
def test_is_public(address: str, public: bool) -> None:
    assert is_public(address) is public
