"""Disk full while writing: the run stops loudly, cuts the partial record, publishes nothing."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from pipelines.warcverify import gzip_members
from tests.conftest import FixtureSite, write_config


def test_disk_full_stops_the_crawl_and_keeps_warcs_whole(tmp_path: Path, site: FixtureSite) -> None:
    write_config(tmp_path / "nv.toml", site, download_delay=0.2, concurrent_requests_per_domain=1)
    spool = tmp_path / "state" / "spool"
    spool.mkdir(parents=True)
    kept = tmp_path / "spool-after"
    crawl = shlex.join([sys.executable, "-m", "newsvault", "--config", "nv.toml", "crawl", "demo"])
    # A 12 KiB filesystem over the spool, in a private mount namespace; its content
    # is copied out before the namespace (and the filesystem) goes away.
    script = (
        f"mount -t tmpfs -o size=12k tmpfs {shlex.quote(str(spool))} && "
        f"{{ {crawl}; echo $? > exit-code; }}; cp -a {shlex.quote(str(spool))}/. "
        f"{shlex.quote(str(kept))}/"
    )
    kept.mkdir()
    unshare = ["unshare", "-m"] if os.geteuid() == 0 else ["unshare", "-m", "-r"]
    done = subprocess.run(
        [*unshare, "sh", "-c", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert (tmp_path / "exit-code").read_text().strip() == "1", done.stderr
    assert "disk_full" in done.stderr
    assert not (tmp_path / "archive").exists(), "nothing is published from a failed spool"
    warcs = list(kept.rglob("*.warc.gz")) + list(kept.rglob("*.warc.gz.open"))
    assert warcs, done.stderr
    for warc in warcs:
        members = list(gzip_members(warc))
        assert members and all(m.complete for m in members), f"partial record in {warc.name}"
        with warc.open("rb") as fh:
            records = list(ArchiveIterator(fh, check_digests=True))
        assert records[0].rec_type == "warcinfo"
