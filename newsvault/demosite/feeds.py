"""RSS 2.0, Atom, sitemap index, news sitemap and robots.txt of the demo site."""

from __future__ import annotations

from html import escape

from newsvault.demosite.content import Article


def rss(articles: list[Article], base: str) -> str:
    items = "".join(
        f"<item><title>{escape(a.title)}</title><link>{base}{a.path}</link>"
        f"<guid>{base}{a.path}</guid><pubDate>{a.day}</pubDate></item>"
        for a in articles
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Demo News</title><link>{base}/</link><description>Latest</description>"
        f"{items}</channel></rss>"
    )


def atom(articles: list[Article], base: str) -> str:
    entries = "".join(
        f'<entry><title>{escape(a.title)}</title><link rel="alternate" href="{base}{a.path}"/>'
        f"<id>{base}{a.path}</id><updated>{a.day}T09:00:00Z</updated></entry>"
        for a in articles
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Demo News business</title><id>{base}/atom.xml</id>"
        f"<updated>2025-05-25T09:00:00Z</updated>{entries}</feed>"
    )


def sitemap_index(children: list[str], base: str) -> str:
    items = "".join(f"<sitemap><loc>{base}{c}</loc></sitemap>" for c in children)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}</sitemapindex>'
    )


def news_sitemap(articles: list[Article], base: str) -> str:
    items = "".join(
        f"<url><loc>{base}{a.path}</loc><news:news><news:publication>"
        f"<news:name>Demo News</news:name><news:language>en</news:language></news:publication>"
        f"<news:publication_date>{a.day}</news:publication_date>"
        f"<news:title>{escape(a.title)}</news:title></news:news></url>"
        for a in articles
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{items}</urlset>'
    )


def plain_sitemap(paths: list[str], base: str) -> str:
    items = "".join(f"<url><loc>{base}{p}</loc></url>" for p in paths)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}</urlset>'
    )


def robots(base: str) -> str:
    return f"User-agent: *\nDisallow: /private/\n\nSitemap: {base}/sitemap-index.xml\n"
