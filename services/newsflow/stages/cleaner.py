"""The cleaner stage: articles.raw -> articles.clean (faust agent, its own consumer group)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from newsflow.core.cleaning import clean
from newsflow.core.contracts import Contract
from newsflow.core.ids import utc_now
from newsflow.errors import NewsflowError
from newsflow.runtime.runner import Result
from newsflow.settings import CleanerOptions, CleanerSettings


class CleanerCore:
    name = "cleaner"
    input_contract = Contract.RAW
    output_contract = Contract.CLEAN

    def __init__(self, options: CleanerOptions) -> None:
        self.min_words = options.min_words

    def process(self, messages: Sequence[dict[str, Any]]) -> list[Result]:
        cleaned_at = utc_now()
        results: list[Result] = []
        for message in messages:
            try:
                results.append(clean(message, min_words=self.min_words).to_message(cleaned_at))
            except NewsflowError as exc:
                results.append(exc)
        return results


def run() -> None:
    from newsflow.runtime.faust_app import run_faust_stage

    settings = CleanerSettings()
    topics = settings.stream.topics
    run_faust_stage(
        CleanerCore(settings.cleaner),
        settings.connections,
        settings.stream,
        settings.observability,
        settings.cleaner.batch,
        topics.raw,
        topics.clean,
    )
