"""Run pywb from its own virtual environment: collections and a replay server.

pywb pins libraries that conflict with ours, so it is never imported here;
its executables (``wb-manager``, ``wayback``) come from ``.venv-pywb`` next
to the repository (created by ``make setup``) or from the venv named by
``NEWSVAULT_PYWB_VENV``. ``wayback`` binds 0.0.0.0 unless told otherwise:
:class:`Wayback` always binds 127.0.0.1.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

logger = logging.getLogger(__name__)

HOST = "127.0.0.1"
VENV_VARIABLE = "NEWSVAULT_PYWB_VENV"
DEFAULT_VENV = Path(__file__).resolve().parents[1] / ".venv-pywb"


class PywbError(RuntimeError):
    """pywb is missing, or one of its commands failed."""


@dataclass(frozen=True)
class Pywb:
    venv: Path

    @property
    def wb_manager(self) -> Path:
        return self.venv / "bin" / "wb-manager"

    @property
    def wayback(self) -> Path:
        return self.venv / "bin" / "wayback"


def find_pywb(environ: Mapping[str, str]) -> Pywb:
    """The pywb venv from ``NEWSVAULT_PYWB_VENV`` or next to the repository."""
    venv = Path(environ[VENV_VARIABLE]) if environ.get(VENV_VARIABLE) else DEFAULT_VENV
    pywb = Pywb(venv)
    for exe in (pywb.wb_manager, pywb.wayback):
        if not os.access(exe, os.X_OK):
            raise PywbError(
                f"pywb not found: {exe} is missing. Run `make setup` to create {DEFAULT_VENV.name}"
                f" or set {VENV_VARIABLE} to a virtual environment with pywb installed."
            )
    return pywb


def _run(args: Sequence[str | Path], cwd: Path) -> None:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, check=False, timeout=120
    )
    if done.returncode != 0:
        output = (done.stderr or done.stdout).strip()[-2000:]
        raise PywbError(f"{Path(args[0]).name} {args[1]} exited {done.returncode}: {output}")


def _index_lines(root: Path, name: str) -> int:
    indexes = root / "collections" / name / "indexes"
    return sum(len(p.read_bytes().splitlines()) for p in indexes.glob("*.cdxj"))


def add_warcs(pywb: Pywb, root: Path, name: str, warcs: Sequence[Path]) -> None:
    """Create the collection if needed and add WARCs to it.

    ``wb-manager add`` exits 0 even when it indexes nothing (a truncated
    file), so the index must grow or this raises.
    """
    if not (root / "collections" / name).is_dir():
        _run([pywb.wb_manager, "init", name], root)
    if not warcs:
        return
    before = _index_lines(root, name)
    _run([pywb.wb_manager, "add", name, *warcs], root)
    if _index_lines(root, name) <= before:
        raise PywbError(f"pywb indexed nothing from {', '.join(w.name for w in warcs)}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


class Wayback:
    """``wayback`` serving ``root``'s collections on 127.0.0.1, as a context manager."""

    def __init__(
        self, pywb: Pywb, root: Path, port: int = 0, timeout: float = 60, host: str = HOST
    ) -> None:
        self.pywb = pywb
        self.root = root
        self.host = host
        self.port = port or free_port()
        self.timeout = timeout
        self.log = root / "wayback.log"
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        shown = HOST if self.host in ("0.0.0.0", "::", "") else self.host  # noqa: S104
        return f"http://{shown}:{self.port}"

    def start(self) -> None:
        with self.log.open("wb") as log:
            # Its own session, so stop() reaches every process it forks.
            self._proc = subprocess.Popen(
                [str(self.pywb.wayback), "-b", self.host, "-p", str(self.port)],
                cwd=self.root,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._wait_ready()
        logger.info("wayback serving %s at %s", self.root, self.url)

    def _wait_ready(self) -> None:
        assert self._proc is not None
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                tail = self.log.read_text(errors="replace")[-2000:]
                raise PywbError(f"wayback exited with {self._proc.returncode}: {tail}")
            try:
                with urllib.request.urlopen(self.url + "/", timeout=2):  # noqa: S310
                    return
            except urllib.error.HTTPError:
                return  # it answers: it is up
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise PywbError(f"wayback not ready at {self.url} after {self.timeout:.0f} s")

    def stop(self) -> None:
        if self._proc is None or self._proc.poll() is not None:
            return
        os.killpg(self._proc.pid, signal.SIGTERM)
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self._proc.pid, signal.SIGKILL)
            self._proc.wait(timeout=10)

    def __enter__(self) -> Wayback:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
