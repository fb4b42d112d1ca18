"""Prometheus metrics of scheduled crawls, one ``source`` label each.

A dedicated registry keeps the process collectors and any other library's
metrics out; the scheduler serves it on 127.0.0.1 or writes it as a textfile
for node_exporter's textfile collector.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from wsgiref.simple_server import WSGIServer

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    start_http_server,
    write_to_textfile,
)

logger = logging.getLogger(__name__)

# Manifest counts summed into counters: (metric suffix, manifest key).
FROM_MANIFEST = (
    ("pages", "downloader/response_count"),
    ("articles", "articles/fetched"),
    ("text_records", "text/records"),
    ("warc_bytes", "warc/bytes"),
)


class CrawlMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.runs = Counter(
            "newsvault_runs", "Scheduled crawl jobs by result", ["source", "result"], registry=r
        )
        self.failures = Counter(
            "newsvault_failures", "Crawls that failed or timed out", ["source"], registry=r
        )
        self.counts = {
            name: Counter(f"newsvault_{name}", f"Crawled {name} ({key})", ["source"], registry=r)
            for name, key in FROM_MANIFEST
        }
        self.last_success = Gauge(
            "newsvault_last_success_timestamp_seconds",
            "End of the last successful crawl (Unix time)",
            ["source"],
            registry=r,
        )
        self.duration = Gauge(
            "newsvault_last_run_duration_seconds",
            "Duration of the last crawl",
            ["source"],
            registry=r,
        )
        self._server: WSGIServer | None = None
        self._thread: threading.Thread | None = None

    def track(self, sources: Sequence[str]) -> None:
        """Export zeros for every configured source before its first run."""
        for source in sources:
            self.failures.labels(source)
            for counter in self.counts.values():
                counter.labels(source)

    def observe(
        self,
        source: str,
        result: str,
        duration_s: float,
        end_ts: float,
        manifests: Sequence[Mapping[str, Any]],
    ) -> None:
        self.runs.labels(source, result).inc()
        if result in ("failed", "timeout"):
            self.failures.labels(source).inc()
        if result == "ok":
            self.last_success.labels(source).set(end_ts)
        if result not in ("skipped", "missed"):
            self.duration.labels(source).set(duration_s)
        for manifest in manifests:
            counts = manifest.get("counts", {})
            for name, key in FROM_MANIFEST:
                self.counts[name].labels(source).inc(float(counts.get(key, 0)))

    def serve(self, port: int) -> int:
        """Serve /metrics on 127.0.0.1 only; returns the bound port."""
        server, thread = start_http_server(port, addr="127.0.0.1", registry=self.registry)
        self._server, self._thread = server, thread
        bound = int(server.server_address[1])
        logger.info("metrics on http://127.0.0.1:%s/metrics", bound)
        return bound

    def write(self, path: Path) -> None:
        write_to_textfile(str(path), self.registry)

    def close(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
