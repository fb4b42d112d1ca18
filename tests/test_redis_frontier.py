"""The shared queue loses nothing when Redis does the work but its reply is lost."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from storage.redisfrontier import Frontier
from storage.redisstate import InFlight, RedisKeys, connect
from tests.redis_fixtures import RedisServer
from tests.redisproxy import ReplyLosingProxy

pytest_plugins = ["tests.redis_fixtures"]

KEYS = RedisKeys("demo")


@pytest.fixture
def proxy(redis_server: RedisServer) -> Iterator[ReplyLosingProxy]:
    proxy = ReplyLosingProxy(redis_server.port)
    yield proxy
    proxy.close()


def test_push_repeated_after_a_lost_reply_queues_once(
    redis_server: RedisServer, proxy: ReplyLosingProxy
) -> None:
    frontier = Frontier(connect(proxy.url), KEYS, "w1")
    proxy.lose_reply(b"/a1")
    with pytest.raises(RedisConnectionError):
        frontier.push("http://site/a1", b"request-a1", 0, "fp-a1")
    assert proxy.lost == [(b"/a1",)], "the fault was injected"
    client = redis_server.client()
    assert client.zrange(KEYS.requests, 0, -1) == [b"http://site/a1\nrequest-a1"]
    assert client.smembers(KEYS.dupefilter) == {b"fp-a1"}
    # The scheduler sends it again: seen, and queued by the first push.
    assert not frontier.push("http://site/a1", b"request-a1", 0, "fp-a1")
    assert frontier.push("http://site/a1", b"request-a1", 0, None), "not filtered: queued"
    assert client.zcard(KEYS.requests) == 1, "the same entry, not a second one"


def test_worker_repeats_a_pop_whose_reply_was_lost(
    redis_server: RedisServer, proxy: ReplyLosingProxy
) -> None:
    frontier = Frontier(connect(proxy.url), KEYS, "w1")
    for n in (1, 2):
        frontier.push(f"http://site/a{n}", f"request-a{n}".encode(), n, f"fp-a{n}")
    proxy.lose_reply(b"receipt:pop:w1")
    with pytest.raises(RedisConnectionError):
        frontier.pop()
    assert redis_server.client().zcard(KEYS.requests) == 1, "Redis did pop it"
    again = frontier.pop()
    assert again is not None and again.field == "http://site/a1" and again.score == 1
    assert again.data == b"request-a1"
    client = redis_server.client()
    assert client.hget(KEYS.inflight, "http://site/a1") == b"w1\n1\nhttp://site/a1\nrequest-a1"
    after = frontier.pop()
    assert after is not None and after.field == "http://site/a2", "a new attempt pops anew"


def test_lost_pop_of_a_dead_worker_goes_back_on_the_queue(
    redis_server: RedisServer, proxy: ReplyLosingProxy
) -> None:
    """Requeued by another worker and taken by it, the entry is no longer answered to the first."""
    slow = Frontier(connect(proxy.url), KEYS, "slow")
    slow.push("http://site/a1", b"request-a1", 0, "fp-a1")
    proxy.lose_reply(b"receipt:pop:slow")
    with pytest.raises(RedisConnectionError):
        slow.pop()
    client = redis_server.client()
    # "slow" has no heartbeat: another worker puts its in-flight entry back and takes it.
    assert InFlight(client, KEYS, "other").requeue(own=False) == 1
    other = Frontier(client, KEYS, "other")
    taken = other.pop()
    assert taken is not None and taken.field == "http://site/a1"
    assert slow.pop() is None, "the repeat must not answer another worker's entry"
    assert client.hget(KEYS.inflight, "http://site/a1") == b"other\n0\nhttp://site/a1\nrequest-a1"


def test_worker_repeats_a_command_take_whose_reply_was_lost(
    redis_server: RedisServer, proxy: ReplyLosingProxy
) -> None:
    client = redis_server.client()
    client.set(KEYS.start, b'{"command": "discover"}')
    frontier = Frontier(connect(proxy.url), KEYS, "w1")
    proxy.lose_reply(b"receipt:command:w1")
    with pytest.raises(RedisConnectionError):
        frontier.take_command()
    assert not client.exists(KEYS.start), "Redis did take it"
    assert frontier.take_command() == b'{"command": "discover"}'
    assert frontier.take_command() is None
    frontier.forget_receipts()
    assert not client.keys(f"{KEYS.receipt('*', 'w1')}")


def test_entry_field_cannot_hold_a_newline(redis_server: RedisServer) -> None:
    frontier = Frontier(redis_server.client(), KEYS, "w1")
    with pytest.raises(ValueError, match="newline"):
        frontier.push("http://site/a\nb", b"x", 0, None)
