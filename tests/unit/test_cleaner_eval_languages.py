"""`make eval`'s table of the trafilatura set by the language of each page's gold."""

from __future__ import annotations

import numpy as np

from newsflow_dev.cleaner_eval import gold_language, language_rows
from newsflow_dev.evaluation import Snippets
from newsflow_dev.train_cleaner import Page


def _page(title: str | None, keep: list[str]) -> Page:
    return Page(
        id="p",
        source="trafilatura",
        site="town.example",
        url="https://town.example/p",
        lines=[""],
        labels=np.zeros(1, dtype=np.int8),
        weights=np.ones(1),
        title=title,
        must_keep=keep,
    )


def test_a_page_language_is_read_from_its_gold_title_and_snippets() -> None:
    french = _page(
        "Le conseil municipal vote le budget",
        ["les habitants du quartier ont choisi", "après une longue réunion publique"],
    )
    german = _page(None, ["Der Stadtrat hat am Dienstag den Haushalt beschlossen"])
    assert gold_language(french) == "fr"
    assert gold_language(german) == "de"
    assert gold_language(_page(None, [])) == "?"


def _counts(pages: int, kept: int) -> dict[str, Snippets]:
    return {"dumps": Snippets(pages=pages, kept=kept, must_keep=3 * pages)}


def test_languages_of_few_pages_share_the_last_row_and_the_others_come_most_pages_first() -> None:
    rows = language_rows(
        {"es": _counts(6, 10), "de": _counts(40, 100), "ja": _counts(1, 0), "ar": _counts(2, 5)},
        min_pages=5,
    )
    assert [language for language, _ in rows] == ["de", "es", "2 other languages"]
    pooled = rows[-1][1]["dumps"]
    assert (pooled.pages, pooled.kept, pooled.must_keep) == (3, 5, 9)
    assert rows[0][1]["dumps"].keep_rate == 100 / 120
    # Ties in pages go by code; no pooled row when every language has enough pages.
    rows = language_rows({"pl": _counts(5, 1), "it": _counts(5, 2)}, min_pages=5)
    assert [language for language, _ in rows] == ["it", "pl"]
