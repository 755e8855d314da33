"""The dedup stage: a copy into one partition, a deciding faust agent, four changelog-backed tables.

- The copy (`copy_to_sequence`) reads articles.clean (any number of partitions, shared by the
  workers of its group `<prefix>-dedup-sequence`) and writes it into articles.sequenced, which
  has one partition: one order for every decision. It is a plain aiokafka consumer that commits
  by hand what the broker has acknowledged, not a faust agent: faust acks records it skips
  around a rebalance and a restart, and a record the copy skipped would be lost for good, since
  nothing downstream can tell it was there.
- `dedup` reads that partition, assigns each article its story, and writes articles.deduped.
  Its state (`newsflow.core.dedup.DedupState`) is three faust tables whose changelog topics have
  one partition too, so the worker that holds the partition holds the whole state; the other
  workers keep a standby copy from the changelog and take over when it goes away.

Why this is enough for every worker and every restart to agree: a decision depends only on the
sequenced log and the state its prefix left. A batch's events are acked (so its offsets can be
committed) only after its outputs are acknowledged and its table writes are delivered to the
changelogs, so after a crash the recovered state covers at least every committed article; the
articles after it are decided again and, being the same articles in the same order over the same
state, get the same stories (an article found in the state gets its stored answer; so does a
record the copy wrote twice, after a crash between its write and its commit).

The deciding agent does not rely on faust handing it every record of the sequenced log either:
the `positions` table keeps the offset after the last batch decided; a batch that starts past it
(or has a hole) has the missing records read straight from the partition and decided first, in
log order. Skipped records at the end of the log have no later record to reveal them: every
`catch_up_every_s` the worker holding the partition compares its position with the group's
committed offset instead.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Sequence
from typing import Any, cast

import faust
import structlog
from aiokafka import TopicPartition
from aiokafka.errors import KafkaError
from faust.types import StreamT

from newsflow.core.dedup import DedupConfig, DedupState, evict
from newsflow.errors import BackendUnavailable
from newsflow.runtime import kafka, logs, metrics
from newsflow.runtime.dead_letters import Incoming
from newsflow.runtime.faust_app import (
    EXIT_STAGE_FAULT,
    faust_app,
    incoming,
    require_stage_topics,
    watch,
)
from newsflow.runtime.runner import Outgoing, StageRunner, deliver
from newsflow.settings import DEDUP_TABLES, SEQUENCE_GROUP, Connections, DedupSettings
from newsflow.stages.dedup import DedupCore

log = structlog.get_logger()

# The positions table's one key: the offset of articles.sequenced after the last decided batch.
POSITION_KEY = b"sequenced"


def _raw_topic(app: faust.App, name: str, **options: Any) -> faust.TopicT:
    return app.topic(
        name,
        key_type=bytes,
        value_type=bytes,
        key_serializer="raw",
        value_serializer="raw",
        **options,
    )


class SinglePartitionTable(faust.Table[bytes, bytes]):
    """A table whose changelog has one partition: every write goes to partition 0.

    Faust picks a write's changelog partition from the event being processed; eviction writes
    outside of any event, and with one partition there is nothing to pick."""

    def partition_for_key(self, key: Any) -> int:
        return 0


def _table(app: faust.App, changelog: str, name: str) -> SinglePartitionTable:
    table = SinglePartitionTable(
        app,
        name=name,
        beacon=app.tables.beacon,
        key_type=bytes,
        value_type=bytes,
        partitions=1,
        changelog_topic=_raw_topic(app, changelog, partitions=1, internal=True),
    )
    app.tables.add(table)
    return table


async def flush_table_writes(app: faust.App) -> None:
    """Wait until every table write is acknowledged by Kafka.

    Faust's own flush before a commit gives up on its write buffer after 0.1 s without progress
    (`ProducerBuffer.flush_atmost`), so a slow broker could see offsets committed before the
    changelog records that justify them; the loop drains the buffer fully, then the producer's
    flush waits for the broker's acknowledgements."""
    buffer = app.producer.buffer
    while buffer.size:
        await buffer.flush()
    await app.producer.flush()


