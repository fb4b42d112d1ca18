"""One page in, clean paragraph blocks and metadata out: trafilatura plus our layer."""

from __future__ import annotations

import logging

import trafilatura
from lxml.html import HtmlElement

from pipelines.cleaning.cta import drop_calls_to_action, is_label, primary_language
from pipelines.cleaning.dom import drop_selected
from pipelines.cleaning.linklists import drop_link_runs, drop_rail_labels
from pipelines.cleaning.metadata import PageMetadata, page_metadata, split_authors
from pipelines.cleaning.profile import block_keys
from pipelines.cleaning.result import Extraction
from pipelines.cleaning.rules import CleaningRules
from pipelines.cleaning.widgets import drop_widgets

log = logging.getLogger(__name__)


def run_trafilatura(source: HtmlElement | bytes | str, url: str) -> object | None:
    """trafilatura alone, in the mode this layer builds on (also the benchmark baseline).

    Precision mode drops more of what surrounds the story; comments are never
    story. deduplicate stays off: its cache is process state, which would make a
    result depend on what the worker extracted before.
    """
    return trafilatura.bare_extraction(
        source,
        url=url,
        favor_precision=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        deduplicate=False,
        with_metadata=True,
    )


def text_blocks(document: object | None) -> list[str]:
    """Non-empty lines of a trafilatura result: one per paragraph, heading or item."""
    text = getattr(document, "text", None)
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def parse(html: bytes | str, max_bytes: int) -> HtmlElement | None:
    """HTML tree of the first ``max_bytes`` of a page; trafilatura detects encodings."""
    tree = trafilatura.load_html(html[:max_bytes])
    return tree if isinstance(tree, HtmlElement) else None


def extract(html: bytes | str, url: str, rules: CleaningRules) -> Extraction | None:
    """Clean text and metadata of one page, or None when no article text is found.

    Never raises for bad input: workers call this on whatever the crawl fetched.
    """
    try:
        return _extract(html, url, rules)
    except Exception:
        log.warning("extraction failed for %s", url, exc_info=True)
        return None


def _extract(html: bytes | str, url: str, rules: CleaningRules) -> Extraction | None:
    tree = parse(html, rules.max_input_bytes) if html else None
    if tree is None:
        log.debug("no HTML tree for %s", url)
        return None
    meta = page_metadata(tree, url)
    language = primary_language(meta.language or rules.language)
    drop_selected(tree, rules.drop_selectors)
    if rules.link_lists:
        drop_rail_labels(tree, language)
        drop_link_runs(tree)
    if rules.cta:
        drop_widgets(tree)
    document = run_trafilatura(tree, url)
    blocks = text_blocks(document)
    if rules.cta:
        blocks = drop_calls_to_action(blocks, language)
    elif rules.link_lists:
        blocks = [b for b in blocks if not is_label(b, language)]
    if not blocks:
        log.debug("no article text in %s", url)
        return None
    return _result(url, document, meta, rules, blocks)


def _result(
    url: str, document: object, meta: PageMetadata, rules: CleaningRules, blocks: list[str]
) -> Extraction:
    def found(name: str) -> str | None:
        value = getattr(document, name, None)
        return value.strip() if isinstance(value, str) and value.strip() else None

    return Extraction(
        url=url,
        canonical_url=meta.canonical_url,
        title=found("title") or meta.title,
        authors=split_authors(found("author")) or meta.authors,
        published=found("date") or meta.published,
        language=meta.language or found("language") or rules.language,
        site_name=found("sitename") or meta.site_name,
        blocks=blocks,
        block_keys=block_keys(blocks),
    )
