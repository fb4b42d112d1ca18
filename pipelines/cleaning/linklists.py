"""Headline rails found by link density on the DOM: lists, paragraph runs and cards.

"Next In World", "Most read" and "Read more" rails are runs of sibling elements
whose text is mostly links to other pages ("items"). Story paragraphs carry
inline links too, but never most of their text, and cards are told apart from
prose by the heading or image they wrap.
"""

from __future__ import annotations

import logging

from lxml.html import HtmlElement

from pipelines.cleaning.cta import is_label
from pipelines.cleaning.dom import INVISIBLE, TextCache, drop, link_density, visible_text

log = logging.getLogger(__name__)

ITEM_MAX_CHARS = 400
ITEM_MIN_DENSITY = 0.5
CARD_MIN_DENSITY = 0.2
# A lone all-link line between paragraphs ("Read more: <headline>") is a teaser.
TEASER_MAX_CHARS = 220
TEASER_MIN_DENSITY = 0.75
LABEL_MAX_CHARS = 60
LABEL_TAGS = frozenset(
    {"h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "span", "strong", "b", "header", "dt"}
)
_CARD_MARKERS = ["h2", "h3", "h4", "h5", "h6", "img", "picture", "figure"]


def _is_card(el: HtmlElement) -> bool:
    return any(next(el.iterdescendants(tag), None) is not None for tag in _CARD_MARKERS)


def _is_item(el: HtmlElement, texts: TextCache) -> bool:
    text = len(texts.text(el))
    links = texts.link_text_length(el)
    if not text or not links or text > ITEM_MAX_CHARS:
        return False
    ratio = links / text
    if ratio >= ITEM_MIN_DENSITY:
        return True
    return el.tag != "p" and ratio >= CARD_MIN_DENSITY and _is_card(el)


def _has_own_text(parent: HtmlElement) -> bool:
    """Text directly inside ``parent``: then its children are words in a sentence."""
    if (parent.text or "").strip():
        return True
    return any((child.tail or "").strip() for child in parent)


def _runs(parent: HtmlElement, texts: TextCache) -> list[list[HtmlElement]]:
    """Maximal runs of consecutive item children; empty children do not break a run."""
    runs: list[list[HtmlElement]] = []
    current: list[HtmlElement] = []
    if _has_own_text(parent):
        return runs
    for child in parent:
        if not isinstance(child.tag, str) or child.tag in INVISIBLE:
            continue
        if not texts.text(child):
            continue
        if _is_item(child, texts):
            current.append(child)
        else:
            runs.append(current)
            current = []
    runs.append(current)
    return [r for r in runs if r]


def _is_teaser(el: HtmlElement, texts: TextCache) -> bool:
    text = len(texts.text(el))
    return 0 < text <= TEASER_MAX_CHARS and texts.link_density(el) >= TEASER_MIN_DENSITY


def drop_link_runs(tree: HtmlElement) -> int:
    """Remove runs of two or more link items, and lone teaser lines; count removals."""
    doomed: list[HtmlElement] = []
    texts = TextCache()  # the tree only changes after the loop
    for parent in tree.iter():
        if not isinstance(parent.tag, str) or len(parent) == 0:
            continue
        for run in _runs(parent, texts):
            if len(run) >= 2 or _is_teaser(run[0], texts):
                doomed.extend(run)
    for el in doomed:
        drop(el)
    return len(doomed)


def drop_rail_labels(tree: HtmlElement, language: str) -> int:
    """Remove rail headings ("Next In World") and the link block that follows each."""
    doomed: list[HtmlElement] = []
    for el in tree.iter(*LABEL_TAGS):
        text = visible_text(el)
        if not text or len(text) > LABEL_MAX_CHARS or not is_label(text, language):
            continue
        parent = el.getparent()
        if parent is not None and parent.tag in LABEL_TAGS and visible_text(parent) == text:
            continue  # the wrapper with the same text is handled instead
        doomed.append(el)
        rail = el.getnext()
        while rail is not None and not isinstance(rail.tag, str):
            rail = rail.getnext()
        if rail is not None and _looks_like_rail(rail):
            doomed.append(rail)
    for el in doomed:
        drop(el)
    return len(doomed)


def _looks_like_rail(el: HtmlElement) -> bool:
    links = sum(1 for _ in el.iter("a"))
    return links >= 2 and link_density(el) >= 0.3
