"""The indexer against the real Kafka and Elasticsearch, including an Elasticsearch outage.

The outage is real: the indexer talks to Elasticsearch through a TCP relay on loopback that the
test closes and reopens, so the client sees refused connections exactly as in production.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import orjson
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from elasticsearch import AsyncElasticsearch

from newsflow.runtime.kafka import group_states
from newsflow.settings import IndexerOptions, IndexerSettings, SetupOptions, SetupSettings
from newsflow.setup import ensure_topics
from newsflow.stack import LocalStack
from newsflow.stages.indexer import run_indexer
from newsflow_dev.faults import Relay
from tests.pipeline import connections, index_names, stream_settings

pytestmark = pytest.mark.integration


def enriched(article_id: str, **overrides: Any) -> bytes:
    message = {
        "schema_version": 1,
        "id": article_id,
        "url": None,
        "source": "test",
        "title": "Un titre",
        "lead": None,
        "body": "Le corps de l'article.",
        "language": "fr",
        "language_confidence": 0.9,
        "persons": ["Sergueï Lavrov"],
        "locations": [],
        "organizations": [],
        "misc": [],
        "entities": [
            {"name": "Sergueï Lavrov", "label": "person", "count": 1, "forms": ["Lavrov"]}
        ],
        "ner_model": "fr_core_news_md",
        "word_count": 5,
        "content_hash": "c" * 64,
        "published_at": None,
        "collected_at": None,
        "cleaned_at": "2026-01-01T00:00:00Z",
        "story_id": article_id,
        "first_copy": True,
        "enriched_at": "2026-01-01T00:00:01Z",
        "pipeline_version": "test",
    }
    return orjson.dumps({**message, **overrides})


@contextlib.asynccontextmanager
async def indexer_running(settings: IndexerSettings) -> AsyncIterator[asyncio.Task[None]]:
    task = asyncio.create_task(run_indexer(settings))
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def committed(stack: LocalStack, group: str, topic: str) -> int:
    consumer = AIOKafkaConsumer(bootstrap_servers=stack.bootstrap_servers, group_id=group)
    await consumer.start()
    try:
        total = 0
        for partition in range(2):
            total += await consumer.committed(TopicPartition(topic, partition)) or 0
        return total
    finally:
        await consumer.stop()


def make_settings(stack: LocalStack, unique: str, es_port: int) -> IndexerSettings:
    return IndexerSettings(
        connections=connections(stack, f"http://127.0.0.1:{es_port}"),
        stream=stream_settings(unique, retry_initial_s=0.2, retry_max_s=1.0),
        index=index_names(unique),
        # A short poll interval: an outage outlasts it, and the indexer must keep its group.
        indexer=IndexerOptions(
            batch_timeout_s=0.2, max_poll_interval_ms=6000, poll_while_busy_s=0.5
        ),
    )


def setup_settings(settings: IndexerSettings) -> SetupSettings:
    return SetupSettings(
        connections=settings.connections,
        stream=settings.stream,
        index=settings.index,
        setup=SetupOptions(partitions=2),
    )


async def publish(stack: LocalStack, topic: str, *values: bytes) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=stack.bootstrap_servers, acks="all")
    await producer.start()
    try:
        for value in values:
            await producer.send_and_wait(topic, value, key=value[:16])
    finally:
        await producer.stop()


async def test_an_elasticsearch_outage_pauses_the_indexer_without_loss(
    stack: LocalStack, unique: str
) -> None:
    es_port = int(stack.elasticsearch_url.rsplit(":", 1)[1])
    relay = Relay(es_port)
    await relay.start()
    settings = make_settings(stack, unique, relay.port)
    await ensure_topics(setup_settings(settings))
    group, topic = settings.stream.group_id("indexer"), settings.stream.topics.enriched
    es = AsyncElasticsearch(stack.elasticsearch_url)
    try:
        async with indexer_running(settings):
            await publish(stack, topic, enriched("a" * 32))
            for _ in range(100):
                if await es.indices.exists_alias(name=settings.index.index_alias):
                    break
                await asyncio.sleep(0.2)
            # The alias exists once the indexer has created the index, a moment before its shard
            # has started: counting in between is answered 503.
            await es.cluster.health(
                index=settings.index.index_alias, wait_for_status="yellow", timeout="30s"
            )
            for _ in range(100):
                if (await es.count(index=settings.index.index_alias))["count"] == 1:
                    break
                await asyncio.sleep(0.2)
            assert (await es.count(index=settings.index.index_alias))["count"] == 1

            before = (await group_states(stack.bootstrap_servers, {group: [topic]}))[group]
            await relay.stop()  # Elasticsearch unreachable from here on
            await publish(stack, topic, enriched("b" * 32), enriched("c" * 32))
            await asyncio.sleep(10)  # longer than max_poll_interval_ms
            assert await committed(stack, group, topic) == 1  # nothing committed past the outage
            # Partitions paused, polling on: still the group's one stable member, no rebalance.
            states = await group_states(stack.bootstrap_servers, {group: [topic]})
            assert states[group].state == "Stable"
            assert states[group].members == before.members
            assert len(before.members) == 1

            await relay.start()  # same port: the indexer's retries get through
            for _ in range(100):
                await es.indices.refresh(index=settings.index.index_alias)
                if (await es.count(index=settings.index.index_alias))["count"] == 3:
                    break
                await asyncio.sleep(0.2)
            assert (await es.count(index=settings.index.index_alias))["count"] == 3
            for _ in range(50):
                if await committed(stack, group, topic) == 3:
                    break
                await asyncio.sleep(0.2)
            assert await committed(stack, group, topic) == 3
    finally:
        await relay.stop()
        await es.close()


async def test_documents_elasticsearch_refuses_become_dead_letters(
    stack: LocalStack, unique: str
) -> None:
    settings = make_settings(stack, unique, int(stack.elasticsearch_url.rsplit(":", 1)[1]))
    await ensure_topics(setup_settings(settings))
    es = AsyncElasticsearch(stack.elasticsearch_url)
    # An index whose mapping disagrees with the contract: its `title` is an integer.
    await es.indices.create(
        index=settings.index.index_name, mappings={"properties": {"title": {"type": "integer"}}}
    )
    try:
        async with indexer_running(settings):
            await publish(
                stack,
                settings.stream.topics.enriched,
                enriched("d" * 32, title="Pas un nombre"),
                enriched("e" * 32, title="42"),
            )
            consumer = AIOKafkaConsumer(
                settings.stream.topics.dlq,
                bootstrap_servers=stack.bootstrap_servers,
                auto_offset_reset="earliest",
                group_id=None,
            )
            await consumer.start()
            try:
                record = await asyncio.wait_for(consumer.getone(), 30)
            finally:
                await consumer.stop()
        letter = orjson.loads(record.value)
        assert letter["stage"] == "indexer"
        assert letter["error"] == "DocumentRejected"
        assert (
            "document_parsing_exception" in letter["reason"] or "mapper_parsing" in letter["reason"]
        )
        assert letter["article_id"] == "d" * 32
        await es.indices.refresh(index=settings.index.index_alias)
        assert (await es.count(index=settings.index.index_alias))["count"] == 1
    finally:
        await es.close()
