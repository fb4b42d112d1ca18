"""One crawl of the fixture news site, checked end to end."""

from __future__ import annotations

import gzip
import io
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from newsvault.demosite.content import seed_articles
from newsvault.demosite.site import DISALLOWED, build_site
from tests.conftest import FixtureSite, run_cli, start_site, text_records, write_config


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, FixtureSite, Any]]:
    work = tmp_path_factory.mktemp("crawl")
    site = start_site(work)
    write_config(work / "newsvault.toml", site)
    result = run_cli(["--config", "newsvault.toml", "crawl", "demo"], cwd=work)
    yield work, site, result
    site.stop()


def norm(text: str) -> str:
    return " ".join(text.split())


def warc_files(work: Path) -> list[Path]:
    return sorted((work / "archive" / "warc").rglob("*.warc.gz"))


def test_crawl_exits_zero_and_lays_out_the_archive(crawled: tuple[Path, FixtureSite, Any]) -> None:
    work, _, result = crawled
    assert result.returncode == 0, result.stderr
    archive = work / "archive"
    assert warc_files(work)
    for warc in warc_files(work):
        parts = warc.relative_to(archive).parts
        assert parts[:2] == ("warc", "demo") and len(parts) == 6
        assert warc.with_name(warc.name.replace(".warc.gz", ".cdxj")).exists()
    manifests = list((archive / "runs" / "demo").glob("*.json"))
    assert len(manifests) == 1
    manifest = json.loads(manifests[0].read_text())
    listed = {f["key"] for f in manifest["files"]}
    on_disk = {
        p.relative_to(archive).as_posix()
        for p in archive.rglob("*")
        if p.is_file() and not p.relative_to(archive).as_posix().startswith(("runs/", "profiles/"))
    }
    assert listed == on_disk
    assert not list(archive.rglob("*.open")), "no unfinished file is ever published"
    assert "stored" in result.stderr


def test_every_article_archived_exactly_once(crawled: tuple[Path, FixtureSite, Any]) -> None:
    work, site, _ = crawled
    articles = build_site(site.base).articles
    fetched = Counter(site.requests())
    for article in articles:
        assert fetched[article.path] == 1, article.path
    # Every discovery route ran: RSS, Atom, robots.txt → sitemap index → sitemaps,
    # and the section page with its pagination.
    for path in (
        "/rss.xml",
        "/atom.xml",
        "/robots.txt",
        "/sitemap-index.xml",
        "/sitemap-news.xml",
        "/world/",
        "/world/?page=2",
    ):
        assert fetched[path] >= 1, path
    urls = [r["canonical_url"] for r in text_records(work)]
    assert sorted(urls) == sorted(f"{site.base}{a.path}" for a in articles)


def test_disallowed_and_offsite_urls_never_requested(
    crawled: tuple[Path, FixtureSite, Any],
) -> None:
    work, site, _ = crawled
    assert DISALLOWED not in site.requests()
    uris = set()
    for warc in warc_files(work):
        with warc.open("rb") as fh:
            uris |= {r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(fh)}
    assert not any("offsite.invalid" in str(u) or "/private/" in str(u) for u in uris)
    manifest = json.loads(next((work / "archive" / "runs").rglob("*.json")).read_text())
    assert manifest["counts"]["articles/offsite"] >= 1
    assert manifest["counts"]["robotstxt/forbidden"] >= 1


def test_warc_records_match_served_bytes(crawled: tuple[Path, FixtureSite, Any]) -> None:
    work, site, _ = crawled
    pages = build_site(site.base).pages
    seen_types: Counter[str] = Counter()
    checked = 0
    for warc in warc_files(work):
        with warc.open("rb") as fh:
            it = ArchiveIterator(fh, check_digests=True)
            first = next(it)
            assert first.rec_type == "warcinfo"
            assert first.rec_headers.protocol == "WARC/1.1"
            for record in it:
                assert record.rec_headers.protocol == "WARC/1.1"
                seen_types[record.rec_type] += 1
                if record.rec_type == "request":
                    assert record.rec_headers.get_header("WARC-Concurrent-To")
                    assert record.http_headers.get_header("Cookie") is None
                if record.rec_type != "response":
                    continue
                assert record.rec_headers.get_header("WARC-IP-Address") == "127.0.0.1"
                assert record.http_headers.get_header("Transfer-Encoding") is None
                path = record.rec_headers.get_header("WARC-Target-URI").removeprefix(site.base)
                raw = record.raw_stream.read()
                length = record.http_headers.get_header("Content-Length")
                assert length is None or int(length) == len(raw)
                page = pages.get(path)
                if page is None or record.http_headers.get_statuscode() != "200":
                    continue
                if record.http_headers.get_header("Content-Encoding") == "gzip":
                    assert raw == gzip.compress(page.body, mtime=0)
                else:
                    assert raw == page.body
                checked += 1
            assert it.err_count == 0 if hasattr(it, "err_count") else True
    assert seen_types["request"] == seen_types["response"] + seen_types["revisit"]
    assert checked >= len(build_site(site.base).articles) + 4


