"""Cleaning rules: the per-source knobs of the boilerplate layer and their hash."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from functools import cache
from importlib.metadata import version

from pipelines.cleaning.cta_patterns import PATTERNS

# Bump whenever the cleaning code changes what it keeps, so stored records can be
# told apart from records cleaned by another version and re-cleaned.
LAYER_VERSION = 1

# trafilatura needs seconds and hundreds of MB on multi-MB pages; real articles
# are far below this, so the tail of a larger document is ignored.
MAX_INPUT_BYTES = 5_000_000


@dataclass(frozen=True)
class CleaningRules:
    """What to remove from one source's pages, beyond trafilatura's own choices."""

    # CSS selectors, or XPath when the string starts with "/" or "("
    drop_selectors: tuple[str, ...] = ()
    # language hint, used when the page does not declare its own
    language: str | None = None
    # The parts can be switched off one by one, so each can be measured alone.
    # form widgets in the story and call-to-action blocks
    cta: bool = True
    # headline rails by link density, and their labels
    link_lists: bool = True
    # read by the caller, which owns the SiteProfile: extract() is stateless
    site_learning: bool = True
    max_input_bytes: int = MAX_INPUT_BYTES

    def config_hash(self) -> str:
        """Hex sha256 over the rules, the layer version and the phrase patterns."""
        payload = {
            "rules": asdict(self),
            "layer_version": LAYER_VERSION,
            # The patterns decide what is removed as much as the flags do.
            "patterns": {lang: asdict(p) for lang, p in sorted(PATTERNS.items())},
        }
        encoded = json.dumps(payload, sort_keys=True, ensure_ascii=True).encode()
        return hashlib.sha256(encoded).hexdigest()


@cache
def extractor_version() -> str:
    """Versions of everything that decides the clean text, for provenance.

    Read from the installed package's metadata, so asking does not import trafilatura.
    """
    return f"trafilatura {version('trafilatura')}; newsvault-clean {LAYER_VERSION}"
