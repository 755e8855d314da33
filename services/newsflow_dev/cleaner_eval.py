"""The cleaner's quality and speed on pages its line model was not trained on (`make eval`).

Text dumps are scored with fold models (group k-fold by site, newsflow_dev.train_cleaner):
each page is cleaned by a model that saw no page of its site; news-fr-raw's pages are never
trained on. The HTML path has no learned part; it is compared with `trafilatura.extract` alone
on the same pages.

- article-extraction-benchmark: the benchmark's F1 (lead + body against the gold body), as
  HTML and as dumps made from its HTML; pages that come out empty.
- news-fr-raw: must-keep snippets kept and must-drop snippets removed, on its own text dumps
  and on its HTML.
- L3S-GN1 (621 English news pages marked by hand): the same F1 against the marked full text,
  on HTML and dumps, and title exact match against the marked headline.
- dragnet_data (1,381 English news and blog pages): the same F1 against the marked content.
- trafilatura's evaluation set (~1,000 pages, many languages): the same snippet scores, also
  by the language of each page's gold (`gold_language`), and title exact match (on all pages
  with a gold title, and on those whose gold title is the page's headline, a line of the
  page).
- On the three sets with gold bodies, also the dumps joined into one line, as a scraper that
  joins a page's text with spaces writes them (`unbroken`); the page's text nodes a line each,
  as `soup.get_text("\n", strip=True)` writes them (`fragments`); the page's text as
  `soup.get_text()` writes it, with no separator (`glued`); the page as Markdown, as
  markdownify writes it (`markdown`); all three with title exact match on L3S-GN1; and the gold
  body itself given as text (already clean, as a feed or an API gives an article).
- Time per article, p50 and p95: the cleaner on dumps and on HTML, trafilatura.extract alone.

Every rate is printed with its 95 % interval (`print_report`).
"""

from __future__ import annotations

import functools
import gzip
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import lingua
import numpy as np
import numpy.typing as npt
import trafilatura
from bs4 import BeautifulSoup
from markdownify import markdownify
from scipy import stats

from newsflow.core.cleaning import clean, word_count
from newsflow.core.cleaning.article import long_enough
from newsflow.core.cleaning.dump import decode_html
from newsflow.core.cleaning.lines import LineModel
from newsflow.errors import RejectedArticle
from newsflow_dev.evaluation import CONFIDENCE, Snippets, normal_form, proportion_interval
from newsflow_dev.train_cleaner import (
    FOLDS,
    SEED,
    FoldModels,
    Page,
    dataset,
    fold_models,
    page_features,
    site_of,
)


def _title_key(text: str) -> str:
    return normal_form(text).casefold()


@dataclass
class Output:
    title: str | None
    text: str  # lead and body
    rejected: bool
    seconds: float


def run_clean(raw: dict[str, Any], model: LineModel | None, min_words: int = 1) -> Output:
    started = time.perf_counter()
    try:
        article = clean(raw, min_words=min_words, model=model)
    except RejectedArticle:
        return Output(None, "", True, time.perf_counter() - started)
    seconds = time.perf_counter() - started
    text = "\n".join(part for part in (article.lead, article.body) if part)
    return Output(article.title, text, False, seconds)


def run_trafilatura(html: str, url: str | None = None) -> Output:
    started = time.perf_counter()
    text = trafilatura.extract(html, url=url) or ""
    return Output(None, text, not text, time.perf_counter() - started)


_RESAMPLES = 2000  # bootstrap resamples behind each F1 interval


@dataclass
class Titles:
    right: int = 0
    total: int = 0
    headline_right: int = 0
    headline_total: int = 0

    def add(self, predicted: str | None, gold: str, is_headline: bool) -> None:
        ok = predicted is not None and _title_key(predicted) == _title_key(gold)
        self.total += 1
        self.right += ok
        if is_headline:
            self.headline_total += 1
            self.headline_right += ok

    @property
    def interval(self) -> tuple[float, float]:
        return proportion_interval(self.right, self.total)

    @property
    def headline_interval(self) -> tuple[float, float]:
        return proportion_interval(self.headline_right, self.headline_total)


@dataclass
class Timings:
    seconds: list[float] = field(default_factory=list)

    def percentile(self, q: float) -> float:
        return float(np.percentile(self.seconds, q)) * 1000 if self.seconds else 0.0


