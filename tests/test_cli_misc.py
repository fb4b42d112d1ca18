"""extract on saved pages, several sources in one crawl, pull safety."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from newsvault.cli import command_modules, main
from newsvault.demosite.content import seed_articles
from newsvault.demosite.site import build_site
from newsvault.pull import UnsafePathError, inside
from tests.conftest import FixtureSite, run_cli, write_config


def test_extract_saved_pages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = build_site("https://demo.example")
    files = []
    for article in seed_articles():
        path = tmp_path / f"{article.slug}.html"
        path.write_bytes(site.pages[article.path].body)
        files.append(path)
    garbage = tmp_path / "empty.html"
    garbage.write_text("<html></html>")
    assert main(["extract", *map(str, files), str(garbage)]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [x["file"] for x in lines] == [*map(str, files), str(garbage)]
    for article, out in zip(seed_articles(), lines, strict=False):
        assert out["title"] == article.title
        for line in article.lines_labelled("article"):
            assert " ".join(line.split()) in " ".join(out["text"].split())
        assert "Once\n" not in out["text"] and "Next In World" not in out["text"]
        assert out["published"] and out["language"] == "en" and out["site_name"] == "Demo News"
        assert out["extractor"]["version"].startswith("trafilatura")
    assert lines[-1]["text"] is None


def test_several_sources_crawl_concurrently(tmp_path: Path, site: FixtureSite) -> None:
    second = f"""
[sources.business]
name = "Demo business"
feeds = ["{site.base}/atom.xml"]
allowed_domains = ["127.0.0.1"]
article_pattern = '/business/'
"""
    write_config(tmp_path / "nv.toml", site, extra_source=second)
    result = run_cli(["--config", "nv.toml", "crawl", "demo", "business"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    runs = tmp_path / "archive" / "runs"
    assert {p.name for p in runs.iterdir()} == {"demo", "business"}
    run_ids = {p.stem for p in runs.rglob("*.json")}
    assert len(run_ids) == 1, "one command, one run id shared by its sources"
    business = json.loads(next((runs / "business").glob("*.json")).read_text())
    assert business["counts"]["text/records"] == 2
    assert list((tmp_path / "archive" / "warc" / "business").rglob("*.warc.gz"))


def test_pull_refuses_to_write_outside_out(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert inside(out, "demo.jsonl") == (out / "demo.jsonl").resolve()
    for bad in ("../escape.jsonl", "/etc/passwd"):
        with pytest.raises(UnsafePathError):
            inside(out, bad)


def test_source_selection_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "nv.toml"
    config.write_text(
        '[storage]\nurl = "file://archive"\n[sources.a]\nname = "A"\n'
        'feeds = ["https://a.example/rss"]\nallowed_domains = ["a.example"]\n'
        "article_pattern = '/20'\n"
    )
    for command in ("crawl", "enqueue"):
        assert main(["--config", str(config), command]) == 2
        assert f"newsvault {command}: name one or more sources, or --all" in capsys.readouterr().err
        assert main(["--config", str(config), command, "a", "--all"]) == 2
        capsys.readouterr()
    assert main(["--config", str(config), "enqueue", "a"]) == 2
    assert "NEWSVAULT_REDIS_URL" in capsys.readouterr().err
    assert not (tmp_path / "archive").exists()


def test_only_the_named_command_is_loaded() -> None:
    everything = command_modules([])
    assert {"crawl", "export_wacz", "status", "verify"} <= set(everything)
    assert command_modules(["--config", "crawl.toml", "-v", "crawl", "big"]) == ["crawl"]
    assert command_modules(["export-wacz", "--out", "x.wacz"]) == ["export_wacz"]
    # help, no command or an unknown one: every command, so usage lists them all
    assert command_modules(["--help"]) == everything
    assert command_modules(["nope"]) == everything


def test_a_fresh_interpreter_running_one_command_imports_no_other() -> None:
    code = (
        "import sys; from newsvault.cli import build_parser; build_parser(['status']);"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('newsvault.commands.'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["newsvault.commands.status"]
