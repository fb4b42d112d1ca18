"""Shared wiring for subcommands: config, archive store, spool, state paths."""

from __future__ import annotations

import argparse
from pathlib import Path

from newsvault.config import Config, config_path, load_config
from storage import Store, open_store
from storage.spool import Spool


def load(args: argparse.Namespace) -> Config:
    return load_config(config_path(getattr(args, "config", None)))


def archive(config: Config) -> Store:
    return open_store(config.storage_url, cwd=Path.cwd())


def spool(config: Config) -> Spool:
    return Spool(config.state_dir / "spool")


def source_state_dir(config: Config, source: str) -> Path:
    path = config.state_dir / "sources" / source
    path.mkdir(parents=True, exist_ok=True)
    return path