@dataclass
class F1:
    pairs: list[tuple[float, float]] = field(default_factory=list)
    empty: int = 0

    def add(self, predicted: str, gold: str) -> None:
        from newsflow_dev.evaluation import shingle_precision_recall

        self.pairs.append(shingle_precision_recall(predicted, gold))
        self.empty += not predicted.strip()

    @property
    def scores(self) -> tuple[float, float, float]:
        from newsflow_dev.evaluation import f1_from

        return f1_from(self.pairs)

    @property
    def interval(self) -> tuple[float, float]:
        """The F1's 95 % percentile bootstrap interval, resampling pages (seeded): how much
        the figure owes to which pages happen to be in the set. What retraining the model
        would move is not in it."""
        if len(self.pairs) < 2:
            f1 = self.scores[2]
            return f1, f1
        precision, recall = np.array(self.pairs, dtype=np.float64).T
        result = stats.bootstrap(
            (precision, recall),
            _f1_of_means,
            paired=True,
            vectorized=True,
            n_resamples=_RESAMPLES,
            confidence_level=CONFIDENCE,
            method="percentile",
            rng=np.random.default_rng(0),
        )
        low, high = result.confidence_interval
        return float(low), float(high)


def _f1_of_means(
    precision: npt.NDArray[np.float64], recall: npt.NDArray[np.float64], axis: int = -1
) -> npt.NDArray[np.float64]:
    """`f1_from` over the last axis, for many resamples at once."""
    p, r = precision.mean(axis=axis), recall.mean(axis=axis)
    total = np.asarray(p + r, dtype=np.float64)
    f1: npt.NDArray[np.float64] = np.divide(
        2 * p * r, total, out=np.zeros_like(total), where=total > 0
    )
    return f1


@dataclass
class CleanerReport:
    folds: FoldModels
    fold_test_pages: list[dict[str, int]]
    f1: dict[tuple[str, str], F1] = field(default_factory=dict)  # (set, input) -> scores
    html_rejected_trafilatura_kept: int = 0
    html_rejected_article: int = 0
    snippets: dict[str, Snippets] = field(default_factory=dict)
    # The trafilatura set's snippets by the language of the gold: language -> input -> counts.
    by_language: dict[str, dict[str, Snippets]] = field(default_factory=dict)
    titles: dict[str, Titles] = field(default_factory=dict)
    timings: dict[str, Timings] = field(default_factory=dict)

    def snippet(self, name: str) -> Snippets:
        return self.snippets.setdefault(name, Snippets())

    def language_snippet(self, language: str, name: str) -> Snippets:
        return self.by_language.setdefault(language, {}).setdefault(name, Snippets())

    def score(self, source: str, name: str) -> F1:
        return self.f1.setdefault((_SETS[source], name), F1())

    def title(self, name: str) -> Titles:
        return self.titles.setdefault(name, Titles())

    def timing(self, name: str) -> Timings:
        return self.timings.setdefault(name, Timings())


_MIN_WORDS = 20  # clean()'s default minimum

_SETS = {
    "benchmark": "article-extraction-benchmark",
    "dragnet": "dragnet",
    "l3s": "L3S-GN1",
    "trafilatura": "trafilatura set",
}
_DUMPS, _HTML, _ALONE = (
    "text dumps made from the HTML",
    "HTML, cleaner",
    "HTML, trafilatura.extract alone",
)
# What a scraper writes when it joins a page's text nodes with spaces.
_JOINED = "the same dumps joined into one line"
# Text that is already clean, as a feed or an API gives it.
_GOLD_TEXT = "the gold body itself, as text"
# What a scraper writes when it puts each of a page's text nodes on a line of its own.
_NODES = "the page's text nodes, a line each"
# What BeautifulSoup's get_text() writes with no separator: the text of neighbouring elements
# runs together, the line breaks are the page source's.
_GET_TEXT = "the page's text, get_text() with no separator"
# What a scraper writes when it turns the page into Markdown.
_MARKDOWN = "the page as Markdown (markdownify)"
# The dumps with every full stop that ends a sentence written as a danda (।), as Hindi,
# Marathi or Bengali end theirs: the same page in a script the training pages hardly hold.
_DANDA = "the same dumps, full stops written as dandas (।)"
_FULL_STOP = re.compile(r"(?<=\w)\.(?=[\"'»”’)\]]*(?:\s|$))")


