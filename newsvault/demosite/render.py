"""HTML templates of the demo outlets, with their boilerplate where they put it."""

from __future__ import annotations

import re
from html import escape

from newsvault.demosite.content import BUTTONS, RAILS, Article

SITE_NAME = "Demo News"
NAV = (
    '<header><nav><a href="/">Home</a> <a href="/world/">World</a> '
    '<a href="/business/">Business</a> <a href="/about/">About us</a></nav></header>'
)
FOOTER = (
    "<footer><p>© 2025 Demo News. All rights reserved.</p>"
    '<p><a href="/privacy/">Privacy</a> <a href="/terms/">Terms</a></p></footer>'
)


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def _boilerplate(lines: list[str], day: str) -> str:
    """Render a run of boilerplate lines as the outlets do: rails become link
    lists, donation buttons become buttons, the rest plain paragraphs."""
    out, in_rail = [], False
    for line in lines:
        key = line.strip().lower()
        if key in RAILS:
            out.append(("</ul>" if in_rail else "") + f'<h3 class="rail">{escape(line)}</h3><ul>')
            in_rail = True
        elif in_rail:
            href = f"/world/{day.replace('-', '/')}/{slugify(line)}/"
            out.append(f'<li><a href="{href}">{escape(line)}</a></li>')
        elif key.startswith("•"):
            section = line.strip().lstrip("•").strip()
            link = f'<a href="/{slugify(section)}/">{escape(section)}</a>'
            out.append(f'<nav class="breadcrumb">{link}</nav>')
        elif key in BUTTONS:
            out.append(f'<button type="button">{escape(line)}</button>')
        else:
            out.append(f"<p>{escape(line.strip())}</p>")
    if in_rail:
        out.append("</ul>")
    # Outlets insert these as one widget each, a block of its own inside the body.
    return '<div class="insert">' + "\n".join(out) + "</div>"


def _body(article: Article) -> str:
    """Article and boilerplate lines in reading order, all inside the body."""
    parts, run = [], []
    for label, line in article.lines:
        if label == "boilerplate":
            run.append(line)
            continue
        if run:
            parts.append(_boilerplate(run, article.day))
            run = []
        if label == "article":
            parts.append(f"<p>{escape(line)}</p>")
        elif label == "caption":
            parts.append(
                f'<figure><img src="/img/{article.slug}.jpg" alt="">'
                f"<figcaption>{escape(line)}</figcaption></figure>"
            )
    if run:
        parts.append(_boilerplate(run, article.day))
    return "\n".join(parts)


def _head(article: Article, base: str) -> str:
    author = f'<meta name="author" content="{escape(article.author)}">' if article.author else ""
    return (
        f'<head><meta charset="utf-8"><title>{escape(article.title)} | {SITE_NAME}</title>'
        f'<link rel="canonical" href="{base}{article.path}">'
        f'<meta property="og:title" content="{escape(article.title)}">'
        f'<meta property="og:site_name" content="{SITE_NAME}">'
        f'<meta property="article:published_time" content="{article.day}T09:00:00Z">'
        f"{author}</head>"
    )


def article_page(article: Article, base: str) -> str:
    byline = f'<p class="byline">By {escape(article.author)}</p>' if article.author else ""
    if article.template == "ledger":
        banner = (
            '<div class="cookie-banner"><p>We use cookies to improve your experience. '
            "Accept all cookies to continue.</p><button>Accept</button></div>"
        )
        share = (
            '<div class="share"><a href="#">Share on X</a> <a href="#">Share on Facebook</a></div>'
        )
    else:
        banner = share = ""
    return (
        f'<!doctype html><html lang="en">{_head(article, base)}<body>{banner}{NAV}'
        f"<main><article><h1>{escape(article.title)}</h1>{byline}"
        f'<time datetime="{article.day}">{article.day}</time>{share}'
        f'<div class="article-body">{_body(article)}</div></article></main>{FOOTER}</body></html>'
    )


def section_page(title: str, links: list[tuple[str, str]], next_href: str | None) -> str:
    items = "\n".join(f'<li><a href="{href}">{escape(text)}</a></li>' for href, text in links)
    nxt = f'<a rel="next" href="{next_href}">Next page</a>' if next_href else ""
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}'
        f"</title></head><body>{NAV}<main><h1>{escape(title)}</h1><ul>{items}</ul>{nxt}</main>"
        f"{FOOTER}</body></html>"
    )
