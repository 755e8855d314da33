"""Property-based tests: whatever arrives, the contract decoder and the cleaning and enrichment
cores give a valid output or a documented newsflow error — never anything else.

Each property runs a fixed number of generated cases (more than 1,000 in all per run); the
seed is derandomised so CI runs are repeatable and a failure reproduces.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsflow.core.cleaning import clean
from newsflow.core.contracts import Contract, decode, validate
from newsflow.core.ids import utc_now
from newsflow.core.nlp import Enricher
from newsflow.errors import ContractError, NewsflowError

FUZZ = settings(
    max_examples=400,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)
raw_keys = st.sampled_from(
    ["text", "html", "title", "url", "id", "language", "published_at", "source", "schema_version"]
)
raw_like = st.dictionaries(raw_keys | st.text(max_size=8), json_values, max_size=8)

# Text shaped like pages: lines of words, markup, punctuation, scripts without spaces.
words = st.sampled_from(
    ["Le", "ministre", "a", "déclaré", "Paris", "mardi", "que", "la", "Russie", "Accueil",
     "Menu", "Rechercher", "東京", "政府は", "발표했다", "<p>", "</p>", "<div>", "&amp;", "...",
     "«", "»", "\u00a0", "\x00", "\ud7ff", "M.", "U.S.", "OTAN", "|", "-", "2026"]
)  # fmt: skip
lines = st.lists(words, min_size=0, max_size=30).map(" ".join)
page_text = st.lists(lines, min_size=0, max_size=40).map("\n".join) | st.text(max_size=2000)


def _decoded(data: bytes) -> dict[str, Any] | ContractError:
    try:
        return decode(Contract.RAW, data)
    except ContractError as exc:
        return exc


@FUZZ
@given(st.binary(max_size=2000))
def test_any_bytes_decode_to_a_valid_raw_message_or_a_contract_error(data: bytes) -> None:
    result = _decoded(data)
    if isinstance(result, ContractError):
        assert str(result)
    else:
        validate(Contract.RAW, result)


@FUZZ
@given(raw_like)
def test_any_json_object_decodes_or_is_a_contract_error(value: dict[str, Any]) -> None:
    # The standard library writes any integer; orjson reads 64-bit ones: the rest must be a
    # ContractError too, never a crash.
    result = _decoded(json.dumps(value).encode())
    if isinstance(result, ContractError):
        assert str(result)
    else:
        validate(Contract.RAW, result)
        assert result.keys() == value.keys()


def _clean_or_error(raw: dict[str, Any]) -> None:
    try:
        article = clean(raw, min_words=5)
    except NewsflowError as error:
        failure: NewsflowError | None = error
    else:
        failure = None
        validate(Contract.CLEAN, article.to_message(utc_now()))
    assert failure is None or str(failure)


@FUZZ
@given(page_text, st.none() | lines, st.none() | st.sampled_from(["https://example.org/a", "x"]))
def test_any_text_dump_cleans_to_a_valid_message_or_a_newsflow_error(
    text: str, title: str | None, url: str | None
) -> None:
    raw: dict[str, Any] = {"text": text, "title": title, "url": url}
    _clean_or_error({k: v for k, v in raw.items() if v is not None})


@FUZZ
@given(st.lists(lines, max_size=30))
def test_any_html_cleans_to_a_valid_message_or_a_newsflow_error(paragraphs: list[str]) -> None:
    body = "".join(f"<p>{line}</p>" for line in paragraphs)
    _clean_or_error({"html": f"<html><head><title>t</title></head><body>{body}</body></html>"})


@functools.cache
def _enricher() -> Enricher:
    return Enricher({"fr": "fr_core_news_md"}, ["fr", "en"])


@settings(FUZZ, max_examples=200)
@given(st.lists(page_text, min_size=1, max_size=4))
def test_any_texts_enrich_to_fields_that_fit_the_contract(texts: list[str]) -> None:
    for result in _enricher().enrich(texts):
        fields = result.fields()
        assert fields["language"]
        for entity in fields["entities"]:
            assert entity["name"].strip() == entity["name"]
            assert "\n" not in entity["name"]
            assert entity["count"] >= 1
