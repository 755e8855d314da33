"""The faust shell of the dedup stage: two agents and a changelog-backed table.

- `sequence` copies articles.clean (any number of partitions, shared by the workers of the
  group) into articles.sequenced, which has one partition: one order for every decision.
- `dedup` reads that partition, assigns each article its story, and writes articles.deduped.
  Its state (`newsflow.core.dedup.DedupState`) is a faust table whose changelog topic has one
  partition too, so the worker that holds the partition holds the whole state (and the band
  and content-hash indexes it derives from it); the other workers keep a standby copy of the
  table from the changelog and take over when it goes away.

Why this is enough for every worker and every restart to agree: a decision depends only on the
sequenced log and the state its prefix left. The state holds, beside one record per article,
the offset of the next article to decide, written once the batch's outputs are acknowledged and
after its records (one changelog partition keeps them in that order). After a crash or a
takeover, decisions resume from the recovered position, whatever offset faust committed: the
articles after the last recorded position are decided again and, being the same articles in
the same order over the same state, get the same stories (an article found in the state gets
its stored answer). Records the consumer delivers out of order (faust can skip or repeat some
around a rebalance) are left out, and the log is read again from the position.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any, cast

import faust
import structlog
from faust.types import TP, StreamT

from newsflow.core.dedup import DedupConfig, DedupState, evict
from newsflow.runtime import logs, metrics
from newsflow.runtime.dead_letters import Incoming
from newsflow.runtime.faust_app import (
    EXIT_STAGE_FAULT,
    faust_app,
    incoming,
    require_stage_topics,
    watch,
)
from newsflow.runtime.runner import Outgoing, StageCore, StageRunner, deliver
from newsflow.settings import DEDUP_TABLES, DedupSettings

log = structlog.get_logger()


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


# The stage's core, given the state it decides over (the tables of the app being built).
CoreFactory = Callable[[DedupState], StageCore]


def build_dedup_app(settings: DedupSettings, config: DedupConfig, core: CoreFactory) -> faust.App:
    stream, batch = settings.stream, settings.dedup.batch
    app = faust_app("dedup", settings.connections, stream, batch)
    topics = stream.topics
    clean = _raw_topic(app, topics.clean)
    sequenced = _raw_topic(app, topics.sequenced)
    sinks = {name: _raw_topic(app, name) for name in (topics.deduped, topics.dlq)}
    sinks[topics.sequenced] = sequenced
    tables = {name: _table(app, stream.changelog_topic(name), name) for name in DEDUP_TABLES}
    state = DedupState(tables["articles"])

    async def send(topic: str, key: bytes | None, value: bytes) -> Any:
        return await sinks[topic].send(key=key, value=value, force=True)

    runner = StageRunner(core(state), stream, topics.deduped, send)

    @app.agent(clean, name="dedup-sequence")
    async def sequence(events_stream: StreamT[bytes]) -> None:
        # Copied bytes for bytes: the decisions validate them. A record copied twice (after a
        # crash before the commit) is found in the state the second time and answered the same.
        batches = cast("faust.Stream[bytes]", events_stream).take_events(
            batch.size, within=batch.timeout_s
        )
        async for events in batches:
            outgoing = [
                Outgoing(topics.sequenced, e.message.key, e.message.value or b"") for e in events
            ]
            try:
                await deliver(outgoing, send, stream, "dedup-sequence")
            except Exception:
                log.critical("stage_failed_exiting_unacked", stage="dedup", exc_info=True)
                os._exit(EXIT_STAGE_FAULT)

    evicted_at: list[int] = [0]
    sought: list[int | None] = [None]
    partition = TP(topics.sequenced, 0)

    @app.agent(sequenced, name="dedup")
    async def decide(events_stream: StreamT[bytes]) -> None:
        batches = cast("faust.Stream[bytes]", events_stream).take_events(
            batch.size, within=batch.timeout_s
        )
        async for events in batches:
            if not evicted_at[0]:
                # This worker holds the sequence and the tables (the others are standbys).
                log.info("dedup_deciding", position=state.position)
            try:
                todo, gap = in_order([incoming(event) for event in events], state.position)
                if todo:
                    sought[0] = None
                    with metrics.BATCH_SECONDS.labels("dedup").time():
                        # In the event loop, not a thread: table writes go through faust's
                        # producer.
                        outgoing = runner.plan(todo)
                        await deliver(outgoing, send, stream, "dedup")
                    # Only once the outputs are acknowledged: a recovered position never covers
                    # an article whose output could be lost.
                    state.position = todo[-1].offset + 1
                if gap is not None and sought[0] != gap:
                    # The consumer skipped records (faust can, around a rebalance): read the
                    # log again from the first one not decided.
                    log.warning("dedup_sequence_gap_reading_again", offset=gap)
                    await app.consumer.seek(partition, gap)
                    sought[0] = gap
                now = state.clock()
                if now - evicted_at[0] >= settings.dedup.evict_every_s * 1000:
                    evicted = evict(state, config)
                    evicted_at[0] = now
                    log.info("dedup_evicted", articles=evicted, kept=len(state.articles))
            except Exception:
                log.critical("stage_failed_exiting_unacked", stage="dedup", exc_info=True)
                os._exit(EXIT_STAGE_FAULT)

    watch(
        app,
        "dedup",
        settings.connections,
        stream.group_id("dedup"),
        [topics.clean, topics.sequenced],
    )

    @app.on_partitions_assigned.connect
    async def reset_clock(*_args: Any, **_kwargs: Any) -> None:
        # The table may have changed hands: the next decision rebuilds the indexes and the
        # clock from its content (recovered or kept up to date as a standby).
        state.watermark_ms = None
        sought[0] = None

    return app


def in_order(
    records: Sequence[Incoming], position: int | None
) -> tuple[list[Incoming], int | None]:
    """The records to decide now, and where to read again if the consumer skipped some.

    The sequenced log has one partition, so the records must come with consecutive offsets from
    `position` (the state's next offset; None: nothing decided yet). Earlier ones were decided
    already (a replay): left out. A later one means records were skipped: the ones before it
    are decided, the rest left out, and the log is read again from the first not decided.
    """
    todo: list[Incoming] = []
    for record in records:
        if position is None or record.offset == position:
            todo.append(record)
            position = record.offset + 1
        elif record.offset > position:
            return todo, position
    return todo, None


def run_dedup_stage(settings: DedupSettings, config: DedupConfig, core: CoreFactory) -> None:
    logs.configure(settings.observability.log_level)
    topics = settings.stream.topics
    require_stage_topics(
        settings.connections, [topics.clean, topics.sequenced, topics.deduped, topics.dlq]
    )
    metrics.serve(settings.observability.metrics_port, settings.observability.metrics_host)
    app = build_dedup_app(settings, config, core)
    worker = faust.Worker(app, loglevel=settings.observability.log_level.upper(), quiet=True)
    worker.execute_from_commandline()
