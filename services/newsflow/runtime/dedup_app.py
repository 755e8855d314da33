"""The faust shell of the dedup stage: two agents and three changelog-backed tables.

- `sequence` copies articles.clean (any number of partitions, shared by the workers of the
  group) into articles.sequenced, which has one partition: one order for every decision.
- `dedup` reads that partition, assigns each article its story, and writes articles.deduped.
  Its state (`newsflow.core.dedup.DedupState`) is three faust tables whose changelog topics have
  one partition too, so the worker that holds the partition holds the whole state; the other
  workers keep a standby copy from the changelog and take over when it goes away.

Why this is enough for every worker and every restart to agree: a decision depends only on the
sequenced log and the state its prefix left. A batch's offsets are committed only after its
table writes are flushed to the changelog (faust flushes its producer before committing) and its
outputs are acknowledged, so after a crash the recovered state covers at least every committed
article; the articles after it are decided again and, being the same articles in the same order
over the same state, get the same stories (an article found in the state gets its stored answer).
"""

from __future__ import annotations

import os
from typing import Any, cast

import faust
import structlog
from faust.types import StreamT

from newsflow.core.dedup import DedupConfig, DedupState, evict
from newsflow.runtime import logs, metrics
from newsflow.runtime.faust_app import (
    EXIT_STAGE_FAULT,
    faust_app,
    incoming,
    require_stage_topics,
    watch,
)
from newsflow.runtime.runner import Outgoing, StageRunner, deliver
from newsflow.settings import DEDUP_TABLES, DedupSettings
from newsflow.stages.dedup import DedupCore

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


def build_dedup_app(settings: DedupSettings, config: DedupConfig) -> faust.App:
    stream, batch = settings.stream, settings.dedup.batch
    app = faust_app("dedup", settings.connections, stream, batch)
    topics = stream.topics
    clean = _raw_topic(app, topics.clean)
    sequenced = _raw_topic(app, topics.sequenced)
    sinks = {name: _raw_topic(app, name) for name in (topics.deduped, topics.dlq)}
    sinks[topics.sequenced] = sequenced
    tables = {name: _table(app, stream.changelog_topic(name), name) for name in DEDUP_TABLES}
    state = DedupState(tables["articles"], tables["bands"], tables["hashes"])
    core = DedupCore(config, state)

    async def send(topic: str, key: bytes | None, value: bytes) -> Any:
        return await sinks[topic].send(key=key, value=value, force=True)

    runner = StageRunner(core, stream, topics.deduped, send)

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

    @app.agent(sequenced, name="dedup")
    async def decide(events_stream: StreamT[bytes]) -> None:
        batches = cast("faust.Stream[bytes]", events_stream).take_events(
            batch.size, within=batch.timeout_s
        )
        async for events in batches:
            if not evicted_at[0]:
                # This worker holds the sequence and the tables (the others are standbys).
                log.info("dedup_deciding", articles_in_tables=len(state.articles))
            try:
                with metrics.BATCH_SECONDS.labels("dedup").time():
                    # In the event loop, not a thread: table writes go through faust's producer.
                    outgoing = runner.plan([incoming(event) for event in events])
                    await deliver(outgoing, send, stream, "dedup")
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
        # The tables may have changed hands: the window is measured again from their content.
        state.watermark_ms = None

    return app


def run_dedup_stage(settings: DedupSettings, config: DedupConfig) -> None:
    logs.configure(settings.observability.log_level)
    topics = settings.stream.topics
    require_stage_topics(
        settings.connections, [topics.clean, topics.sequenced, topics.deduped, topics.dlq]
    )
    metrics.serve(settings.observability.metrics_port, settings.observability.metrics_host)
    app = build_dedup_app(settings, config)
    worker = faust.Worker(app, loglevel=settings.observability.log_level.upper(), quiet=True)
    worker.execute_from_commandline()
