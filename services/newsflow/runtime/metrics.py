"""Prometheus metrics shared by the stages (served when NEWSFLOW_METRICS_PORT is set)."""

from __future__ import annotations

from prometheus_client import Counter, Histogram, start_http_server

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


def serve(port: int | None, host: str = "127.0.0.1") -> None:
    if port:
        start_http_server(port, addr=host)
