"""What the cleaner returns for one page.

Its own module, apart from the cleaner: a crawl's process unpickles these
from its workers and must not import trafilatura to do so.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Extraction:
    url: str
    canonical_url: str | None
    title: str | None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    language: str | None = None
    site_name: str | None = None
    # paragraph-level blocks, before site-learned filtering (the crawl applies it)
    blocks: list[str] = field(default_factory=list)
    # each block's SiteProfile key, hashed here in the worker, not on the reactor
    block_keys: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.blocks)
