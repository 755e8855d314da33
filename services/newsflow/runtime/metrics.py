"""Prometheus metrics shared by the stages, and their liveness endpoint.

Served when NEWSFLOW_METRICS_PORT is set: `/metrics` for Prometheus, `/healthz` for container
health checks (200 while the stage's event loop has beaten within the last minute, else 503).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import Counter, Gauge, Histogram, make_wsgi_app

PROCESSED = Counter("newsflow_messages_processed", "Messages a stage turned into output", ["stage"])
DEAD_LETTERS = Counter(
    "newsflow_dead_letters", "Messages sent to the dead-letter topic", ["stage", "error"]
)
RETRIES = Counter(
    "newsflow_retries", "Deliveries or bulk writes retried after a failure", ["stage"]
)
BATCH_SECONDS = Histogram(
    "newsflow_batch_seconds", "Time to process and deliver one batch", ["stage"]
)
STAGE_RESTARTS = Counter(
    "newsflow_stage_restarts", "Stage processes `newsflow run all` started again", ["stage"]
)
INDEXED = Counter("newsflow_documents_indexed", "Documents Elasticsearch acknowledged", ["index"])
CONSUMER_LAG = Gauge(
    "newsflow_consumer_lag",
    "Records of the input topic not yet committed by the stage's consumer group",
    ["stage", "topic", "partition"],
)
PAUSED = Gauge(
    "newsflow_paused", "1 while the stage holds its partitions paused (backpressure)", ["stage"]
)
SEQUENCE_GAPS = Counter(
    "newsflow_dedup_records_read_again",
    "Records of articles.sequenced the consumer skipped and the dedup stage read back itself",
)

LIVENESS_WINDOW_S = 60.0
_last_beat = time.monotonic()


def beat() -> None:
    """The stage's loop is alive: called from its event loop at least every few seconds."""
    global _last_beat
    _last_beat = time.monotonic()


def alive() -> bool:
    return time.monotonic() - _last_beat < LIVENESS_WINDOW_S


_StartResponse = Callable[[str, list[tuple[str, str]]], Any]
_metrics_app = make_wsgi_app()


def _app(environ: dict[str, Any], start_response: _StartResponse) -> Iterable[bytes]:
    if environ.get("PATH_INFO") == "/healthz":
        ok = alive()
        start_response(
            "200 OK" if ok else "503 Service Unavailable", [("Content-Type", "text/plain")]
        )
        return [b"ok\n" if ok else b"stalled\n"]
    result: Iterable[bytes] = _metrics_app(environ, start_response)
    return result


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Health checks every few seconds would flood the stage's log."""


def serve(port: int | None, host: str = "127.0.0.1") -> None:
    if not port:
        return
    server = make_server(host, port, _app, _Server, handler_class=_QuietHandler)
    threading.Thread(target=server.serve_forever, name="metrics", daemon=True).start()


def record_lag(stage: str, partitions: Iterable[tuple[str, int, int]]) -> None:
    for topic, partition, lag in partitions:
        CONSUMER_LAG.labels(stage, topic, str(partition)).set(lag)
