"""Load the demo site's articles from the package data."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib.resources import files

RAILS = frozenset({"next in world", "read more", "others also read", "most read"})
BUTTONS = frozenset({"once", "monthly", "annual", "continue", "remind me later."})


@dataclass(frozen=True)
class Article:
    slug: str
    path: str
    day: str
    template: str
    title: str
    # (label, line) in reading order, as in the seeds' labels files.
    lines: list[tuple[str, str]] = field(default_factory=list)
    author: str = ""

    def lines_labelled(self, label: str) -> list[str]:
        return [line for lab, line in self.lines if lab == label]


SEEDS = (
    ("wire-iran-pact", "2025-05-21", "wire", "/world"),
    ("duma-ratifies-iran-treaty", "2025-04-08", "independent", "/news"),
)


def _labels(name: str) -> list[tuple[str, str]]:
    text = files("newsvault.demosite").joinpath("data", f"{name}.labels.tsv").read_text("utf-8")
    rows = [line.split("\t", 1) for line in text.splitlines()[1:] if "\t" in line]
    return [(label, line) for label, line in rows if line.strip()]


def seed_articles() -> list[Article]:
    out = []
    for slug, day, template, section in SEEDS:
        lines = _labels(slug)
        title = next(line for label, line in lines if label == "headline")
        path = f"{section}/{day.replace('-', '/')}/{slug}/"
        out.append(Article(slug, path, day, template, title, lines))
    return out


def stories() -> list[Article]:
    raw = files("newsvault.demosite").joinpath("data", "stories.toml").read_text("utf-8")
    out = []
    for story in tomllib.loads(raw)["story"]:
        paragraphs = story["paragraphs"]
        lines = [("headline", story["title"])] + [("article", p) for p in paragraphs[:2]]
        lines += [("boilerplate", story["teaser"])] + [("article", p) for p in paragraphs[2:]]
        path = f"/business/{story['date'].replace('-', '/')}/{story['slug']}/"
        out.append(
            Article(
                story["slug"], path, story["date"], "ledger", story["title"], lines, story["author"]
            )
        )
    return out


def all_articles() -> list[Article]:
    return seed_articles() + stories()
