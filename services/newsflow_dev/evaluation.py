"""Quality measurements on third-party data (`make eval`): cleaner and entity extraction.

- Cleaner, news-fr-raw: the share of must-keep (`with`) snippets kept and of must-drop
  (`without`) snippets removed, on the text dumps and on the HTML pages.
- Cleaner, article-extraction-benchmark: the benchmark's own metric (multisets of 4-token
  shingles of `\\w+` tokens; precision and recall averaged over pages; F1 of the two averages).
- NER, ner-fr (Sequoia news sentences) and ner-en (CoNLL-2003 development split): exact span
  and type F1 on PER/LOC/ORG, spaCy alone and after newsflow's entity normalisation
  (`newsflow_dev.ner_evaluation`).
- Dedup, a syndication set built from all of the above (`newsflow_dev.syndication`): pairwise
  precision and recall of "same story".
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from scipy import stats

from newsflow.core.cleaning import clean, normalize_unicode
from newsflow.errors import RejectedArticle
from newsflow_dev.ner_evaluation import GOLD_SETS, evaluate_ner

_TOKEN = re.compile(r"\w+", re.UNICODE)
CONFIDENCE = 0.95
_LOG_WIDTH = 132


def proportion_interval(right: int, total: int) -> tuple[float, float]:
    """The 95 % Wilson score interval of the rate right / total: where the rate could
    lie on another sample of the same kind and size. It counts every item as independent."""
    if not total:
        return 0.0, 0.0
    interval = stats.binomtest(right, total).proportion_ci(CONFIDENCE, method="wilson")
    return float(interval.low), float(interval.high)


def _article_text(raw: dict[str, Any], with_title: bool = True) -> str:
    try:
        article = clean(raw, min_words=1)
    except RejectedArticle:
        return ""
    parts = (
        (article.title, article.lead, article.body) if with_title else (article.lead, article.body)
    )
    return "\n".join(part for part in parts if part)


def normal_form(text: str) -> str:
    """The cleaner's normal form (plain quotes and spaces), whitespace collapsed: how outputs
    and snippets are compared."""
    return " ".join(normalize_unicode(text).split())


@dataclass
class Snippets:
    """Must-keep snippets kept and must-drop snippets removed, summed over pages."""

    pages: int = 0
    kept: int = 0
    must_keep: int = 0
    removed: int = 0
    must_drop: int = 0

    def add(self, output: str, keep: list[str], drop: list[str]) -> None:
        text = normal_form(output)
        self.pages += 1
        self.must_keep += len(keep)
        self.kept += sum(normal_form(s) in text for s in keep)
        self.must_drop += len(drop)
        self.removed += sum(normal_form(s) not in text for s in drop)

    def add_counts(self, other: Snippets) -> None:
        """Another tally's pages and snippets added to this one's."""
        for counter in fields(self):
            setattr(self, counter.name, getattr(self, counter.name) + getattr(other, counter.name))

    @property
    def keep_rate(self) -> float:
        return self.kept / self.must_keep if self.must_keep else 0.0

    @property
    def drop_rate(self) -> float:
        return self.removed / self.must_drop if self.must_drop else 0.0

    @property
    def keep_interval(self) -> tuple[float, float]:
        return proportion_interval(self.kept, self.must_keep)

    @property
    def drop_interval(self) -> tuple[float, float]:
        return proportion_interval(self.removed, self.must_drop)


def snippet_scores(root: Path, kind: str) -> Snippets:
    """kind: 'text' (naive text dumps) or 'html' (the pages as published)."""
    expected = json.loads(
        (root / "expected" / "trafilatura" / "evaldata-fr.json").read_text("utf-8")
    )
    scores = Snippets()
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
        scores.add(_article_text(raw), entry.get("with", []), entry.get("without", []))
    return scores


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


def print_syndication(console: Any, data: Path) -> None:
    from rich.table import Table

    from newsflow.core.dedup import DedupConfig
    from newsflow_dev import syndication

    built = syndication.build(data)
    config = DedupConfig()
    report = syndication.score(built, syndication.cleaned(built.items), config)
    pairs = report.pairs
    console.print(
        f"Dedup: syndication set, {report.articles} articles of {report.stories} stories "
        f"({report.rejected} rejected by the cleaner, {built.templates} site templates), "
        f"threshold {config.threshold} (same source {config.same_source_threshold}): "
        f"same-story pairs P {pairs.precision:.4f} R {pairs.recall:.4f} "
        f"({pairs.true_positives} right of {pairs.predicted} predicted, {pairs.actual} true; "
        "targets P >= 0.99, R >= 0.95)"
    )
    table = Table(title="Dedup: hard negatives (pairs of different stories)")
    for column in ("kind", "pairs", "wrongly one story"):
        table.add_column(column)
    for kind, (count, merged) in report.hard_negatives.items():
        table.add_row(kind, str(count), str(merged))
    console.print(table)
    table = Table(title="Dedup: copies given their original's story")
    for column in ("copies", "found"):
        table.add_column(column)
    for label, (found, total) in sorted(report.copies_found.items()):
        table.add_row(label, f"{found}/{total} = {found / total:.3f}")
    console.print(table)
    console.print(
        f"Dedup state after the set: {report.state_bytes / report.articles:.0f} bytes of keys "
        "and values per article"
    )


def main(argv: list[str] | None = None) -> int:
    """Print every measurement; `make eval` runs this on ../shared/eval."""
    import argparse

    from rich.console import Console
    from rich.table import Table

    parser = argparse.ArgumentParser(prog="python -m newsflow_dev.evaluation")
    parser.add_argument("--data", type=Path, default=Path("../shared/eval"))
    parser.add_argument(
        "--models", nargs="+", default=[], help="spaCy pipelines (default: each gold set's)"
    )
    parser.add_argument("--only", choices=["cleaner", "ner"], default=None)
    args = parser.parse_args(argv)
    console = Console()
    if not console.is_terminal:
        # Into a file or a pipe rich writes 80 columns, which would wrap every interval.
        console = Console(width=_LOG_WIDTH)

    if args.only != "ner":
        from newsflow_dev.cleaner_eval import evaluate_cleaner, print_report

        print_report(evaluate_cleaner(args.data, progress=console.log), console)
    if args.only == "cleaner":
        return 0

    print_syndication(console, args.data)

    for gold in GOLD_SETS:
        for model in args.models or gold.models:
            if args.models and not model.startswith(f"{gold.language}_"):
                continue
            table = Table(title=f"NER, {gold.title}: {model}, exact span and type")
            for column in ("", "P", "R", "F1", "PER F1", "LOC F1", "ORG F1"):
                table.add_column(column, no_wrap=True)
            scores = evaluate_ner(args.data / gold.path, model, gold.language)
            for name, by_type in scores.items():
                overall = by_type["ALL"]
                table.add_row(
                    "spaCy alone" if name == "spacy" else "normalised",
                    f"{overall.precision:.3f}",
                    f"{overall.recall:.3f}",
                    f"{overall.f1:.3f}",
                    *(f"{by_type[t].f1:.3f}" for t in ("PER", "LOC", "ORG")),
                )
            console.print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