def _soup_texts(html: str) -> tuple[str, str]:
    """The page's text as BeautifulSoup writes it, the page parsed once: each text node on a
    line of its own, the most common idiom (`get_text("\n", strip=True)`, the <title> first,
    script and style text left out, as bs4 does), and with no separator (`get_text()`,
    `glued`)."""
    soup = BeautifulSoup(html, "html.parser")
    return soup.get_text("\n", strip=True), soup.get_text()


def _markdown(html: str) -> str:
    """The page as Markdown, as markdownify writes it with its defaults."""
    return str(markdownify(html))


def _dump(page: Page) -> str:
    return "\n\n".join(page.lines)


@functools.cache
def _language_detector() -> lingua.LanguageDetector:
    # Every language lingua knows, with its trigram models only, as the enricher reads them.
    return lingua.LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()


def gold_language(page: Page) -> str:
    """The ISO 639-1 code of the language of a page's gold (its title and must-keep
    snippets), or "?" when there is no gold text or lingua cannot tell."""
    text = " ".join([page.title or "", *page.must_keep]).strip()
    found = _language_detector().detect_language_of(text) if text else None
    return found.iso_code_639_1.name.lower() if found is not None else "?"


# Languages of fewer pages than this share one row of the table by language: their rates
# would be a handful of snippets each.
_LANGUAGE_MIN_PAGES = 5


def language_rows(
    by_language: dict[str, dict[str, Snippets]], min_pages: int = _LANGUAGE_MIN_PAGES
) -> list[tuple[str, dict[str, Snippets]]]:
    """The table by language: languages of at least min_pages pages, the most pages first
    (then by code), and the others pooled in a last row named after how many they are."""
    pages = {
        language: max(s.pages for s in inputs.values()) for language, inputs in by_language.items()
    }
    ranked = sorted(by_language, key=lambda language: (-pages[language], language))
    rows = [
        (language, by_language[language]) for language in ranked if pages[language] >= min_pages
    ]
    rest = [by_language[language] for language in ranked if pages[language] < min_pages]
    if rest:
        pooled: dict[str, Snippets] = {}
        for inputs in rest:
            for name, counts in inputs.items():
                pooled.setdefault(name, Snippets()).add_counts(counts)
        rows.append((f"{len(rest)} other languages", pooled))
    return rows


def _is_headline(page: Page, gold: str) -> bool:
    wanted = _title_key(gold)
    return any(_title_key(line) == wanted for line in page.lines[1:])


