"""HTML tree helpers: visible text, link density, removal and per-source selectors."""

from __future__ import annotations

import logging

from lxml import etree
from lxml.cssselect import CSSSelector
from lxml.html import HtmlElement

log = logging.getLogger(__name__)

INVISIBLE = frozenset({"script", "style", "noscript", "template", "svg"})


def visible_text(el: HtmlElement) -> str:
    """Text a reader sees in ``el``: scripts and styles left out, whitespace collapsed."""
    parts: list[str] = []
    _collect(el, parts, top=True)
    return " ".join(" ".join(parts).split())


def _collect(el: HtmlElement, parts: list[str], top: bool = False) -> None:
    if not isinstance(el.tag, str) or el.tag in INVISIBLE:
        if not top and el.tail:
            parts.append(el.tail)
        return
    if el.text:
        parts.append(el.text)
    for child in el:
        _collect(child, parts)
    if not top and el.tail:
        parts.append(el.tail)


class TextCache:
    """``visible_text`` per element for one pass over a tree that does not change
    during the pass. Each subtree's text is built once, from its children's, so
    asking for every element's text costs one walk of the tree instead of one
    walk per ancestor. Same results as ``visible_text``: whitespace is collapsed,
    so joining the children's collapsed texts gives the same string.
    """

    def __init__(self) -> None:
        # keys hold the lxml proxies alive, so an id is never reused for another node
        self._texts: dict[HtmlElement, str] = {}

    def text(self, el: HtmlElement) -> str:
        found = self._texts.get(el)
        if found is None:
            found = self._texts[el] = self._build(el)
        return found

    def _build(self, el: HtmlElement) -> str:
        if not isinstance(el.tag, str) or el.tag in INVISIBLE:
            return ""
        parts = [el.text or ""]
        for child in el:
            parts.append(self.text(child))
            parts.append(child.tail or "")
        return " ".join(" ".join(parts).split())

    def link_text_length(self, el: HtmlElement) -> int:
        links = [el] if el.tag == "a" else el.iterdescendants("a")
        return sum(len(self.text(a)) for a in links)

    def link_density(self, el: HtmlElement) -> float:
        text = len(self.text(el))
        return self.link_text_length(el) / text if text else 0.0


def link_text_length(el: HtmlElement) -> int:
    """Characters of visible text inside links below ``el`` (or ``el`` itself)."""
    links = [el] if el.tag == "a" else el.iterdescendants("a")
    return sum(len(visible_text(a)) for a in links)


def link_density(el: HtmlElement) -> float:
    text = len(visible_text(el))
    return link_text_length(el) / text if text else 0.0


def drop(el: HtmlElement) -> None:
    """Remove ``el`` and its subtree but keep its tail text (lxml drops it by default)."""
    if el.getparent() is not None:
        el.drop_tree()


def select(tree: HtmlElement, selector: str) -> list[HtmlElement]:
    """Elements matching an XPath (starts with "/" or "(") or a CSS selector."""
    try:
        if selector.startswith(("/", "(")):
            found = tree.xpath(selector)
        else:
            found = CSSSelector(selector)(tree)
    except (etree.XPathError, ValueError, SyntaxError) as exc:
        # cssselect's SelectorSyntaxError derives from SyntaxError
        log.warning("ignoring invalid selector %r: %s", selector, exc)
        return []
    return [el for el in found if isinstance(el, HtmlElement)]


def drop_selected(tree: HtmlElement, selectors: tuple[str, ...]) -> int:
    """Remove every element matched by the source's ``drop_selectors``; count them."""
    removed = 0
    for selector in selectors:
        for el in select(tree, selector):
            if el is not tree and el.getparent() is not None:
                drop(el)
                removed += 1
    return removed
