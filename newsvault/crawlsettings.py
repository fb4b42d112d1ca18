"""Turn the TOML configuration into Scrapy settings: the one place it happens."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from newsvault.config import Config, Source
from newsvault.settings import DEFAULTS, MIB


def base_settings(config: Config) -> dict[str, Any]:
    crawl = config.crawl
    settings = dict(DEFAULTS)
    settings.update(
        {
            "DOWNLOAD_DELAY": crawl.download_delay,
            "AUTOTHROTTLE_START_DELAY": max(crawl.download_delay, 0.1),
            "CONCURRENT_REQUESTS_PER_DOMAIN": crawl.concurrent_requests_per_domain,
            "CONCURRENT_REQUESTS": crawl.concurrent_requests,
            "USER_AGENT": crawl.user_agent,
            "DOWNLOAD_TIMEOUT": crawl.download_timeout,
            "DOWNLOAD_MAXSIZE": crawl.download_maxsize_mb * MIB,
            "AUTOTHROTTLE_ENABLED": crawl.autothrottle,
            "ROBOTSTXT_OBEY": crawl.robots_obey,
            "MEMUSAGE_LIMIT_MB": crawl.memory_limit_mb,
            "NEWSVAULT_ALLOW_PRIVATE_HOSTS": list(crawl.allow_private_hosts),
            "NEWSVAULT_MAX_SECTION_PAGES": crawl.max_section_pages,
            "NEWSVAULT_EXTRACT_WORKERS": crawl.extract_workers,
            "NEWSVAULT_EXTRACT_TIMEOUT": crawl.extract_timeout,
            "NEWSVAULT_WARC_MAX_SIZE": config.warc.max_size_mb * MIB,
            "NEWSVAULT_WARC_PREFIX": config.warc.prefix,
            "NEWSVAULT_WARC_COMPRESSOR": config.warc.compressor,
            "NEWSVAULT_WARC_GZIP_LEVEL": config.warc.gzip_level,
        }
    )
    return settings


def frontier_dir(state_dir: Path, run_id: str) -> Path:
    """Scrapy's JOBDIR for one run of one source: its request queues on disk.

    A fresh directory per run, never resumed; the crawl deletes it afterwards.
    """
    return state_dir / "frontier" / run_id


def source_settings(
    config: Config, source: Source, run_id: str, spool: Path, state_dir: Path, worker_id: str = ""
) -> dict[str, Any]:
    settings = base_settings(config)
    settings.update(
        {
            "NEWSVAULT_SOURCE": source.key,
            "NEWSVAULT_RUN_ID": run_id,
            "NEWSVAULT_SPOOL_DIR": str(spool),
            "NEWSVAULT_STATE_PATH": str(state_dir / "state.sqlite"),
            "NEWSVAULT_PROFILE_PATH": str(state_dir / "profile.json"),
            "NEWSVAULT_KEYWORDS": list(source.keywords),
            "NEWSVAULT_DROP_SELECTORS": list(source.drop_selectors),
            "NEWSVAULT_WORKER_ID": worker_id,
            "JOBDIR": str(frontier_dir(state_dir, run_id)),
        }
    )
    return settings
