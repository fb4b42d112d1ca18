"""Fixtures shared by the test modules: the fixture news site and CLI runs."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.proctree import PolicyWatch

REPO = Path(__file__).resolve().parents[1]


@dataclass
class FixtureSite:
    """The demo news site served by its own process on 127.0.0.1."""

    base: str
    log: Path
    process: subprocess.Popen[str]

    @property
    def hostport(self) -> str:
        return self.base.removeprefix("http://")

    def requests(self) -> list[str]:
        if not self.log.exists():
            return []
        return [
            line.split("\t", 1)[0].split(" ", 1)[1] for line in self.log.read_text().splitlines()
        ]

    def clear_log(self) -> None:
        self.log.write_text("")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        if self.process.stdout:
            self.process.stdout.close()


def start_site(tmp: Path) -> FixtureSite:
    log = tmp / "site-requests.log"
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsvault.demosite", "--port", "0", "--log", str(log)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    base = proc.stdout.readline().strip()
    assert base.startswith("http://127.0.0.1:"), base
    return FixtureSite(base, log, proc)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[FixtureSite]:
    served = start_site(tmp_path)
    yield served
    served.stop()


def write_site_config(path: Path, base: str, sources: str, **crawl: object) -> Path:
    """A config for a site at ``base`` (127.0.0.1), fast crawl settings, ``sources`` TOML."""
    settings: dict[str, object] = {
        "download_delay": 0.0,
        "autothrottle": False,
        "concurrent_requests_per_domain": 4,
        "user_agent": "newsvault-tests",
        "allow_private_hosts": [base.removeprefix("http://")],
        "extract_workers": 2,
        **crawl,
    }
    crawl_lines = "\n".join(
        f"{k} = {json.dumps(v)}" if not isinstance(v, bool) else f"{k} = {str(v).lower()}"
        for k, v in settings.items()
    )
    path.write_text(f"""
[storage]
url = "file://archive"
[state]
dir = "state"
[crawl]
{crawl_lines}
{sources}
""")
    return path


def write_config(path: Path, site: FixtureSite, extra_source: str = "", **crawl: object) -> Path:
    """A config whose one source, ``demo``, is the fixture site."""
    source = f"""
[sources.demo]
name = "Demo News"
feeds = ["{site.base}/rss.xml", "{site.base}/atom.xml"]
sitemaps = ["{site.base}/robots.txt"]
start_urls = ["{site.base}/world/"]
allowed_domains = ["127.0.0.1"]
article_pattern = '/\\d{{4}}/\\d{{2}}/\\d{{2}}/'
schedule = "*/30 * * * *"
{extra_source}
"""
    return write_site_config(path, site.base, source, **crawl)


def run_cli(
    args: list[str],
    cwd: Path,
    timeout: float = 180,
    env: dict[str, str] | None = None,
    entry: tuple[str, ...] = ("-m", "newsvault"),
) -> subprocess.CompletedProcess[str]:
    """Run ``newsvault`` in its own process: a crawl owns its process's reactor.

    ``entry``: how the interpreter starts it (a probe wrapping the entry point, say).
    """
    return subprocess.run(
        [sys.executable, *entry, *args],
        check=False,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


def run_cli_watched(
    args: list[str], cwd: Path, timeout: float = 180
) -> tuple[subprocess.CompletedProcess[str], PolicyWatch]:
    """``run_cli``, watching the scheduling policy of every thread the run starts."""
    argv = [sys.executable, "-m", "newsvault", *args]
    pipe = subprocess.PIPE
    proc = subprocess.Popen(argv, cwd=cwd, stdout=pipe, stderr=pipe, text=True)
    with PolicyWatch(proc.pid) as watch:
        out, err = proc.communicate(timeout=timeout)
    return subprocess.CompletedProcess(argv, proc.returncode, out, err), watch


def text_records(work: Path) -> list[dict[str, Any]]:
    """Every clean-text record published to the ``file://`` archive under ``work``."""
    out: list[dict[str, Any]] = []
    for path in sorted((work / "archive" / "text").rglob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            out.extend(json.loads(line) for line in fh)
    return out
