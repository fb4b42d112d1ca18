"""Meta-refresh redirects are found in the head of a page, without decoding all of it."""

from __future__ import annotations

import warnings

from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from spiders.metarefresh import HEAD_BYTES, HeadMetaRefreshMiddleware

URL = "http://127.0.0.1:8000/news/2025/05/01/moved/"
REFRESH = b'<meta http-equiv="refresh" content="0; url=/news/2025/05/01/new-home/">'


def page(head: bytes, filler: int, tail: bytes = b"") -> HtmlResponse:
    body = b"<html><head>" + head + b"</head><body>" + b"x" * filler + tail + b"</body></html>"
    return HtmlResponse(URL, body=body, headers={"Content-Type": "text/html; charset=utf-8"})


def middleware() -> HeadMetaRefreshMiddleware:
    return HeadMetaRefreshMiddleware.from_crawler(get_crawler())


def test_refresh_in_the_head_of_a_large_page_redirects() -> None:
    response = page(REFRESH, 200_000)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no deprecation warning from Scrapy's signature checks
        result = middleware().process_response(Request(URL), response)
    assert isinstance(result, Request)
    assert result.url == "http://127.0.0.1:8000/news/2025/05/01/new-home/"
    assert response._cached_ubody is None, "the full body was never decoded"


def test_large_page_without_refresh_is_returned_as_it_came() -> None:
    response = page(b"<title>Story</title>", 200_000, tail=REFRESH)  # past the first 4,096 chars
    assert middleware().process_response(Request(URL), response) is response


def test_small_pages_take_scrapys_own_path() -> None:
    small = page(REFRESH, 100)
    assert len(small.body) <= HEAD_BYTES
    result = middleware().process_response(Request(URL), small)
    assert isinstance(result, Request) and result.url.endswith("/new-home/")
    plain = page(b"", 100)
    assert middleware().process_response(Request(URL), plain) is plain


def test_utf16_page_is_still_searched() -> None:
    html = "<html><head>" + REFRESH.decode() + "</head><body>" + "x" * 20_000 + "</body></html>"
    response = HtmlResponse(
        URL, body=html.encode("utf-16"), headers={"Content-Type": "text/html; charset=utf-16"}
    )
    result = middleware().process_response(Request(URL), response)
    assert isinstance(result, Request) and result.url.endswith("/new-home/")


def test_refresh_in_upper_case_is_found() -> None:
    result = middleware().process_response(Request(URL), page(REFRESH.upper(), 200_000))
    assert isinstance(result, Request)
