"""One SIGTERM or SIGINT: WARCs closed, output published, nothing lost or duplicated."""

from __future__ import annotations

import gzip
import json
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from newsvault.demosite.site import build_site
from tests.conftest import FixtureSite, run_cli, write_config


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_one_signal_stops_cleanly(tmp_path: Path, site: FixtureSite, signum: int) -> None:
    write_config(tmp_path / "nv.toml", site, download_delay=0.4, concurrent_requests_per_domain=1)
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsvault", "--config", "nv.toml", "crawl", "demo"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    articles = {a.path for a in build_site(site.base).articles}
    deadline = time.monotonic() + 60
    while not set(site.requests()) & articles and time.monotonic() < deadline:
        time.sleep(0.05)  # stop once article fetching is under way
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, err  # stopped early: not everything was crawled
    archive = tmp_path / "archive"
    manifest = json.loads(next((archive / "runs").rglob("*.json")).read_text())
    assert manifest["result"] == "shutdown"
    assert not list(archive.rglob("*.open")) and not list((tmp_path / "state").rglob("*.open"))
    for warc in archive.rglob("*.warc.gz"):
        with warc.open("rb") as fh:
            assert list(ArchiveIterator(fh, check_digests=True))

    again = run_cli(["--config", "nv.toml", "crawl", "demo"], cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    ids: Counter[str] = Counter()
    urls = set()
    for path in archive.rglob("*.jsonl.gz"):
        with gzip.open(path, "rt") as fh:
            for line in fh:
                record = json.loads(line)
                ids[record["id"]] += 1
                urls.add(record["canonical_url"])
    assert urls == {site.base + p for p in articles}, "nothing lost"
    assert max(ids.values()) == 1, "nothing duplicated"
    fetched = Counter(p for p in site.requests() if p in articles)
    assert max(fetched.values()) == 1, fetched
