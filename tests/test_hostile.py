"""Hostile pages: the crawl finishes within budget, counts every case, leaks nowhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from newsvault.summary import reasons
from tests.conftest import write_site_config
from tests.hostile import HostileServer, build_cases

ENTRY_EXCLUDED = ("/2025/loop-b/",)


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            status = Path(f"/proc/{entry}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        ppid = int(fields.get("PPid", "0").strip())
        children.setdefault(ppid, []).append(int(entry))
        rss[int(entry)] = int(fields.get("VmRSS", "0 kB").split()[0])
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += rss.get(current, 0)
        todo.extend(children.get(current, []))
    return total / 1024


def test_hostile_pages(tmp_path: Path) -> None:
    private = HostileServer()
    private.start()
    site = HostileServer()
    site.cases = build_cases(private.base_url)
    site.start()
    entries = [p for p in site.cases if not (p in ENTRY_EXCLUDED or "/chain-" in p)] + [
        "/2025/chain-0/"
    ]
    items = "".join(f"<item><link>{site.base_url}{p}</link></item>" for p in entries)
    from tests.hostile import Case

    site.cases["/rss.xml"] = Case(
        "/rss.xml",
        lambda h: h.reply(
            200, f"<rss><channel>{items}</channel></rss>".encode(), "application/rss+xml"
        ),
    )
    source = f"""
[sources.h]
name = "Hostile"
feeds = ["{site.base_url}/rss.xml"]
allowed_domains = ["127.0.0.1"]
article_pattern = '/2025/'
"""
    write_site_config(
        tmp_path / "nv.toml",
        site.base_url,
        source,
        concurrent_requests_per_domain=8,
        download_timeout=3,
        download_maxsize_mb=20,
        extract_timeout=10,
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsvault", "--config", "nv.toml", "crawl", "h"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak = 0.0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, tree_rss_mb(proc.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.monotonic()
    try:
        _, err = proc.communicate(timeout=150)
    finally:
        stop.set()
        proc.kill()
        site.shutdown()
        private.shutdown()
        site.server_close()
        private.server_close()
    elapsed = time.monotonic() - started
    assert elapsed < 120, f"crawl took {elapsed:.0f}s"
    assert peak < 900, f"peak RSS {peak:.0f} MB"
    assert private.requests == [], "a private address was reached"
    manifest = json.loads(next((tmp_path / "archive" / "runs").rglob("*.json")).read_text())
    assert manifest["result"] == "finished", err
    counts = manifest["counts"]
    stored = counts.get("text/records", 0)
    why = reasons(counts)
    assert stored + sum(why.values()) == len(entries), (stored, why, err[-3000:])
    # Loopback on another port is refused by the egress check; 10.0.0.1 and
    # 169.254.169.254 are outside the source's domains and refused before that.
    assert why.get("EgressRefused", 0) >= 1, why
    assert why.get("OffsiteRedirect", 0) >= 3, why
    assert "h" in err and "not stored" in err  # the summary table went out
