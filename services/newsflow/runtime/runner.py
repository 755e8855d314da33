"""What every stream stage shares: decode and validate, process a batch, validate and deliver the
results and the dead letters, and only then let the input offsets be committed.

A stage is a pure `StageCore` (batch of valid input messages -> one result or one error each)
behind `StageRunner`, which owns consume-side decoding, dead-lettering and delivery with retry.
The Kafka shells (faust agents for cleaner and enricher, aiokafka for the indexer) only move
records in and out of the runner.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import functools
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol

import structlog

from newsflow.core.contracts import Contract, decode, encode
from newsflow.errors import BackendUnavailable, ContractError
from newsflow.retry import retry_async
from newsflow.runtime import metrics
from newsflow.runtime.dead_letters import Incoming, dead_letter
from newsflow.settings import StreamSettings

log = structlog.get_logger()

Result = dict[str, Any] | BaseException
# (topic, key, value) -> a future that completes when the broker has the record (acks=all).
Send = Callable[[str, bytes | None, bytes], Awaitable[Awaitable[Any]]]


@functools.cache
def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None


def release_freed_memory() -> None:
    """Give the memory a batch freed back to the system. glibc keeps freed blocks in its arenas,
    so a process's RSS would stay at its largest batch's peak (the enricher's: ~230 MB more)."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


class StageCore(Protocol):
    name: str
    input_contract: Contract
    output_contract: Contract

    def process(self, messages: Sequence[dict[str, Any]]) -> list[Result]:
        """One result per message, in order: the output message, or the error it raised."""
        ...


@dataclass(frozen=True)
class Outgoing:
    topic: str
    key: bytes | None
    value: bytes


class MessageTooLarge(ContractError):
    """The record is over the stage's size limit; it is dead-lettered unread."""


def dead_letter_outgoing(
    stage: str,
    error: BaseException,
    record: Incoming,
    settings: StreamSettings,
    article_id: str | None = None,
) -> Outgoing:
    """Count, log and encode a dead letter for the DLQ topic; the caller delivers it."""
    metrics.DEAD_LETTERS.labels(stage, type(error).__name__).inc()
    log.warning(
        "dead_letter",
        stage=stage,
        error=type(error).__name__,
        reason=str(error)[:300],
        topic=record.topic,
        partition=record.partition,
        offset=record.offset,
    )
    letter = dead_letter(stage, error, record, settings.dead_letter_payload_bytes, article_id)
    return Outgoing(settings.topics.dlq, record.key, encode(Contract.DEAD_LETTER, letter))


def admit(
    stage: str, contract: Contract, record: Incoming, settings: StreamSettings
) -> dict[str, Any] | Outgoing:
    """A record's decoded, valid message, or its dead letter (over the size limit, or not
    matching its contract). Every stage's input goes through here."""
    size = len(record.value or b"")
    if size > settings.max_message_bytes:
        error: ContractError = MessageTooLarge(
            f"message of {size} bytes is over the limit of {settings.max_message_bytes}"
        )
        return dead_letter_outgoing(stage, error, record, settings)
    try:
        return decode(contract, record.value)
    except ContractError as exc:
        return dead_letter_outgoing(stage, exc, record, settings)


class StageRunner:
    def __init__(
        self, core: StageCore, settings: StreamSettings, output_topic: str, send: Send
    ) -> None:
        self.core = core
        self.settings = settings
        self.output_topic = output_topic
        self.send = send
        # One thread for every batch: the default executor spreads batches over several threads,
        # each with its own malloc arena holding a batch's peak (the enricher's RSS grew by
        # ~230 MB that way).
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"{core.name}-batch")

    def _dead_letter(
        self, error: BaseException, record: Incoming, article_id: str | None = None
    ) -> Outgoing:
        return dead_letter_outgoing(self.core.name, error, record, self.settings, article_id)

    def plan(self, records: Sequence[Incoming]) -> list[Outgoing]:
        """Everything the batch turns into: outputs and dead letters, in input order."""
        valid: list[tuple[Incoming, dict[str, Any]]] = []
        planned: dict[int, Outgoing] = {}
        for index, record in enumerate(records):
            admitted = admit(self.core.name, self.core.input_contract, record, self.settings)
            if isinstance(admitted, Outgoing):
                planned[index] = admitted
            else:
                valid.append((record, admitted))
        results = self._process(valid)
        positions = [i for i in range(len(records)) if i not in planned]
        for index, (record, message), result in zip(positions, valid, results, strict=True):
            planned[index] = self._output(record, message, result)
        return [planned[i] for i in range(len(records))]

    def _plan_and_trim(self, records: Sequence[Incoming]) -> list[Outgoing]:
        try:
            return self.plan(records)
        finally:
            release_freed_memory()

    def _process(self, valid: list[tuple[Incoming, dict[str, Any]]]) -> list[Result]:
        messages = [message for _, message in valid]
        if not messages:
            return []
        try:
            results = self.core.process(messages)
        except Exception:
            log.exception(
                "batch_failed_retrying_one_by_one", stage=self.core.name, size=len(messages)
            )
            results = []
            for message in messages:
                try:
                    results.extend(self.core.process([message]))
                except Exception as exc:  # noqa: BLE001 - becomes a dead letter with its reason
                    results.append(exc)
        if len(results) != len(messages):
            raise AssertionError(
                f"{self.core.name} returned {len(results)} results for {len(messages)}"
            )
        return results

    def _output(self, record: Incoming, message: dict[str, Any], result: Result) -> Outgoing:
        article_id = message.get("id")
        if isinstance(result, BaseException):
            return self._dead_letter(result, record, article_id)
        try:
            value = encode(self.core.output_contract, result)
        except ContractError as exc:
            return self._dead_letter(exc, record, article_id)
        metrics.PROCESSED.labels(self.core.name).inc()
        return Outgoing(self.output_topic, str(result["id"]).encode(), value)

    async def handle(self, records: Sequence[Incoming]) -> None:
        """Process a batch and return only when Kafka has every resulting record."""
        if not records:
            return
        with metrics.BATCH_SECONDS.labels(self.core.name).time():
            loop = asyncio.get_running_loop()
            outgoing = await loop.run_in_executor(self.worker, self._plan_and_trim, records)
            await deliver(outgoing, self.send, self.settings, self.core.name)


async def deliver(
    outgoing: Sequence[Outgoing], send: Send, settings: StreamSettings, stage: str
) -> None:
    """Send and wait for every broker acknowledgement, retrying with backoff until it works.

    The caller commits input offsets only after this returns, so a broker outage pauses the
    stage instead of losing or skipping messages.
    """

    async def send_all() -> None:
        try:
            futures = [await send(o.topic, o.key, o.value) for o in outgoing]
            await asyncio.gather(*futures)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            raise BackendUnavailable(f"delivery to Kafka failed: {exc!r}") from exc

    await retry_async(
        send_all,
        what=f"{stage} delivery",
        initial_s=settings.retry_initial_s,
        max_s=settings.retry_max_s,
        on_retry=lambda _: metrics.RETRIES.labels(stage).inc(),
    )
