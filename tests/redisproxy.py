"""A TCP proxy on 127.0.0.1 in front of redis-server that can lose chosen replies.

:meth:`ReplyLosingProxy.lose_reply` arms it: the next command whose bytes
contain given markers is forwarded, Redis runs it and answers, and the proxy then
resets the connection instead of relaying the answer. The client sees a
dropped connection after the work was done, as when Redis shuts down between
running a command and sending its reply. A script's first call, answered
"NOSCRIPT" (nothing ran), does not count.
"""

from __future__ import annotations

import select
import socket
import threading

from tests.faultproxy import reset


class ReplyLosingProxy:
    def __init__(self, upstream_port: int) -> None:
        self.upstream = ("127.0.0.1", upstream_port)
        self.lost: list[tuple[bytes, ...]] = []
        self._markers: list[tuple[bytes, ...]] = []
        self._lock = threading.Lock()
        self._closed = False
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        threading.Thread(target=self._accept_loop, daemon=True).start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def lose_reply(self, *parts: bytes) -> None:
        """Lose the reply to the next command that contains every one of ``parts``."""
        with self._lock:
            self._markers.append(parts)

    def close(self) -> None:
        self._closed = True
        self._listener.close()

    def _accept_loop(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _armed_for(self, data: bytes) -> tuple[bytes, ...] | None:
        with self._lock:
            for marker in self._markers:
                if all(part in data for part in marker):
                    self._markers.remove(marker)
                    return marker
        return None

    def _serve(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(self.upstream, timeout=5)
        except OSError:
            client.close()
            return
        losing: tuple[bytes, ...] | None = None
        with client, upstream:
            while not self._closed:
                ready, _, _ = select.select([client, upstream], [], [], 0.5)
                for sock in ready:
                    data = sock.recv(65536)
                    if not data:
                        return
                    if sock is client:
                        losing = losing or self._armed_for(data)
                        upstream.sendall(data)
                    elif losing is not None and data.startswith(b"-NOSCRIPT"):
                        # Nothing ran (the script is loaded next): wait for the real run.
                        with self._lock:
                            self._markers.append(losing)
                        losing = None
                        client.sendall(data)
                    elif losing is not None:
                        # Redis has answered, so the command ran: drop the answer.
                        self.lost.append(losing)
                        reset(client)
                        return
                    else:
                        client.sendall(data)
