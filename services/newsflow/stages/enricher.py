"""The enricher stage: articles.deduped -> articles.enriched (faust agent, its own consumer group).

Language detection and NER run on the whole batch the agent takes from the stream.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from newsflow.core.contracts import Contract
from newsflow.core.documents import analysed_text, enriched_message
from newsflow.core.ids import utc_now
from newsflow.core.nlp import Enricher, Enrichment
from newsflow.runtime.runner import Result
from newsflow.settings import EnricherOptions, EnricherSettings


def build_enricher(options: EnricherOptions) -> Enricher:
    """The loaded models, as configured (once per process)."""
    return Enricher(
        options.spacy_models,
        options.languages,
        options.min_language_confidence,
        options.spacy_batch_size,
        options.spacy_chunk_chars,
    )


class EnricherCore:
    name = "enricher"
    input_contract = Contract.DEDUPED
    output_contract = Contract.ENRICHED

    def __init__(self, enricher: Enricher) -> None:
        self.enricher = enricher

    def enrich(self, messages: Sequence[dict[str, Any]]) -> list[Enrichment]:
        """Language and entities of each clean message, the whole batch through `nlp.pipe`."""
        return self.enricher.enrich(
            [analysed_text(m) for m in messages], hints=[m.get("language_hint") for m in messages]
        )

    def process(self, messages: Sequence[dict[str, Any]]) -> list[Result]:
        enriched_at = utc_now()
        return [
            enriched_message(m, e.fields(), enriched_at)
            for m, e in zip(messages, self.enrich(messages), strict=True)
        ]


def run() -> None:
    from newsflow.runtime.faust_app import run_faust_stage

    settings = EnricherSettings()
    topics = settings.stream.topics
    run_faust_stage(
        EnricherCore(build_enricher(settings.enricher)),
        settings.connections,
        settings.stream,
        settings.observability,
        settings.enricher.batch,
        topics.deduped,
        topics.enriched,
    )
