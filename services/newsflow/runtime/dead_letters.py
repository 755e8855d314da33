"""Dead letters: what a stage could not process, with the reason, for `articles.dlq`."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from newsflow.core.contracts import SCHEMA_VERSION
from newsflow.core.ids import utc_now
from newsflow.errors import NewsflowError


@dataclass(frozen=True)
class Incoming:
    """A Kafka record as a stage received it, before any decoding."""

    key: bytes | None
    value: bytes | None
    topic: str
    partition: int
    offset: int


def _payload(value: bytes | None, limit: int) -> tuple[str, str, bool]:
    data = value or b""
    truncated = len(data) > limit
    data = data[:limit]
    try:
        return data.decode("utf-8"), "utf-8", truncated
    except UnicodeDecodeError as exc:
        if truncated and exc.start >= len(data) - 3:  # the cut split a multi-byte character
            return data[: exc.start].decode("utf-8", errors="strict"), "utf-8", truncated
        return base64.b64encode(data).decode("ascii"), "base64", truncated


def dead_letter(
    stage: str,
    error: BaseException,
    record: Incoming,
    payload_limit: int,
    article_id: str | None = None,
) -> dict[str, Any]:
    payload, encoding, truncated = _payload(record.value, payload_limit)
    key = None
    if record.key is not None:
        key = record.key.decode("utf-8", errors="replace")
    return {
        "schema_version": SCHEMA_VERSION,
        "stage": stage,
        "error": type(error).__name__,
        "reason": str(error) or type(error).__name__,
        "retriable": isinstance(error, NewsflowError) and error.retriable,
        "payload": payload,
        "payload_encoding": encoding,
        "payload_size": len(record.value or b""),
        "payload_truncated": truncated,
        "key": key,
        "article_id": article_id,
        "topic": record.topic,
        "partition": record.partition,
        "offset": record.offset,
        "time": utc_now(),
    }
