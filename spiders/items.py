"""What the spider hands to the pipelines."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ArticlePage:
    """A fetched article page, before cleaning. Turned into a clean record."""

    source: str
    url: str
    canonical_url: str
    status: int
    body: bytes
    fetched_at: str
    discovered_via: str
    warc: dict[str, Any] = field(default_factory=dict)
