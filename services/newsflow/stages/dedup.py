"""The dedup stage: articles.clean -> articles.sequenced -> articles.deduped (faust, its own group).

Every article is passed on, copies included; each gets `story_id` (the id of the first article
of its story) and `first_copy`. The decisions read and update state that lives in faust tables
(see `newsflow.runtime.dedup_app`), so they need one order every worker agrees on: the stage
first copies articles.clean, whatever its partitions, into the single partition of
articles.sequenced, and decides in the order of that log. Which worker decides, and whether it
was restarted in between, then changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from newsflow.core.contracts import Contract
from newsflow.core.dedup import DedupConfig, DedupState, assign
from newsflow.errors import NewsflowError
from newsflow.runtime.runner import Result
from newsflow.settings import DedupOptions, DedupSettings


def dedup_config(options: DedupOptions) -> DedupConfig:
    return DedupConfig(
        threshold=options.threshold,
        same_source_threshold=options.same_source_threshold,
        window_s=options.window_s,
        shingle_words=options.shingle_words,
        min_line_words=options.min_line_words,
        num_perm=options.num_perm,
        bands=options.bands,
    )


class DedupCore:
    name = "dedup"
    input_contract = Contract.CLEAN
    output_contract = Contract.DEDUPED

    def __init__(self, config: DedupConfig, state: DedupState | None = None) -> None:
        self.config = config
        self.state = state or DedupState.in_memory()

    def process(self, messages: Sequence[dict[str, Any]]) -> list[Result]:
        """In order: each decision sees the state every earlier message left."""
        results: list[Result] = []
        for message in messages:
            try:
                assignment = assign(message, self.state, self.config)
            except (NewsflowError, ValueError) as exc:  # e.g. an unparsable content hash
                results.append(exc)
                continue
            results.append({**message, **assignment.fields()})
        return results


def run() -> None:
    from newsflow.runtime.dedup_app import run_dedup_stage

    settings = DedupSettings()
    run_dedup_stage(settings, dedup_config(settings.dedup))
