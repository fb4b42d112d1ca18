"""newsvault: archive news coverage as WARC files and clean text."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("newsvault")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

__all__ = ["__version__"]
