"""newsflow as a library: what the pipeline makes of articles, in-process, without Kafka or
Elasticsearch. The same cores the cleaner, dedup and enricher stages run, batch by batch.

    >>> from newsflow import Pipeline, clean_article
    >>> article = clean_article({"text": open("page.txt").read()})
    >>> pipeline = Pipeline()                  # loads the language detector and spaCy models once
    >>> for document in pipeline.process([{"text": "...", "url": "https://example.org/a"}]):
    ...     print(document["title"], document["persons"])
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from newsflow.core.cleaning import CleanArticle, as_is, clean
from newsflow.core.contracts import Contract, validate
from newsflow.core.documents import analysed_text, article_document, enriched_message
from newsflow.core.ids import utc_now
from newsflow.errors import NewsflowError
from newsflow.settings import CleanerOptions, DedupOptions, EnricherOptions

if TYPE_CHECKING:
    from newsflow.core.dedup import DedupConfig, DedupState


def clean_article(raw: dict[str, Any], *, min_words: int = 20) -> CleanArticle:
    """One raw article (see schemas/raw.schema.json) cleaned: title, lead, body, ids.

    Raises `newsflow.errors.RejectedArticle` when nothing usable is left.
    """
    validate(Contract.RAW, raw)
    return clean(raw, min_words=min_words)


@dataclass(frozen=True)
class Failure:
    """An article the pipeline could not turn into a document, and why."""

    where: str
    error: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"where": self.where, "error": self.error, "reason": self.reason}


def assign_story(message: dict[str, Any], state: DedupState, config: DedupConfig) -> dict[str, Any]:
    """`story_id` and `first_copy` (the dedup core is imported with the pipeline, not before:
    `clean_article` needs none of its libraries)."""
    from newsflow.core.dedup import assign

    return assign(message, state, config).fields()


class Pipeline:
    """The cleaner, dedup and enricher cores in one process; `process` returns, for each raw
    article, the document the indexer would write (or a `Failure`). Story ids are assigned in
    the order articles are given, across every call to `process` on this object.

    `skip_cleaning` takes each article's text as its body unchanged; `mentions` adds the text
    NER ran on (`analysed_text`) and, to every entity, its mentions with character offsets into
    that text.
    """

    def __init__(
        self,
        cleaner: CleanerOptions | None = None,
        enricher: EnricherOptions | None = None,
        dedup: DedupOptions | None = None,
        *,
        skip_cleaning: bool = False,
        mentions: bool = False,
        batch_size: int = 64,
    ) -> None:
        from newsflow.core.dedup import DedupState
        from newsflow.stages.dedup import dedup_config
        from newsflow.stages.enricher import EnricherCore, build_enricher

        self.cleaner_options = cleaner or CleanerOptions()
        self.dedup_config = dedup_config(dedup or DedupOptions())
        self.dedup_state = DedupState.in_memory()
        self.enricher_core = EnricherCore(build_enricher(enricher or EnricherOptions()))
        self.skip_cleaning = skip_cleaning
        self.mentions = mentions
        self.batch_size = batch_size

    def process(self, raws: Sequence[dict[str, Any]]) -> list[dict[str, Any] | Failure]:
        """One batch: every raw article's document or failure, in order."""
        return [result for _, result in self.process_stream(enumerate(raws))]

    def process_stream(
        self, items: Iterable[tuple[Any, dict[str, Any] | Failure]]
    ) -> Iterator[tuple[Any, dict[str, Any] | Failure]]:
        """(tag, raw) pairs in, (tag, document or failure) out, in order, batch by batch.

        A `Failure` given instead of a raw article (an input that could not be read) is passed
        through in its place.
        """
        batch: list[tuple[Any, dict[str, Any] | Failure]] = []
        for item in items:
            batch.append(item)
            if len(batch) >= self.batch_size:
                yield from self._batch(batch)
                batch = []
        if batch:
            yield from self._batch(batch)

    def _clean(self, raw: dict[str, Any], cleaned_at: str) -> dict[str, Any]:
        validate(Contract.RAW, raw)
        if self.skip_cleaning:
            article = as_is(raw)
        else:
            article = clean(raw, min_words=self.cleaner_options.min_words)
        message = article.to_message(cleaned_at)
        validate(Contract.CLEAN, message)
        message.update(assign_story(message, self.dedup_state, self.dedup_config))
        validate(Contract.DEDUPED, message)
        return message

    def _batch(
        self, batch: list[tuple[Any, dict[str, Any] | Failure]]
    ) -> list[tuple[Any, dict[str, Any] | Failure]]:
        now = utc_now()
        results: list[dict[str, Any] | Failure] = []
        cleaned: list[tuple[int, dict[str, Any]]] = []
        for position, (tag, raw) in enumerate(batch):
            if isinstance(raw, Failure):
                results.append(raw)
                continue
            try:
                cleaned.append((position, self._clean(raw, now)))
                results.append(raw)  # replaced by its document below
            except NewsflowError as exc:
                results.append(Failure(str(tag), type(exc).__name__, str(exc)))
        messages = [message for _, message in cleaned]
        enrichments = self.enricher_core.enrich(messages) if messages else []
        for (position, message), enrichment in zip(cleaned, enrichments, strict=True):
            enriched = enriched_message(message, enrichment.fields(), now)
            try:
                validate(Contract.ENRICHED, enriched)
            except NewsflowError as exc:
                results[position] = Failure(str(batch[position][0]), type(exc).__name__, str(exc))
                continue
            document = article_document(enriched, now)
            if self.mentions:
                document["analysed_text"] = analysed_text(message)
                document["entities"] = enrichment.fields(with_mentions=True)["entities"]
            results[position] = document
        return [(tag, result) for (tag, _), result in zip(batch, results, strict=True)]
