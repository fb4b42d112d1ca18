# ruff: noqa: E501  -- boilerplate prose reads better unwrapped
"""Outlet templates: a wire-story site, a reader-funded outlet and a metro daily."""

from __future__ import annotations

from dataclasses import dataclass

from tests.corpus.builder import Page, head, iso_date, json_ld, link, og_tags, paragraph_with_link
from tests.corpus.stories import Story


@dataclass(frozen=True)
class Ctx:
    domain: str
    site: str
    n: int  # page number within the outlet, varies placements
    story: Story
    others: tuple[tuple[str, str], ...]  # (headline, url) of other pages

    @property
    def url(self) -> str:
        return f"https://{self.domain}/{self.story.section}/{self.story.slug}"

    def rail(self, count: int, shift: int = 0) -> list[tuple[str, str]]:
        k = len(self.others)
        return [self.others[(self.n * 3 + shift + i) % k] for i in range(count)]


def _nav(page: Page, items: list[str], domain: str) -> None:
    page.raw('<header class="top"><nav><ul>')
    for item in items:
        page.linked("boilerplate", item, f"https://{domain}/{item.lower()}", tag="li")
    page.raw("</ul></nav></header>")


def gulfwire(ctx: Ctx) -> Page:
    s = ctx.story
    p = Page().raw(
        head(f"{s.headline} - {ctx.site}", extra=og_tags(s, ctx.site, ctx.url, iso_date(s.date)))
    )
    _nav(p, ["Home", "World", "Business", "Sport"], ctx.domain)
    p.raw('<main><div class="story-wrap">').line("headline", s.headline, "h1")
    p.raw('<ul class="story-meta">').linked("boilerplate", s.section.title(), f"/{s.section}", "li")
    p.line("date", s.date, "li").raw("</ul>")
    p.raw('<figure><img src="/img/lead.jpg" alt="">').line("caption", s.caption, "figcaption").raw(
        "</figure>"
    )
    p.raw('<div class="story-body">')
    for i, para in enumerate(s.paragraphs):
        inner = paragraph_with_link(para, f"/{s.section}/topic-{i}") if i == 1 else ""
        p.line("article", para, inner=inner)
    if s.credit:
        p.line("article", s.credit)
    follow = "Follow us on our official WhatsApp channel for breaking news alerts and key updates!"
    inner = follow.replace("WhatsApp channel", link("WhatsApp channel", "https://wa.example/gw"))
    p.line("boilerplate", follow, inner=inner)
    p.line("boilerplate", f"Next In {s.section.title()}", "h2").raw('<div class="nx">')
    for title, href in ctx.rail(6 + ctx.n % 4):
        p.raw(f'<div class="nx-i"><a href="{href}">').line("boilerplate", title, "h3").raw(
            "</a></div>"
        )
    p.raw("</div>").line("boilerplate", "Others Also Read", "h2").raw('<div class="oar">')
    if ctx.n % 2:  # the second rail is filled in on some pages only
        for title, href in ctx.rail(3, shift=7):
            p.raw('<div class="c"><img src="/t.jpg" alt="">').linked(
                "boilerplate", title, href, "h4"
            )
            p.raw("</div>")
    p.raw("</div></div></div></main>")
    p.raw("<footer>").line("boilerplate", f"\u00a9 2025 {ctx.site}. All rights reserved.")
    return p.raw("</footer></body></html>")


NEWSLETTER_BLURB = (
    "Our weekly newsletter brings you a hand-picked selection of reporting, features and "
    "analysis from {site}, in your mailbox every Friday."
)
APPEAL = (
    "Dear readers,",
    "For twelve years {site} has reported on the Volga region without fear or favour. "
    "In that time two of our reporters have been detained and our website has been blocked twice.",
    "We do not have an owner who can cover our costs, and we will never put our journalism behind a paywall.",
    "Every contribution, however small, keeps an independent newsroom going. "
    "If you can, please support us with a monthly gift from just $3.",
    "Thank you for standing with us.",
)


