"""The boto3 client for :class:`storage.s3.S3Store` and its error translation.

Endpoint, region and credentials come only from the standard AWS chain
(``AWS_ENDPOINT_URL_S3``, ``AWS_ACCESS_KEY_ID``, profiles, ...): nothing here
accepts or logs them. Options that are safe to write down (timeouts, attempts,
multipart sizes) can ride on the storage URL's query string.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from storage.base import StoreError

MIB = 1 << 20
# S3 refuses parts below 5 MiB, except the last one.
MIN_PART_SIZE = 5 * MIB
PRECONDITION_FAILED = frozenset({"PreconditionFailed", "412"})
NOT_FOUND = frozenset({"404", "NoSuchKey", "NotFound"})
_USERINFO = re.compile(r"(?<=://)[^/@\s]+@")


@dataclass(frozen=True)
class S3Options:
    """Tunables of one store; every field can be set as ``?name=value`` on the URL."""

    connect_timeout: float = 5.0
    # A stalled server must not hang a publish forever; parts are at most a few MiB.
    read_timeout: float = 60.0
    # Total attempts per request, the first included: retries cover blips, the
    # spool covers outages.
    attempts: int = 5
    multipart_threshold: int = 64 * MIB
    part_size: int = 16 * MIB

    def __post_init__(self) -> None:
        if self.part_size < MIN_PART_SIZE:
            raise ValueError(f"part_size must be at least {MIN_PART_SIZE} bytes")
        if self.attempts < 1 or self.read_timeout <= 0 or self.connect_timeout <= 0:
            raise ValueError("attempts and timeouts must be positive")

    @classmethod
    def from_query(cls, query: dict[str, list[str]]) -> S3Options:
        types = {"connect_timeout": float, "read_timeout": float, "attempts": int}
        sizes = ("multipart_threshold", "part_size")
        values: dict[str, Any] = {}
        for name, raw in query.items():
            if name in types:
                values[name] = types[name](raw[-1])
            elif name in sizes:
                values[name] = int(raw[-1])
            else:
                raise StoreError(f"unknown s3 storage option {name!r}")
        return cls(**values)


def make_client(options: S3Options) -> Any:
    config = Config(
        s3={"addressing_style": "path"},
        retries={"mode": "standard", "total_max_attempts": options.attempts},
        connect_timeout=options.connect_timeout,
        read_timeout=options.read_timeout,
    )
    try:
        return boto3.session.Session().client("s3", config=config)
    except BotoCoreError as exc:
        raise StoreError(f"cannot configure the S3 client: {redact(str(exc))}") from None


def error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def redact(message: str) -> str:
    """Drop ``user:password@`` from any URL in a message (an endpoint may carry one)."""
    return _USERINFO.sub("***@", message)


@contextmanager
def translated(action: str, where: str) -> Iterator[None]:
    """Turn boto3/botocore failures into :class:`StoreError` naming the object.

    The original exception is not chained: its request context would carry
    signed headers into tracebacks.
    """
    try:
        yield
    except ClientError as exc:
        message = exc.response.get("Error", {}).get("Message", "")
        raise StoreError(
            redact(f"{action} {where} failed: {error_code(exc)} {message}".rstrip())
        ) from None
    except BotoCoreError as exc:
        raise StoreError(redact(f"{action} {where} failed: {exc}")) from None
