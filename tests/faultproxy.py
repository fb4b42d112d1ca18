"""A TCP/HTTP fault proxy on 127.0.0.1 between newsvault and an S3 server.

Modes (switch any time with :meth:`FaultProxy.set`; a mode applies to
connections accepted after the switch):

``pass``     forward bytes both ways
``refuse``   no listener at all: connections are refused
``500``      answer every request with an S3 ``InternalError``
``503``      answer every request with an S3 ``SlowDown``
``stall``    accept and read, never answer (the client's timeout must fire)
``reset``    forward, but reset the connection after ``reset_after`` request bytes
``blip``     answer the next ``failures`` requests with 503, then forward
``lose-reply`` for the next ``failures`` connections forward the request, then
             reset instead of relaying the answer (the server did the work,
             the client never hears of it), then forward

Every error answer closes its connection, so one failed request is one
connection and ``blip`` can count requests by connections.
"""

from __future__ import annotations

import contextlib
import select
import socket
import struct
import threading
import time

MODES = ("pass", "refuse", "500", "503", "stall", "reset", "blip", "lose-reply")
_ERRORS = {
    "500": ("500 Internal Server Error", "InternalError", "We encountered an internal error."),
    "503": ("503 Slow Down", "SlowDown", "Please reduce your request rate."),
}


class FaultProxy:
    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.mode = "pass"
        self.reset_after = 256 * 1024
        self.failures = 0
        self.connections = 0
        self._lock = threading.Lock()
        self._listener: socket.socket | None = self._listen(0)
        self.port = self._listener.getsockname()[1]
        self._closed = False
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)
        self._thread.start()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def set(self, mode: str, *, reset_after: int | None = None, failures: int = 0) -> None:
        assert mode in MODES, mode
        with self._lock:
            self.mode, self.failures = mode, failures
            if reset_after is not None:
                self.reset_after = reset_after
            if mode == "refuse" and self._listener is not None:
                self._listener.close()
                self._listener = None
            elif mode != "refuse" and self._listener is None:
                self._listener = self._listen(self.port)

    def close(self) -> None:
        self._closed = True
        self._thread.join(timeout=2)
        with self._lock:
            if self._listener is not None:
                self._listener.close()

    @staticmethod
    def _listen(port: int) -> socket.socket:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", port))
        sock.listen(64)
        return sock

    def _accept_loop(self) -> None:
        while not self._closed:
            with self._lock:
                listener = self._listener
            if listener is None:
                time.sleep(0.02)
                continue
            try:
                ready, _, _ = select.select([listener], [], [], 0.05)
                if not ready:
                    continue
                client, _ = listener.accept()
            except (OSError, ValueError):
                continue  # the listener was closed by set("refuse")
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        with self._lock:
            self.connections += 1
            mode = self.mode
            if mode in ("blip", "lose-reply"):
                mode = ("503" if mode == "blip" else mode) if self.failures > 0 else "pass"
                self.failures = max(0, self.failures - 1)
        with client:
            if mode in _ERRORS:
                _answer_error(client, *_ERRORS[mode])
            elif mode == "stall":
                while client.recv(65536):
                    pass
            else:
                self._forward(client, self.reset_after if mode == "reset" else None, mode)

    def _forward(self, client: socket.socket, limit: int | None, mode: str) -> None:
        try:
            upstream = socket.create_connection(self.upstream, timeout=5)
        except OSError:
            return
        with upstream:
            upstream.settimeout(None)
            if mode == "lose-reply":
                back = threading.Thread(target=_drop_reply, args=(upstream, client), daemon=True)
            else:
                back = threading.Thread(target=_pump, args=(upstream, client, None), daemon=True)
            back.start()
            if not _pump(client, upstream, limit):
                reset(client)
                reset(upstream)
            back.join(timeout=30)


def _pump(src: socket.socket, dst: socket.socket, limit: int | None) -> bool:
    """Copy until EOF; False if ``limit`` bytes were reached first."""
    sent = 0
    try:
        while data := src.recv(65536):
            if limit is not None and sent + len(data) >= limit:
                dst.sendall(data[: max(0, limit - sent)])
                return False
            dst.sendall(data)
            sent += len(data)
        dst.shutdown(socket.SHUT_WR)
    except OSError:
        pass
    return True


def _drop_reply(upstream: socket.socket, client: socket.socket) -> None:
    with contextlib.suppress(OSError):
        # Relay "100 Continue" so the body gets sent; the final answer means
        # the server has done the work.
        while (data := upstream.recv(65536)).startswith(b"HTTP/1.1 100"):
            client.sendall(data)
    reset(client)
    reset(upstream)


def reset(sock: socket.socket) -> None:
    # SO_LINGER 0: close with RST, the way a crashing middlebox drops a connection.
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        # shutdown wakes a thread blocked in recv on this socket; close alone would not.
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


def _answer_error(client: socket.socket, status: str, code: str, message: str) -> None:
    """Read one request's head (and body, unless it waits for 100-continue), answer, close."""
    head = b""
    with contextlib.suppress(OSError):
        client.settimeout(5)
        while b"\r\n\r\n" not in head:
            chunk = client.recv(65536)
            if not chunk:
                return
            head += chunk
        headers, _, body = head.partition(b"\r\n\r\n")
        lines = headers.decode("latin-1").lower().split("\r\n")
        length = next((int(x.split(":")[1]) for x in lines if x.startswith("content-length:")), 0)
        if "expect: 100-continue" not in lines:
            remaining = length - len(body)
            while remaining > 0 and (chunk := client.recv(min(remaining, 65536))):
                remaining -= len(chunk)
        xml = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Error><Code>{code}</Code><Message>{message}</Message></Error>"
        ).encode()
        client.sendall(
            f"HTTP/1.1 {status}\r\nContent-Type: application/xml\r\n"
            f"Content-Length: {len(xml)}\r\nConnection: close\r\n\r\n".encode()
            + xml
        )
