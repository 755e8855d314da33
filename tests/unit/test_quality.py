"""Quality guards on third-party evaluation data (../shared/eval): no server, real models.

The thresholds sit just under the measured figures (`make eval`), so a change that makes the
cleaner or the entity normalisation worse fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newsflow_dev.evaluation import benchmark_f1, evaluate_ner, snippet_scores

EVAL = Path(__file__).parents[2].parent / "shared" / "eval"


@pytest.fixture(scope="module")
def eval_data() -> Path:
    assert EVAL.is_dir(), f"evaluation data expected at {EVAL}"
    return EVAL


def test_normalisation_does_not_lower_ner_f1(eval_data: Path) -> None:
    scores = evaluate_ner(eval_data / "ner-fr" / "annodis_er.fr.jsonl", "fr_core_news_md")
    spacy_alone, ours = scores["spacy"]["ALL"], scores["newsflow"]["ALL"]
    assert spacy_alone.f1 == pytest.approx(0.648, abs=0.005)  # the published reference
    assert ours.f1 >= spacy_alone.f1
    assert ours.f1 >= 0.68


def test_cleaner_keeps_and_drops_the_right_snippets(eval_data: Path) -> None:
    text = snippet_scores(eval_data / "news-fr-raw", "text")
    html = snippet_scores(eval_data / "news-fr-raw", "html")
    assert text.pages == html.pages == 26
    assert text.keep_rate >= 0.85
    assert text.drop_rate >= 0.75
    assert html.keep_rate >= 0.95
    assert html.drop_rate >= 0.85


def test_cleaner_extraction_benchmark_f1(eval_data: Path) -> None:
    assert benchmark_f1(eval_data / "article-extraction-benchmark")["f1"] >= 0.958
