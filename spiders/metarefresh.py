"""Meta-refresh redirects, found without decoding the whole page.

Scrapy's ``MetaRefreshMiddleware`` looks for ``<meta http-equiv="refresh">`` in
the first 4,096 characters, but gets them through ``response.text``: a
180 KB article is decoded in full on the reactor thread, and the decoded copy
stays cached on the response while it waits for the extraction pool. Here it
looks at a response holding the first ``HEAD_BYTES`` bytes only, which cover
those 4,096 characters in any encoding (four bytes a character at most), and
when those bytes hold no "refresh" at all (nearly every article) it does not
build that response either.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.http import HtmlResponse, Response

HEAD_BYTES = 4 * 4096


class HeadMetaRefreshMiddleware(MetaRefreshMiddleware):
    def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        if not isinstance(response, HtmlResponse) or len(response.body) <= HEAD_BYTES:
            return super().process_response(request, response)
        start = response.body[:HEAD_BYTES]
        # NUL bytes: UTF-16 or UTF-32, where the word is not spelled in single bytes.
        if b"\x00" not in start and b"refresh" not in start.lower():
            return response
        head = response.replace(body=start)
        result = super().process_response(request, head)
        return response if result is head else result
