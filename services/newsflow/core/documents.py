"""What the pipeline's messages become downstream: the text NER reads, the enriched message and
the Elasticsearch document. Shared by the stages and by `newsflow process`."""

from __future__ import annotations

from typing import Any

from newsflow import __version__
from newsflow.core.contracts import SCHEMA_VERSION

# Fields of a deduped message that the enriched message carries unchanged.
CARRIED = (
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
    "story_id",
    "first_copy",
)


def analysed_text(message: dict[str, Any]) -> str:
    """Title, lead and body as separate paragraphs: no entity can span two of them."""
    return "\n\n".join(
        part for part in (message.get("title"), message.get("lead"), message["body"]) if part
    )


def enriched_message(
    clean: dict[str, Any], enrichment: dict[str, Any], enriched_at: str
) -> dict[str, Any]:
    """A clean message plus its enrichment fields (see schemas/enriched.schema.json)."""
    return {
        "schema_version": SCHEMA_VERSION,
        **{k: clean[k] for k in CARRIED},
        **enrichment,
        "enriched_at": enriched_at,
        "pipeline_version": __version__,
    }


def article_document(message: dict[str, Any], indexed_at: str) -> dict[str, Any]:
    """An enriched message as the indexer writes it to Elasticsearch."""
    document = {k: v for k, v in message.items() if k != "schema_version"}
    document["indexed_at"] = indexed_at
    # One date every article has, for time filters and charts: published, else collected,
    # else indexed (a bare {"text": ...} pushed to Kafka has neither of the first two).
    document["date"] = message.get("published_at") or message.get("collected_at") or indexed_at
    return document
