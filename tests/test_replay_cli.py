"""`newsvault replay` serves the archive in pywb, on 127.0.0.1, revisits included."""

from __future__ import annotations

import html
import subprocess
import sys
import urllib.request
from pathlib import Path

from newsvault.demosite.site import build_site
from newsvault.pywb import free_port
from tests.conftest import FixtureSite, run_cli, write_config


def replay_links(work: Path) -> tuple[subprocess.Popen[str], dict[str, str]]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsvault", "--config", "nv.toml", "replay", "--port", str(port)],
        cwd=work,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    header = proc.stdout.readline()
    assert header.startswith("replaying "), (
        proc.stderr.read() if proc.poll() is not None else header
    )
    assert f"http://127.0.0.1:{port}/" in header
    source, link = proc.stdout.readline().strip().split(": ", 1)
    return proc, {source: link}


def stop(proc: subprocess.Popen[str]) -> None:
    proc.terminate()
    proc.wait(timeout=30)
    for stream in (proc.stdout, proc.stderr):
        if stream:
            stream.close()


def fetch(url: str) -> tuple[int, str]:
    """The framed replay page, then the archived page inside its frame (``mp_``)."""
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.status == 200
    base, rest = url.split("/newsvault/", 1)
    stamp, original = rest.split("/", 1)
    framed = f"{base}/newsvault/{stamp}mp_/{original}"
    with urllib.request.urlopen(framed, timeout=30) as response:
        return response.status, html.unescape(response.read().decode("utf-8", "replace"))


def test_replay_serves_newest_article_and_revisits(tmp_path: Path, site: FixtureSite) -> None:
    write_config(tmp_path / "nv.toml", site)
    assert run_cli(["--config", "nv.toml", "crawl", "demo"], cwd=tmp_path).returncode == 0
    texts = {f"{site.base}{a.path}": a for a in build_site(site.base).articles}

    proc, links = replay_links(tmp_path)
    try:
        url = links["demo"]
        original = url.split("/newsvault/", 1)[1].split("/", 1)[1]
        status, body = fetch(url)
        assert status == 200
        article = texts[original]
        first = article.lines_labelled("article")[0]
        assert " ".join(first.split())[:60] in " ".join(body.split())
    finally:
        stop(proc)

    again = run_cli(["--config", "nv.toml", "crawl", "demo", "--refetch"], cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    proc, links = replay_links(tmp_path)
    try:
        status, body = fetch(links["demo"])  # the newest capture is now a revisit record
        assert status == 200
        original = links["demo"].split("/newsvault/", 1)[1].split("/", 1)[1]
        first = texts[original].lines_labelled("article")[0]
        assert " ".join(first.split())[:60] in " ".join(body.split())
    finally:
        stop(proc)
