"""Score extracted text against labelled lines; shared by the tests and the benchmark."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from pipelines.cleaning import CleaningRules, SiteProfile
from pipelines.cleaning.extract import extract, run_trafilatura, text_blocks
from tests.corpus import CorpusPage

_BULLETS = re.compile(r"^[\s\-\u2022*\u00b7|]+")
_EDGE_PUNCT = ".:!?,;\u2026 "
SHORT_LINE_WORDS = 3


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    return " ".join(_BULLETS.sub("", text).split())


def line_found(line: str, extracted: Sequence[str]) -> bool:
    """Whether a labelled line survives in the extracted lines.

    Long lines count when they appear anywhere in the joined text, so it does not
    matter whether the extractor joined or split paragraphs. Short lines ("Once",
    "World") must equal a whole extracted line, or every story would "leak" them.
    """
    target = normalise(line)
    if not target:
        return False
    lines = [normalise(e) for e in extracted]
    if len(target.split()) <= SHORT_LINE_WORDS:
        bare = target.strip(_EDGE_PUNCT)
        return any(e.strip(_EDGE_PUNCT) == bare for e in lines)
    return target in " ".join(lines)


@dataclass
class Score:
    article: int = 0
    kept: int = 0
    boilerplate: int = 0
    leaked: int = 0
    missing_lines: list[str] = field(default_factory=list)
    leaked_lines: list[str] = field(default_factory=list)

    def add(self, page: CorpusPage, extracted: Sequence[str]) -> None:
        for label, text in page.labels:
            found = line_found(text, extracted)
            if label == "article":
                self.article += 1
                self.kept += found
                if not found:
                    self.missing_lines.append(f"{page.outlet}/{page.slug}: {text}")
            elif label == "boilerplate":
                self.boilerplate += 1
                self.leaked += found
                if found:
                    self.leaked_lines.append(f"{page.outlet}/{page.slug}: {text}")

    @property
    def kept_share(self) -> float:
        return self.kept / self.article if self.article else 1.0

    @property
    def leaked_share(self) -> float:
        return self.leaked / self.boilerplate if self.boilerplate else 0.0


def trafilatura_blocks(page: CorpusPage) -> list[str]:
    return text_blocks(run_trafilatura(page.html, page.url))


def newsvault_blocks(pages: Iterable[CorpusPage], rules: CleaningRules) -> dict[str, list[str]]:
    """Clean every page as the crawl does: extract, observe per outlet, then filter."""
    blocks: dict[str, list[str]] = {}
    by_outlet: dict[str, list[CorpusPage]] = defaultdict(list)
    for page in pages:
        by_outlet[page.outlet].append(page)
        result = extract(page.html, page.url, rules)
        blocks[page.url] = result.blocks if result else []
    if rules.site_learning:
        for outlet_pages in by_outlet.values():
            profile = SiteProfile()
            for page in outlet_pages:
                profile.observe(page.url, blocks[page.url])
            for page in outlet_pages:
                blocks[page.url] = profile.filter(blocks[page.url])
    return blocks
