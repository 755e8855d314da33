"""The one place Kafka clients are configured: producers that never lose an acknowledged record
(acks=all, idempotent) and consumers that commit only by hand."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError

from newsflow.errors import BackendUnavailable, ConfigError
from newsflow.retry import retry_async


def producer(bootstrap_servers: str, **overrides: Any) -> AIOKafkaProducer:
    options: dict[str, Any] = {"acks": "all", "enable_idempotence": True, **overrides}
    return AIOKafkaProducer(bootstrap_servers=bootstrap_servers, **options)


def consumer(
    *topics: str, bootstrap_servers: str, group_id: str | None, **overrides: Any
) -> AIOKafkaConsumer:
    options: dict[str, Any] = {
        "enable_auto_commit": False,
        "auto_offset_reset": "earliest",
        **overrides,
    }
    return AIOKafkaConsumer(
        *topics, bootstrap_servers=bootstrap_servers, group_id=group_id, **options
    )


@dataclass(frozen=True)
class PartitionLag:
    topic: str
    partition: int
    committed: int | None
    end: int

    @property
    def lag(self) -> int:
        return self.end - (self.committed or 0)


@dataclass(frozen=True)
class GroupState:
    group: str
    state: str
    members: list[str]
    partitions: list[PartitionLag]

    @property
    def lag(self) -> int:
        return sum(p.lag for p in self.partitions)


async def partitions_of(bootstrap_servers: str, topics: Iterable[str]) -> list[TopicPartition]:
    """Every partition of the topics, as the cluster describes them now."""
    names = list(topics)
    if not names:
        return []
    admin = await _admin(bootstrap_servers)
    try:
        described = await admin.describe_topics(names)
    except KafkaError as exc:
        raise BackendUnavailable(f"Kafka at {bootstrap_servers}: {exc!r}") from exc
    finally:
        await admin.close()
    return sorted(
        TopicPartition(d["topic"], p["partition"]) for d in described for p in d["partitions"]
    )


async def _admin(bootstrap_servers: str) -> AIOKafkaAdminClient:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, request_timeout_ms=10000)
    try:
        await admin.start()
    except KafkaError as exc:
        await admin.close()
        raise BackendUnavailable(
            f"Kafka at {bootstrap_servers} is not reachable ({exc!r}): start it "
            "(`newsflow stack up`) or set KAFKA_BOOTSTRAP_SERVERS"
        ) from exc
    return admin


async def committed_offset(
    bootstrap_servers: str, group: str, partition: TopicPartition
) -> int | None:
    """The group's committed offset for one partition, or None if it has none."""
    admin = await _admin(bootstrap_servers)
    try:
        offsets = await admin.list_consumer_group_offsets(group, partitions=[partition])
    except KafkaError as exc:
        raise BackendUnavailable(f"Kafka at {bootstrap_servers}: {exc!r}") from exc
    finally:
        await admin.close()
    committed = offsets.get(partition)
    return committed.offset if committed is not None and committed.offset >= 0 else None


async def missing_topics(bootstrap_servers: str, topics: Iterable[str]) -> list[str]:
    admin = await _admin(bootstrap_servers)
    try:
        existing = set(await admin.list_topics())
    except KafkaError as exc:
        raise BackendUnavailable(f"Kafka at {bootstrap_servers}: {exc!r}") from exc
    finally:
        await admin.close()
    return [topic for topic in topics if topic not in existing]


async def require_topics(
    bootstrap_servers: str, topics: Iterable[str], wait_s: float = 0.0
) -> None:
    """One clear error when a topic the command needs does not exist. An unreachable Kafka is
    waited for up to `wait_s` (a stage restarted while the broker restarts), then reported."""
    names = list(topics)
    missing = await retry_async(
        lambda: missing_topics(bootstrap_servers, names),
        what="kafka",
        initial_s=1.0,
        max_s=5.0,
        deadline_s=wait_s,
    )
    if missing:
        raise ConfigError(
            f"Kafka topic{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
            f"do{'' if len(missing) > 1 else 'es'} not exist at {bootstrap_servers}: "
            "run `newsflow setup` first"
        )


async def group_states(
    bootstrap_servers: str, groups: dict[str, list[str]]
) -> dict[str, GroupState]:
    """Members and per-partition lag of each consumer group over its input topics."""
    admin = await _admin(bootstrap_servers)
    reader = AIOKafkaConsumer(bootstrap_servers=bootstrap_servers, group_id=None)
    await reader.start()
    try:
        info: dict[str, tuple[str, list[str]]] = {}
        # One group a request: aiokafka fails to decode a response describing several.
        for name in groups:
            for response in await admin.describe_consumer_groups([name]):
                for group in response.groups:
                    # (error_code, group_id, state, protocol_type, protocol, members, ...)
                    info[group[1]] = (group[2], [member[0] for member in group[5]])
        states: dict[str, GroupState] = {}
        for group, topics in groups.items():
            partitions = await partitions_of(bootstrap_servers, topics)
            committed = await admin.list_consumer_group_offsets(group, partitions=partitions)
            ends = await reader.end_offsets(partitions) if partitions else {}
            state, members = info.get(group, ("Unknown", []))
            states[group] = GroupState(
                group,
                state,
                members,
                [
                    PartitionLag(
                        tp.topic,
                        tp.partition,
                        committed[tp].offset
                        if tp in committed and committed[tp].offset >= 0
                        else None,
                        ends.get(tp, 0),
                    )
                    for tp in partitions
                ],
            )
        return states
    except KafkaError as exc:
        raise BackendUnavailable(f"Kafka at {bootstrap_servers}: {exc!r}") from exc
    finally:
        await reader.stop()
        await admin.close()
