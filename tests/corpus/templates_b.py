# ruff: noqa: E501  -- boilerplate prose reads better unwrapped
"""Outlet templates: a broadcaster, a business site, a European outlet, a plain site."""

from __future__ import annotations

from tests.corpus.builder import Page, head, iso_date, json_ld, link, og_tags, paragraph_with_link
from tests.corpus.templates_a import Ctx


def signal(ctx: Ctx) -> Page:
    s = ctx.story
    p = Page().raw(head(s.headline)).raw('<div id="root"><div class="pg"><div class="x1">')
    p.line("headline", s.headline, "h1")
    p.line("date", s.date, "time", f' datetime="{iso_date(s.date)}T07:00:00Z"')
    p.raw('<div class="s">')
    for name in ("Facebook", "X", "WhatsApp", "Email"):
        p.linked("boilerplate", name, f"https://share.example/{name.lower()}", "span")
    p.raw('</div><div class="x2">')
    for i, para in enumerate(s.paragraphs):
        inner = paragraph_with_link(para, f"https://{ctx.domain}/topics/{i}") if i == 2 else ""
        p.line("article", para, inner=inner)
        if i == 1:
            p.raw('<div class="x3">').line(
                "boilerplate",
                "Listen: Signal Briefing, our daily podcast, explains the biggest story of the day "
                "in twenty minutes. Find it wherever you get your podcasts.",
            ).raw("</div>")
    if s.credit:
        p.line("article", s.credit)
    p.line("boilerplate", "Related coverage", attrs=' class="x4"')
    for title, href in ctx.rail(3):
        p.linked("boilerplate", title, href)
    p.line(
        "boilerplate",
        "Download the Northern Signal app for the latest news, live radio and alerts.",
    )
    p.line(
        "boilerplate",
        "Follow the Signal on Facebook, X and Instagram.",
        inner="Follow the Signal on "
        + ", ".join(link(n, "#") for n in ("Facebook", "X"))
        + " and "
        + link("Instagram", "#")
        + ".",
    )
    return p.raw("</div></div></div></div></body></html>")


def meridian(ctx: Ctx) -> Page:
    s = ctx.story
    ld = json_ld(s, ctx.site, ctx.url, iso_date(s.date), ["Hanne Lykke", "Omar Bastien"])
    p = (
        Page()
        .raw(head(f"{s.headline} | {ctx.site}", extra=ld))
        .raw('<div class="layout"><article>')
    )
    p.line("headline", s.headline, "h1")
    p.line(
        "boilerplate",
        "This article is free to read for registered users. Sign in or create a free account.",
        inner="This article is free to read for registered users. "
        + link("Sign in", "/login")
        + " or "
        + link("create a free account", "/register")
        + ".",
    )
    p.line("date", f"Hanne Lykke and Omar Bastien, {s.date}", "div", ' class="m"')
    p.raw('<ul class="kp">')
    for para in s.paragraphs[:2]:  # key points repeat the top of the story, no links
        p.line("article", para.split(". ")[0].rstrip(".") + ".", "li")
    p.raw('</ul><div class="body">')
    for i, para in enumerate(s.paragraphs):
        p.line("article", para)
        if i == len(s.paragraphs) // 2:
            p.line(
                "boilerplate",
                "Sign up for Morning Markets, our free daily briefing on what moves money, delivered to your inbox before the opening bell.",
                inner="<em>Sign up for Morning Markets, our free daily briefing on what moves money, delivered to your inbox before the opening bell.</em>",
            )
    if s.credit:
        p.line("article", s.credit)
    p.raw("</div>").line("boilerplate", "Share this article", "h5").raw('<div class="sh">')
    for name in ("LinkedIn", "Email", "Copy link"):
        p.linked("boilerplate", name, "#", "span")
    p.raw("</div>").line(
        "boilerplate", f"Topics: {s.section.title()}, Economy", "div", ' class="t"'
    )
    p.line("boilerplate", f"More from {s.section.title()}", "h3").raw('<div class="grid">')
    for title, href in ctx.rail(3, shift=4):
        p.raw('<div class="tile"><img src="/t.jpg" alt="">').linked(
            "boilerplate", title, href, "h4"
        )
        p.line(
            "boilerplate", f"What the latest figures show and why it matters for {s.section}.", "p"
        ).raw("</div>")
    return p.raw("</div></article></div></body></html>")


def alpine(ctx: Ctx) -> Page:
    s = ctx.story
    p = Page().raw(head(s.headline, "en-GB", og_tags(s, ctx.site, ctx.url, iso_date(s.date))))
    p.raw('<main class="m"><div class="cc">')
    p.line(
        "boilerplate",
        "We care about your privacy. We and our partners use cookies to store and access information on your device.",
    )
    p.linked("boilerplate", "Accept all", "#ok", "span").linked(
        "boilerplate", "Manage preferences", "#prefs", "span"
    )
    p.raw('</div><div class="art">').line("headline", s.headline, "h1").line(
        "date", s.date, "p", ' class="d"'
    )
    p.raw('<figure><img src="/a.jpg" alt="">').line("caption", s.caption, "figcaption").raw(
        "</figure>"
    )
    also = ctx.rail(2, shift=5)
    for i, para in enumerate(s.paragraphs):
        p.line("article", para)
        if i == 0:
            p.line("boilerplate", "Advertisement", "p", ' class="lbl"')
        if i == 2 and ctx.n % 3:
            title, href = also[0]
            p.line("boilerplate", f"Also read: {title}", inner="Also read: " + link(title, href))
    if s.credit:
        p.line("article", s.credit)
    p.raw('<section class="box">').line("boilerplate", "Independent journalism from the Alps", "h4")
    p.line(
        "boilerplate",
        f"{ctx.site} is funded by its readers. No billionaire owner, no paywall. Become a member from \u20ac5 a month and help keep our reporting free for everyone.",
    )
    p.linked("boilerplate", "Become a member", "/membership").raw("</section>")
    p.line("boilerplate", "Trending now", "h3").raw("<div>")
    for title, href in ctx.rail(4, shift=1):
        p.raw("<div>").linked("boilerplate", title, href, "div").raw("</div>")
    return p.raw("</div></div></main></body></html>")


def plain(ctx: Ctx) -> Page:
    s = ctx.story
    p = Page().raw(head(s.headline)).raw("<article>").line("headline", s.headline, "h1")
    p.line("date", s.date, "p")
    for para in s.paragraphs:
        p.line("article", para)
    if s.credit:
        p.line("article", s.credit)
    return p.raw("</article></body></html>")
