"""``newsvault demo``: serve the bundled demo site and crawl it, offline."""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys

from newsvault import app
from newsvault.batchjob import become_batch_job
from newsvault.config import Config, Source
from newsvault.demosite.server import SiteServer
from newsvault.demosite.site import build_site
from newsvault.summary import print_summary


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("demo", help="crawl the bundled offline demo site")
    parser.add_argument("--port", type=int, default=0, help="port for the demo site (default: any)")
    parser.set_defaults(func=run)


def demo_source(base: str) -> Source:
    return Source(
        key="demo",
        name="Demo News",
        allowed_domains=("127.0.0.1",),
        article_pattern=re.compile(r"/\d{4}/\d{2}/\d{2}/"),
        feeds=(f"{base}/rss.xml", f"{base}/atom.xml"),
        sitemaps=(f"{base}/robots.txt",),
        start_urls=(f"{base}/world/",),
    )


def demo_config(args: argparse.Namespace, base: str, host: str) -> Config:
    """The user's storage and state settings, with the demo site as the only source."""
    config = app.load(args)
    crawl = dataclasses.replace(
        config.crawl,
        allow_private_hosts=(host,),
        download_delay=0.05,
        autothrottle=False,
        concurrent_requests_per_domain=4,
    )
    return dataclasses.replace(config, crawl=crawl, sources={"demo": demo_source(base)})


def run(args: argparse.Namespace) -> int:
    become_batch_job()
    server = SiteServer(None, "127.0.0.1", args.port)
    server.site = build_site(server.base_url)
    server.start()
    host = server.base_url.removeprefix("http://")
    config = demo_config(args, server.base_url, host)
    print(f"demo site at {server.base_url}, archiving into {config.storage_url}", file=sys.stderr)
    from newsvault.crawl import run_crawl  # Scrapy: imported by the commands that crawl

    try:
        result = run_crawl(config, [config.sources["demo"]])
    finally:
        server.shutdown()
    print_summary(result)
    print("next: newsvault pull --out out/   (clean articles as JSON Lines)", file=sys.stderr)
    return 0 if result.ok else 1
