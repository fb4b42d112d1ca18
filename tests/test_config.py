"""Bad configuration: one clear error naming the key and the file, exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsvault.cli import main
from newsvault.config import ConfigError, load_config

GOOD = """
[storage]
url = "file://archive"
[sources.demo]
name = "Demo"
feeds = ["https://example.org/rss.xml"]
allowed_domains = ["example.org"]
article_pattern = '/\\d{4}/'
schedule = "*/30 * * * *"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "newsvault.toml"
    path.write_text(text)
    return path


def test_the_shipped_config_loads() -> None:
    config = load_config(Path(__file__).resolve().parents[1] / "config" / "newsvault.toml")
    assert {"moscowtimes", "reuters"} <= set(config.sources)
    assert len(config.sources) >= 4
    assert config.storage_url == "file://archive"


@pytest.mark.parametrize(
    ("change", "key", "words"),
    [
        (lambda t: t.replace('url = "file://archive"', ""), "storage.url", "missing"),
        (lambda t: t.replace("feeds =", "feedz ="), "sources.demo.feedz", "unknown key"),
        (lambda t: t.replace("'/\\d{4}/'", "'(['"), "sources.demo.article_pattern", "regular"),
        (lambda t: t.replace("*/30 * * * *", "every day"), "sources.demo.schedule", "cron"),
        (lambda t: t.replace('name = "Demo"', "name = 3"), "sources.demo.name", "string"),
        (lambda t: t + "\n[crawl]\ndownload_delay = -1\n", "crawl.download_delay", "at least"),
        (lambda t: t.replace("file://archive", "ftp://x"), "storage.url", "unsupported"),
        (lambda t: t + "\n[crawll]\n", "crawll", "unknown table"),
        (
            lambda t: t.replace('["https://example.org/rss.xml"]', '["file:///etc/passwd"]'),
            "sources.demo.feeds",
            "http",
        ),
    ],
)
def test_bad_config_names_key_and_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: object, key: str, words: str
) -> None:
    path = write(tmp_path, change(GOOD))  # type: ignore[operator]
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert err.value.key == key
    assert str(path) in str(err.value) and words in str(err.value)
    assert main(["--config", str(path), "pull", "--out", str(tmp_path / "out")]) == 2
    stderr = capsys.readouterr().err
    assert key in stderr and str(path) in stderr
    assert not (tmp_path / "out").exists(), "a config error touches no data"


def test_invalid_toml_and_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "[storage\nurl=")
    assert main(["--config", str(path), "ls"]) == 2
    assert "not valid TOML" in capsys.readouterr().err
    assert main(["--config", str(tmp_path / "nope.toml"), "ls"]) == 2
    assert "file not found" in capsys.readouterr().err


def test_unknown_source(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, GOOD)
    assert main(["--config", str(path), "crawl", "nosuch"]) == 2
    err = capsys.readouterr().err
    assert "sources.nosuch" in err and "unknown source" in err


def test_config_from_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, GOOD.replace("feeds =", "feedz ="))
    monkeypatch.setenv("NEWSVAULT_CONFIG", str(path))
    assert main(["pull", "--out", str(tmp_path / "o")]) == 2
    assert str(path) in capsys.readouterr().err


@pytest.mark.parametrize(
    ("warc", "words"),
    [
        ('compressor = "brotli"', "one of isal, zlib"),
        ('compressor = "isal"\ngzip_level = 6', "isal levels are 0 to 3"),
        ('compressor = "zlib"\ngzip_level = 10', "zlib levels are 0 to 9"),
        ("gzip_level = 4", "isal levels are 0 to 3"),
    ],
)
def test_warc_compression_is_checked(tmp_path: Path, warc: str, words: str) -> None:
    path = write(tmp_path, GOOD + "\n[warc]\n" + warc + "\n")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert err.value.key in {"warc.compressor", "warc.gzip_level"}
    assert words in str(err.value) and str(path) in str(err.value)


def test_warc_compression_defaults(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, GOOD)).warc.compressor == "isal"
    zlib = load_config(write(tmp_path, GOOD + '\n[warc]\ncompressor = "zlib"\ngzip_level = 1\n'))
    assert (zlib.warc.compressor, zlib.warc.gzip_level) == ("zlib", 1)
