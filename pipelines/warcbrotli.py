"""Let warcio read brotli-encoded records.

warcio expects the ``brotlipy`` API (``decompress()`` and a writable
``unused_data``); Scrapy requires Google's ``brotli`` package, which offers
``process()`` and no such attribute, so reading any ``Content-Encoding: br``
record crashes warcio and cdxj-indexer. A small adapter bridges the two.
"""

from __future__ import annotations

import brotli
from warcio.bufferedreaders import BufferedReader


class BrotliDecompressor:
    def __init__(self) -> None:
        self._inner = brotli.Decompressor()
        self.unused_data: bytes | None = None

    def decompress(self, data: bytes) -> bytes:
        return bytes(self._inner.process(data))


def install() -> None:
    BufferedReader.DECOMPRESSORS["br"] = BrotliDecompressor
