"""Where ``newsvault replay`` shows a capture; in every clean record as ``replay_url``."""

from __future__ import annotations

REPLAY_COLLECTION = "newsvault"


def replay_path(warc_date: str, url: str) -> str:
    """``/<collection>/<timestamp>/<url>``, the path pywb serves a capture under."""
    digits = "".join(ch for ch in warc_date if ch.isdigit())[:14]
    return f"/{REPLAY_COLLECTION}/{digits}/{url}"
