"""Site-learned boilerplate: blocks that repeat across distinct pages of one source."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from pipelines.cleaning.cta import is_keeper

log = logging.getLogger(__name__)

PROFILE_FORMAT = 1
_DIGITS = re.compile(r"\d+")
_NON_WORD = re.compile(r"[^\w]+")


def block_key(block: str) -> str:
    """Hash of a block with case, digits, punctuation and whitespace normalised.

    Dates, counters and prices change between pages of the same widget
    ("3 free articles left"), so digits collapse to one placeholder.
    """
    text = _DIGITS.sub("0", block.lower())
    text = " ".join(_NON_WORD.sub(" ", text).split())
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def block_keys(blocks: Sequence[str]) -> list[str]:
    return [block_key(b) for b in blocks]


def _keyed(blocks: Sequence[str], keys: Sequence[str] | None) -> Iterator[tuple[str, str]]:
    """Each block with its key: the one given (hashed by a worker), else hashed here."""
    return zip(blocks, block_keys(blocks) if keys is None else keys, strict=True)


class SiteProfile:
    """Counts, per normalised block, how many distinct pages of a source carry it.

    A block is boilerplate once it sits on at least ``min_pages`` distinct pages
    and on at least ``min_share`` of all pages seen: a quote repeated in two
    stories stays. Memory is bounded by ``max_blocks`` tracked hashes (the rarest
    are evicted first) and ``max_pages`` remembered page keys.

    ``keys`` (each block's ``block_key``) may come with the blocks: the crawl's
    workers hash each block once, so the reactor neither observes nor filters
    by hashing again.
    """

    def __init__(
        self,
        min_pages: int = 3,
        min_share: float = 0.1,
        max_blocks: int = 50_000,
        max_pages: int = 100_000,
    ) -> None:
        self.min_pages = min_pages
        self.min_share = min_share
        self.max_blocks = max_blocks
        self.max_pages = max_pages
        self._counts: dict[str, int] = {}
        # dicts keep insertion order, so the oldest page keys are dropped first
        self._pages: dict[str, None] = {}
        self._total_pages = 0

    @property
    def total_pages(self) -> int:
        return self._total_pages

    def observe(
        self, page_key: str, blocks: Sequence[str], keys: Sequence[str] | None = None
    ) -> None:
        """Count the blocks of one page; a page already observed is ignored."""
        page = hashlib.blake2b(page_key.encode(), digest_size=8).hexdigest()
        if page in self._pages:
            return
        self._pages[page] = None
        self._total_pages += 1
        if len(self._pages) > self.max_pages:
            del self._pages[next(iter(self._pages))]
        for key in {key for block, key in _keyed(blocks, keys) if block.strip()}:
            self._counts[key] = self._counts.get(key, 0) + 1
        if len(self._counts) > self.max_blocks:
            self._evict()

    def is_boilerplate(self, block: str, key: str | None = None) -> bool:
        count = self._counts.get(block_key(block) if key is None else key, 0)
        if count < self.min_pages or self._total_pages == 0:
            return False
        return count / self._total_pages >= self.min_share and not is_keeper(block)

    def filter(self, blocks: Sequence[str], keys: Sequence[str] | None = None) -> list[str]:
        """The blocks that are not learned boilerplate, in order."""
        keyed = _keyed(blocks, keys)
        return [block for block, key in keyed if not self.is_boilerplate(block, key)]

    def _evict(self) -> None:
        # Drop the rarest hashes (oldest first among equals) down to 90 % of the cap:
        # boilerplate is frequent by definition, so it survives eviction.
        target = int(self.max_blocks * 0.9)
        ranked = sorted(self._counts, key=lambda k: self._counts[k])
        for key in ranked[: len(self._counts) - target]:
            del self._counts[key]
        log.debug("site profile evicted down to %s blocks", len(self._counts))

    def to_dict(self) -> dict[str, object]:
        return {
            "format": PROFILE_FORMAT,
            "total_pages": self._total_pages,
            "pages": list(self._pages),
            "counts": self._counts,
        }

    @classmethod
    def load(
        cls,
        path: Path,
        *,
        min_pages: int = 3,
        min_share: float = 0.1,
        max_blocks: int = 50_000,
        max_pages: int = 100_000,
    ) -> SiteProfile:
        """Profile stored at ``path``; a missing or unreadable file gives an empty one."""
        profile = cls(min_pages, min_share, max_blocks, max_pages)
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return profile
        except (OSError, ValueError) as exc:
            log.warning("ignoring unreadable site profile %s: %s", path, exc)
            return profile
        if data.get("format") != PROFILE_FORMAT:
            log.warning("ignoring site profile %s in format %s", path, data.get("format"))
            return profile
        profile._pages = dict.fromkeys(str(p) for p in data.get("pages", []))
        profile._counts = {str(k): int(v) for k, v in data.get("counts", {}).items()}
        profile._total_pages = int(data.get("total_pages", len(profile._pages)))
        return profile

    def save(self, path: Path) -> None:
        """Write atomically: a temporary file in the same directory, then os.replace."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                # dumps, not dump: only the one-shot encoder is the C one (5x faster)
                fh.write(json.dumps(self.to_dict(), separators=(",", ":")))
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
