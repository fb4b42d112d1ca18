"""HTTP headers as they go into WARC records.

Scrapy hands us the body de-chunked but still content-encoded, so the
archived headers must say the same: ``Transfer-Encoding`` is dropped and a
``Content-Length`` that disagrees with the body is corrected. ``Cookie`` and
``Authorization`` never reach an archive.
"""

from __future__ import annotations

from http import HTTPStatus
from urllib.parse import urlsplit

from scrapy.http import Request, Response
from warcio.statusandheaders import StatusAndHeaders

PRIVATE_REQUEST_HEADERS = frozenset({"cookie", "authorization", "proxy-authorization"})


def _pairs(headers: object) -> list[tuple[str, str]]:
    out = []
    for name, values in headers.items():  # type: ignore[attr-defined]
        key = name.decode("latin-1") if isinstance(name, bytes) else str(name)
        for value in values:
            out.append((key, value.decode("latin-1") if isinstance(value, bytes) else str(value)))
    return out


def request_headers(request: Request) -> StatusAndHeaders:
    parts = urlsplit(request.url)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    headers = [("Host", parts.netloc)]
    headers += [
        (k, v) for k, v in _pairs(request.headers) if k.lower() not in PRIVATE_REQUEST_HEADERS
    ]
    return StatusAndHeaders(
        f"{request.method} {target} HTTP/1.1", headers, protocol="", is_http_request=True
    )


def response_headers(response: Response) -> StatusAndHeaders:
    try:
        reason = HTTPStatus(response.status).phrase
    except ValueError:
        reason = "Unknown"
    headers = []
    for key, value in _pairs(response.headers):
        lower = key.lower()
        if lower == "transfer-encoding":
            continue
        headers.append((key, str(len(response.body)) if lower == "content-length" else value))
    protocol = response.protocol or "HTTP/1.1"
    return StatusAndHeaders(f"{response.status} {reason}", headers, protocol=protocol)