async def read_sequenced(
    connections: Connections, topic: str, start: int, end: int
) -> list[Incoming]:
    """The records of the sequenced log from `start` up to (not including) `end`.

    Records the retention already deleted are simply not there: the read starts at the log's
    first offset, and the caller logs how many it got."""
    partition = TopicPartition(topic, 0)
    consumer = kafka.consumer(
        bootstrap_servers=connections.bootstrap_servers, group_id=None, max_poll_records=500
    )
    await consumer.start()
    try:
        consumer.assign([partition])
        first = (await consumer.beginning_offsets([partition]))[partition]
        consumer.seek(partition, max(start, first))
        records: list[Incoming] = []
        while await consumer.position(partition) < end:
            fetched = await consumer.getmany(partition, timeout_ms=1000)
            for message in fetched.get(partition, []):
                if message.offset < end:
                    records.append(
                        Incoming(
                            message.key, message.value, topic, message.partition, message.offset
                        )
                    )
        return records
    finally:
        await consumer.stop()


class SequenceGuard:
    """Makes sure every record of the sequenced log reaches the decisions, in log order.

    `expected` is the offset after the last record handed over; it starts from the positions
    table (written after each decided batch, so never ahead of what was decided and delivered).
    A record past it means records were skipped: they are read from Kafka and go first. A
    record before it is a redelivery and goes through again (its stored answer comes back)."""

    def __init__(self, connections: Connections, topic: str, positions: faust.Table[bytes, bytes]):
        self.connections = connections
        self.topic = topic
        self.positions = positions
        self.expected: int | None = None

    def reset(self) -> None:
        # The partition may have changed hands: start again from the recovered table.
        self.expected = None

    async def complete(
        self, records: Sequence[Incoming], until: int | None = None
    ) -> list[Incoming]:
        """The records, after those skipped before them (and before `until`, if given)."""
        if self.expected is None:
            stored = self.positions.get(POSITION_KEY)
            self.expected = int.from_bytes(stored, "big") if stored is not None else None
        complete: list[Incoming] = []
        for record in sorted(records, key=lambda r: r.offset):
            complete.extend(await self._skipped_before(record.offset))
            complete.append(record)
            if self.expected is None or record.offset >= self.expected:
                self.expected = record.offset + 1
        if until is not None:
            complete.extend(await self._skipped_before(until))
            if self.expected is not None:
                self.expected = max(self.expected, until)
        return complete

    async def _skipped_before(self, offset: int) -> list[Incoming]:
        if self.expected is None or offset <= self.expected:
            return []
        missing = await read_sequenced(self.connections, self.topic, self.expected, offset)
        log.warning(
            "dedup_skipped_records_read_again", first=self.expected, until=offset, read=len(missing)
        )
        metrics.SEQUENCE_GAPS.inc(len(missing))
        return missing

    def decided(self) -> None:
        """Record the position after a batch whose outputs and table writes Kafka has."""
        if self.expected is not None:
            self.positions[POSITION_KEY] = self.expected.to_bytes(8, "big")


