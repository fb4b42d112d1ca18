"""Scrapy's offsite filter, counting the articles it turns away.

The filter runs when a request is scheduled, so an article whose redirect
leaves the source's domains disappears without reaching any errback. The run
summary must still say why that article was not archived.
"""

from __future__ import annotations

from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request


class OffsiteRedirect(IgnoreRequest):
    """An article request (a redirect) outside the source's allowed domains."""


class CountingOffsiteMiddleware(OffsiteMiddleware):
    def process_request(self, request: Request, spider: object = None) -> None:
        try:
            super().process_request(request)
        except IgnoreRequest as exc:
            if request.meta.get("nv_kind") == "article":
                self.stats.inc_value("articles/failed/OffsiteRedirect")
            raise OffsiteRedirect(str(exc)) from None
