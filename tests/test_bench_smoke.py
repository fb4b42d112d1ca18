"""The throughput benchmark runs end to end on a tiny site and reports sane numbers.

Speed itself is measured by running the benchmark, not asserted here: timings
on a shared machine are too noisy for a test.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

import bigsite  # noqa: E402

PHASES = {
    "(a) fetch only",
    "(b) clean, 1 process",
    f"(d) clean, {os.cpu_count()} procs",
    "(c) newsvault crawl",
}


def rows(report: str) -> dict[str, list[float]]:
    """Phase name to its numbers; columns are separated by two spaces or more."""
    found = {}
    for line in report.splitlines():
        cells = re.split(r"\s{2,}", line.strip())
        if cells[0] in PHASES:
            found[cells[0]] = [float(c) for c in cells[1:]]
    return found


def test_pages_are_large_deterministic_and_served_in_the_sitemap() -> None:
    first = bigsite.article_html(7)
    assert first == bigsite.article_html(7)
    assert len(first) >= bigsite.MIN_PAGE_BYTES
    assert bigsite.page_index(bigsite.article_path(7)) == 7
    assert bigsite.article_path(7).encode() in bigsite.sitemap("", 10)
    server = bigsite.BigSiteServer(10, prerender=True)
    try:
        assert server.rendered[7] == first
    finally:
        server.server_close()


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> str:
    work = tmp_path_factory.mktemp("bench")
    result = subprocess.run(
        [sys.executable, str(REPO / "bench" / "throughput.py"), "--pages", "30"],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_prints_one_row_per_phase_with_positive_numbers(report: str) -> None:
    found = rows(report)
    assert set(found) == PHASES
    for name, (pages, wall, rate, cpu, per_page, main_per_page, rss, site) in found.items():
        assert pages == 30, name
        assert min(wall, rate, cpu, per_page, rss) > 0, name
        assert main_per_page >= 0, name
        assert site >= 0, name
    # the crawl's reactor process is part of its tree (the cleaning loop's own
    # process also builds the pages, which its timed CPU leaves out)
    _, _, _, _, per_page, main_per_page, _, _ = found["(c) newsvault crawl"]
    assert main_per_page <= per_page * 1.05


def test_reports_ratios_and_what_the_crawl_published(report: str) -> None:
    assert "N = 30" in report
    assert re.search(r"c/a = \d+\.\d\d\s+c/b = \d+\.\d\d\s+c/d = \d+\.\d\d", report)
    assert re.search(r"d/b = \d+\.\d\d", report)
    published = re.search(r"\(c\) published (\d+) text records", report)
    assert published and int(published.group(1)) == 30
