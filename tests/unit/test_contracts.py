"""The JSON Schemas in schemas/ and the serialization boundary that enforces them."""

from __future__ import annotations

import re
from pathlib import Path

import orjson
import pytest

from newsflow.core.cleaning import clean
from newsflow.core.contracts import Contract, decode, encode, validate
from newsflow.core.entities import Mention, normalize_mentions
from newsflow.core.nlp import Enrichment
from newsflow.core.readers import complete, read_path
from newsflow.errors import ContractError, RejectedArticle
from newsflow.runtime.dead_letters import Incoming, dead_letter

FIXTURES = Path(__file__).parents[1] / "fixtures"


def test_the_smallest_raw_message_is_valid() -> None:
    assert decode(Contract.RAW, b'{"text": "..."}') == {"text": "..."}


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"{not json", "not valid JSON"),
        (b'{"text": "caf\xe9"}', "not valid UTF-8 (byte 0xe9 at position 13)"),
        (b"[1, 2]", "expected an object"),
        (b'{"title": "no text nor html"}', "raw schema violation"),
        (b'{"text": 5}', "raw schema violation at text"),
        (b'{"text": "x", "published_at": "yesterday"}', "raw schema violation at published_at"),
        (None, "empty message"),
    ],
)
def test_bad_payloads_raise_one_error_type_with_a_reason(
    payload: bytes | None, reason: str
) -> None:
    with pytest.raises(ContractError, match=re.escape(reason)):
        decode(Contract.RAW, payload)


def test_fixtures_as_collected_are_valid_raw_messages() -> None:
    items = [
        item
        for path in sorted(FIXTURES.iterdir())
        for item in read_path(path)
        if isinstance(item, dict)
    ]
    assert len(items) >= 4
    for item in items:
        validate(Contract.RAW, complete(item, None, "2026-01-01T00:00:00Z"))


def test_sample_through_clean_deduped_and_enriched_contracts() -> None:
    raw = complete(
        {"text": (FIXTURES / "sample_article.txt").read_text("utf-8")}, None, "2026-01-01T00:00:00Z"
    )
    message = clean(raw).to_message("2026-01-01T00:00:01Z")
    validate(Contract.CLEAN, message)
    message = {**message, "story_id": message["id"], "first_copy": True}
    validate(Contract.DEDUPED, message)
    with pytest.raises(ContractError, match="deduped schema violation"):
        encode(Contract.DEDUPED, {**message, "story_id": None})
    entities = normalize_mentions([Mention("Sergueï Lavrov", "PER", 0, 14)], "Sergueï Lavrov", "fr")
    enriched = {
        "schema_version": 1,
        **{k: v for k, v in message.items() if k not in ("schema_version", "language_hint")},
        **Enrichment("fr", 0.9, entities, "fr_core_news_md").fields(),
        "enriched_at": "2026-01-01T00:00:02Z",
        "pipeline_version": "test",
    }
    assert orjson.loads(encode(Contract.ENRICHED, enriched))["persons"] == ["Sergueï Lavrov"]
    with pytest.raises(ContractError, match="enriched schema violation"):
        encode(Contract.ENRICHED, {**enriched, "persons": "Sergueï Lavrov"})


def test_dead_letter_of_binary_payload_is_base64_and_valid() -> None:
    record = Incoming(b"k", b"\x00\xff\xfe binary", "articles.raw", 2, 41)
    letter = dead_letter("cleaner", ContractError("payload is not valid UTF-8"), record, 1024)
    validate(Contract.DEAD_LETTER, letter)
    assert letter["payload_encoding"] == "base64"
    assert (letter["topic"], letter["partition"], letter["offset"]) == ("articles.raw", 2, 41)
    assert letter["error"] == "ContractError"
    assert letter["retriable"] is False


def test_dead_letter_of_a_huge_payload_is_truncated() -> None:
    record = Incoming(None, "é".encode() * 1000, "articles.raw", 0, 0)
    letter = dead_letter("cleaner", RejectedArticle("too large"), record, 101)
    validate(Contract.DEAD_LETTER, letter)
    assert letter["payload_truncated"] is True
    assert letter["payload_size"] == 2000
    assert letter["payload_encoding"] == "utf-8"
    assert letter["payload"] == "é" * 50
