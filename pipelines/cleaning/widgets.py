"""Interactive widgets inside the story: newsletter forms, donation boxes, share bars.

A story paragraph never holds a button or a form field. When one sits inside the
story container, the whole child of the container around it (the appeal with
its "Once / Monthly / Annual" buttons, the sign-up box with its blurb) goes.
"""

from __future__ import annotations

import logging
from collections import defaultdict

from lxml.html import HtmlElement

from pipelines.cleaning.dom import drop, link_density, visible_text

log = logging.getLogger(__name__)

INTERACTIVE = ("button", "input", "select", "textarea", "form")
STORY_PARAGRAPH_MIN_CHARS = 120
# The story container must hold this share of the long-paragraph text.
STORY_SHARE = 0.7
# Never drop a widget holding this share of the story text: it is the story.
WIDGET_MAX_SHARE = 0.5


def story_container(tree: HtmlElement) -> HtmlElement | None:
    """Lowest element holding most of the page's long, link-poor paragraphs."""
    by_parent: dict[HtmlElement, int] = defaultdict(int)
    for p in tree.iter("p"):
        length = len(visible_text(p))
        parent = p.getparent()
        if length >= STORY_PARAGRAPH_MIN_CHARS and parent is not None and link_density(p) < 0.5:
            by_parent[parent] += length
    total = sum(by_parent.values())
    if not total:
        return None
    chosen: list[HtmlElement] = []
    covered = 0
    for parent, length in sorted(by_parent.items(), key=lambda kv: -kv[1]):
        chosen.append(parent)
        covered += length
        if covered >= STORY_SHARE * total:
            break
    return _common_ancestor(chosen)


def _common_ancestor(elements: list[HtmlElement]) -> HtmlElement:
    paths = [[el, *el.iterancestors()][::-1] for el in elements]
    common = paths[0][0]
    for level in zip(*paths, strict=False):
        if any(node is not level[0] for node in level):
            break
        common = level[0]
    return common


def _story_length(el: HtmlElement) -> int:
    return sum(
        len(visible_text(p))
        for p in el.iter("p")
        if len(visible_text(p)) >= STORY_PARAGRAPH_MIN_CHARS
    )


def drop_widgets(tree: HtmlElement) -> int:
    """Remove children of the story container that hold form controls; count them."""
    container = story_container(tree)
    if container is None:
        return 0
    story = _story_length(container)
    doomed: dict[HtmlElement, None] = {}
    for control in container.iter(*INTERACTIVE):
        if control is container or control.get("type") == "hidden":
            continue  # hidden fields carry state, e.g. a page-wide ASP.NET form
        widget = control
        for ancestor in control.iterancestors():
            if ancestor is container:
                break
            widget = ancestor
        if _story_length(widget) <= WIDGET_MAX_SHARE * story:
            doomed[widget] = None
    for widget in doomed:
        log.debug("dropping widget <%s class=%r>", widget.tag, widget.get("class"))
        drop(widget)
    return len(doomed)
