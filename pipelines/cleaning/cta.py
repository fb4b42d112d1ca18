"""Text-level filter for calls to action, appeals and rail labels.

Works on the paragraph-level blocks trafilatura returns. A block is removed when
it is short, asks the reader to act (patterns in ``cta_patterns``) and does not
quote anyone; short button captions ("Once", "Continue") next to such a block go
with it, since on their own they carry no story.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from pipelines.cleaning.cta_patterns import PATTERNS, LanguagePatterns

# Appeals and newsletter blurbs run to two or three sentences; story paragraphs
# that mention "follow" or "subscribers" are usually longer, and a reported
# speech guard catches the short ones.
CTA_MAX_CHARS = 300
# A button caption or a lone word left over from a removed widget; a short
# sentence ending in a full stop ("No one was hurt.") is story, not residue.
RESIDUE_MAX_WORDS = 3

_BULLET = re.compile(r"^[\s\-\u2022*\u00b7|>]+")


@dataclass(frozen=True)
class _Compiled:
    cta: re.Pattern[str]
    strong: re.Pattern[str]
    address: re.Pattern[str]
    labels: re.Pattern[str]
    keep: re.Pattern[str]
    attribution: re.Pattern[str]


def _union(patterns: Sequence[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


@lru_cache(maxsize=16)
def _compiled(language: str) -> _Compiled:
    p: LanguagePatterns = PATTERNS.get(language, PATTERNS["en"])
    labels = re.compile("|".join(f"(?:{x})" for x in p.labels), re.IGNORECASE)
    return _Compiled(
        _union(p.cta), _union(p.strong), _union(p.address), labels,
        _union(p.keep), _union(p.attribution),
    )  # fmt: skip


def primary_language(language: str | None) -> str:
    """ "en-GB" -> "en"; unknown or missing languages fall back to English."""
    if not language:
        return "en"
    code = language.replace("_", "-").split("-")[0].lower()
    return code if code in PATTERNS else "en"


def _clean(block: str) -> str:
    return " ".join(_BULLET.sub("", block).split())


def is_label(block: str, language: str = "en") -> bool:
    """True for a whole-block rail or ad label such as "Most read" or "Advertisement"."""
    text = _clean(block).rstrip(":.!?\u2026 ").strip()
    return bool(text) and _compiled(language).labels.fullmatch(text) is not None


def is_keeper(block: str, language: str = "en") -> bool:
    """True for story lines that repeat across pages by nature (credit lines)."""
    return _compiled(language).keep.search(_clean(block)) is not None


def is_call_to_action(block: str, language: str = "en") -> bool:
    """True for a short block that asks the reader to donate, subscribe, follow..."""
    text = _clean(block)
    if not text or len(text) > CTA_MAX_CHARS:
        return False
    c = _compiled(language)
    if c.keep.search(text) or c.attribution.search(text):
        return False
    if c.strong.search(text):
        return True
    return c.cta.search(text) is not None and c.address.search(text) is not None


def _is_residue(block: str, language: str) -> bool:
    text = _clean(block)
    c = _compiled(language)
    return (
        len(text.split()) <= RESIDUE_MAX_WORDS
        and not text.endswith(".")
        and not c.keep.search(text)
        and not c.attribution.search(text)
    )


def drop_calls_to_action(blocks: Sequence[str], language: str | None = None) -> list[str]:
    """Blocks without calls to action, labels and the button captions around them."""
    lang = primary_language(language)
    flagged = [is_call_to_action(b, lang) or is_label(b, lang) for b in blocks]
    changed = True
    while changed:
        changed = False
        for i, block in enumerate(blocks):
            if flagged[i] or not _is_residue(block, lang):
                continue
            near = (i > 0 and flagged[i - 1]) or (i + 1 < len(blocks) and flagged[i + 1])
            if near:
                flagged[i] = changed = True
    return [b for b, f in zip(blocks, flagged, strict=True) if not f]
