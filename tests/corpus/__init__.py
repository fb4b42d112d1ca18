"""Labelled corpus of news pages with in-body boilerplate, built deterministically.

``pages()`` renders every page in memory: seven fictional outlets, each with its
own template and boilerplate placement, plus the two seed pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from tests.corpus.builder import Page
from tests.corpus.seedpages import independent_seed, wire_seed
from tests.corpus.stories import OTHER_HEADLINES, STORIES
from tests.corpus.templates_a import Ctx, gulfwire, harbor, volga
from tests.corpus.templates_b import alpine, meridian, plain, signal

LABELS = ("headline", "date", "caption", "article", "boilerplate")
PAGES_PER_OUTLET = 10
CLEAN_OUTLET = "plain"  # pages without any boilerplate in the story


@dataclass(frozen=True)
class CorpusPage:
    outlet: str
    slug: str
    html: str
    url: str
    labels: list[tuple[str, str]]

    def lines(self, label: str) -> list[str]:
        return [text for lab, text in self.labels if lab == label]


Template = Callable[[Ctx], Page]
OUTLETS: tuple[tuple[str, str, str, Template, int], ...] = (
    ("gulfwire", "gulfwire.example", "Gulf Wire Daily", gulfwire, PAGES_PER_OUTLET),
    ("volga", "volgaledger.example", "The Volga Ledger", volga, PAGES_PER_OUTLET),
    ("harbor", "harborchronicle.example", "Harbor City Chronicle", harbor, PAGES_PER_OUTLET),
    ("signal", "northernsignal.example", "The Northern Signal", signal, PAGES_PER_OUTLET),
    ("meridian", "meridianreview.example", "Meridian Business Review", meridian, PAGES_PER_OUTLET),
    ("alpine", "alpinecourier.example", "The Alpine Courier", alpine, PAGES_PER_OUTLET),
    (CLEAN_OUTLET, "plaingazette.example", "Plain Gazette", plain, 5),
)


def _outlet_pages(
    index: int, name: str, domain: str, site: str, render: Template, count: int
) -> list[CorpusPage]:
    # Each outlet covers its own run of stories; outlets overlap as real ones do.
    stories = [STORIES[(index * 4 + k) % len(STORIES)] for k in range(count)]
    others = tuple(
        [(s.headline, f"https://{domain}/{s.section}/{s.slug}") for s in stories]
        + [(h, f"https://{domain}/news/{i}") for i, h in enumerate(OTHER_HEADLINES)]
    )
    result = []
    for n, story in enumerate(stories):
        ctx = Ctx(domain, site, n, story, tuple(o for o in others if o[0] != story.headline))
        page = render(ctx)
        result.append(CorpusPage(name, story.slug, page.html(), ctx.url, page.labels))
    return result


@lru_cache(maxsize=1)
def _all_pages() -> tuple[CorpusPage, ...]:
    result: list[CorpusPage] = []
    for index, (name, domain, site, render, count) in enumerate(OUTLETS):
        result.extend(_outlet_pages(index, name, domain, site, render, count))
    for slug, seed in (("wire", wire_seed), ("independent", independent_seed)):
        page, url = seed()
        result.append(CorpusPage("seeds", slug, page.html(), url, page.labels))
    return tuple(result)


def pages() -> list[CorpusPage]:
    """Every corpus page, in a stable order."""
    return list(_all_pages())
