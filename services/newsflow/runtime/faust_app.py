"""The faust shell around a StageRunner: one app (= one consumer group) per stage."""

from __future__ import annotations

import asyncio
import os
from typing import Any, cast

import faust
import structlog
from faust.types import EventT, StreamT

from newsflow.errors import BackendUnavailable
from newsflow.runtime import logs, metrics
from newsflow.runtime.dead_letters import Incoming
from newsflow.runtime.kafka import group_states, require_topics
from newsflow.runtime.runner import StageCore, StageRunner
from newsflow.settings import Batch, Connections, Observability, StreamSettings

log = structlog.get_logger()
# sysexits' EX_SOFTWARE: an internal fault, not bad input.
EXIT_STAGE_FAULT = 70
# A stage (re)started while Kafka restarts waits this long for it before giving up.
STARTUP_WAIT_S = 120.0


def faust_app(
    name: str, connections: Connections, settings: StreamSettings, batch: Batch
) -> faust.App:
    """A faust app (= a consumer group) for one stage, with the options every stage shares."""
    datadir = settings.state_dir / "faust" / settings.group_id(name)
    datadir.mkdir(parents=True, exist_ok=True)
    return faust.App(
        settings.group_id(name),
        broker=[f"kafka://{server}" for server in connections.bootstrap_servers.split(",")],
        value_serializer="raw",
        key_serializer="raw",
        # Topics are created by `newsflow setup` with their partitions and retention.
        topic_allow_declare=False,
        topic_disable_leader=True,
        web_enabled=False,
        datadir=str(datadir),
        store="memory://",
        producer_acks=-1,
        producer_max_request_size=max(settings.max_message_bytes, 1024 * 1024) * 2,
        consumer_auto_offset_reset="earliest",
        # What waits in memory before a batch takes it: raw pages average ~75 KB and reach MBs.
        # Prefetch per partition (a larger record still comes, alone) and two batches queued
        # keep a stage busy; 4 MB and 256 events cost the cleaner ~75 MB more at the same rate.
        consumer_max_fetch_size=1024 * 1024,
        stream_buffer_maxsize=max(batch.size * 2, 64),
        broker_commit_every=batch.size,
        broker_commit_interval=1.0,
    )


def build_app(
    core: StageCore,
    connections: Connections,
    settings: StreamSettings,
    batch: Batch,
    source: str,
    sink: str,
) -> faust.App:
    app = faust_app(core.name, connections, settings, batch)
    source_topic = app.topic(
        source, key_type=bytes, value_type=bytes, key_serializer="raw", value_serializer="raw"
    )
    topics = {
        name: app.topic(
            name, key_type=bytes, value_type=bytes, key_serializer="raw", value_serializer="raw"
        )
        for name in (sink, settings.topics.dlq)
    }

    async def send(topic: str, key: bytes | None, value: bytes) -> Any:
        # force=True: send now and hand back the delivery future, instead of faust's attachment
        # buffer; StageRunner awaits every future before the batch's events are acked.
        return await topics[topic].send(key=key, value=value, force=True)

    runner = StageRunner(core, settings, sink, send)

    @app.agent(source_topic, name=core.name)
    async def stage(stream: StreamT[bytes]) -> None:
        # take_events acks a batch's events only when the loop comes back for the next batch,
        # i.e. after `handle` returned, i.e. after Kafka acknowledged every output. `handle`
        # does not raise on bad messages (they become dead letters). Anything else it raises is
        # a fault of the stage itself; letting it out of the loop would make faust ack and
        # skip the buffered events, so the process ends at once, before any commit, and its
        # supervisor (`newsflow run all`, docker's restart policy) starts it again.
        batches = cast("faust.Stream[bytes]", stream).take_events(
            batch.size, within=batch.timeout_s
        )
        async for events in batches:
            try:
                await runner.handle([incoming(event) for event in events])
            except Exception:  # logged, then the process exits without acking
                log.critical("stage_failed_exiting_unacked", stage=core.name, exc_info=True)
                os._exit(EXIT_STAGE_FAULT)

    watch(app, core.name, connections, {settings.group_id(core.name): [source]})
    return app


def watch(
    app: faust.App, stage: str, connections: Connections, groups: dict[str, list[str]]
) -> None:
    """Liveness (a heartbeat from the event loop) and the lag of the stage's consumer groups
    (`groups`: group id -> the topics it reads) as a Prometheus gauge."""

    @app.timer(interval=5.0)  # type: ignore[untyped-decorator]
    async def heartbeat() -> None:
        metrics.beat()

    @app.timer(interval=15.0)  # type: ignore[untyped-decorator]
    async def report_lag() -> None:
        try:
            states = await group_states(connections.bootstrap_servers, groups)
        except BackendUnavailable:
            return  # Kafka is down: the stage's own retries say so; the gauge keeps its value
        metrics.record_lag(
            stage,
            [(p.topic, p.partition, p.lag) for group in groups for p in states[group].partitions],
        )


def require_stage_topics(connections: Connections, topics: list[str]) -> None:
    """Before the worker starts: faust would only warn, again and again, about a topic that
    does not exist; a broker that is restarting is waited for."""
    asyncio.run(require_topics(connections.bootstrap_servers, topics, STARTUP_WAIT_S))


def incoming(event: EventT[bytes]) -> Incoming:
    message = event.message
    return Incoming(message.key, message.value, message.topic, message.partition, message.offset)


def run_faust_stage(
    core: StageCore,
    connections: Connections,
    stream: StreamSettings,
    observability: Observability,
    batch: Batch,
    source: str,
    sink: str,
) -> None:
    logs.configure(observability.log_level)
    require_stage_topics(connections, [source, sink, stream.topics.dlq])
    metrics.serve(observability.metrics_port, observability.metrics_host)
    app = build_app(core, connections, stream, batch, source, sink)
    worker = faust.Worker(app, loglevel=observability.log_level.upper(), quiet=True)
    worker.execute_from_commandline()
