"""`newsflow setup`: topics, index templates and alias — the one code path the local stack and
the docker-compose `setup` container share. Idempotent: a second run changes nothing.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import structlog
from aiokafka.admin import AIOKafkaAdminClient, NewPartitions, NewTopic
from aiokafka.errors import KafkaError, TopicAlreadyExistsError
from elasticsearch import TransportError

from newsflow.config import SetupSettings
from newsflow.errors import BackendUnavailable, SetupError
from newsflow.kibana import import_saved_objects, set_kibana_system_password
from newsflow.search_index import client, ensure_indices

log = structlog.get_logger()


def topic_specs(settings: SetupSettings) -> dict[str, dict[str, str]]:
    """Topic name -> its configuration."""
    base = {"retention.ms": str(settings.retention_ms)}
    topics = settings.topics
    return {
        topics.raw: {**base, "max.message.bytes": str(settings.raw_max_message_bytes)},
        topics.clean: dict(base),
        topics.enriched: dict(base),
        topics.dlq: {"retention.ms": str(settings.dlq_retention_ms)},
    }


async def ensure_topics(settings: SetupSettings) -> list[str]:
    admin = AIOKafkaAdminClient(
        bootstrap_servers=settings.bootstrap_servers, request_timeout_ms=15000
    )
    try:
        await admin.start()
    except KafkaError as exc:
        raise BackendUnavailable(f"Kafka at {settings.bootstrap_servers}: {exc!r}") from exc
    changes: list[str] = []
    try:
        existing = set(await admin.list_topics())
        specs = topic_specs(settings)
        missing = [
            NewTopic(
                name,
                num_partitions=settings.partitions,
                replication_factor=settings.replication_factor,
                topic_configs=config,
            )
            for name, config in specs.items()
            if name not in existing
        ]
        for topic in missing:
            try:
                await admin.create_topics([topic])
                changes.append(f"topic {topic.name} ({settings.partitions} partitions)")
            except TopicAlreadyExistsError:
                pass
        described = await admin.describe_topics([n for n in specs if n in existing])
        grow = {
            d["topic"]: NewPartitions(total_count=settings.partitions)
            for d in described
            if len(d["partitions"]) < settings.partitions
        }
        if grow:
            await admin.create_partitions(grow)
            changes.extend(
                f"topic {name} grown to {settings.partitions} partitions" for name in grow
            )
    finally:
        await admin.close()
    return changes


async def run_setup(settings: SetupSettings) -> list[str]:
    """Everything, in order; servers that are still starting are waited for (settings.wait_s)."""
    changes = await _when_reachable(lambda: ensure_topics(settings), settings.wait_s, "Kafka")
    es = client(settings)
    try:
        changes += await _when_reachable(
            lambda: ensure_indices(es, settings), settings.wait_s, "Elasticsearch"
        )
        done = await set_kibana_system_password(es, settings)
        changes += [done] if done else []
    finally:
        await es.close()
    imported = await import_saved_objects(settings)
    return changes + ([imported] if imported else [])


async def _when_reachable(
    step: Callable[[], Awaitable[list[str]]], wait_s: float, what: str
) -> list[str]:
    deadline = time.monotonic() + wait_s
    while True:
        try:
            return await step()
        except (BackendUnavailable, TransportError) as exc:
            if time.monotonic() > deadline:
                raise SetupError(f"{what} not reachable after {wait_s:.0f}s: {exc}") from exc
            log.info("waiting_for", server=what, error=str(exc)[:200])
            await asyncio.sleep(2)