def build_dedup_app(settings: DedupSettings, config: DedupConfig) -> faust.App:
    stream, batch = settings.stream, settings.dedup.batch
    app = faust_app("dedup", settings.connections, stream, batch)
    topics = stream.topics
    sequenced = _raw_topic(app, topics.sequenced)
    sinks = {name: _raw_topic(app, name) for name in (topics.deduped, topics.dlq)}
    tables = {name: _table(app, stream.changelog_topic(name), name) for name in DEDUP_TABLES}
    state = DedupState(tables["articles"], tables["bands"], tables["hashes"])
    guard = SequenceGuard(settings.connections, topics.sequenced, tables["positions"])
    core = DedupCore(config, state)

    async def send(topic: str, key: bytes | None, value: bytes) -> Any:
        return await sinks[topic].send(key=key, value=value, force=True)

    runner = StageRunner(core, stream, topics.deduped, send)

    async def sequence() -> None:
        try:
            await copy_to_sequence(settings)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.critical("stage_failed_exiting_unacked", stage="dedup-sequence", exc_info=True)
            os._exit(EXIT_STAGE_FAULT)

    app.task(sequence)  # started with the worker, in its event loop

    evicted_at: list[int] = [0]
    # The agent and the catch-up timer both decide; one batch at a time, in log order.
    deciding = asyncio.Lock()

    async def decide_records(records: list[Incoming], until: int | None = None) -> None:
        async with deciding:
            if not evicted_at[0]:
                # This worker holds the sequence and the tables (the others are standbys).
                log.info("dedup_deciding", articles_in_tables=len(state.articles))
            try:
                with metrics.BATCH_SECONDS.labels("dedup").time():
                    records = await guard.complete(records, until)
                    # In the event loop, not a thread: table writes go through faust's producer.
                    outgoing = runner.plan(records)
                    await deliver(outgoing, send, stream, "dedup")
                    await flush_table_writes(app)
                    guard.decided()
                now = state.clock()
                if now - evicted_at[0] >= settings.dedup.evict_every_s * 1000:
                    evicted = evict(state, config)
                    evicted_at[0] = now
                    log.info("dedup_evicted", articles=evicted, kept=len(state.articles))
            except Exception:
                log.critical("stage_failed_exiting_unacked", stage="dedup", exc_info=True)
                os._exit(EXIT_STAGE_FAULT)

    @app.agent(sequenced, name="dedup")
    async def decide(events_stream: StreamT[bytes]) -> None:
        batches = cast("faust.Stream[bytes]", events_stream).take_events(
            batch.size, within=batch.timeout_s
        )
        async for events in batches:
            await decide_records([incoming(event) for event in events])

    sequenced_partition = TopicPartition(topics.sequenced, 0)

    async def catch_up() -> None:
        # Only the worker holding the partition decides; a worker that just got it has no
        # position yet and starts from the recovered one with its first batch.
        if guard.expected is None or sequenced_partition not in app.consumer.assignment():
            return
        try:
            committed = await kafka.committed_offset(
                settings.connections.bootstrap_servers,
                stream.group_id("dedup"),
                sequenced_partition,
            )
        except BackendUnavailable as exc:
            log.warning("dedup_catch_up_skipped", error=str(exc))
            return
        if committed is not None and committed > guard.expected:
            await decide_records([], until=committed)

    app.timer(interval=settings.dedup.catch_up_every_s)(catch_up)

    watch(
        app,
        "dedup",
        settings.connections,
        {stream.group_id(g): stream.group_inputs()[g] for g in (SEQUENCE_GROUP, "dedup")},
    )

    @app.on_partitions_assigned.connect
    async def reset_clock(*_args: Any, **_kwargs: Any) -> None:
        # The tables may have changed hands: the window is measured again from their content.
        state.watermark_ms = None
        guard.reset()

    return app


async def copy_to_sequence(settings: DedupSettings) -> None:
    """articles.clean copied into articles.sequenced, bytes for bytes (the decisions validate
    them), batch by batch: a batch's offsets are committed once Kafka acknowledged its copies.

    A commit refused because the group rebalanced meanwhile loses nothing: the partition's new
    owner copies those records again, and a second copy of a record is answered like the first."""
    stream, batch = settings.stream, settings.dedup.batch
    bootstrap = settings.connections.bootstrap_servers
    consumer = kafka.consumer(
        stream.topics.clean,
        bootstrap_servers=bootstrap,
        group_id=stream.group_id(SEQUENCE_GROUP),
    )
    producer = kafka.producer(
        bootstrap, max_request_size=max(stream.max_message_bytes, 1024 * 1024) * 2
    )

    async def send(topic: str, key: bytes | None, value: bytes) -> Any:
        return await producer.send(topic, value, key=key)

    await producer.start()
    try:
        await consumer.start()
        try:
            while True:
                fetched = await consumer.getmany(
                    timeout_ms=int(batch.timeout_s * 1000), max_records=batch.size
                )
                records = [record for part in fetched.values() for record in part]
                if not records:
                    continue
                outgoing = [
                    Outgoing(stream.topics.sequenced, r.key, r.value or b"") for r in records
                ]
                await deliver(outgoing, send, stream, SEQUENCE_GROUP)
                offsets = {tp: part[-1].offset + 1 for tp, part in fetched.items() if part}
                try:
                    await consumer.commit(offsets)
                except KafkaError as exc:
                    log.warning("dedup_sequence_commit_failed_copied_again", error=repr(exc))
        finally:
            await consumer.stop()
    finally:
        await producer.stop()


def run_dedup_stage(settings: DedupSettings, config: DedupConfig) -> None:
    logs.configure(settings.observability.log_level)
    topics = settings.stream.topics
    # Not the changelogs: faust creates those of a new group (its internal topics) itself.
    require_stage_topics(
        settings.connections, [topics.clean, topics.sequenced, topics.deduped, topics.dlq]
    )
    metrics.serve(settings.observability.metrics_port, settings.observability.metrics_host)
    app = build_dedup_app(settings, config)
    worker = faust.Worker(app, loglevel=settings.observability.log_level.upper(), quiet=True)
    worker.execute_from_commandline()
