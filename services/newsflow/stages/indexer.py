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

import orjson
import structlog
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.errors import CommitFailedError, IllegalStateError
from elasticsearch import ApiError as EsApiError
from elasticsearch import AsyncElasticsearch, TransportError

from newsflow.core.contracts import Contract, decode
from newsflow.core.documents import article_document
from newsflow.core.ids import utc_now
from newsflow.elastic.client import es_client
from newsflow.elastic.templates import ensure_indices
from newsflow.errors import BackendUnavailable, ContractError, DocumentRejected
from newsflow.retry import retry_async
from newsflow.runtime import logs, metrics
from newsflow.runtime.dead_letters import Incoming, dead_letter
from newsflow.runtime.kafka import consumer as kafka_consumer
from newsflow.runtime.kafka import producer as kafka_producer
from newsflow.runtime.kafka import require_topics
from newsflow.runtime.runner import Outgoing, admit, dead_letter_outgoing, deliver
from newsflow.settings import IndexerSettings

log = structlog.get_logger()
STAGE = "indexer"
# Started while Kafka restarts, the stage waits this long for it before giving up.
STARTUP_WAIT_S = 120.0
_RETRIABLE_STATUS = {429, 500, 502, 503, 504}
# While a write is in flight, the consumer is polled in steps this long for the next batch.
_COLLECT_STEP_S = 0.05


