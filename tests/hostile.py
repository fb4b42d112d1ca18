"""A site of hostile pages, served on 127.0.0.1, for fault tests."""

from __future__ import annotations

import contextlib
import gzip
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MB = 1024 * 1024
GOOD = (
    "<html><body><article><h1>A fine story</h1>"
    + "<p>The committee met on Tuesday and agreed a new budget for the port. " * 12
    + "</p></article></body></html>"
).encode()


def _bomb_gzip() -> bytes:
    # 64 MB of zeros compresses to ~64 KB: far past the 20 MB download cap once inflated.
    return gzip.compress(b"\0" * (64 * MB), compresslevel=9)


def _bomb_brotli() -> bytes:
    import brotli

    return bytes(brotli.compress(b"\0" * (64 * MB), quality=5))


class Case:
    def __init__(self, path: str, handler: Callable[[HostileHandler], None]) -> None:
        self.path, self.handler = path, handler


class HostileHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: HostileServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.server.requests.append(self.path)
        case = self.server.cases.get(self.path)
        if case is None:
            self.reply(404, b"no", "text/plain")
            return
        # The crawler hanging up on a hostile page is what it should do.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            case.handler(self)

    def reply(self, status: int, body: bytes, ctype: str = "text/html", **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location: str) -> None:
        self.reply(302, b"", Location=location)

    def stream(self, chunks: Iterator[bytes], ctype: str = "text/html", delay: float = 0) -> None:
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for chunk in chunks:
            self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            if delay:
                time.sleep(delay)
        self.wfile.write(b"0\r\n\r\n")


def _redirect_to(location: str) -> Callable[[HostileHandler], None]:
    return lambda h: h.redirect(location)


def _huge(h: HostileHandler) -> None:
    block = b"<p>" + b"x" * (MB - 7) + b"</p>"
    h.stream(iter([block] * 200))  # 200 MB, if anybody read it all


def _slow(h: HostileHandler) -> None:
    h.stream((b"<p>slow</p>" for _ in range(10_000)), delay=0.5)


def build_cases(private_base: str) -> dict[str, Case]:
    bomb_gz, bomb_br = _bomb_gzip(), _bomb_brotli()
    cases = [
        Case("/2025/good/", lambda h: h.reply(200, GOOD)),
        Case(
            "/2025/malformed/",
            lambda h: h.reply(
                200, b"<html><body><p>Un<b>closed <i>tags" + b"<div>" * 50 + b"<p>text " * 200
            ),
        ),
        Case(
            "/2025/nested/",
            lambda h: h.reply(
                200, b"<html><body>" + b"<div>" * 100_000 + b"deep" + b"</div>" * 100_000
            ),
        ),
        Case("/2025/huge/", _huge),
        Case("/2025/gzip-bomb/", lambda h: h.reply(200, bomb_gz, Content_Encoding="gzip")),
        Case("/2025/brotli-bomb/", lambda h: h.reply(200, bomb_br, Content_Encoding="br")),
        Case("/2025/binary/", lambda h: h.reply(200, bytes(range(256)) * 4000)),
        Case(
            "/2025/charset/",
            lambda h: h.reply(
                200, GOOD.replace(b"budget", "бюджет".encode("cp1251")), "text/html; charset=utf-8"
            ),
        ),
        Case("/2025/slow/", _slow),
        Case("/2025/loop-a/", lambda h: h.redirect("/2025/loop-b/")),
        Case("/2025/loop-b/", lambda h: h.redirect("/2025/loop-a/")),
        *[Case(f"/2025/chain-{n}/", _redirect_to(f"/2025/chain-{n + 1}/")) for n in range(12)],
        Case("/2025/to-file/", lambda h: h.redirect("file:///etc/passwd")),
        Case("/2025/to-loopback/", lambda h: h.redirect(f"{private_base}/2025/secret/")),
        Case(
            "/2025/to-metadata/", lambda h: h.redirect("http://169.254.169.254/latest/meta-data/")
        ),
        Case("/2025/to-private/", lambda h: h.redirect("http://10.0.0.1/2025/x/")),
        Case("/2025/to-offsite/", lambda h: h.redirect("https://elsewhere.invalid/2025/x/")),
    ]
    return {case.path: case for case in cases}


class HostileServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), HostileHandler)
        self.requests: list[str] = []
        self.cases: dict[str, Case] = {}

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def start(self) -> None:
        threading.Thread(target=self.serve_forever, daemon=True).start()
