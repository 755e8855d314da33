"""The one place Kafka clients are configured: producers that never lose an acknowledged record
(acks=all, idempotent) and consumers that commit only by hand."""

from __future__ import annotations

from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer


def producer(bootstrap_servers: str, **overrides: Any) -> AIOKafkaProducer:
    options: dict[str, Any] = {"acks": "all", "enable_idempotence": True, **overrides}
    return AIOKafkaProducer(bootstrap_servers=bootstrap_servers, **options)


def consumer(
    *topics: str, bootstrap_servers: str, group_id: str, **overrides: Any
) -> AIOKafkaConsumer:
    options: dict[str, Any] = {
        "enable_auto_commit": False,
        "auto_offset_reset": "earliest",
        **overrides,
    }
    return AIOKafkaConsumer(
        *topics, bootstrap_servers=bootstrap_servers, group_id=group_id, **options
    )
