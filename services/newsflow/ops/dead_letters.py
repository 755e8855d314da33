"""`newsflow dlq list` and `newsflow dlq replay`: what the stages could not process, and sending
it back through the stage that refused it once the cause is fixed.

A dead letter keeps the original payload (unless it was truncated), its key and the topic the
stage read it from; replaying publishes that payload, with that key, to that topic. Article ids
come from the payload, so a replayed article overwrites its document: replays never duplicate.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from aiokafka import AIOKafkaConsumer
from aiokafka.errors import KafkaError

from newsflow.core.contracts import Contract, decode
from newsflow.core.ids import to_utc_iso
from newsflow.errors import BackendUnavailable, ContractError
from newsflow.runtime.kafka import partitions_of, producer, require_topics
from newsflow.settings import Connections, StreamSettings


@dataclass(frozen=True)
class DeadLetter:
    partition: int
    offset: int
    letter: dict[str, Any]

    @property
    def payload(self) -> bytes:
        data = self.letter["payload"]
        if self.letter.get("payload_encoding") == "base64":
            return base64.b64decode(data)
        return str(data).encode("utf-8")


@dataclass(frozen=True)
class Filter:
    stage: str | None = None
    error: str | None = None
    since: str | None = None

    def matches(self, letter: dict[str, Any]) -> bool:
        if self.stage and letter.get("stage") != self.stage:
            return False
        if self.error and letter.get("error") != self.error:
            return False
        since = to_utc_iso(self.since) if self.since else None
        return not (since and str(letter.get("time", "")) < since)


async def read_dead_letters(
    connections: Connections, stream: StreamSettings, which: Filter
) -> list[DeadLetter]:
    """Every dead letter in the topic that matches, oldest first per partition."""
    bootstrap = connections.bootstrap_servers
    await require_topics(bootstrap, [stream.topics.dlq])
    reader = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False)
    try:
        await reader.start()
        partitions = await partitions_of(bootstrap, [stream.topics.dlq])
        found: list[DeadLetter] = []
        if not partitions:
            return found
        reader.assign(partitions)
        await reader.seek_to_beginning(*partitions)
        ends = await reader.end_offsets(partitions)
        remaining = {tp for tp in partitions if ends[tp] > 0}
        while remaining:
            batches = await reader.getmany(*remaining, timeout_ms=1000)
            for tp, records in batches.items():
                for record in records:
                    try:
                        letter = decode(Contract.DEAD_LETTER, record.value)
                    except ContractError:
                        continue  # not a dead letter of ours: nothing to replay
                    if which.matches(letter):
                        found.append(DeadLetter(tp.partition, record.offset, letter))
            for tp in list(remaining):
                if await reader.position(tp) >= ends[tp]:
                    remaining.discard(tp)
        return found
    except KafkaError as exc:
        raise BackendUnavailable(f"reading {stream.topics.dlq} failed: {exc!r}") from exc
    finally:
        await reader.stop()


@dataclass
class ReplayReport:
    replayed: int = 0
    skipped: list[tuple[DeadLetter, str]] = field(default_factory=list)


async def replay(
    connections: Connections, stream: StreamSettings, letters: Iterable[DeadLetter]
) -> ReplayReport:
    """Republish each letter's original payload to the input topic of the stage that refused it."""
    inputs = {stream.topics.raw, stream.topics.clean, stream.topics.enriched}
    report = ReplayReport()
    sender = producer(connections.bootstrap_servers, max_request_size=stream.max_message_bytes * 2)
    try:
        await sender.start()
        futures = []
        for item in letters:
            letter = item.letter
            if letter.get("payload_truncated"):
                report.skipped.append((item, "the payload was truncated in the dead letter"))
                continue
            if letter.get("topic") not in inputs:
                report.skipped.append((item, f"{letter.get('topic')} is not a stage input topic"))
                continue
            key = str(letter["key"]).encode("utf-8") if letter.get("key") is not None else None
            futures.append(await sender.send(letter["topic"], item.payload, key=key))
        for future in futures:
            await future
            report.replayed += 1
    except KafkaError as exc:
        raise BackendUnavailable(f"replaying to Kafka failed: {exc!r}") from exc
    finally:
        await sender.stop()
    return report
