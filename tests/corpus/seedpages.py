"""The two seed pages, rendered as HTML with their boilerplate inside the article."""

from __future__ import annotations

from pathlib import Path

from tests.corpus.builder import Page, head, link

SEEDS = Path(__file__).parent / "seeds"


def _lines(name: str) -> list[tuple[str, str]]:
    rows = (SEEDS / name).read_text(encoding="utf-8").splitlines()[1:]
    return [(label, text.strip(" \u2022")) for label, text in (r.split("\t", 1) for r in rows)]


def wire_seed() -> tuple[Page, str]:
    lines = _lines("000_1f37a76e203590b0.labels.tsv")
    text = [t for _, t in lines]
    p = Page().raw(head(text[0])).raw('<main><div class="story">').line("headline", text[0], "h1")
    p.raw("<ul>").linked("boilerplate", text[1], "/world", "li").line("date", text[2], "li").raw(
        "</ul>"
    )
    p.raw('<figure><img src="/i.jpg" alt="">').line("caption", text[3], "figcaption").raw(
        "</figure>"
    )
    p.raw('<div class="body">')
    for label, t in lines[4:11]:
        p.line(label, t)
    p.linked("boilerplate", text[11], "https://whatsapp.example/channel")
    p.line("boilerplate", text[12], "h2").raw("<ul>")
    for i, t in enumerate(text[13:23]):
        p.linked("boilerplate", t, f"/world/story-{i}", "li")
    p.raw("</ul>").line("boilerplate", text[23], "h2").raw('<div class="lazy"></div>')
    p.raw("</div></div></main></body></html>")
    return p, "https://wire.example/world/iran-parliament-approves-pact"


def independent_seed() -> tuple[Page, str]:
    lines = _lines("004_ea243907ea88a8cb.labels.tsv")
    text = [t for _, t in lines]
    p = (
        Page()
        .raw(head(text[1]))
        .raw('<div class="banner">')
        .linked("boilerplate", text[0], "/contribute")
    )
    p.raw('</div><article><div class="article-inner">').line("headline", text[1], "h1")
    p.raw('<figure><img src="/i.jpg" alt="">').line("caption", text[2], "figcaption").raw(
        "</figure>"
    )
    p.raw('<div class="article__text">')
    for label, t in lines[3:15]:
        p.line(label, t)
    p.raw('<div class="nl-box">').line("boilerplate", text[15], "h3").line("boilerplate", text[16])
    p.raw('<form><input type="email" name="email"><input type="submit" value="Subscribe"></form>')
    p.line(
        "boilerplate",
        text[17],
        inner="Subscribers agree to the " + link("Privacy Policy", "/privacy"),
    )
    p.raw('</div><div class="contribution">').line("boilerplate", text[18], "h3")
    for t in text[19:25]:
        p.line("boilerplate", t)
    p.raw('<div class="options">')
    for t in text[25:28]:
        p.line("boilerplate", t, "button")
    p.raw("</div>").line("boilerplate", text[28], "button").line("boilerplate", text[29], "span")
    p.line("boilerplate", text[30], "span").linked("boilerplate", text[31], "#later", "span")
    p.raw("</div></div></div></article>").line("boilerplate", text[32], "h2")
    p.raw('<div class="related"></div></body></html>')
    return p, "https://independent.example/news/duma-ratifies-iran-treaty"