@dataclass
class Pending:
    """One document to write, and the record it came from (for its dead letter)."""

    index: str
    doc_id: str
    source: dict[str, Any]
    record: Incoming

    def size(self) -> int:
        """Bytes this document adds to a bulk request (its source; the action line is small)."""
        return len(orjson.dumps(self.source)) + 100


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
        pending: list[Pending] = []
        letters: list[Outgoing] = []
        indexed_at = utc_now()
        for record in records:
            if record.topic == self.settings.stream.topics.dlq:
                pending.append(self._dead_letter_document(record))
                continue
            admitted = admit(STAGE, Contract.ENRICHED, record, self.settings.stream)
            if isinstance(admitted, Outgoing):
                letters.append(admitted)
                continue
            pending.append(
                Pending(
                    self.settings.index.index_alias,
                    admitted["id"],
                    article_document(admitted, indexed_at),
                    record,
                )
            )
        return pending, letters

    def _dead_letter_document(self, record: Incoming) -> Pending:
        doc_id = f"{record.topic}-{record.partition}-{record.offset}"
        try:
            letter = decode(Contract.DEAD_LETTER, record.value)
        except ContractError as exc:  # index it anyway, as the indexer's own dead letter
            letter = dead_letter(STAGE, exc, record, self.settings.stream.dead_letter_payload_bytes)
        return Pending(self.settings.index.dead_letter_index, doc_id, letter, record)

    def _letter(
        self, error: BaseException, record: Incoming, article_id: str | None = None
    ) -> Outgoing:
        return dead_letter_outgoing(STAGE, error, record, self.settings.stream, article_id)

    # ---- writing

    def _chunks(self, pending: list[Pending]) -> list[list[Pending]]:
        """Bulk requests of at most bulk_max_documents documents and bulk_max_bytes bytes."""
        options = self.settings.indexer
        chunks: list[list[Pending]] = []
        current: list[Pending] = []
        size = 0
        for item in pending:
            item_size = item.size()
            if current and (
                len(current) >= options.bulk_max_documents
                or size + item_size > options.bulk_max_bytes
            ):
                chunks.append(current)
                current, size = [], 0
            current.append(item)
            size += item_size
        if current:
            chunks.append(current)
        return chunks

    async def _bulk(self, pending: list[Pending]) -> list[Outgoing]:
        """Write until every document is acknowledged or rejected for good.

        A request that fails as a whole (outage, 429/5xx) is retried with the shared backoff;
        documents that got 429/5xx are retried alone; a request too large for the cluster (413)
        is split; a document refused for good becomes a dead letter.
        """
        letters: list[Outgoing] = []
        remaining = pending

        async def attempt() -> None:
            nonlocal remaining
            retry: list[Pending] = []
            chunks = self._chunks(remaining)
            for number, chunk in enumerate(chunks):
                try:
                    retry += await self._write(chunk, letters)
                except BackendUnavailable:
                    remaining = retry + [i for c in chunks[number:] for i in c]
                    raise
            remaining = retry
            if remaining:
                raise BackendUnavailable(f"{len(remaining)} documents got 429/5xx")

        await retry_async(
            attempt,
            what="bulk write",
            initial_s=self.settings.stream.retry_initial_s,
            max_s=self.settings.stream.retry_max_s,
            on_retry=lambda _: metrics.RETRIES.labels(STAGE).inc(),
        )
        return letters

    async def _write(self, chunk: list[Pending], letters: list[Outgoing]) -> list[Pending]:
        """One bulk request; returns the documents to retry, appends dead letters."""
        operations: list[dict[str, Any]] = []
        for item in chunk:
            operations.append({"index": {"_index": item.index, "_id": item.doc_id}})
            operations.append(item.source)
        try:
            response = await self.es.bulk(operations=operations)
        except EsApiError as exc:
            if exc.status_code == 413:
                return await self._split(chunk, letters, exc)
            if exc.status_code in _RETRIABLE_STATUS:
                raise BackendUnavailable(f"bulk request answered {exc.status_code}") from exc
            raise
        except TransportError as exc:
            raise BackendUnavailable(f"bulk request failed: {exc!r}") from exc
        retry: list[Pending] = []
        for item, result in zip(chunk, response["items"], strict=True):
            outcome = result["index"]
            status = outcome.get("status", 500)
            if status < 300:
                metrics.INDEXED.labels(item.index).inc()
            elif status in _RETRIABLE_STATUS:
                retry.append(item)
            elif item.index == self.settings.index.dead_letter_index:
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
        return retry

    async def _split(
        self, chunk: list[Pending], letters: list[Outgoing], error: EsApiError
    ) -> list[Pending]:
        if len(chunk) == 1:
            item = chunk[0]
            reason = f"Elasticsearch refused the document as too large (413): {error.message}"
            letters.append(self._letter(DocumentRejected(reason), item.record, item.doc_id))
            return []
        half = len(chunk) // 2
        log.warning("bulk_request_too_large_splitting", stage=STAGE, documents=len(chunk))
        return await self._write(chunk[:half], letters) + await self._write(chunk[half:], letters)

    def plan(
        self, records: Sequence[ConsumerRecord[bytes, bytes]]
    ) -> tuple[list[Pending], list[Outgoing]]:
        """Decode, validate and build the documents (or dead letters) of a batch: CPU only."""
        return self._plan(
            [Incoming(r.key, r.value, r.topic, r.partition, r.offset) for r in records]
        )

    async def write(self, planned: tuple[list[Pending], list[Outgoing]]) -> None:
        """Index the documents, then deliver the dead letters; returns once both are durable."""
        pending, letters = planned
        with metrics.BATCH_SECONDS.labels(STAGE).time():
            letters = letters + await self._bulk(pending)
            if letters:
                await deliver(letters, self._send, self.settings.stream, STAGE)

    async def _send(self, topic: str, key: bytes | None, value: bytes) -> asyncio.Future[Any]:
        future: asyncio.Future[Any] = await self.producer.send(topic, key=key, value=value)
        return future

    # ---- loop

    async def ensure_indices(self) -> None:
        """Templates and alias first; an unreachable cluster is waited for, not fatal."""

        async def attempt() -> list[str]:
            try:
                return await ensure_indices(self.es, self.settings.index)
            except EsApiError as exc:
                if exc.status_code in _RETRIABLE_STATUS:
                    raise BackendUnavailable(f"index setup answered {exc.status_code}") from exc
                raise
            except TransportError as exc:
                raise BackendUnavailable(f"index setup failed: {exc!r}") from exc

        changes = await retry_async(
            attempt,
            what="index setup",
            initial_s=self.settings.stream.retry_initial_s,
            max_s=self.settings.stream.retry_max_s,
        )
        if changes:
            log.info("elasticsearch_setup", changed=changes)

    async def run(self) -> None:
        """Read, plan, write, commit, with one batch written while the next one is read.

        Planning (decoding, validation, building documents) is this process's CPU; indexing is
        Elasticsearch's. While a batch's bulk requests are in flight the consumer keeps reading
        and the next batch is planned, so the two overlap, and the slower Elasticsearch is, the
        fuller the next batch (up to batch_size). A batch's offsets are committed once its own
        write is done, before the next write starts."""
        lag_task = asyncio.create_task(self._report_lag())
        writing: asyncio.Task[None] | None = None
        written: dict[TopicPartition, int] = {}
        try:
            while not self.stopping.is_set():
                metrics.beat()
                records, offsets = await self._collect(writing)
                planned = self.plan(records) if records else None
                if writing is not None:
                    await self._wait_polling(writing)
                    writing = None
                    await self._commit(written)
                if planned is not None:
                    writing = asyncio.create_task(self.write(planned))
                    written = offsets
            if writing is not None:
                # Stopping: the batch being written is finished and committed, not dropped.
                await self._wait_polling(writing)
                writing = None
                await self._commit(written)
        finally:
            if writing is not None and not writing.done():
                writing.cancel()
            lag_task.cancel()

    async def _collect(
        self, writing: asyncio.Task[None] | None
    ) -> tuple[list[ConsumerRecord[bytes, bytes]], dict[TopicPartition, int]]:
        """The next batch and the offsets to commit after it.

        Nothing being written: the first records that arrive within batch_timeout_s (no
        lingering, for latency). A write in flight: whatever arrives until it is done, the batch
        is full or poll_while_busy_s has passed (then `_wait_polling` pauses the partitions),
        polling in short steps so the write's end is noticed at once."""
        options = self.settings.indexer
        records: list[ConsumerRecord[bytes, bytes]] = []
        offsets: dict[TopicPartition, int] = {}
        loop = asyncio.get_running_loop()
        give_up = loop.time() + options.poll_while_busy_s
        while len(records) < options.batch.size and not self.stopping.is_set():
            if writing is None:
                timeout_s = options.batch.timeout_s
            elif writing.done():
                timeout_s = 0.0
            else:
                timeout_s = _COLLECT_STEP_S
            fetched = await self.consumer.getmany(
                timeout_ms=int(timeout_s * 1000), max_records=options.batch.size - len(records)
            )
            for tp, tp_records in fetched.items():
                if tp_records:
                    records.extend(tp_records)
                    offsets[TopicPartition(tp.topic, tp.partition)] = tp_records[-1].offset + 1
            if writing is None or writing.done() or loop.time() >= give_up:
                break
        return records, offsets

    async def _wait_polling(self, writing: asyncio.Task[None]) -> None:
        """Wait for a write; while it waits (Elasticsearch down or slow), hold every assigned
        partition paused and keep polling, so the consumer stays in its group (heartbeats and
        max_poll_interval_ms) instead of being evicted and causing a rebalance."""
        paused = False
        try:
            while True:
                done, _ = await asyncio.wait(
                    {writing}, timeout=self.settings.indexer.poll_while_busy_s
                )
                if done:
                    break
                metrics.beat()
                assigned = self.consumer.assignment()
                if assigned:
                    self.consumer.pause(*assigned)
                if not paused:
                    paused = True
                    metrics.PAUSED.labels(STAGE).set(1)
                    log.warning("backpressure_partitions_paused", stage=STAGE)
                polled = await self.consumer.getmany(timeout_ms=100)
                # A partition assigned during the wait is not paused yet: whatever it returned
                # is read again from the same offset once the batch is done.
                for tp, tp_records in polled.items():
                    if tp_records:
                        self.consumer.seek(tp, tp_records[0].offset)
            await writing
        finally:
            if paused:
                self.consumer.resume(*self.consumer.paused())
                metrics.PAUSED.labels(STAGE).set(0)
                log.info("backpressure_partitions_resumed", stage=STAGE)

    async def _commit(self, offsets: dict[TopicPartition, int]) -> None:
        """Commit what was written. A rebalance may have moved a partition meanwhile: its new
        owner re-reads from the last committed offset and rewrites the same documents (same
        ids), so a failed commit costs a repeat, never a loss, and the stage goes on."""
        try:
            await self.consumer.commit(offsets)
        except (CommitFailedError, IllegalStateError) as exc:
            log.warning("commit_failed_after_rebalance", stage=STAGE, error=repr(exc)[:300])

    async def _report_lag(self) -> None:
        """The consumer's lag per partition as a Prometheus gauge, every few seconds."""
        while True:
            await asyncio.sleep(5)
            for tp in self.consumer.assignment():
                highwater = self.consumer.highwater(tp)
                committed = await self.consumer.committed(tp)
                if highwater is not None:
                    metrics.record_lag(
                        STAGE, [(tp.topic, tp.partition, highwater - (committed or 0))]
                    )


