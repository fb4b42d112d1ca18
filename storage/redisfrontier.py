"""The shared request queue's steps that must survive a lost reply.

Redis can do a command's work and still fail to answer: the connection drops,
or the server shuts down between running a command and sending its reply.
The worker sees an error and runs the step again once Redis is back (as would
redis-py itself, were a client given a retry policy). Three steps of a worker
are not safe to repeat as plain commands:

- checking the dupefilter, then queueing: a repeated check finds the request
  "seen", so a request whose first push never happened would be dropped;
- popping a request: a repeated pop takes the next request, and the first one
  is gone for good;
- taking a discovery command: a repeated take finds nothing, and a discovery
  round is skipped.

Each is one Lua script here, all of its writes at once. A push repeated after
it happened finds the request seen and already queued. A pop or take carries an
attempt token, and leaves a receipt naming it; repeating the attempt answers
what the first one took. A popped request is recorded in flight by the same
script, so a worker that dies before hearing the answer loses nothing either:
its entries go back on the queue once its heartbeat lapses.

Queue entries are ``<in-flight field>\\n<serialized request>``, so the pop
script knows the field without decoding the request.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

import redis

from storage.redisstate import RedisKeys

# A receipt outlives any retry: one key per worker and kind, replaced at each attempt.
RECEIPT_TTL_MS = 24 * 3600 * 1000

_PUSH = """
if ARGV[1] ~= '' and redis.call('SADD', KEYS[1], ARGV[1]) == 0 then
  return 0
end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
return 1
"""

# A held entry is answered only while it is still this worker's: another worker
# may have requeued it (this one's heartbeat lapsed) and popped it since.
_POP = """
local receipt = redis.call('GET', KEYS[3])
if receipt then
  local cut = string.find(receipt, '\\n', 1, true)
  if string.sub(receipt, 1, cut - 1) == ARGV[1] then
    local held = redis.call('HGET', KEYS[2], string.sub(receipt, cut + 1))
    if held and string.sub(held, 1, #ARGV[2] + 1) == ARGV[2] .. '\\n' then
      return held
    end
  end
end
local item = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #item == 0 then
  return false
end
local member = item[1]
local cut = string.find(member, '\\n', 1, true)
local field = cut and string.sub(member, 1, cut - 1) or member
local value = ARGV[2] .. '\\n' .. item[2] .. '\\n' .. member
redis.call('ZREM', KEYS[1], member)
redis.call('HSET', KEYS[2], field, value)
redis.call('SET', KEYS[3], ARGV[1] .. '\\n' .. field, 'PX', ARGV[3])
return value
"""

_TAKE = """
local receipt = redis.call('GET', KEYS[2])
if receipt then
  local cut = string.find(receipt, '\\n', 1, true)
  if string.sub(receipt, 1, cut - 1) == ARGV[1] then
    return string.sub(receipt, cut + 1)
  end
end
local command = redis.call('GETDEL', KEYS[1])
if command then
  redis.call('SET', KEYS[2], ARGV[1] .. '\\n' .. command, 'PX', ARGV[2])
end
return command
"""


def entry(field: str, data: bytes) -> bytes:
    """A queue entry: the request's in-flight field, then the serialized request."""
    if "\n" in field:
        raise ValueError(f"an in-flight field cannot hold a newline: {field!r}")
    return field.encode() + b"\n" + data


@dataclass(frozen=True)
class Popped:
    field: str
    score: float
    data: bytes


class Attempt:
    """A token that stays the same until an attempt is answered."""

    def __init__(self) -> None:
        self._token: str | None = None

    @property
    def token(self) -> str:
        if self._token is None:
            self._token = secrets.token_hex(8)
        return self._token

    def answered(self) -> None:
        self._token = None


class Frontier:
    """One worker's view of a source's shared request queue."""

    def __init__(self, client: redis.Redis, keys: RedisKeys, worker_id: str) -> None:
        self.client = client
        self.keys = keys
        self.worker_id = worker_id
        self._push = client.register_script(_PUSH)
        self._pop = client.register_script(_POP)
        self._take = client.register_script(_TAKE)
        self._pop_attempt = Attempt()
        self._take_attempt = Attempt()

    def push(self, field: str, data: bytes, score: float, fingerprint: str | None) -> bool:
        """Queue a request unless the dupefilter has seen ``fingerprint`` (None: always).

        False if it was seen; a push repeated after a lost reply also answers False,
        the request being queued by the first one.
        """
        keys = [self.keys.dupefilter, self.keys.requests]
        added: Any = self._push(keys=keys, args=[fingerprint or "", score, entry(field, data)])
        return bool(added)

    def pop(self) -> Popped | None:
        """Take the first request and record it in flight on this worker."""
        keys = [self.keys.requests, self.keys.inflight, self.keys.receipt("pop", self.worker_id)]
        value: Any = self._pop(
            keys=keys, args=[self._pop_attempt.token, self.worker_id, RECEIPT_TTL_MS]
        )
        self._pop_attempt.answered()
        if value is None:
            return None
        _, score, member = bytes(value).split(b"\n", 2)
        field, _, data = member.partition(b"\n")
        return Popped(field.decode(), float(score), data)

    def take_command(self) -> bytes | None:
        """Take the pending discovery command, if any (one worker gets it)."""
        keys = [self.keys.start, self.keys.receipt("command", self.worker_id)]
        command: Any = self._take(keys=keys, args=[self._take_attempt.token, RECEIPT_TTL_MS])
        self._take_attempt.answered()
        return None if command is None else bytes(command)

    def forget_receipts(self) -> None:
        """Remove this worker's receipts (it is closing, nothing is unanswered)."""
        self.client.delete(
            self.keys.receipt("pop", self.worker_id), self.keys.receipt("command", self.worker_id)
        )
