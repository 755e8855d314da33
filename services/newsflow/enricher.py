"""The enricher stage: articles.clean -> articles.enriched (faust agent, its own consumer group).

Language detection and NER run on the whole batch the agent takes from the stream.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from newsflow import __version__
from newsflow.config import EnricherSettings
from newsflow.contracts import Contract
from newsflow.ids import utc_now
from newsflow.nlp import Enricher
from newsflow.stage import Result

_CARRIED = (
    "id",
    "url",
    "source",
    "title",
    "lead",
    "body",
    "word_count",
    "content_hash",
    "published_at",
    "collected_at",
    "cleaned_at",
)


def analysed_text(message: dict[str, Any]) -> str:
    """Title, lead and body as separate paragraphs: no entity can span two of them."""
    return "\n\n".join(
        part for part in (message.get("title"), message.get("lead"), message["body"]) if part
    )


class EnricherCore:
    name = "enricher"
    input_contract = Contract.CLEAN
    output_contract = Contract.ENRICHED

    def __init__(self, settings: EnricherSettings) -> None:
        self.enricher = Enricher(
            settings.spacy_models,
            settings.languages,
            settings.min_language_confidence,
            settings.batch_size,
        )

    def process(self, messages: Sequence[dict[str, Any]]) -> list[Result]:
        enrichments = self.enricher.enrich(
            [analysed_text(m) for m in messages], hints=[m.get("language_hint") for m in messages]
        )
        enriched_at = utc_now()
        return [
            {
                "schema_version": 1,
                **{k: m[k] for k in _CARRIED},
                **e.fields(),
                "enriched_at": enriched_at,
                "pipeline_version": __version__,
            }
            for m, e in zip(messages, enrichments, strict=True)
        ]


def run() -> None:
    from newsflow.streaming import run_faust_stage

    settings = EnricherSettings()
    run_faust_stage(
        EnricherCore(settings), settings, settings.topics.clean, settings.topics.enriched
    )
