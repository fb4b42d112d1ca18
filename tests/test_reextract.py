"""Re-extraction from stored WARCs: offline, same text for the same extractor."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from tests.conftest import FixtureSite, run_cli, run_cli_watched, write_config


def texts(paths: list[Path]) -> dict[str, str]:
    out = {}
    for path in paths:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                record = json.loads(line)
                out[record["id"]] = record["text"]
    return out


def test_reextract_matches_crawl_offline(tmp_path: Path, site: FixtureSite) -> None:
    write_config(tmp_path / "nv.toml", site)
    crawl = run_cli(["--config", "nv.toml", "crawl", "demo"], cwd=tmp_path)
    assert crawl.returncode == 0, crawl.stderr
    archive = tmp_path / "archive"
    crawl_texts = texts(sorted((archive / "text").rglob("*.jsonl.gz")))
    assert len(crawl_texts) >= 6
    site.clear_log()
    site.stop()  # nothing to fetch from: a network request would fail loudly

    result, watch = run_cli_watched(
        ["--config", "nv.toml", "reextract", "--workers", "2"], cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert len(watch.processes()) >= 3, "re-extraction and its two workers"
    assert watch.not_batch() == {}
    assert site.requests() == []
    sets = sorted((archive / "reextract").iterdir())
    assert len(sets) == 1
    new_texts = texts(sorted(sets[0].rglob("*.jsonl.gz")))
    assert new_texts == crawl_texts
    assert f"{len(crawl_texts)} article(s), 0 changed" in result.stderr
    assert (archive / "text").is_dir(), "the crawl-time set stays"

    pulled = run_cli(
        ["--config", "nv.toml", "pull", "--out", "out", "--text-set", sets[0].name], cwd=tmp_path
    )
    assert pulled.returncode == 0, pulled.stderr
    lines = (tmp_path / "out" / "demo.jsonl").read_text().splitlines()
    assert {json.loads(x)["text_set"] for x in lines} == {sets[0].name}
    assert len(lines) == len(crawl_texts)


def test_reextract_counts_changed_articles(tmp_path: Path, site: FixtureSite) -> None:
    write_config(tmp_path / "nv.toml", site)
    assert run_cli(["--config", "nv.toml", "crawl", "demo"], cwd=tmp_path).returncode == 0
    config = tmp_path / "nv.toml"
    # A per-source rule that removes each page's first story paragraph: every text changes.
    text = config.read_text().replace(
        'schedule = "*/30 * * * *"',
        'schedule = "*/30 * * * *"\ndrop_selectors = [".article-body > p:first-of-type"]',
    )
    config.write_text(text)
    result = run_cli(["--config", "nv.toml", "reextract"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "6 article(s), 6 changed, 0 unchanged" in result.stderr
