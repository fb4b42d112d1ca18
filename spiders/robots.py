"""robots.txt, obeyed for every waiting request.

Scrapy 2.14–2.19 parks concurrent requests for one host on a shared Deferred
while robots.txt downloads; only the first waiter receives the parser, the
rest get ``None`` and are let through. We re-read the parser for the host
after the wait, so every waiter is checked.

Policy when robots.txt cannot be read (RFC 9309, section 2.3.1):
a 4xx answer means no rules (allow all); a 5xx answer, a timeout or a
connection error means the host is treated as fully disallowed for this run.
"""

from __future__ import annotations

from typing import Any

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.http import Request, Response
from scrapy.robotstxt import RobotParser
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred


class DisallowAll(RobotParser):
    """Stands in for a robots.txt that could not be fetched."""

    def __init__(self) -> None:
        pass

    @classmethod
    def from_crawler(cls, crawler: Any, robotstxt_body: bytes) -> DisallowAll:
        return cls()

    def allowed(self, url: str | bytes, user_agent: str | bytes) -> bool:
        return False


class StrictRobotsTxtMiddleware(RobotsTxtMiddleware):
    async def robot_parser(self, request: Request) -> RobotParser | None:
        parser = await super().robot_parser(request)
        current = self._parsers.get(urlparse_cached(request).netloc)
        if not isinstance(current, Deferred):
            return current
        return parser

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status >= 500:
            self._stats.inc_value("robotstxt/unavailable")
            await self._set(netloc, DisallowAll())
            return
        if 400 <= response.status < 500:
            await self._set(netloc, None)
            return
        await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        self._stats.inc_value("robotstxt/unavailable")
        waiting = self._parsers[netloc]
        parser = DisallowAll()
        self._parsers[netloc] = parser
        if isinstance(waiting, Deferred):
            waiting.callback(parser)

    async def _set(self, netloc: str, parser: RobotParser | None) -> None:
        waiting = self._parsers[netloc]
        self._parsers[netloc] = parser
        if isinstance(waiting, Deferred):
            waiting.callback(parser)