def test_clean_text_of_the_seeds(crawled: tuple[Path, FixtureSite, Any]) -> None:
    work, site, _ = crawled
    by_url = {r["canonical_url"]: r for r in text_records(work)}
    for seed in seed_articles():
        record = by_url[f"{site.base}{seed.path}"]
        text = norm(record["text"])
        lines = [norm(x) for x in record["text"].splitlines()]
        for line in seed.lines_labelled("article"):
            assert norm(line) in text, f"article line lost: {line[:60]}"
        for line in seed.lines_labelled("boilerplate"):
            cleaned = norm(line.lstrip(" •"))
            # Short lines ("Once") may occur inside article prose; long ones may not occur at all.
            kept = cleaned in lines if len(cleaned) < 25 else cleaned in text
            assert not kept, f"boilerplate kept: {cleaned[:60]}"
        assert record["title"] == seed.title


def test_clean_records_carry_metadata_and_provenance(
    crawled: tuple[Path, FixtureSite, Any],
) -> None:
    work, _, _ = crawled
    for record in text_records(work):
        for key in (
            "id",
            "source",
            "url",
            "canonical_url",
            "title",
            "authors",
            "published",
            "language",
            "site_name",
            "text",
            "fetched_at",
            "warc_file",
            "warc_record_id",
            "extractor",
        ):
            assert key in record, key
        assert record["source"] == "demo"
        stamp = "".join(c for c in record["warc_date"] if c.isdigit())[:14]
        assert record["replay_url"] == f"/newsvault/{stamp}/{record['url']}"
        assert record["extractor"]["version"].startswith("trafilatura")
        warc = next((work / "archive" / "warc").rglob(record["warc_file"]))
        with warc.open("rb") as fh:
            fh.seek(record["warc_offset"])
            chunk = fh.read(record["warc_length"])
        rec = next(ArchiveIterator(io.BytesIO(chunk)))
        assert rec.rec_headers.get_header("WARC-Record-ID") == record["warc_record_id"]
        assert rec.rec_headers.get_header("WARC-Target-URI") == record["url"]


def test_pull_returns_what_was_crawled(crawled: tuple[Path, FixtureSite, Any]) -> None:
    work, _, _ = crawled
    result = run_cli(["--config", "newsvault.toml", "pull", "--out", "out"], cwd=work)
    assert result.returncode == 0, result.stderr
    pulled = [json.loads(line) for line in (work / "out" / "demo.jsonl").read_text().splitlines()]
    assert sorted(r["id"] for r in pulled) == sorted(r["id"] for r in text_records(work))
    narrowed = run_cli(
        [
            "--config",
            "newsvault.toml",
            "pull",
            "--out",
            "out2",
            "--query",
            "Astrakhan",
            "--since",
            "2025-05-01",
        ],
        cwd=work,
    )
    assert narrowed.returncode == 0, narrowed.stderr
    lines = (work / "out2" / "demo.jsonl").read_text().splitlines()
    assert [json.loads(x)["title"] for x in lines] == [
        "Astrakhan port plans new grain terminal for Iranian buyers"
    ]


def test_second_run_fetches_no_archived_article(crawled: tuple[Path, FixtureSite, Any]) -> None:
    work, site, _ = crawled
    site.clear_log()
    result = run_cli(["--config", "newsvault.toml", "crawl", "demo"], cwd=work)
    assert result.returncode == 0, result.stderr
    paths = set(site.requests())
    assert not paths & {a.path for a in build_site(site.base).articles}
    assert "/rss.xml" in paths


def test_pull_formats(crawled: tuple[Path, FixtureSite, Any]) -> None:
    import pyarrow.parquet as pq

    work, _, _ = crawled
    ids = sorted(r["id"] for r in text_records(work))
    result = run_cli(
        ["--config", "newsvault.toml", "pull", "--out", "pq", "--format", "parquet"], cwd=work
    )
    assert result.returncode == 0, result.stderr
    table = pq.read_table(work / "pq" / "demo.parquet")
    assert sorted(table.column("id").to_pylist()) == ids
    assert "text" in table.column_names and "published" in table.column_names
    result = run_cli(
        ["--config", "newsvault.toml", "pull", "--out", "txt", "--format", "txt"], cwd=work
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.stem for p in (work / "txt" / "demo").glob("*.txt")) == ids