def evaluate_cleaner(data: Path, progress: Callable[[str], None] = lambda _: None) -> CleanerReport:
    pages = dataset(data)
    news_fr = data / "news-fr-raw"
    expected: dict[str, dict[str, Any]] = json.loads(
        (news_fr / "expected" / "trafilatura" / "evaldata-fr.json").read_text("utf-8")
    )
    progress("features of every page")
    features = page_features(pages)
    progress("fold models (cached after the first run)")
    folds = fold_models(pages, features, extra_sites=[site_of(url) for url in expected])
    sizes: list[dict[str, int]] = [{} for _ in range(FOLDS)]
    report = CleanerReport(folds, sizes)

    def model_for(site: str) -> LineModel:
        model = folds.for_site(site)
        assert model is not None, site
        return model

    html_sources = _html_sources(data)
    progress("article-extraction-benchmark, L3S-GN1, dragnet and trafilatura pages")
    for number, page in enumerate(pages):
        fold = folds.folds[page.site]
        sizes[fold][page.source] = sizes[fold].get(page.source, 0) + 1
        model = model_for(page.site)
        dump_text = _dump(page)
        dump = run_clean({"text": dump_text, "url": page.url}, model)
        report.timing("cleaner, text dump").seconds.append(dump.seconds)
        html = html_sources[page.id]()
        # Alternate which runs first, so that neither profits from warm caches.
        if number % 2:
            alone = run_trafilatura(html, page.url)
            cleaned = run_clean({"html": html, "url": page.url}, model)
        else:
            cleaned = run_clean({"html": html, "url": page.url}, model)
            alone = run_trafilatura(html, page.url)
        report.timing("cleaner, HTML").seconds.append(cleaned.seconds)
        report.timing("trafilatura.extract alone, HTML").seconds.append(alone.seconds)
        # What clean() would reject at its default minimum length (20 words, 10 written in
        # sentences), where trafilatura returns text: any text, and an article (20 words or
        # more, on a page whose gold body, when known, is an article too).
        if alone.text and (
            cleaned.rejected or not long_enough(cleaned.text.split("\n"), _MIN_WORDS)
        ):
            report.html_rejected_trafilatura_kept += 1
            if word_count(alone.text) >= _MIN_WORDS and (
                page.gold is None or word_count(page.gold) >= _MIN_WORDS
            ):
                report.html_rejected_article += 1
        if page.gold is not None:
            joined = run_clean({"text": " ".join(page.lines), "url": page.url}, model)
            report.score(page.source, _JOINED).add(joined.text, page.gold)
            own = run_clean({"text": page.gold, "url": page.url}, model)
            report.score(page.source, _GOLD_TEXT).add(own.text, page.gold)
            marked = run_clean({"text": _FULL_STOP.sub("।", dump_text), "url": page.url}, model)
            report.score(page.source, _DANDA).add(marked.text, page.gold)
            nodes, page_text = _soup_texts(html)
            for name, text in (
                (_NODES, nodes),
                (_GET_TEXT, page_text),
                (_MARKDOWN, _markdown(html)),
            ):
                out = run_clean({"text": text, "url": page.url}, model)
                report.score(page.source, name).add(out.text, page.gold)
                if page.title:
                    report.title(f"{_SETS[page.source]}, {name}").add(
                        out.title, page.title, _is_headline(page, page.title)
                    )
            report.score(page.source, _DUMPS).add(dump.text, page.gold)
            report.score(page.source, _HTML).add(cleaned.text, page.gold)
            report.score(page.source, _ALONE).add(alone.text, page.gold)
        if page.must_keep or page.must_drop:
            name = "news-fr-raw pages" if page.held_out else "trafilatura set"
            # The trafilatura set's pages are also tallied by the language of their gold.
            language = None if page.held_out else gold_language(page)
            for label, kind, output in (
                ("dumps made from HTML", _DUMPS, f"{dump.title or ''}\n{dump.text}"),
                ("HTML", _HTML, f"{cleaned.title or ''}\n{cleaned.text}"),
                ("HTML, trafilatura alone", _ALONE, alone.text),
            ):
                counts = Snippets()
                counts.add(output, page.must_keep, page.must_drop)
                report.snippet(f"{name}, {label}").add_counts(counts)
                if language is not None:
                    report.language_snippet(language, kind).add_counts(counts)
        if page.title:
            headline = _is_headline(page, page.title)
            report.title(f"{_SETS[page.source]}, text dumps").add(dump.title, page.title, headline)
            report.title(f"{_SETS[page.source]}, HTML").add(cleaned.title, page.title, headline)

    progress("news-fr-raw")
    for url, entry in sorted(expected.items()):
        name = entry["file"]
        model = model_for(site_of(url))
        text_path = news_fr / "text" / "trafilatura" / (Path(name).stem + ".txt")
        html_path = news_fr / "html" / "trafilatura" / name
        keep, drop = entry.get("with", []), entry.get("without", [])
        if text_path.exists():
            out = run_clean({"text": text_path.read_text("utf-8"), "url": url}, model)
            report.snippet("news-fr-raw, text dumps").add(
                f"{out.title or ''}\n{out.text}", keep, drop
            )
        if html_path.exists():
            html = decode_html(html_path.read_bytes())
            out = run_clean({"html": html, "url": url}, model)
            report.snippet("news-fr-raw, HTML").add(f"{out.title or ''}\n{out.text}", keep, drop)
            report.snippet("news-fr-raw, HTML, trafilatura alone").add(
                run_trafilatura(html, url).text, keep, drop
            )
    return report


def _read(path: Path) -> str:
    return decode_html(path.read_bytes())


def _read_gzip(path: Path) -> str:
    return decode_html(gzip.decompress(path.read_bytes()))


def _html_sources(data: Path) -> dict[str, Callable[[], str]]:
    """Page id -> a reader of its HTML (read when needed, to keep memory low)."""
    from newsflow_dev.train_cleaner import (
        ensure_dragnet_data,
        ensure_l3s_data,
        ensure_trafilatura_data,
    )

    sources: dict[str, Callable[[], str]] = {}
    benchmark = data / "article-extraction-benchmark" / "html"
    for path in benchmark.glob("*.html.gz"):
        page_id = path.name.removesuffix(".html.gz")
        sources[f"benchmark/{page_id}"] = functools.partial(_read_gzip, path)
    for path in (ensure_l3s_data() / "original").glob("*.html"):
        sources[f"l3s/{path.stem}"] = functools.partial(_read, path)
    for path in (ensure_dragnet_data() / "input").glob("*.html"):
        sources[f"dragnet/{path.stem}"] = functools.partial(_read, path)
    root = ensure_trafilatura_data()
    for folder in ("eval", "cache"):
        for path in (root / "tests" / folder).glob("*.html"):
            sources.setdefault(f"trafilatura/{path.name}", functools.partial(_read, path))
    return sources


