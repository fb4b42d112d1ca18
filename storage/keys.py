"""Object keys: the one place that decides where things live in the archive.

Bucket layout (the same for ``file://`` and ``s3://``)::

    warc/<source>/<YYYY>/<MM>/<DD>/<prefix>-<timestamp>-<serial>-<host>.warc.gz
    warc/<source>/<YYYY>/<MM>/<DD>/<same name>.cdxj
    text/<source>/<YYYY>/<MM>/<DD>/<run_id>.jsonl.gz
    runs/<source>/<run_id>.json
    profiles/<source>/<run_id>.json
    reextract/<set_id>/<source>/<YYYY>/<MM>/<DD>/part-<n>.jsonl.gz

Every key goes through :func:`safe_key`, so no caller can produce a key with
``..``, a leading slash, a backslash or a control character.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

_UNSAFE_CHARS = re.compile(r"[^A-Za-z0-9._-]+")
_DATED = re.compile(r"^(warc|text)/([^/]+)/(\d{4})/(\d{2})/(\d{2})/([^/]+)$")


class UnsafeKeyError(ValueError):
    """A key that could escape its prefix or confuse a store."""


def safe_component(value: str) -> str:
    """Reduce free text (a source name, a host) to one safe key segment."""
    cleaned = _UNSAFE_CHARS.sub("_", value).strip("._")
    return cleaned[:120] or "_"


def safe_key(key: str) -> str:
    """Check a full key; raise :class:`UnsafeKeyError` instead of guessing."""
    if not key or key.startswith("/") or "\\" in key:
        raise UnsafeKeyError(f"unsafe object key {key!r}")
    if any(unicodedata.category(ch) == "Cc" for ch in key):
        raise UnsafeKeyError(f"object key with a control character: {key!r}")
    for part in key.split("/"):
        if part in ("", ".", ".."):
            raise UnsafeKeyError(f"unsafe object key {key!r}")
    return key


def _dated(kind: str, source: str, day: date | datetime, name: str) -> str:
    return safe_key(f"{kind}/{safe_component(source)}/{day:%Y/%m/%d}/{safe_component(name)}")


def warc_key(source: str, day: date | datetime, filename: str) -> str:
    return _dated("warc", source, day, filename)


def text_key(source: str, day: date | datetime, run_id: str) -> str:
    return _dated("text", source, day, f"{run_id}.jsonl.gz")


def manifest_key(source: str, run_id: str) -> str:
    return safe_key(f"runs/{safe_component(source)}/{safe_component(run_id)}.json")


def profile_key(source: str, run_id: str) -> str:
    return safe_key(f"profiles/{safe_component(source)}/{safe_component(run_id)}.json")


def reextract_key(set_id: str, source: str, day: date | datetime, part: int) -> str:
    return safe_key(
        f"reextract/{safe_component(set_id)}/{safe_component(source)}/{day:%Y/%m/%d}/"
        f"part-{part:05d}.jsonl.gz"
    )


def parse_dated_key(key: str) -> tuple[str, str, date, str] | None:
    """Split a ``warc/`` or ``text/`` key into (kind, source, day, name)."""
    match = _DATED.match(key)
    if not match:
        return None
    kind, source, year, month, day, name = match.groups()
    try:
        return kind, source, date(int(year), int(month), int(day)), name
    except ValueError:
        return None
