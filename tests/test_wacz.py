"""A WACZ export of a crawl validates and lists the crawled articles."""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

from newsvault.pywb import find_pywb
from newsvault.wacz import wacz_tool
from tests.conftest import FixtureSite, run_cli, write_config


def test_export_wacz_validates(tmp_path: Path, site: FixtureSite) -> None:
    write_config(tmp_path / "nv.toml", site)
    assert run_cli(["--config", "nv.toml", "crawl", "demo"], cwd=tmp_path).returncode == 0
    result = run_cli(["--config", "nv.toml", "export-wacz", "--out", "demo.wacz"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    wacz = tmp_path / "demo.wacz"
    tool = wacz_tool(find_pywb({}))
    check = subprocess.run(
        [str(tool), "validate", "-f", str(wacz)], capture_output=True, text=True, check=False
    )
    assert check.returncode == 0, check.stdout + check.stderr
    with zipfile.ZipFile(wacz) as package:
        names = package.namelist()
        assert "datapackage.json" in names
        assert any(n.startswith("archive/") and n.endswith(".warc.gz") for n in names)
        pages = package.read("pages/pages.jsonl").decode().splitlines()
    urls = {json.loads(line).get("url") for line in pages[1:]}
    assert len(urls) == 6 and all(u.startswith(site.base) for u in urls)
