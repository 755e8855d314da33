"""Quality measurements on third-party data (`make eval`): cleaner and entity extraction.

- Cleaner, news-fr-raw: the share of must-keep (`with`) snippets kept and of must-drop
  (`without`) snippets removed, on the text dumps and on the HTML pages.
- Cleaner, article-extraction-benchmark: the benchmark's own metric (multisets of 4-token
  shingles of `\\w+` tokens; precision and recall averaged over pages; F1 of the two averages).
- NER, ner-fr (Sequoia news sentences): exact span and type F1 on PER/LOC/ORG, spaCy alone and
  after newsflow's entity normalisation.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsflow.core.cleaning import clean, normalize_unicode
from newsflow.errors import RejectedArticle

_TOKEN = re.compile(r"\w+", re.UNICODE)


def _article_text(raw: dict[str, Any], with_title: bool = True) -> str:
    try:
        article = clean(raw, min_words=1)
    except RejectedArticle:
        return ""
    parts = (
        (article.title, article.lead, article.body) if with_title else (article.lead, article.body)
    )
    return "\n".join(part for part in parts if part)


@dataclass(frozen=True)
class SnippetScore:
    pages: int
    kept: int
    must_keep: int
    removed: int
    must_drop: int

    @property
    def keep_rate(self) -> float:
        return self.kept / self.must_keep if self.must_keep else 0.0

    @property
    def drop_rate(self) -> float:
        return self.removed / self.must_drop if self.must_drop else 0.0


def snippet_scores(root: Path, kind: str) -> SnippetScore:
    """kind: 'text' (naive text dumps) or 'html' (the pages as published)."""
    expected = json.loads(
        (root / "expected" / "trafilatura" / "evaldata-fr.json").read_text("utf-8")
    )
    pages = kept = must_keep = removed = must_drop = 0
    for url, entry in expected.items():
        name = entry["file"]
        if kind == "text":
            path = root / "text" / "trafilatura" / (Path(name).stem + ".txt")
            if not path.exists():
                continue
            raw = {"text": path.read_text("utf-8", errors="replace"), "url": url}
        else:
            path = root / "html" / "trafilatura" / name
            if not path.exists():
                continue
            raw = {"html": path.read_text("utf-8", errors="replace"), "url": url}
        output = _article_text(raw)
        pages += 1
        # Snippets are compared in the cleaner's normal form (plain quotes and spaces).
        for snippet in map(normalize_unicode, entry.get("with", [])):
            must_keep += 1
            kept += snippet in output
        for snippet in map(normalize_unicode, entry.get("without", [])):
            must_drop += 1
            removed += snippet not in output
    return SnippetScore(pages, kept, must_keep, removed, must_drop)


def _shingles(text: str, size: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text)
    return Counter(tuple(tokens[i : i + size]) for i in range(max(len(tokens) - size + 1, 1)))


def shingle_precision_recall(predicted: str, gold: str) -> tuple[float, float]:
    """One page's precision and recall under the article-extraction-benchmark metric."""
    output, expected = _shingles(predicted), _shingles(gold)
    tp = sum((output & expected).values())
    fp = sum(output.values()) - tp
    fn = sum(expected.values()) - tp
    return (tp / (tp + fp) if tp + fp else 0.0), (tp / (tp + fn) if tp + fn else 0.0)


def f1_from(pairs: list[tuple[float, float]]) -> tuple[float, float, float]:
    """Precision and recall averaged over pages, and the F1 of the two averages."""
    if not pairs:
        return 0.0, 0.0, 0.0
    precision = sum(p for p, _ in pairs) / len(pairs)
    recall = sum(r for _, r in pairs) / len(pairs)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def benchmark_f1(root: Path, extract: Callable[[str], str] | None = None) -> dict[str, float]:
    """The article-extraction-benchmark metric for newsflow's cleaner on every page."""
    truth = json.loads((root / "ground-truth.json").read_text("utf-8"))
    # The gold is the article body: the title is a field of its own, compared separately.
    extract = extract or (lambda page: _article_text({"html": page}, with_title=False))
    precisions, recalls = [], []
    for page_id, gold in truth.items():
        path = root / "html" / f"{page_id}.html.gz"
        page = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
        predicted, expected = _shingles(extract(page)), _shingles(gold["articleBody"])
        tp = sum((predicted & expected).values())
        fp = sum(predicted.values()) - tp
        fn = sum(expected.values()) - tp
        precisions.append(tp / (tp + fp) if tp + fp else 0.0)
        recalls.append(tp / (tp + fn) if tp + fn else 0.0)
    precision = sum(precisions) / len(precisions)
    recall = sum(recalls) / len(recalls)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"pages": float(len(precisions)), "precision": precision, "recall": recall, "f1": f1}


