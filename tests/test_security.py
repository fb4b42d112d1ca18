"""Security defaults: no listening endpoints in a crawl, loopback servers, safe keys."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from scrapy.settings import Settings

from newsvault.config import load_config
from newsvault.crawlsettings import base_settings
from storage.keys import UnsafeKeyError, safe_key, text_key
from tests.conftest import FixtureSite, write_config

LISTEN = "0A"


def listening_ports(pid: int) -> list[str]:
    """Local addresses of TCP sockets in LISTEN state held by a process tree's root."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == LISTEN and fields[9] in inodes:
                found.append(fields[1])
    return found


def test_a_crawl_opens_no_listening_socket(tmp_path: Path, site: FixtureSite) -> None:
    assert listening_ports(site.process.pid), "the detector sees the fixture site's socket"
    write_config(tmp_path / "nv.toml", site, download_delay=0.3, concurrent_requests_per_domain=1)
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsvault", "--config", "nv.toml", "crawl", "demo"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        seen: list[str] = []
        deadline = time.monotonic() + 30
        while proc.poll() is None and time.monotonic() < deadline:
            if len(site.requests()) > 3:  # the crawler is up and fetching
                seen += listening_ports(proc.pid)
            time.sleep(0.1)
        assert seen == [], "telnet, remote control or another endpoint is listening"
    finally:
        proc.wait(timeout=120)


def test_scrapy_interactive_endpoints_are_off() -> None:
    config = load_config(Path(__file__).resolve().parents[1] / "config" / "newsvault.toml")
    settings = Settings(base_settings(config))
    assert settings.getbool("TELNETCONSOLE_ENABLED") is False
    assert settings.getbool("REMOTE_CONTROL_ENABLED") is False
    assert settings.getbool("COOKIES_ENABLED") is False
    assert settings.getbool("NEWSVAULT_EGRESS_CHECK_ENABLED") is True
    assert settings.getint("DOWNLOAD_MAXSIZE") <= 32 * 1024 * 1024


def test_demo_site_binds_loopback_by_default(site: FixtureSite) -> None:
    assert site.base.startswith("http://127.0.0.1:")


@pytest.mark.parametrize(
    "key", ["../x", "a/../b", "/abs", "a\\b", "a//b", "a/./b", "a/\x00b", "a/\nb", ""]
)
def test_unsafe_keys_are_refused(key: str) -> None:
    with pytest.raises(UnsafeKeyError):
        safe_key(key)


def test_key_parts_from_free_text_are_sanitised() -> None:
    from datetime import date

    key = text_key("../../etc", date(2025, 5, 21), "run/../x")
    assert ".." not in key.split("/") and key.startswith("text/etc/2025/05/21/")
