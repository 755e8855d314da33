"""`newsflow setup`: topics, index templates and alias — the one code path the local stack and
the docker-compose `setup` container share. Idempotent: a second run changes nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import structlog
from aiokafka.admin import AIOKafkaAdminClient, NewPartitions, NewTopic
from aiokafka.errors import KafkaError, TopicAlreadyExistsError
from elasticsearch import TransportError

from newsflow.elastic.client import es_client
from newsflow.elastic.kibana import import_saved_objects, set_kibana_system_password
from newsflow.elastic.templates import ensure_indices
from newsflow.errors import BackendUnavailable, SetupError
from newsflow.retry import retry_async
from newsflow.settings import DEDUP_TABLES, SetupSettings

log = structlog.get_logger()


def topic_specs(settings: SetupSettings) -> dict[str, dict[str, str]]:
    """Topic name -> its configuration."""
    layout = settings.setup
    base = {"retention.ms": str(layout.retention_ms)}
    topics = settings.stream.topics
    # The dedup tables' changelogs keep the latest value of each key (and forget deleted keys):
    # the tables' content, however long the stage has run.
    compacted = {"cleanup.policy": "compact"}
    return {
        topics.raw: {**base, "max.message.bytes": str(layout.raw_max_message_bytes)},
        topics.clean: dict(base),
        topics.sequenced: dict(base),
        topics.deduped: dict(base),
        topics.enriched: dict(base),
        topics.dlq: {"retention.ms": str(layout.dlq_retention_ms)},
        **{settings.stream.changelog_topic(table): dict(compacted) for table in DEDUP_TABLES},
    }


def topic_partitions(settings: SetupSettings) -> dict[str, int]:
    """Topic name -> partitions: the dedup stage's sequence and tables have exactly one."""
    single = {settings.stream.topics.sequenced} | {
        settings.stream.changelog_topic(table) for table in DEDUP_TABLES
    }
    return {
        name: 1 if name in single else settings.setup.partitions for name in topic_specs(settings)
    }


async def ensure_topics(settings: SetupSettings) -> list[str]:
    bootstrap = settings.connections.bootstrap_servers
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=15000)
    try:
        await admin.start()
    except KafkaError as exc:
        raise BackendUnavailable(f"Kafka at {bootstrap}: {exc!r}") from exc
    changes: list[str] = []
    try:
        existing = set(await admin.list_topics())
        specs = topic_specs(settings)
        partitions = topic_partitions(settings)
        missing = [
            NewTopic(
                name,
                num_partitions=partitions[name],
                replication_factor=settings.setup.replication_factor,
                topic_configs=config,
            )
            for name, config in specs.items()
            if name not in existing
        ]
        for topic in missing:
            try:
                await admin.create_topics([topic])
                changes.append(f"topic {topic.name} ({topic.num_partitions} partitions)")
            except TopicAlreadyExistsError:
                pass
        described = await admin.describe_topics([n for n in specs if n in existing])
        grow = {
            d["topic"]: NewPartitions(total_count=partitions[d["topic"]])
            for d in described
            if len(d["partitions"]) < partitions[d["topic"]]
        }
        if grow:
            await admin.create_partitions(grow)
            changes.extend(
                f"topic {name} grown to {spec.total_count} partitions"
                for name, spec in grow.items()
            )
    finally:
        await admin.close()
    return changes


async def run_setup(settings: SetupSettings) -> list[str]:
    """Everything, in order; servers that are still starting are waited for (setup.wait_s)."""
    changes = await _when_reachable(lambda: ensure_topics(settings), settings, "Kafka")
    es = es_client(settings.connections)
    try:

        async def indices() -> list[str]:
            try:
                return await ensure_indices(es, settings.index)
            except TransportError as exc:
                raise BackendUnavailable(repr(exc)) from exc

        changes += await _when_reachable(indices, settings, "Elasticsearch")
        done = await set_kibana_system_password(es, settings)
        changes += [done] if done else []
    finally:
        await es.close()
    imported = await import_saved_objects(settings)
    return changes + ([imported] if imported else [])


async def _when_reachable(
    step: Callable[[], Awaitable[list[str]]], settings: SetupSettings, what: str
) -> list[str]:
    wait_s = settings.setup.wait_s
    try:
        return await retry_async(step, what=what, initial_s=1.0, max_s=5.0, deadline_s=wait_s)
    except BackendUnavailable as exc:
        raise SetupError(
            f"{what} not reachable after {wait_s:.0f}s ({exc}): start it (`newsflow stack up`) "
            "or point the environment at it"
        ) from exc
