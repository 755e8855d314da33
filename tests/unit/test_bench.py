"""The benchmark's pure parts: its arithmetic and its corpus (no server, nothing timed)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from newsflow.core.cleaning import clean
from newsflow.errors import ConfigError
from newsflow_dev.bench.corpus import (
    Page,
    build,
    html_to_lines,
    insertion_point,
    require_data,
)
from newsflow_dev.bench.probes import stage_label
from newsflow_dev.bench.stats import (
    Measured,
    machine_limit,
    percentiles,
    progress_point,
    ratio,
)

FRENCH_TEXT = "\n".join(
    [
        "Accueil",
        "Rechercher",
        "Un titre d'article assez long pour en être un",
        "Le conseil municipal a voté mardi soir le budget de la commune, après un long débat "
        "sur les travaux de la gare et le prix de la cantine scolaire pour les familles.",
        "La séance a duré plus de trois heures et s'est terminée tard dans la nuit, sans que "
        "l'opposition ne parvienne à faire adopter le moindre amendement au projet présenté.",
        "Mentions légales",
    ]
)
ENGLISH_HTML = (
    "<html><head><title>T</title><script>var x = 1;</script></head><body>"
    "<nav><ul><li>Home</li><li>World</li></ul></nav>"
    "<article><h1>A headline of reasonable length</h1>"
    "<p>The council voted on Tuesday night after a long debate about the station works, the "
    "price of school meals and the opening hours of the public library in the old town.</p>"
    "<p>Short one.</p><div>Inline <b>bold</b> text<br>after a break</div></article>"
    "<!-- a comment --><footer>Terms</footer></body></html>"
)


def _page(language: str, kind: str, content: str) -> Page:
    return Page("p", language, kind, content, insertion_point(content, kind))  # type: ignore[arg-type]


def test_percentiles_interpolate_linearly() -> None:
    values = [float(v) for v in range(1, 101)]
    p50, p95, p99 = percentiles(values)
    assert p50 == pytest.approx(50.5)
    assert p95 == pytest.approx(95.05)
    assert p99 == pytest.approx(99.01)
    assert percentiles([2.0]) == [2.0, 2.0, 2.0]
    assert all(math.isnan(v) for v in percentiles([]))


def test_ratio_and_machine_limit() -> None:
    assert ratio(45.0, 50.0) == pytest.approx(0.9)
    assert ratio(1.0, 0.0) == 0.0
    # 2 cores, 40 ms + 10 ms + 0 ms per article: 2 / 0.05 = 40 articles/s.
    limit = machine_limit(2, {"cleaner": 0.04, "enricher": 0.01, "indexer": 0.0})
    assert limit == pytest.approx(40.0)
    assert machine_limit(2, {}) == 0.0


def test_measured_rates_per_item() -> None:
    measured = Measured(items=200, seconds=4.0, cpu_s=3.0, server_cpu_s=1.0)
    assert measured.rate == pytest.approx(50.0)
    assert measured.cpu_per_item == pytest.approx(0.015)
    assert measured.server_cpu_per_item == pytest.approx(0.005)
    assert Measured(items=0, seconds=0.0).rate == 0.0


def test_progress_point_skips_the_warm_up() -> None:
    samples = [(0.0, 0, 0.0), (1.0, 64, 0.5), (2.0, 128, 1.1), (3.0, 300, 2.0)]
    assert progress_point(samples, 100) == (2.0, 128, 1.1)
    assert progress_point(samples, 0) == (0.0, 0, 0.0)
    assert progress_point(samples, 1000) is None


def test_html_to_lines_gives_one_line_per_block() -> None:
    lines = html_to_lines(ENGLISH_HTML).split("\n")
    # As a scraper's dump: the page's <title> first, then one line per block.
    assert lines[:4] == ["T", "Home", "World", "A headline of reasonable length"]
    assert "Inline bold text" in lines
    assert "after a break" in lines
    assert lines[-1] == "Terms"
    assert not any("var x" in line or "comment" in line for line in lines)


def test_insertion_point_is_the_end_of_the_longest_paragraph() -> None:
    at = insertion_point(ENGLISH_HTML, "html")
    assert ENGLISH_HTML[:at].endswith("in the old town.")
    at = insertion_point(FRENCH_TEXT, "text")
    assert FRENCH_TEXT[:at].endswith("amendement au projet présenté.")


def test_corpus_articles_are_unique_and_keep_proportions() -> None:
    kinds = [
        [_page("fr", "text", FRENCH_TEXT)],
        [_page("en", "html", ENGLISH_HTML)],
        [_page("en", "text", html_to_lines(ENGLISH_HTML))],
    ]
    corpus = build(kinds, 30, "run1")
    assert corpus.shares == {"fr text": 10, "en html": 10, "en text": 10}
    ids = [a["id"] for a in corpus.articles]
    texts = [a.get("text") or a.get("html") for a in corpus.articles]
    assert len(set(ids)) == len(ids) == 30
    assert len(set(texts)) == 30
    assert build(kinds, 30, "run1").articles == corpus.articles  # deterministic per run
    assert build(kinds, 30, "run2").articles[0]["id"] != ids[0]


def test_the_distinguishing_sentence_survives_cleaning() -> None:
    corpus = build(
        [[_page("fr", "text", FRENCH_TEXT)], [_page("en", "html", ENGLISH_HTML)]], 4, "r"
    )
    hashes = set()
    for article in corpus.articles:
        cleaned = clean(article, min_words=5)
        text = f"{cleaned.lead}\n{cleaned.body}"
        assert "numéro" in text or "number" in text
        hashes.add(cleaned.content_hash)
    assert len(hashes) == 4


def test_missing_data_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="EVAL_DATA"):
        require_data(tmp_path)


def test_stage_label_from_the_command_line() -> None:
    python = "/usr/bin/python3"
    assert stage_label([python, "-m", "newsflow.cli", "run", "enricher"]) == "enricher"
    assert stage_label([python, "-m", "newsflow.cli", "run", "all"]) == "supervisor"
    assert stage_label([python, "-m", "pytest"]) is None
