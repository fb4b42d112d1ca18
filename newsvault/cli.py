"""The ``newsvault`` command line.

Each subcommand lives in its own module under :mod:`newsvault.commands` and
exposes ``register(subparsers)``; the module's parser sets ``func`` to a
function taking the parsed arguments and returning the exit status.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import logging
import pkgutil
import sys
from collections.abc import Callable
from typing import NoReturn

from newsvault import __version__, commands
from newsvault.app import UsageError
from newsvault.config import ConfigError
from storage.base import StoreError, StoreUnusable

logger = logging.getLogger("newsvault")

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


def _global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config", help="configuration file (default: $NEWSVAULT_CONFIG or config/newsvault.toml)"
    )
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output")
    parser.add_argument("-q", "--quiet", action="store_true", help="only warnings and errors")


def command_modules(argv: list[str] | None = None) -> list[str]:
    """The command modules to load: only the one named in ``argv`` if there is one
    (each module imports what its command needs; loading all of them cost a
    scheduled crawl 0.15 s), else all, for help and usage errors."""
    names = sorted(info.name for info in pkgutil.iter_modules(commands.__path__))
    scout = argparse.ArgumentParser(add_help=False)
    _global_options(scout)
    _, rest = scout.parse_known_args(sys.argv[1:] if argv is None else argv)
    chosen = rest[0].replace("-", "_") if rest and not rest[0].startswith("-") else ""
    return [chosen] if chosen in names else names


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsvault", description="Archive news coverage as WARC files and clean text."
    )
    parser.add_argument("--version", action="version", version=f"newsvault {__version__}")
    _global_options(parser)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in command_modules(argv):
        module = importlib.import_module(f"{commands.__name__}.{name}")
        module.register(subparsers)
    return parser


QUIET_BELOW = {"scrapy": 2, "boto3": 3, "botocore": 3, "s3transfer": 3, "urllib3": 3}


class QuietLibraries(logging.Filter):
    """Drop libraries' records below WARNING, unless asked for with -v."""

    def __init__(self, names: tuple[str, ...]) -> None:
        super().__init__()
        self.prefixes = names + tuple(f"{n}." for n in names)

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING or not (
            record.name in self.prefixes or record.name.startswith(self.prefixes)
        )


def configure_logging(verbose: int, quiet: bool) -> None:
    level = logging.WARNING if quiet else logging.DEBUG if verbose else logging.INFO
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    # Scrapy's own INFO lines are noise below -vv; botocore's DEBUG output dumps every
    # signed request below -vvv. A filter on our handler, because Scrapy resets its
    # loggers' levels when a crawler process starts.
    muted = tuple(name for name, needed in QUIET_BELOW.items() if verbose < needed)
    for handler in logging.getLogger().handlers:
        for old in [f for f in handler.filters if isinstance(f, QuietLibraries)]:
            handler.removeFilter(old)
        handler.addFilter(QuietLibraries(muted))


def main(argv: list[str] | None = None) -> int:
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    configure_logging(args.verbose, args.quiet)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except ConfigError as exc:
        print(f"newsvault: configuration error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except UsageError as exc:
        print(f"newsvault {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except StoreUnusable as exc:
        # A wrong bucket, credentials or endpoint: fixed in the configuration, not by waiting.
        print(f"newsvault: storage misconfigured: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except StoreError as exc:
        print(f"newsvault: storage error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        return 130


def entry() -> NoReturn:
    """The ``newsvault`` program: run a command, then exit without a costly teardown."""
    code = main()
    # Python collects garbage over the whole heap while it shuts down; after a
    # crawl (Scrapy, Twisted, lxml loaded) that took 0.15 s. Frozen objects are
    # left out of those collections, and nothing needs collecting any more.
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    entry()
