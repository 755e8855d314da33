"""The indexer stage: articles.enriched (and articles.dlq) -> Elasticsearch, with aiokafka.

Offsets are committed by hand, only after Elasticsearch acknowledged every document of the batch
and Kafka acknowledged every dead letter. 429s, 5xx and connection errors are retried with
backoff: the stage pauses, it neither drops nor dies. Documents Elasticsearch rejects for good
(mapping errors, ...) become dead letters with its reason. `_id` is the article id, so replays
overwrite instead of duplicating.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import structlog
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from elasticsearch import ApiError as EsApiError
from elasticsearch import AsyncElasticsearch, TransportError

from newsflow import logs, metrics
from newsflow.config import IndexerSettings
from newsflow.contracts import Contract, decode
from newsflow.dead_letters import Incoming, dead_letter
from newsflow.errors import ContractError, DocumentRejected
from newsflow.ids import utc_now
from newsflow.search_index import client, ensure_indices
from newsflow.stage import Outgoing, dead_letter_outgoing, deliver

log = structlog.get_logger()
STAGE = "indexer"
_RETRIABLE_STATUS = {429, 500, 502, 503, 504}


@dataclass
class Pending:
    """One document to write, and the record it came from (for its dead letter)."""

    index: str
    doc_id: str
    source: dict[str, Any]
    record: Incoming


def article_document(message: dict[str, Any], indexed_at: str) -> dict[str, Any]:
    document = {k: v for k, v in message.items() if k != "schema_version"}
    document["indexed_at"] = indexed_at
    # One date every article has, for time filters and charts: published, else collected,
    # else indexed (a bare {"text": ...} pushed to Kafka has neither of the first two).
    document["date"] = message.get("published_at") or message.get("collected_at") or indexed_at
    return document


class Indexer:
    def __init__(
        self,
        settings: IndexerSettings,
        es: AsyncElasticsearch,
        consumer: AIOKafkaConsumer,
        producer: AIOKafkaProducer,
    ) -> None:
        self.settings = settings
        self.es = es
        self.consumer = consumer
        self.producer = producer
        self.stopping = asyncio.Event()

    # ---- planning

    def _plan(self, records: Sequence[Incoming]) -> tuple[list[Pending], list[Outgoing]]:
        topics = self.settings.topics
        pending: list[Pending] = []
        letters: list[Outgoing] = []
        indexed_at = utc_now()
        for record in records:
            if record.topic == topics.dlq:
                pending.append(self._dead_letter_document(record))
                continue
            try:
                message = decode(Contract.ENRICHED, record.value)
            except ContractError as exc:
                letters.append(self._letter(exc, record))
                continue
            pending.append(
                Pending(
                    self.settings.index_alias,
                    message["id"],
                    article_document(message, indexed_at),
                    record,
                )
            )
        return pending, letters

    def _dead_letter_document(self, record: Incoming) -> Pending:
        doc_id = f"{record.topic}-{record.partition}-{record.offset}"
        try:
            letter = decode(Contract.DEAD_LETTER, record.value)
        except ContractError as exc:  # index it anyway, as the indexer's own dead letter
            letter = dead_letter(STAGE, exc, record, self.settings.dead_letter_payload_bytes)
        return Pending(self.settings.dead_letter_index, doc_id, letter, record)

    def _letter(
        self, error: BaseException, record: Incoming, article_id: str | None = None
    ) -> Outgoing:
        return dead_letter_outgoing(STAGE, error, record, self.settings, article_id)

    # ---- writing

    async def _bulk(self, pending: list[Pending]) -> list[Outgoing]:
        """Write until every document is acknowledged or rejected for good."""
        letters: list[Outgoing] = []
        delay = self.settings.retry_initial_s
        while pending:
            operations: list[dict[str, Any]] = []
            for item in pending:
                operations.append({"index": {"_index": item.index, "_id": item.doc_id}})
                operations.append(item.source)
            try:
                response = await self.es.bulk(operations=operations)
            except (TransportError, EsApiError) as exc:
                status = getattr(exc, "status_code", None)
                if isinstance(exc, EsApiError) and status not in _RETRIABLE_STATUS:
                    raise
                await self._backoff(f"bulk request failed: {exc!r}"[:300], delay)
                delay = min(delay * 2, self.settings.retry_max_s)
                continue
            retry: list[Pending] = []
            for item, result in zip(pending, response["items"], strict=True):
                outcome = result["index"]
                status = outcome.get("status", 500)
                if status < 300:
                    metrics.INDEXED.labels(item.index).inc()
                elif status in _RETRIABLE_STATUS:
                    retry.append(item)
                elif item.index == self.settings.dead_letter_index:
                    raise DocumentRejected(
                        f"dead-letter index refused a document: {outcome.get('error')}"
                    )
                else:
                    error = outcome.get("error", {})
                    reason = (
                        f"Elasticsearch refused the document ({status}): "
                        f"{error.get('type')}: {error.get('reason')}"
                    )
                    letters.append(self._letter(DocumentRejected(reason), item.record, item.doc_id))
            pending = retry
            if pending:
                await self._backoff(f"{len(pending)} documents got 429/5xx", delay)
                delay = min(delay * 2, self.settings.retry_max_s)
        return letters

    async def _backoff(self, why: str, delay: float) -> None:
        metrics.RETRIES.labels(STAGE).inc()
        log.warning("elasticsearch_retry", stage=STAGE, reason=why, retry_in_s=delay)
        await asyncio.sleep(delay)

    async def handle(self, records: Sequence[ConsumerRecord[bytes, bytes]]) -> None:
        incoming = [Incoming(r.key, r.value, r.topic, r.partition, r.offset) for r in records]
        with metrics.BATCH_SECONDS.labels(STAGE).time():
            pending, letters = self._plan(incoming)
            letters += await self._bulk(pending)
            if letters:
                await deliver(letters, self._send, self.settings, STAGE)

    async def _send(self, topic: str, key: bytes | None, value: bytes) -> asyncio.Future[Any]:
        future: asyncio.Future[Any] = await self.producer.send(topic, key=key, value=value)
        return future

    # ---- loop

    async def _ensure_indices(self) -> None:
        """Templates and alias first; an unreachable cluster is waited for, not fatal."""
        delay = self.settings.retry_initial_s
        while not self.stopping.is_set():
            try:
                changes = await ensure_indices(self.es, self.settings)
            except (TransportError, EsApiError) as exc:
                if isinstance(exc, EsApiError) and exc.status_code not in _RETRIABLE_STATUS:
                    raise
                await self._backoff(f"index setup failed: {exc!r}"[:300], delay)
                delay = min(delay * 2, self.settings.retry_max_s)
                continue
            if changes:
                log.info("elasticsearch_setup", changed=changes)
            return

    async def run(self) -> None:
        await self._ensure_indices()
        while not self.stopping.is_set():
            batches = await self.consumer.getmany(
                timeout_ms=int(self.settings.batch_timeout_s * 1000),
                max_records=self.settings.batch_size,
            )
            records = [record for tp_records in batches.values() for record in tp_records]
            if not records:
                continue
            await self.handle(records)
            await self.consumer.commit(
                {
                    TopicPartition(tp.topic, tp.partition): tp_records[-1].offset + 1
                    for tp, tp_records in batches.items()
                    if tp_records
                }
            )


async def run_indexer(settings: IndexerSettings) -> None:
    topics = [settings.topics.enriched]
    if settings.index_dead_letters:
        topics.append(settings.topics.dlq)
    consumer = AIOKafkaConsumer(
        *topics,
        bootstrap_servers=settings.bootstrap_servers,
        group_id=settings.group_id(STAGE),
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        max_partition_fetch_bytes=4 * 1024 * 1024,
    )
    producer = AIOKafkaProducer(
        bootstrap_servers=settings.bootstrap_servers,
        acks="all",
        enable_idempotence=True,
        max_request_size=4 * 1024 * 1024,
    )
    es = client(settings)
    await producer.start()
    await consumer.start()
    indexer = Indexer(settings, es, consumer, producer)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, indexer.stopping.set)
    log.info(
        "indexer_started", topics=topics, group=settings.group_id(STAGE), alias=settings.index_alias
    )
    try:
        await indexer.run()
    finally:
        await consumer.stop()
        await producer.stop()
        await es.close()


def run() -> None:
    settings = IndexerSettings()
    logs.configure(settings.log_level)
    metrics.serve(settings.metrics_port, settings.metrics_host)
    asyncio.run(run_indexer(settings))