def volga(ctx: Ctx) -> Page:
    s = ctx.story
    authors = ["Irina Stolz"] if ctx.n % 2 else ["Irina Stolz", "Pavel Rusk"]
    ld = json_ld(s, ctx.site, ctx.url, iso_date(s.date) + "T09:30:00+03:00", authors)
    p = Page().raw(head(s.headline, extra=ld)).raw('<div class="bar">')
    p.linked("boilerplate", f"Support {ctx.site}!", f"https://{ctx.domain}/contribute")
    p.raw('</div><div class="container"><article class="article">')
    p.line("headline", s.headline, "h1").raw('<div class="article__byline">')
    p.line("date", f"By {' and '.join(authors)}", "span").raw("</div>")
    p.raw('<figure><img src="/x.jpg" alt="">').line("caption", s.caption, "figcaption").raw(
        "</figure>"
    )
    p.raw('<div class="article__content">')
    for para in s.paragraphs:
        p.line("article", para)
    if s.credit:
        p.line("article", s.credit)
    p.raw('<div class="box box--nl">').line(
        "boilerplate", "Sign up for our free weekly newsletter", "h3"
    )
    p.line("boilerplate", NEWSLETTER_BLURB.format(site=ctx.site))
    p.raw('<form action="/nl"><input type="email" name="e"> ')
    p.line("boilerplate", "Subscribe", "button").raw("</form>")
    p.line(
        "boilerplate",
        "Subscribers agree to the Privacy Policy",
        inner="Subscribers agree to the " + link("Privacy Policy", "/privacy"),
    )
    p.raw("</div>").raw('<div class="box box--c">').line(
        "boilerplate", f"A message from {ctx.site}:", "h3"
    )
    for para in APPEAL:
        p.line("boilerplate", para.format(site=ctx.site))
    p.raw('<div class="amounts">')
    for word in ("Once", "Monthly", "Annual"):
        p.line("boilerplate", word, "button")
    p.raw("</div>").line("boilerplate", "Continue", "button")
    p.line("boilerplate", "Not ready to support today?", "span").raw(" ")
    p.linked("boilerplate", "Remind me later.", "#later", "span").raw("</div></div></article>")
    p.raw('<section class="more">').line("boilerplate", "Read more", "h2")
    for title, href in ctx.rail(4):
        p.raw(f'<div class="card"><a href="{href}"><img src="/c.jpg" alt=""></a>')
        p.linked("boilerplate", title, href, "h3").raw("</div>")
    return p.raw("</section></div></body></html>")


def harbor(ctx: Ctx) -> Page:
    s = ctx.story
    meta = '<meta name="author" content="Dana Whitcombe">'
    p = Page().raw(head(f"{s.headline} | {ctx.site}", extra=meta)).raw("<main><article>")
    left = 1 + ctx.n % 3
    p.raw('<div class="meter">').line(
        "boilerplate",
        f"You have {left} free articles left this month. Subscribe for $1 a week.",
        inner=f"You have {left} free articles left this month. "
        + link("Subscribe for $1 a week.", "/subscribe"),
    ).raw("</div>")
    p.line("headline", s.headline, "h1").line(
        "date", f"Dana Whitcombe \u00b7 {s.date}", "div", ' class="by"'
    )
    p.raw('<div class="tools">')
    for word in ("Share", "Tweet", "Email"):
        p.line("boilerplate", word, "button")
    p.raw('</div><figure><img src="/p.jpg" alt="">').line("caption", s.caption, "figcaption").raw(
        "</figure>"
    )
    teasers = ctx.rail(2, shift=1)
    for i, para in enumerate(s.paragraphs):
        p.line("article", para)
        if i == 1 + ctx.n % 2:
            p.raw('<div class="slot-b">').line("boilerplate", "Advertisement", "span").raw("</div>")
        if i == 2:
            title, href = teasers[0]
            p.line(
                "boilerplate",
                f"Read more: {title}",
                inner=f"<strong>Read more:</strong> {link(title, href)}",
            )
    if s.credit:
        p.line("article", s.credit)
    p.raw('<aside class="col">').line("boilerplate", "Most read", "h3").raw("<ol>")
    for title, href in ctx.rail(5, shift=2):
        p.linked("boilerplate", title, href, "li")
    p.raw("</ol></aside>").raw('<div id="consent">')
    p.line(
        "boilerplate", "We use cookies to personalise content and ads and to analyse our traffic."
    )
    p.line("boilerplate", "Accept all", "button").line("boilerplate", "Manage settings", "button")
    return p.raw("</div></article></main></body></html>")
