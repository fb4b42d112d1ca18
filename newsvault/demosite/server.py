"""Serve a :class:`Site` over HTTP/1.1 on 127.0.0.1, logging every request.

Responses vary the way real servers do, so archiving is tested against all
of them: gzip when the client accepts it (article pages and feeds), chunked
transfer for section pages, plain bodies with Content-Length otherwise, and
ETag / Last-Modified with 304 answers for feeds.
"""

from __future__ import annotations

import gzip
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from newsvault.demosite.site import Page, Site

LAST_MODIFIED = "Sun, 25 May 2025 09:00:00 GMT"


class SiteHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: SiteServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.server.log_request_line(self.command, self.path, self.headers.get("User-Agent", ""))
        page = self.server.site.pages.get(self.path)
        if page is None:
            self._send(404, b"not found", "text/plain", {})
            return
        if page.status != 200:
            self._send(page.status, page.body, page.content_type, dict(page.headers))
            return
        validators = {"ETag": page.etag, "Last-Modified": LAST_MODIFIED}
        if self.headers.get("If-None-Match") == page.etag:
            self.send_response(304)
            for name, value in validators.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self._page(page, validators)

    def _page(self, page: Page, headers: dict[str, str]) -> None:
        body = page.body
        if self.path.startswith("/world/"):
            self._send_chunked(body, page.content_type)
            return
        if "gzip" in self.headers.get("Accept-Encoding", "") and not self.path.startswith(
            "/robots"
        ):
            body = gzip.compress(body, mtime=0)
            headers["Content-Encoding"] = "gzip"
        self._send(200, body, page.content_type, headers)

    def _send(self, status: int, body: bytes, ctype: str, headers: dict[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _send_chunked(self, body: bytes, ctype: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for start in range(0, len(body), 1000):
            chunk = body[start : start + 1000]
            self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        self.wfile.write(b"0\r\n\r\n")


class SiteServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self, site: Site | None, host: str = "127.0.0.1", port: int = 0, log: Path | None = None
    ) -> None:
        super().__init__((host, port), SiteHandler)
        self.site = site or Site("", [])
        self.log_path = log
        self.requests: list[str] = []
        self._lock = threading.Lock()

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def log_request_line(self, method: str, path: str, agent: str) -> None:
        with self._lock:
            self.requests.append(path)
            if self.log_path:
                with self.log_path.open("a", encoding="utf-8") as fh:
                    fh.write(f"{method} {path}\t{agent}\n")

    def start(self) -> None:
        threading.Thread(target=self.serve_forever, daemon=True, name="demo-site").start()
