"""Load and validate the TOML configuration.

The file is parsed once, checked key by key against the schema below, and
turned into frozen dataclasses. Every error names the file and the dotted key,
so a user can fix a typo without reading a traceback.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from pipelines.warcgzip import COMPRESSORS, check_level

DEFAULT_CONFIG = Path("config/newsvault.toml")
SOURCE_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


class ConfigError(Exception):
    """A configuration problem; the message names the file and the key."""

    def __init__(self, path: Path | str, key: str, problem: str) -> None:
        self.path = str(path)
        self.key = key
        self.problem = problem
        where = f"{self.path}: {key}: " if key else f"{self.path}: "
        super().__init__(where + problem)


@dataclass(frozen=True)
class CrawlSettings:
    download_delay: float = 1.0
    concurrent_requests_per_domain: int = 2
    concurrent_requests: int = 16
    user_agent: str = "newsvault/0.1 (+https://github.com/newsvault/newsvault)"
    download_timeout: float = 30.0
    download_maxsize_mb: int = 20
    max_section_pages: int = 5
    autothrottle: bool = True
    robots_obey: bool = True
    # Hosts that may resolve to loopback/private addresses (a local test or demo
    # site). Everything else on a private address is refused by the egress check.
    allow_private_hosts: tuple[str, ...] = ()
    extract_workers: int = 0  # 0: one per core
    extract_timeout: float = 30.0
    memory_limit_mb: int = 2048


@dataclass(frozen=True)
class WarcSettings:
    max_size_mb: int = 1024
    prefix: str = "newsvault"
    compressor: str = "isal"
    gzip_level: int | None = None  # None: the compressor's default


@dataclass(frozen=True)
class SchedulerSettings:
    timezone: str = "UTC"
    metrics_port: int = 0  # 0: no metrics endpoint
    misfire_grace_s: int = 600
    crawl_time_limit_s: int = 3600
    silence_runs: int = 3


@dataclass(frozen=True)
class DistributedSettings:
    redis_url: str = ""


@dataclass(frozen=True)
class Source:
    key: str
    name: str
    allowed_domains: tuple[str, ...]
    article_pattern: re.Pattern[str]
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    start_urls: tuple[str, ...] = ()
    schedule: str = "0 * * * *"
    keywords: tuple[str, ...] = ()
    drop_selectors: tuple[str, ...] = ()
    revisit_after_days: float = 0.0  # 0: never refetch an archived article
    timezone: str = ""

    @property
    def seeds(self) -> tuple[str, ...]:
        return self.feeds + self.sitemaps + self.start_urls


@dataclass(frozen=True)
class Config:
    path: Path
    storage_url: str
    state_dir: Path
    crawl: CrawlSettings
    warc: WarcSettings
    scheduler: SchedulerSettings
    distributed: DistributedSettings
    sources: dict[str, Source] = field(default_factory=dict)

    def source(self, key: str) -> Source:
        try:
            return self.sources[key]
        except KeyError:
            known = ", ".join(sorted(self.sources)) or "none"
            raise ConfigError(
                self.path, f"sources.{key}", f"unknown source (known: {known})"
            ) from None


def config_path(explicit: str | None, environ: Mapping[str, str] = os.environ) -> Path:
    """The file to read: --config, then NEWSVAULT_CONFIG, then the default."""
    return Path(explicit or environ.get("NEWSVAULT_CONFIG") or DEFAULT_CONFIG)


def load_config(path: Path) -> Config:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(path, "", "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, "", f"cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, "", f"not valid TOML: {exc}") from None
    return _Parser(path).config(raw)


Check = Callable[[Any], Any]


class _Parser:
    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, key: str, problem: str) -> ConfigError:
        return ConfigError(self.path, key, problem)

    def table(self, raw: Mapping[str, Any], key: str, *, required: bool = False) -> dict[str, Any]:
        value = raw.get(key.rsplit(".", 1)[-1])
        if value is None:
            if required:
                raise self.fail(key, "missing table")
            return {}
        if not isinstance(value, dict):
            raise self.fail(key, "must be a table")
        return value

    def fields(
        self, raw: Mapping[str, Any], prefix: str, schema: Mapping[str, Check]
    ) -> dict[str, Any]:
        unknown = sorted(set(raw) - set(schema))
        if unknown:
            raise self.fail(f"{prefix}.{unknown[0]}", "unknown key")
        out: dict[str, Any] = {}
        for name, check in schema.items():
            if name in raw:
                try:
                    out[name] = check(raw[name])
                except (TypeError, ValueError, re.error) as exc:
                    raise self.fail(f"{prefix}.{name}", str(exc)) from None
        return out

    def config(self, raw: dict[str, Any]) -> Config:
        top = {"storage", "crawl", "warc", "state", "scheduler", "distributed", "sources"}
        unknown = sorted(set(raw) - top)
        if unknown:
            raise self.fail(unknown[0], "unknown table")
        storage = self.fields(
            self.table(raw, "storage", required=True), "storage", {"url": _storage_url}
        )
        if "url" not in storage:
            raise self.fail("storage.url", "missing key")
        state = self.fields(self.table(raw, "state"), "state", {"dir": _string})
        sources_raw = self.table(raw, "sources", required=True)
        if not sources_raw:
            raise self.fail("sources", "no sources configured")
        sources = {key: self.source(key, value) for key, value in sources_raw.items()}
        return Config(
            path=self.path,
            storage_url=storage["url"],
            state_dir=Path(state.get("dir", ".newsvault")),
            crawl=CrawlSettings(**self.fields(self.table(raw, "crawl"), "crawl", CRAWL_SCHEMA)),
            warc=self.warc(raw),
            scheduler=SchedulerSettings(
                **self.fields(self.table(raw, "scheduler"), "scheduler", SCHEDULER_SCHEMA)
            ),
            distributed=DistributedSettings(
                **self.fields(self.table(raw, "distributed"), "distributed", {"redis_url": _string})
            ),
            sources=sources,
        )

    def warc(self, raw: Mapping[str, Any]) -> WarcSettings:
        warc = WarcSettings(**self.fields(self.table(raw, "warc"), "warc", WARC_SCHEMA))
        try:
            check_level(warc.compressor, warc.gzip_level)
        except ValueError as exc:
            raise self.fail("warc.gzip_level", str(exc)) from None
        return warc

    def source(self, key: str, raw: Any) -> Source:
        prefix = f"sources.{key}"
        if not SOURCE_KEY.match(key):
            raise self.fail(prefix, "source names use a-z, 0-9, '-' and '_' only")
        if not isinstance(raw, dict):
            raise self.fail(prefix, "must be a table")
        values = self.fields(raw, prefix, SOURCE_SCHEMA)
        for required in ("name", "allowed_domains", "article_pattern"):
            if required not in values:
                raise self.fail(f"{prefix}.{required}", "missing key")
        if not (values.get("feeds") or values.get("sitemaps") or values.get("start_urls")):
            raise self.fail(f"{prefix}.feeds", "a source needs feeds, sitemaps or start_urls")
        return Source(key=key, **values)


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"must be a string, not {type(value).__name__}")
    return value


def _nonempty_string(value: Any) -> str:
    if not _string(value).strip():
        raise ValueError("must not be empty")
    return str(value)


def _number(minimum: float) -> Check:
    def check(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"must be a number, not {type(value).__name__}")
        if value < minimum:
            raise ValueError(f"must be at least {minimum}")
        return float(value)

    return check


def _integer(minimum: int) -> Check:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"must be an integer, not {type(value).__name__}")
        if value < minimum:
            raise ValueError(f"must be at least {minimum}")
        return value

    return check


def _compressor(value: Any) -> str:
    if _string(value) not in COMPRESSORS:
        raise ValueError(f"must be one of {', '.join(sorted(COMPRESSORS))}")
    return str(value)


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError("must be true or false")
    return value


def _strings(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TypeError("must be a list of strings")
    return tuple(value)


def _urls(value: Any) -> tuple[str, ...]:
    urls = _strings(value)
    for url in urls:
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise ValueError(f"not an http(s) URL: {url!r}")
    return urls


def _regex(value: Any) -> re.Pattern[str]:
    try:
        return re.compile(_nonempty_string(value))
    except re.error as exc:
        raise ValueError(f"invalid regular expression: {exc}") from None


def _cron(value: Any) -> str:
    from apscheduler.triggers.cron import CronTrigger

    expr = _nonempty_string(value)
    try:
        CronTrigger.from_crontab(expr, timezone="UTC")
    except ValueError as exc:
        raise ValueError(f"invalid cron expression {expr!r}: {exc}") from None
    return expr


def _timezone(value: Any) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    name = _string(value)
    if name:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {name!r}") from None
    return name


def _storage_url(value: Any) -> str:
    url = _nonempty_string(value)
    scheme = urlparse(url).scheme
    if scheme not in ("file", "s3"):
        raise ValueError(f"unsupported storage URL {url!r} (use file://DIR or s3://BUCKET/PREFIX)")
    return url


CRAWL_SCHEMA: dict[str, Check] = {
    "download_delay": _number(0),
    "concurrent_requests_per_domain": _integer(1),
    "concurrent_requests": _integer(1),
    "user_agent": _nonempty_string,
    "download_timeout": _number(1),
    "download_maxsize_mb": _integer(1),
    "max_section_pages": _integer(1),
    "autothrottle": _boolean,
    "robots_obey": _boolean,
    "allow_private_hosts": _strings,
    "extract_workers": _integer(0),
    "extract_timeout": _number(1),
    "memory_limit_mb": _integer(0),
}
WARC_SCHEMA: dict[str, Check] = {
    "max_size_mb": _integer(1),
    "prefix": _nonempty_string,
    "compressor": _compressor,
    "gzip_level": _integer(0),
}
SCHEDULER_SCHEMA: dict[str, Check] = {
    "timezone": _timezone,
    "metrics_port": _integer(0),
    "misfire_grace_s": _integer(1),
    "crawl_time_limit_s": _integer(1),
    "silence_runs": _integer(1),
}
SOURCE_SCHEMA: dict[str, Check] = {
    "name": _nonempty_string,
    "feeds": _urls,
    "sitemaps": _urls,
    "start_urls": _urls,
    "allowed_domains": _strings,
    "article_pattern": _regex,
    "schedule": _cron,
    "keywords": _strings,
    "drop_selectors": _strings,
    "revisit_after_days": _number(0),
    "timezone": _timezone,
}
