"""The cleaner stage: articles.raw -> articles.clean (faust agent, its own consumer group)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from newsflow.cleaning import clean
from newsflow.config import CleanerSettings
from newsflow.contracts import Contract
from newsflow.errors import NewsflowError
from newsflow.ids import utc_now
from newsflow.stage import Result


class CleanerCore:
    name = "cleaner"
    input_contract = Contract.RAW
    output_contract = Contract.CLEAN

    def __init__(self, settings: CleanerSettings) -> None:
        self.min_words = settings.min_words

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
    from newsflow.streaming import run_faust_stage

    settings = CleanerSettings()
    run_faust_stage(CleanerCore(settings), settings, settings.topics.raw, settings.topics.clean)
