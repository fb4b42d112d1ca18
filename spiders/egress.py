"""Egress check: refuse requests that would reach private addresses.

A hostile page (or a redirect) can point the crawler at the machine itself,
the local network or a cloud metadata service. Every request, including each
redirect hop, is resolved here first; loopback, private, link-local,
multicast and reserved addresses are refused unless the host is named in
``NEWSVAULT_ALLOW_PRIVATE_HOSTS`` as ``host`` or ``host:port`` (a local
demo or test site). The check
resolves before Scrapy connects, so a DNS answer that changes in between
(rebinding) is out of its reach.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from typing import Self

from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request
from scrapy.utils.httpobj import urlparse_cached

logger = logging.getLogger(__name__)


class EgressRefused(IgnoreRequest):
    """The request would leave the public internet or use another scheme."""


def _ip_literal(host: str) -> str | None:
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return None


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    return ip.is_global and not ip.is_multicast


class EgressCheckMiddleware:
    def __init__(self, crawler: Crawler, allowed: set[str]) -> None:
        self.crawler = crawler
        self.allowed = allowed
        self._verdicts: dict[str, bool] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("NEWSVAULT_EGRESS_CHECK_ENABLED", True):
            raise NotConfigured("egress check disabled")
        hosts = {h.lower() for h in crawler.settings.getlist("NEWSVAULT_ALLOW_PRIVATE_HOSTS")}
        return cls(crawler, hosts)

    async def process_request(self, request: Request) -> None:
        parsed = urlparse_cached(request)
        if parsed.scheme not in ("http", "https"):
            self._refuse(request, f"scheme {parsed.scheme!r}")
        host = (parsed.hostname or "").lower()
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
        if host in self.allowed or f"{host}:{port}" in self.allowed:
            return
        literal = _ip_literal(host)
        if literal is not None and not is_public(literal):
            self._refuse(request, "private or reserved address")
        if host not in self._verdicts:
            self._verdicts[host] = await self._resolves_public(host, port)
        if not self._verdicts[host]:
            self._refuse(request, "private or reserved address")

    async def _resolves_public(self, host: str, port: int) -> bool:
        try:
            infos = await asyncio.to_thread(socket.getaddrinfo, host, port, 0, socket.SOCK_STREAM)
        except (OSError, UnicodeError):
            return True  # unresolvable: the download fails on its own and is counted there
        return all(is_public(str(info[4][0])) for info in infos)

    def _refuse(self, request: Request, why: str) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("egress/refused")
        logger.warning("refused %s: %s", request.url, why)
        raise EgressRefused(f"egress refused: {why}")
