"""A large, deterministic news site for the throughput benchmark.

``python bench/bigsite.py --pages N [--port P] [--prerender]`` serves N article pages of
150–200 KB each, an RSS feed of the newest 100 and a sitemap of all of them,
and prints its base URL on the first line of stdout once it listens.

Pages are the shape of real news pages: most of the bytes are inline scripts,
styles, JSON state and navigation; the story itself is 10–30 KB of text with
boilerplate inserted in the body (rails, newsletter boxes, donation asks).
Three templates lay the parts out differently. Pages are built from pools of
sentences and blobs made once from a fixed seed, so page ``i`` is the same
bytes in every process. By default each page is rendered on request (about
0.5 ms of CPU) and nothing is stored; ``--prerender`` renders them all before
listening (10,000 pages are 1.7 GB of HTML), so that a benchmark sharing the
machine's cores with the site does not pay for rendering.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import sys
from functools import lru_cache
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SEED = 20251124
MIN_PAGE_BYTES = 150_000
TEMPLATES = ("broadsheet", "tabloid", "wire")
FEED_ENTRIES = 100

_SYLLABLES = tuple(
    [
        "ka",
        "ro",
        "mi",
        "te",
        "sa",
        "lu",
        "no",
        "vi",
        "da",
        "re",
        "po",
        "gan",
        "tor",
        "mel",
        "sin",
        "dur",
        "bel",
        "ach",
        "ost",
        "ver",
        "pra",
        "lin",
        "qua",
        "zet",
        "hor",
        "fen",
        "mar",
        "tis",
        "col",
        "ban",
    ]
)
_COMMON = tuple(
    [
        "the",
        "of",
        "and",
        "to",
        "in",
        "a",
        "is",
        "that",
        "for",
        "on",
        "was",
        "with",
        "said",
        "by",
        "as",
        "at",
        "from",
        "his",
        "her",
        "government",
        "minister",
        "officials",
        "report",
        "week",
        "year",
        "people",
        "city",
        "would",
        "could",
        "after",
        "before",
        "while",
        "during",
        "under",
        "between",
        "against",
        "parliament",
        "court",
        "police",
        "company",
        "market",
        "prices",
        "agreement",
        "talks",
        "statement",
        "according",
        "told",
    ]
)
_RAILS = ("Most read", "Read more", "Others also read", "Next in World")
_ASKS = (
    "Sign up for our morning newsletter and get the day's top stories.",
    "Support independent journalism. Donate once, monthly or annually.",
    "You have 3 free articles left this month. Subscribe for unlimited access.",
    "Follow us on social media for breaking news alerts.",
)


def _word(rng: random.Random) -> str:
    if rng.random() < 0.6:
        return rng.choice(_COMMON)
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 3)))


def _sentence(rng: random.Random) -> str:
    words = [_word(rng) for _ in range(rng.randint(8, 26))]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def _blob(rng: random.Random, size: int) -> str:
    """Inline script state: JSON-like bytes that extraction must skip over."""
    parts, length = [], 0
    while length < size:
        key = "".join(rng.choice(_SYLLABLES) for _ in range(3))
        part = f'"{key}{rng.randint(0, 9999)}":{{"id":{rng.randint(0, 10**9)},"v":"{_word(rng)}"}},'
        parts.append(part)
        length += len(part)
    return "".join(parts)


class Pools:
    """Everything pages are assembled from, built once from the seed."""

    def __init__(self) -> None:
        rng = random.Random(SEED)
        self.sentences = [_sentence(rng) for _ in range(4000)]
        self.headlines = [" ".join(_word(rng) for _ in range(8)).capitalize() for _ in range(500)]
        self.blobs = [_blob(rng, 12_000) for _ in range(120)]
        self.authors = [f"{_word(rng).title()} {_word(rng).title()}" for _ in range(60)]
        sections = ("world", "business", "politics", "science", "sport", "culture", "opinion")
        self.nav = "".join(
            f'<li><a href="/{s}/{sub}/">{s.title()} {sub}</a></li>'
            for s in sections
            for sub in range(40)
        )
        self.footer = "".join(
            f'<a href="/corp/{i}/">{self.headlines[i][:24]}</a> ' for i in range(300)
        )
        self.css = "".join(
            f".c{i}{{margin:{i % 7}px;padding:{i % 5}px;color:#{i * 2654435761 % 0xFFFFFF:06x}}}"
            for i in range(900)
        )


@lru_cache(maxsize=1)
def pools() -> Pools:
    return Pools()


def article_path(index: int) -> str:
    day = 1 + index % 28
    return f"/news/2025/05/{day:02d}/story-{index:06d}/"


def _title(index: int) -> str:
    return f"{pools().headlines[index % 500]} {index}"


def _insert(rng: random.Random, index: int) -> str:
    """One boilerplate widget inside the story body."""
    if rng.random() < 0.5:
        links = "".join(
            f'<li><a href="{article_path((index + k * 37) % 100_000)}">'
            f"{escape(_title(index + k))}</a></li>"
            for k in range(1, 6)
        )
        return f'<aside class="rail"><h3>{rng.choice(_RAILS)}</h3><ul>{links}</ul></aside>'
    return f'<div class="ask"><p>{rng.choice(_ASKS)}</p><button>Continue</button></div>'


def _story(rng: random.Random, index: int) -> str:
    p = pools()
    parts = []
    for n in range(rng.randint(12, 30)):
        text = " ".join(rng.choice(p.sentences) for _ in range(rng.randint(3, 7)))
        parts.append(f"<p>{escape(text)}</p>")
        if n % 6 == 5:
            parts.append(_insert(rng, index))
    return "\n".join(parts)


def _head(index: int, rng: random.Random, author: str) -> str:
    title = escape(_title(index))
    day = article_path(index).split("/")[4]
    ld = (
        '{"@context":"https://schema.org","@type":"NewsArticle",'
        f'"headline":"{title}","datePublished":"2025-05-{day}T09:00:00Z",'
        f'"author":{{"@type":"Person","name":"{author}"}},'
        '"publisher":{"@type":"Organization","name":"Big News"}}'
    )
    return (
        f'<head><meta charset="utf-8"><title>{title} | Big News</title>'
        f'<meta property="og:title" content="{title}">'
        '<meta property="og:site_name" content="Big News">'
        f'<meta name="author" content="{author}">'
        f'<script type="application/ld+json">{ld}</script>'
        f"<style>{pools().css}</style></head>"
    )


def article_html(index: int) -> bytes:
    """Page ``index``: the same bytes in every process."""
    p = pools()
    rng = random.Random(SEED * 1_000_003 + index)
    template = TEMPLATES[index % len(TEMPLATES)]
    author = rng.choice(p.authors)
    blocks = [f"<script>window.__s{k}={{{rng.choice(p.blobs)}}};</script>" for k in range(9)]
    scripts = "".join(blocks)
    nav = f'<header><nav class="{template}-nav"><ul>{p.nav}</ul></nav></header>'
    body = (
        f'<article class="{template}"><h1>{escape(_title(index))}</h1>'
        f'<p class="byline">By {author}</p><time datetime="2025-05-01">1 May 2025</time>'
        f'<div class="article-body">{_story(rng, index)}</div></article>'
    )
    footer = f"<footer>{p.footer}<p>© 2025 Big News. All rights reserved.</p></footer>"
    if template == "tabloid":
        before, after = "".join(blocks[:4]), "".join(blocks[4:])
        layout = f"{nav}{before}<main>{body}</main>{after}"
    elif template == "wire":
        layout = f"<main>{body}</main>{nav}{scripts}"
    else:
        layout = f"{nav}<main>{body}<aside>{_insert(rng, index)}</aside></main>{scripts}"
    html = f'<!doctype html><html lang="en">{_head(index, rng, author)}<body>{layout}{footer}'
    pad = MIN_PAGE_BYTES - len(html)
    if pad > 0:  # a long template may fall short; top it up with more script state
        html += f"<script>window.__pad={{{p.blobs[index % 120][:pad]}}};</script>"
    return (html + "</body></html>").encode("utf-8")


def rss(base: str, pages: int) -> bytes:
    items = "".join(
        f"<item><title>{escape(_title(i))}</title><link>{base}{article_path(i)}</link></item>"
        for i in range(max(0, pages - FEED_ENTRIES), pages)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Big News</title><link>{base}/</link>{items}</channel></rss>"
    ).encode()


def sitemap(base: str, pages: int) -> bytes:
    urls = "".join(f"<url><loc>{base}{article_path(i)}</loc></url>" for i in range(pages))
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    ).encode()


CRAWL_CONFIG = """
[storage]
url = "file://{archive}"
[state]
dir = "state"
[crawl]
download_delay = 0.0
autothrottle = false
concurrent_requests = {concurrency}
concurrent_requests_per_domain = {concurrency}
user_agent = "newsvault-bench"
allow_private_hosts = ["{hostport}"]
{extra}
[sources.big]
name = "Big News"
feeds = ["{base}/rss.xml"]
sitemaps = ["{base}/sitemap.xml"]
allowed_domains = ["127.0.0.1"]
article_pattern = '/news/\\d{{4}}/\\d{{2}}/\\d{{2}}/'
"""


def crawl_config(base: str, concurrency: int, archive: object = "archive", extra: str = "") -> str:
    """A newsvault config crawling this site as fast as it serves; ``extra``: more [crawl] keys."""
    hostport = base.removeprefix("http://")
    return CRAWL_CONFIG.format(
        base=base, hostport=hostport, concurrency=concurrency, archive=archive, extra=extra
    )


def page_index(path: str) -> int | None:
    if not path.startswith("/news/") or "/story-" not in path:
        return None
    try:
        index = int(path.rstrip("/").rsplit("-", 1)[1])
    except ValueError:
        return None
    return index if path == article_path(index) else None


class BigSiteHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: BigSiteServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        if self.path in self.server.fixed:
            body, ctype = self.server.fixed[self.path]
            self._send(200, body, ctype)
            return
        index = page_index(self.path)
        if index is None or index >= self.server.pages:
            self._send(404, b"not found", "text/plain")
            return
        page = self.server.rendered[index] if self.server.rendered else article_html(index)
        self._send(200, page, "text/html; charset=utf-8")

    def _send(self, status: int, body: bytes, ctype: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class BigSiteServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, pages: int, port: int = 0, prerender: bool = False) -> None:
        super().__init__(("127.0.0.1", port), BigSiteHandler)
        self.pages = pages
        # A real site renders on other machines; rendered here, the pages would take
        # CPU from the crawl being measured on the same cores.
        self.rendered = [article_html(i) for i in range(pages)] if prerender else []
        # built once: a 10,000-entry sitemap costs milliseconds, too much per request
        self.fixed = {
            "/robots.txt": (b"User-agent: *\nAllow: /\n", "text/plain"),
            "/rss.xml": (rss(self.base_url, pages), "application/rss+xml"),
            "/sitemap.xml": (sitemap(self.base_url, pages), "application/xml"),
        }

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/bigsite.py")
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument(
        "--prerender",
        action="store_true",
        help="render every page before listening (about 175 MB a thousand pages),"
        " so serving costs little CPU",
    )
    args = parser.parse_args(argv)
    pools()  # build before announcing the URL, so the first requests are not slow
    server = BigSiteServer(args.pages, args.port, args.prerender)
    print(server.base_url, flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