def _interval(bounds: tuple[float, float]) -> str:
    return f"[{bounds[0]:.3f}, {bounds[1]:.3f}]"


def print_report(report: CleanerReport, console: Any) -> None:
    """The report as rich tables (console: a rich Console). Each rate comes with its 95 %
    interval: pages resampled for F1 (bootstrap), snippets and titles counted as independent
    (Wilson)."""
    from rich.table import Table

    folds = report.folds
    table = Table(title=f"Cleaner: group {FOLDS}-fold split by site (pages), seed {SEED}")
    for column in (
        "fold",
        "trained on",
        "lines",
        "held out: benchmark",
        "L3S-GN1",
        "dragnet",
        "trafilatura set",
    ):
        table.add_column(column)
    for k in range(FOLDS):
        held = report.fold_test_pages[k]
        table.add_row(
            str(k),
            str(folds.train_pages[k]),
            str(folds.train_lines[k]),
            str(held.get("benchmark", 0)),
            str(held.get("l3s", 0)),
            str(held.get("dragnet", 0)),
            str(held.get("trafilatura", 0)),
        )
    console.print(table)

    table = Table(title="Cleaner: F1 against gold bodies, held-out pages")
    for column in ("set", "input", "pages", "P", "R", "F1", "F1, 95 % interval", "empty"):
        table.add_column(column)
    for (corpus, name), score in sorted(report.f1.items()):
        p, r, f = score.scores
        table.add_row(
            corpus,
            name,
            str(len(score.pairs)),
            f"{p:.3f}",
            f"{r:.3f}",
            f"{f:.4f}",
            _interval(score.interval),
            str(score.empty),
        )
    console.print(table)
    console.print(
        "HTML pages whose article (20 words or more, and so is the gold body where known) "
        "trafilatura.extract extracts but the cleaner rejects (min 20 words, 10 in sentences): "
        f"{report.html_rejected_article}; pages where trafilatura.extract returns any text "
        f"and the cleaner rejects: {report.html_rejected_trafilatura_kept}"
    )

    table = Table(title="Cleaner: must-keep / must-drop snippets, held-out pages")
    for column in ("set", "pages", "must-keep kept", "must-drop removed"):
        table.add_column(column)
    for name, s in sorted(report.snippets.items()):
        table.add_row(
            name,
            str(s.pages),
            f"{s.kept}/{s.must_keep} = {s.keep_rate:.3f} {_interval(s.keep_interval)}",
            f"{s.removed}/{s.must_drop} = {s.drop_rate:.3f} {_interval(s.drop_interval)}",
        )
    console.print(table)

    table = Table(
        title="Cleaner: trafilatura set by the language of its gold (lingua), must-keep "
        "snippets kept / must-drop removed"
    )
    for column in ("language", "pages", _DUMPS, _HTML, _ALONE):
        table.add_column(column)
    for language, inputs in language_rows(report.by_language):
        counts = [inputs[name] for name in (_DUMPS, _HTML, _ALONE)]
        cells = [f"{c.keep_rate:.3f} / {c.drop_rate:.3f}" for c in counts]
        table.add_row(language, str(counts[0].pages), *cells)
    console.print(table)

    table = Table(title="Cleaner: title exact match (held-out pages)")
    for column in ("set, input", "all gold titles", "gold title is the page's headline"):
        table.add_column(column)
    for name, t in sorted(report.titles.items()):
        table.add_row(
            name,
            f"{t.right}/{t.total} = {t.right / max(t.total, 1):.3f} {_interval(t.interval)}",
            f"{t.headline_right}/{t.headline_total} = "
            f"{t.headline_right / max(t.headline_total, 1):.3f} {_interval(t.headline_interval)}",
        )
    console.print(table)

    table = Table(title="Cleaner: time per article (ms), same pages")
    for column in ("path", "pages", "p50", "p95"):
        table.add_column(column)
    for name, timing in report.timings.items():
        table.add_row(
            name,
            str(len(timing.seconds)),
            f"{timing.percentile(50):.1f}",
            f"{timing.percentile(95):.1f}",
        )
    console.print(table)
