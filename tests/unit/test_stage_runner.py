"""StageRunner's planning: every input record ends as exactly one output or one dead letter."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson

from newsflow.core.contracts import Contract
from newsflow.errors import RejectedArticle
from newsflow.runtime.dead_letters import Incoming
from newsflow.runtime.runner import Result, StageRunner
from newsflow.settings import StreamSettings


class EchoCore:
    """Turns raw text into a minimal clean message; 'boom' raises like a bug would."""

    name = "cleaner"
    input_contract = Contract.RAW
    output_contract = Contract.CLEAN

    def process(self, messages: Sequence[dict[str, Any]]) -> list[Result]:
        if any(m["text"] == "boom" for m in messages):
            raise RuntimeError("boom")
        results: list[Result] = []
        for m in messages:
            if m["text"] == "short":
                results.append(RejectedArticle("too short"))
            elif m["text"] == "invalid-output":
                results.append({"id": "not-hex"})
            else:
                results.append(
                    {
                        "schema_version": 1,
                        "id": "a" * 32,
                        "url": None,
                        "source": "s",
                        "title": None,
                        "lead": None,
                        "body": m["text"],
                        "language_hint": None,
                        "word_count": 1,
                        "content_hash": "b" * 64,
                        "published_at": None,
                        "collected_at": None,
                        "cleaned_at": "2026-01-01T00:00:00Z",
                    }
                )
        return results


async def _never_called(topic: str, key: bytes | None, value: bytes) -> Any:
    raise AssertionError("planning sends nothing")


def record(value: bytes | None, offset: int) -> Incoming:
    return Incoming(b"key", value, "articles.raw", 0, offset)


def test_each_record_has_one_outcome_in_order() -> None:
    settings = StreamSettings(max_message_bytes=1000)
    runner = StageRunner(EchoCore(), settings, "articles.clean", _never_called)
    records = [
        record(b'{"text": "good"}', 0),
        record(b"\xff", 1),
        record(b'{"text": "short"}', 2),
        record(b'{"text": "' + b"x" * 2000 + b'"}', 3),
        record(b'{"text": "invalid-output"}', 4),
        record(b'{"text": "boom"}', 5),
        record(b'{"text": "good again"}', 6),
    ]
    planned = runner.plan(records)
    assert [o.topic for o in planned] == [
        "articles.clean",
        "articles.dlq",
        "articles.dlq",
        "articles.dlq",
        "articles.dlq",
        "articles.dlq",
        "articles.clean",
    ]
    letters = [orjson.loads(o.value) for o in planned if o.topic == "articles.dlq"]
    assert [(d["offset"], d["error"]) for d in letters] == [
        (1, "ContractError"),
        (2, "RejectedArticle"),
        (3, "MessageTooLarge"),
        (4, "ContractError"),
        (5, "RuntimeError"),
    ]
    assert all(d["stage"] == "cleaner" and d["reason"] for d in letters)
    assert orjson.loads(planned[-1].value)["body"] == "good again"