async def run_indexer(settings: IndexerSettings) -> None:
    stream = settings.stream
    bootstrap = settings.connections.bootstrap_servers
    topics = [stream.topics.enriched]
    if settings.index.index_dead_letters:
        topics.append(stream.topics.dlq)
    consumer = kafka_consumer(
        *topics,
        bootstrap_servers=bootstrap,
        group_id=stream.group_id(STAGE),
        max_partition_fetch_bytes=4 * 1024 * 1024,
        max_poll_interval_ms=settings.indexer.max_poll_interval_ms,
    )
    producer = kafka_producer(bootstrap, max_request_size=4 * 1024 * 1024)
    es = es_client(settings.connections)
    indexer = Indexer(settings, es, consumer, producer)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, indexer.stopping.set)
    try:
        await require_topics(bootstrap, topics, STARTUP_WAIT_S)
        # Templates and alias before joining the group: a cluster that is still starting is
        # waited for here, not while holding partitions.
        await indexer.ensure_indices()
    except BaseException:
        await es.close()
        raise
    await producer.start()
    await consumer.start()
    log.info(
        "indexer_started",
        topics=topics,
        group=stream.group_id(STAGE),
        alias=settings.index.index_alias,
    )
    try:
        await indexer.run()
    finally:
        await consumer.stop()
        await producer.stop()
        await es.close()


def run() -> None:
    settings = IndexerSettings()
    logs.configure(settings.observability.log_level)
    metrics.serve(settings.observability.metrics_port, settings.observability.metrics_host)
    asyncio.run(run_indexer(settings))
