"""Kafka round trips against the real broker the stack started."""

from __future__ import annotations

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import UnknownTopicOrPartitionError

from newsflow.stack import LocalStack

pytestmark = pytest.mark.integration


async def _create_topic(bootstrap: str, name: str, partitions: int = 1) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(name, num_partitions=partitions, replication_factor=1)])
    finally:
        await admin.close()


async def _consume(bootstrap: str, topic: str, group: str, count: int) -> list[bytes]:
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=group,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    await consumer.start()
    try:
        values: list[bytes] = []
        while len(values) < count:
            batch = await consumer.getmany(timeout_ms=10_000, max_records=count - len(values))
            assert batch, f"no records within 10 s after {len(values)}"
            for records in batch.values():
                values.extend(r.value for r in records)
        await consumer.commit()
        return values
    finally:
        await consumer.stop()


async def test_committed_offsets_survive_a_consumer_restart(stack: LocalStack, unique: str) -> None:
    topic, group = f"test.roundtrip.{unique}", f"test-group-{unique}"
    bootstrap = stack.bootstrap_servers
    await _create_topic(bootstrap, topic)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True)
    await producer.start()
    try:
        for i in range(10):
            await producer.send(topic, key=str(i).encode(), value=f"message-{i}".encode())
        await producer.flush()
    finally:
        await producer.stop()

    first = await _consume(bootstrap, topic, group, 4)
    assert first == [f"message-{i}".encode() for i in range(4)]

    # A new consumer in the same group resumes after the committed offset: nothing replayed.
    second = await _consume(bootstrap, topic, group, 6)
    assert second == [f"message-{i}".encode() for i in range(4, 10)]

    probe = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group)
    await probe.start()
    try:
        assert await probe.committed(TopicPartition(topic, 0)) == 10
    finally:
        await probe.stop()


async def test_automatic_topic_creation_is_off(stack: LocalStack, unique: str) -> None:
    topic = f"test.never-created.{unique}"
    producer = AIOKafkaProducer(bootstrap_servers=stack.bootstrap_servers, request_timeout_ms=3000)
    await producer.start()
    try:
        with pytest.raises(UnknownTopicOrPartitionError):
            await producer.send_and_wait(topic, b"x")
    finally:
        await producer.stop()
    admin = AIOKafkaAdminClient(bootstrap_servers=stack.bootstrap_servers)
    await admin.start()
    try:
        assert topic not in await admin.list_topics()
    finally:
        await admin.close()
