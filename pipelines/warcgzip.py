"""Gzip members for WARC records: ISA-L (``isal``) by default, zlib on request.

Compressing each response is the largest cost of recording a crawl. On 180 KB
news pages zlib level 6 takes about 5 ms a record; ISA-L's level 2 takes 0.4 ms
for files about 12 % larger, and its output is ordinary gzip that every WARC
reader accepts. Levels follow each library: ISA-L 0-3, zlib 0-9.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable

from isal import isal_zlib

GZIP_WBITS = 31  # deflate with gzip framing

COMPRESSORS = {"isal": isal_zlib, "zlib": zlib}
LEVELS = {"isal": range(0, 4), "zlib": range(0, 10)}
DEFAULT_LEVELS = {"isal": 2, "zlib": 6}


def check_level(compressor: str, level: int | None) -> int:
    """The level to use; ``ValueError`` names the valid range."""
    if compressor not in COMPRESSORS:
        raise ValueError(f"unknown compressor {compressor!r}; use one of {sorted(COMPRESSORS)}")
    if level is None:
        return DEFAULT_LEVELS[compressor]
    valid = LEVELS[compressor]
    if level not in valid:
        raise ValueError(f"{compressor} levels are {valid.start} to {valid.stop - 1}, not {level}")
    return level


def gzip_member(compressor: str = "isal", level: int | None = None) -> Callable[[bytes], bytes]:
    """A function turning bytes into one complete gzip member."""
    module = COMPRESSORS[compressor]
    chosen = check_level(compressor, level)

    def member(data: bytes) -> bytes:
        packer = module.compressobj(chosen, module.DEFLATED, GZIP_WBITS)
        out: bytes = packer.compress(data) + packer.flush()
        return out

    return member