# --------------------------------------------------------------------------- NER


@dataclass(frozen=True)
class NerScore:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


_GOLD_TYPES = {"PER", "LOC", "ORG"}


def load_ner_gold(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def ner_scores(
    sentences: list[dict[str, Any]], predicted: Iterable[set[tuple[int, int, str]]]
) -> dict[str, NerScore]:
    """Exact span-and-type scores, overall and per type, on contiguous PER/LOC/ORG gold entities."""
    counts: dict[str, list[int]] = {t: [0, 0, 0] for t in ("ALL", *sorted(_GOLD_TYPES))}
    for sentence, spans in zip(sentences, predicted, strict=True):
        gold = {
            (e["start"], e["end"], e["type"])
            for e in sentence["entities"]
            if e["type"] in _GOLD_TYPES and e.get("contiguous", True)
        }
        spans = {s for s in spans if s[2] in _GOLD_TYPES}
        for kind in ("ALL", *sorted(_GOLD_TYPES)):
            g = {s for s in gold if kind in ("ALL", s[2])}
            p = {s for s in spans if kind in ("ALL", s[2])}
            counts[kind][0] += len(g & p)
            counts[kind][1] += len(p - g)
            counts[kind][2] += len(g - p)
    return {kind: NerScore(*values) for kind, values in counts.items()}


def evaluate_ner(
    gold_path: Path, model: str, batch_size: int = 64
) -> dict[str, dict[str, NerScore]]:
    """spaCy alone and spaCy + newsflow normalisation, on the same sentences."""
    from newsflow.core.entities import Mention, normalize_mentions
    from newsflow.core.nlp import load_ner_model

    sentences = load_ner_gold(gold_path)
    nlp = load_ner_model(model)
    raw_spans: list[set[tuple[int, int, str]]] = []
    normalised: list[set[tuple[int, int, str]]] = []
    for doc in nlp.pipe((s["text"] for s in sentences), batch_size=batch_size):
        mentions = [Mention(e.text, e.label_, e.start_char, e.end_char) for e in doc.ents]
        raw_spans.append({(m.start, m.end, m.label) for m in mentions})
        result = normalize_mentions(mentions)
        normalised.append({(m.start, m.end, m.label) for m in result.mentions})
    return {
        "spacy": ner_scores(sentences, raw_spans),
        "newsflow": ner_scores(sentences, normalised),
    }


def main(argv: list[str] | None = None) -> int:
    """Print every measurement; `make eval` runs this on ../shared/eval."""
    import argparse

    from rich.console import Console
    from rich.table import Table

    parser = argparse.ArgumentParser(prog="python -m newsflow_dev.evaluation")
    parser.add_argument("--data", type=Path, default=Path("../shared/eval"))
    parser.add_argument("--models", nargs="+", default=["fr_core_news_sm", "fr_core_news_md"])
    parser.add_argument("--only", choices=["cleaner", "ner"], default=None)
    args = parser.parse_args(argv)
    console = Console()

    if args.only != "ner":
        from newsflow_dev.cleaner_eval import evaluate_cleaner, print_report

        print_report(evaluate_cleaner(args.data, progress=console.log), console)
    if args.only == "cleaner":
        return 0

    table = Table(title="NER: ner-fr (Sequoia news), exact span and type, PER/LOC/ORG")
    for column in ("model", "pipeline", "P", "R", "F1", "PER F1", "LOC F1", "ORG F1"):
        table.add_column(column, no_wrap=True)
    for model in args.models:
        for name, scores in evaluate_ner(
            args.data / "ner-fr" / "annodis_er.fr.jsonl", model
        ).items():
            overall = scores["ALL"]
            table.add_row(
                model,
                name,
                f"{overall.precision:.3f}",
                f"{overall.recall:.3f}",
                f"{overall.f1:.3f}",
                *(f"{scores[t].f1:.3f}" for t in ("PER", "LOC", "ORG")),
            )
    console.print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
