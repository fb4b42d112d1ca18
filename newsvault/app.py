"""Shared wiring for subcommands: config, archive store, spool, state paths."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from newsvault.config import Config, Source, config_path, load_config
from storage import Store, open_store
from storage.base import StoreError, StoreUnusable
from storage.spool import Spool

logger = logging.getLogger(__name__)


class UsageError(Exception):
    """Arguments that do not make sense together; the CLI exits 2."""


def add_source_arguments(parser: argparse.ArgumentParser, what: str) -> None:
    """``SOURCE... | --all``, as crawl and enqueue take them."""
    parser.add_argument("sources", nargs="*", metavar="SOURCE", help="source names from the config")
    parser.add_argument("--all", action="store_true", help=f"{what} every configured source")


def chosen_sources(config: Config, args: argparse.Namespace) -> list[Source]:
    """The sources named (in order, once each) or all of them; unknown names fail."""
    if args.all == bool(args.sources):
        raise UsageError("name one or more sources, or --all")
    keys = sorted(config.sources) if args.all else list(dict.fromkeys(args.sources))
    return [config.source(key) for key in keys]


def load(args: argparse.Namespace) -> Config:
    return load_config(config_path(getattr(args, "config", None)))


def archive(config: Config, *, check: bool = False) -> Store:
    """The configured store; with ``check``, one that answers right now."""
    store = open_store(config.storage_url, cwd=Path.cwd())
    if check:
        store.check()
    return store


def archive_for_writing(config: Config) -> Store:
    """The store a crawl publishes to. A misconfigured one stops the command
    before anything is fetched; one that is merely down only delays publishing."""
    store = archive(config)
    try:
        store.check()
    except StoreUnusable:
        raise
    except StoreError as exc:
        logger.warning("storage unreachable now (%s): output will wait in the spool", exc)
    return store


def spool(config: Config) -> Spool:
    return Spool(config.state_dir / "spool")


def source_state_dir(config: Config, source: str) -> Path:
    path = config.state_dir / "sources" / source
    path.mkdir(parents=True, exist_ok=True)
    return path
