"""Queued requests name their spider's callbacks without searching the spider."""

from __future__ import annotations

import pickle
from typing import Any

import pytest
from scrapy import Spider
from scrapy.utils.request import request_from_dict

from spiders.requests import SpiderRequest


class Demo(Spider):
    name = "demo"

    def parse_article(self, response: Any) -> None:
        pass

    def article_failed(self, failure: Any) -> None:
        pass


def test_a_queued_request_round_trips_without_listing_the_spider(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    spider = Demo()
    request = SpiderRequest(
        "https://news.example/a/1",
        callback=spider.parse_article,
        errback=spider.article_failed,
        cb_kwargs={"page": 2},
        meta={"nv_kind": "article"},
        priority=5,
    )

    def listing(*args: object, **kwargs: object) -> None:
        raise AssertionError("the spider's attributes were listed")

    monkeypatch.setattr("scrapy.http.request.inspect.getmembers", listing)
    stored = pickle.loads(pickle.dumps(request.to_dict(spider=spider)))
    assert (stored["callback"], stored["errback"]) == ("parse_article", "article_failed")
    assert request.callback == spider.parse_article, "the request itself is left as it was"
    restored = request_from_dict(stored, spider=spider)
    assert type(restored) is SpiderRequest
    assert restored.callback == spider.parse_article
    assert restored.errback == spider.article_failed
    assert (restored.url, restored.cb_kwargs, restored.priority) == (
        "https://news.example/a/1",
        {"page": 2},
        5,
    )
    assert restored.meta["nv_kind"] == "article"


class Helper:
    def parse(self, response: Any) -> None:
        pass


def test_callbacks_that_are_not_the_spiders_methods_are_left_to_scrapy() -> None:
    spider = Demo()
    for callback in (Helper().parse, lambda response: None):
        request = SpiderRequest("https://news.example/a/2", callback=callback)
        with pytest.raises(ValueError, match="not an instance method"):
            request.to_dict(spider=spider)
        assert request.callback is callback
    plain = SpiderRequest("https://news.example/a/3", callback=None).to_dict(spider=spider)
    assert plain["callback"] is None
