"""A crawl's own process loads only what it uses and exits without a long teardown."""

from __future__ import annotations

import json
from pathlib import Path

from scrapy.settings import default_settings

from newsvault.settings import DEFAULTS
from tests.conftest import FixtureSite, run_cli, text_records, write_config

# Runs the real entry point and reports, at the very end, what the process loaded.
PROBE = """
import atexit, gc, json, sys

def report():
    names = ("trafilatura", "aiohttp", "scrapy", "scrapy.core.downloader.handlers.file")
    loaded = {name: name in sys.modules for name in names}
    print("PROBE " + json.dumps({"loaded": loaded, "frozen": gc.get_freeze_count()}))

atexit.register(report)
sys.argv = ["newsvault", *sys.argv[1:]]
from newsvault.cli import entry
entry()
"""


def test_crawl_process_leaves_the_cleaner_to_its_workers(tmp_path: Path, site: FixtureSite) -> None:
    write_config(tmp_path / "newsvault.toml", site)
    result = run_cli(["--config", "newsvault.toml", "crawl", "demo"], tmp_path, entry=("-c", PROBE))
    assert result.returncode == 0, result.stderr[-3000:]
    probe = json.loads(result.stdout.rsplit("PROBE ", 1)[1])
    # Scrapy's RemoteControl (aiohttp) and its file: handler are not even imported;
    # trafilatura runs in the workers.
    assert probe["loaded"] == {
        "trafilatura": False,
        "aiohttp": False,
        "scrapy": True,
        "scrapy.core.downloader.handlers.file": False,
    }
    assert probe["frozen"] > 0, "the heap is frozen before the interpreter tears it down"
    cleaned = [r for r in text_records(tmp_path) if r["text"]]
    assert cleaned, "the workers did clean the articles"


def test_extension_base_is_scrapys_without_remote_control() -> None:
    ours = DEFAULTS["EXTENSIONS_BASE"]
    scrapys = dict(default_settings.EXTENSIONS_BASE)
    assert scrapys.pop("scrapy.extensions.remote_control.RemoteControl") == 0
    assert ours == scrapys, "Scrapy's base extensions changed: update newsvault.settings"
