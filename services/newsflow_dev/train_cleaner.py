"""Train the text-dump line model shipped with the cleaner (`make train-cleaner`).

Training data is built here, reproducibly, from HTML pages with known article text:

- article-extraction-benchmark (`<data>/article-extraction-benchmark`, 181 pages with gold
  bodies): every line of each page's dump is labelled from the gold body.
- trafilatura's evaluation set (github.com/adbar/trafilatura at TRAFILATURA_COMMIT:
  tests/evaldata.json and the ~1,000 pages it refers to, in many languages), downloaded once
  into ~/.cache/newsflow-data with its provenance. Its gold is a few must-keep / must-drop
  snippets per page: lines holding them are labelled with full weight, the other lines from
  trafilatura's own extraction with a lower weight.
- L3S-GN1 (Kohlschuetter et al., WSDM 2010: 621 English news pages of 408 sites, each marked
  by hand into headline, full text, captions, comments, related links), from the copy in
  github.com/geodrome/page-signal at L3S_COMMIT, cached the same way. The full-text blocks are
  the gold body and the headline block the gold title. Its licence allows research use.
- dragnet_data (Peters and Lecocq, WWW 2013: 1,381 English news and blog pages of 2012 with
  their main content marked by hand), from the copy in
  github.com/j-szulc/html-cleaning-dataset-merged at DRAGNET_COMMIT (folder dragnet_data
  only), cached the same way: evaluation only, never trained on. Trained on, it moved the
  held-out figures within their noise on the English sets and cost recall on trafilatura's
  multilingual set (README, "The cleaner's line model"). The content before its comments is
  the gold body, without the lines that repeat the <title> (the headline).

Each page goes through `dump.html_to_lines` (the dump a naive scraper writes); lines are
labelled article / not article by fuzzy matching against the gold (a line whose word
trigrams are mostly in the gold is article text). The model: two scikit-learn
HistGradientBoostingClassifiers (stage 2 reads stage 1's out-of-fold probabilities of the
neighbouring lines), seeded, single-threaded, deterministic. Group k-fold models by site are
trained too and cached for `make eval`. Pages of the news-fr-raw and dragnet evaluation sets
are never trained on.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import os
import pickle
import re
import sys
import tarfile
import time
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import lxml.etree
import lxml.html
import numpy as np
import numpy.typing as npt
import trafilatura
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import GroupKFold

from newsflow.core.cleaning.article import select_article, title_host
from newsflow.core.cleaning.dump import decode_html, html_to_lines
from newsflow.core.cleaning.features import FEATURE_NAMES, Matrix, line_features, stage2_features
from newsflow.core.cleaning.lines import (
    MODEL_FILE,
    LineModel,
    RegionParams,
)
from newsflow.core.cleaning.text import normalize_unicode, tokens
from newsflow.core.cleaning.titles import TITLE_FEATURE_NAMES, headline_line, title_candidates
from newsflow.core.cleaning.trees import TreeEnsemble

TRAFILATURA_REPO = "adbar/trafilatura"
TRAFILATURA_COMMIT = "e90b0ef51ab026fdb905fb6c5b3c84dd3d784fd5"
TRAFILATURA_ARCHIVE = f"https://codeload.github.com/{TRAFILATURA_REPO}/tar.gz/{TRAFILATURA_COMMIT}"
L3S_REPO = "geodrome/page-signal"
L3S_COMMIT = "186d8153b3d111f84865ddc180600a9cbe35ac7f"
L3S_ARCHIVE = f"https://codeload.github.com/{L3S_REPO}/tar.gz/{L3S_COMMIT}"
L3S_FOLDER = "L3S-GN1-20100130203947-00001"
DRAGNET_REPO = "j-szulc/html-cleaning-dataset-merged"
DRAGNET_COMMIT = "46e01a04b47051838a228bf23631430b2c9de375"
DRAGNET_ARCHIVE = f"https://codeload.github.com/{DRAGNET_REPO}/tar.gz/{DRAGNET_COMMIT}"
DRAGNET_FOLDER = "dragnet_data"
CACHE = Path(os.environ.get("NEWSFLOW_DATA_CACHE", "~/.cache/newsflow-data")).expanduser()
MODEL_PATH = Path(__file__).resolve().parents[1] / "newsflow" / "core" / "cleaning" / MODEL_FILE
DATASET_VERSION = 8  # bump when pages, their labels or weights are built differently
FEATURES_VERSION = 11  # bump when line or title features, or the region titles train on, change
SEED_VARIABLE = "NEWSFLOW_CLEANER_SEED"


def seed_from(environ: Mapping[str, str]) -> int:
    """The boosting seed: 0, the shipped model's, unless NEWSFLOW_CLEANER_SEED (`make eval
    SEED=1`) asks for another, to see how much a retraining alone moves the figures."""
    value = environ.get(SEED_VARIABLE, "").strip() or "0"
    if not value.isdigit():
        raise SystemExit(f"{SEED_VARIABLE} must be a whole number such as 0 or 1, not {value!r}.")
    return int(value)


SEED = seed_from(os.environ)
FOLDS = 5
INNER_FOLDS = 2

# Few, larger trees: scikit-learn's prediction time grows with the number of trees, and the
# cleaner must score a page in a few milliseconds.
STAGE1: dict[str, Any] = {
    "max_iter": 80,
    "learning_rate": 0.12,
    "max_leaf_nodes": 63,
    "min_samples_leaf": 40,
    "l2_regularization": 1.0,
    "early_stopping": False,
    "random_state": SEED,
}
STAGE2: dict[str, Any] = {**STAGE1, "max_iter": 40, "max_leaf_nodes": 31}
TITLE: dict[str, Any] = {**STAGE1, "max_iter": 60, "max_leaf_nodes": 15, "min_samples_leaf": 20}
_TRIGRAM = 3
_STRONG, _WEAK = 2.0, 0.5


@dataclass
class Page:
    id: str
    source: str  # "benchmark", "dragnet" (gold body), "l3s" (gold body and title) or
    # "trafilatura" (gold snippets)
    site: str
    url: str
    lines: list[str]
    labels: npt.NDArray[np.int8]
    weights: npt.NDArray[np.float64]
    gold: str | None = None
    title: str | None = None
    must_keep: list[str] = field(default_factory=list)
    must_drop: list[str] = field(default_factory=list)
    held_out: bool = False  # a page of news-fr-raw or dragnet, evaluation sets: never trained on


def site_of(url: str) -> str:
    return urlsplit(url).netloc.lower().split(":")[0].removeprefix("www.")


def dump_lines(html: str) -> list[str]:
    """The page as the cleaner sees a scraped dump: its lines in the cleaner's normal form."""
    lines = [" ".join(normalize_unicode(line).split()) for line in html_to_lines(html)]
    return lines[:1] + [line for line in lines[1:] if line]


def label_lines(lines: list[str], gold: str) -> npt.NDArray[np.int8]:
    """1 for lines whose text is in the gold body, else 0; lines[0] (the title) is 0.

    A line of 3+ tokens is article text when most of its word trigrams are in the gold;
    a shorter one when it is in the gold and next to article lines. A text repeated on the
    page (teasers, share boxes) counts only once: the copy closest to the article's middle.
    """
    gold_tokens = tokens(gold)
    trigrams = {tuple(gold_tokens[i : i + _TRIGRAM]) for i in range(len(gold_tokens))}
    joined = f" {' '.join(gold_tokens)} "
    line_tokens = [tokens(line) for line in lines]
    labels = np.zeros(len(lines), dtype=np.int8)
    for i, toks in enumerate(line_tokens[1:], start=1):
        if len(toks) >= _TRIGRAM:
            grams = [tuple(toks[j : j + _TRIGRAM]) for j in range(len(toks) - _TRIGRAM + 1)]
            labels[i] = sum(g in trigrams for g in grams) >= len(grams) / 2
    for i, toks in enumerate(line_tokens[1:], start=1):
        if toks and len(toks) < _TRIGRAM and f" {' '.join(toks)} " in joined:
            labels[i] = labels[max(1, i - 2) : i + 3].any()
    positives = [int(i) for i in np.flatnonzero(labels)]
    if positives:
        middle = positives[len(positives) // 2]
        kept: dict[str, int] = {}
        for i in positives:
            text = " ".join(line_tokens[i])
            other = kept.get(text)
            if other is None:
                kept[text] = i
                continue
            loser = i if abs(i - middle) > abs(other - middle) else other
            labels[loser] = 0
            kept[text] = other if loser == i else i
    return labels


def _benchmark_pages(root: Path) -> list[Page]:
    truth = json.loads((root / "ground-truth.json").read_text("utf-8"))
    pages = []
    for page_id, gold in sorted(truth.items()):
        html = gzip.decompress((root / "html" / f"{page_id}.html.gz").read_bytes())
        lines = dump_lines(decode_html(html))
        body = normalize_unicode(gold["articleBody"])
        pages.append(
            Page(
                id=f"benchmark/{page_id}",
                source="benchmark",
                site=site_of(gold["url"]),
                url=gold["url"],
                lines=lines,
                labels=label_lines(lines, body),
                weights=np.ones(len(lines)),
                gold=gold["articleBody"],
            )
        )
    return pages


def _download(archive_url: str, target: Path, wanted: Callable[[str], bool], sources: str) -> None:
    """Unpack the members of a GitHub archive that `wanted` accepts (paths without the
    archive's top folder) into target, with a SOURCES.txt saying where they came from."""
    try:
        # The URLs are the https archive constants of this module.
        with urllib.request.urlopen(archive_url, timeout=300) as response:  # noqa: S310
            archive = response.read()
    except OSError as exc:
        raise SystemExit(
            f"training pages are not in {target} and could not be downloaded ({exc}): "
            f"fetch {archive_url} and unpack it into {target} as described in README "
            "'The cleaner's line model'."
        ) from exc
    target.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
        for member in tar.getmembers():
            parts = member.name.split("/", 1)
            if len(parts) == 2 and wanted(parts[1]) and member.isfile():
                member.name = parts[1]
                tar.extract(member, target, filter="data")
    digest = hashlib.sha256(archive).hexdigest()
    (target / "SOURCES.txt").write_text(
        f"{sources}archive: {archive_url}\nsha256: {digest}\n", "utf-8"
    )


def ensure_trafilatura_data(cache: Path = CACHE) -> Path:
    """trafilatura's tests/ at the pinned commit, downloaded once, with its provenance."""
    target = cache / f"trafilatura-{TRAFILATURA_COMMIT[:12]}"
    if not (target / "tests" / "evaldata.json").exists():
        _download(
            TRAFILATURA_ARCHIVE,
            target,
            lambda path: path.startswith("tests/"),
            f"repository: https://github.com/{TRAFILATURA_REPO}\ncommit: {TRAFILATURA_COMMIT}\n"
            "licence: Apache-2.0 (page contents belong to their publishers)\n",
        )
    return target


def ensure_l3s_data(cache: Path = CACHE) -> Path:
    """The L3S-GN1 pages (original and annotated HTML), downloaded once, with provenance."""
    target = cache / f"l3s-gn1-{L3S_COMMIT[:12]}"
    pages = target / "pages"
    if not (pages / "url-mapping.txt").exists():
        _download(
            L3S_ARCHIVE,
            target,
            lambda path: path.startswith(f"{L3S_FOLDER}/") and not path.endswith(".warc"),
            f"dataset: L3S-GN1 (Kohlschuetter, Fankhauser, Nejdl, WSDM 2010)\n"
            f"repository: https://github.com/{L3S_REPO}, folder {L3S_FOLDER}\n"
            f"commit: {L3S_COMMIT}\nlicence: research use only (see its Readme-L3S-GN1.txt)\n",
        )
        (target / L3S_FOLDER).rename(pages)
    return pages


def ensure_dragnet_data(cache: Path = CACHE) -> Path:
    """The dragnet pages (HTML and gold content), downloaded once, with provenance."""
    target = cache / f"dragnet-{DRAGNET_COMMIT[:12]}"
    pages = target / DRAGNET_FOLDER
    if not (pages / "GoldStandard").is_dir():
        _download(
            DRAGNET_ARCHIVE,
            target,
            lambda path: path.startswith(f"{DRAGNET_FOLDER}/"),
            "dataset: dragnet_data (Peters and Lecocq, WWW 2013; github.com/seomoz/dragnet_data)\n"
            f"copy: https://github.com/{DRAGNET_REPO}, folder {DRAGNET_FOLDER}\n"
            f"commit: {DRAGNET_COMMIT}\nlicence: see the original repository\n",
        )
    return pages


def _contains(line: str, snippet: str) -> bool:
    return bool(snippet) and snippet in line


def _trafilatura_pages(root: Path, held_out_files: set[str]) -> list[Page]:
    evaldata = json.loads((root / "tests" / "evaldata.json").read_text("utf-8"))
    pages = []
    for url, entry in sorted(evaldata.items()):
        name = entry["file"]
        path = root / "tests" / "eval" / name
        if not path.exists():
            path = root / "tests" / "cache" / name
        if not path.exists():
            continue
        html = decode_html(path.read_bytes())
        lines = dump_lines(html)
        extracted = normalize_unicode(
            trafilatura.extract(html, url=url, include_comments=False) or ""
        )
        labels = label_lines(lines, extracted)
        weights = np.full(len(lines), _WEAK)
        must_keep = [normalize_unicode(s) for s in entry.get("with", [])]
        must_drop = [normalize_unicode(s) for s in entry.get("without", [])]
        for i, line in enumerate(lines[1:], start=1):
            if any(_contains(line, s) for s in must_keep):
                labels[i], weights[i] = 1, _STRONG
            elif any(_contains(line, s) and len(s) >= len(line) / 2 for s in must_drop):
                labels[i], weights[i] = 0, _STRONG
        pages.append(
            Page(
                id=f"trafilatura/{name}",
                source="trafilatura",
                site=site_of(url),
                url=url,
                lines=lines,
                labels=labels,
                weights=weights,
                title=entry.get("title"),
                must_keep=must_keep,
                must_drop=must_drop,
                held_out=name in held_out_files,
            )
        )
    return pages


def _gold_page(
    page_id: str, source: str, site: str, url: str, lines: list[str], body: str
) -> Page | None:
    """A page whose lines are labelled from a gold body, or None: a handful of pages are too
    malformed for a dump of more than a line or two, or their gold text is not found in it,
    and there is nothing to learn or measure there."""
    labels = label_lines(lines, body)
    if len(lines) < 5 or not labels.any():
        return None
    return Page(
        id=page_id,
        source=source,
        site=site,
        url=url,
        lines=lines,
        labels=labels,
        weights=np.ones(len(lines)),
        gold=body,
    )


def _page_url(tree: Any) -> str:
    """The page's own address when it gives one (canonical link or og:url), else ""."""
    url = str(
        tree.xpath(
            'string((//link[@rel="canonical"]/@href | //meta[@property="og:url"]/@content)[1])'
        )
    ).strip()
    return url if url.startswith(("http://", "https://")) else ""


def _link_site(tree: Any) -> str:
    """The host most of the page's absolute links point to: the site, for grouping pages."""
    hosts = Counter(site_of(h) for h in tree.xpath("//a/@href") if h.startswith("http"))
    return hosts.most_common(1)[0][0] if hosts else ""


# dragnet's gold content ends its article part with this line; comments follow.
_COMMENTS = re.compile(r"^!@#\$%\^&\*+\(\)\s*COMMENTS", re.MULTILINE)


def _dragnet_pages(root: Path) -> list[Page]:
    """Pages of dragnet_data, for evaluation only (held_out): the content before its
    comments is the gold body. Its first short lines repeat the headline (and often a byline
    or date): lines of the gold that repeat the <title>'s words are left out, as the other
    sets' gold bodies leave out the headline."""
    pages = []
    for path in sorted((root / "input").glob("*.html"), key=lambda p: p.stem):
        gold_path = root / "GoldStandard" / f"{path.stem}.txt"
        if not gold_path.exists():
            continue
        raw = gold_path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
        text = _COMMENTS.split(text, maxsplit=1)[0]
        html = decode_html(path.read_bytes())
        try:
            tree = lxml.html.fromstring(html)
        except (lxml.etree.ParserError, ValueError):
            continue
        url = _page_url(tree)
        site = site_of(url) if url else _link_site(tree) or f"dragnet-{path.stem}"
        lines = dump_lines(html)
        title_words = f" {' '.join(tokens(lines[0]))} " if lines else "  "
        kept = [
            line
            for line in normalize_unicode(text).splitlines()
            if line.strip() and f" {' '.join(tokens(line))} " not in title_words
        ]
        body = "\n".join(" ".join(line.split()) for line in kept)
        page = _gold_page(
            f"dragnet/{path.stem}", "dragnet", site, url or f"http://{site}/", lines, body
        )
        if page is not None:
            page.held_out = True
            pages.append(page)
    return pages


_L3S_CLASS = 'contains(concat(" ", @class, " "), " x-nc-sel{} ")'


def _l3s_pages(root: Path) -> list[Page]:
    """Pages of L3S-GN1: the dump of the page as crawled, labelled from the blocks the
    assessors marked as full text (class x-nc-sel2 in the annotated copy); the headline
    blocks (x-nc-sel1) are the gold title."""
    urls = dict(
        line.split("\t", 1)
        for line in (root / "url-mapping.txt").read_text("utf-8").splitlines()
        if "\t" in line
    )
    pages = []
    for path in sorted((root / "original").glob("*.html")):
        url = urls.get(f"<urn:uuid:{path.stem}>")
        annotated = root / "annotated" / path.name
        if url is None or not annotated.exists():
            continue
        tree = lxml.html.fromstring(decode_html(annotated.read_bytes()))

        def marked(kind: int, tree: Any = tree) -> list[str]:
            # The annotated copy nests marked spans in marked spans (on 148 of its 621
            # pages). Only the outermost ones hold each marked text once: taking every span
            # repeats an inner one's text in the gold as many times as it is nested.
            selected = _L3S_CLASS.format(kind)
            return [
                " ".join(e.text_content().split())
                for e in tree.xpath(f"//span[{selected}][not(ancestor::span[{selected}])]")
            ]

        body = normalize_unicode("\n".join(text for text in marked(2) if text))
        headline = normalize_unicode(" ".join(text for text in marked(1) if text))
        lines = dump_lines(decode_html(path.read_bytes()))
        page = _gold_page(f"l3s/{path.stem}", "l3s", site_of(url.strip()), url.strip(), lines, body)
        if page is not None:
            page.title = headline or None
            pages.append(page)
    return pages


def _news_fr_raw_files(data: Path) -> set[str]:
    manifest = data / "news-fr-raw" / "manifest.json"
    if not manifest.exists():
        return set()
    return {
        Path(entry["path"]).name
        for entry in json.loads(manifest.read_text("utf-8"))
        if entry.get("role") == "html"
    }


def dataset(data: Path, cache: Path = CACHE) -> list[Page]:
    """Every training page (built once, then read from the cache)."""
    benchmark = data / "article-extraction-benchmark"
    if not (benchmark / "ground-truth.json").exists():
        raise SystemExit(
            f"the article-extraction-benchmark pages are missing from {benchmark}: pass "
            "--data with the folder holding article-extraction-benchmark/ and news-fr-raw/."
        )
    root = ensure_trafilatura_data(cache)
    l3s = ensure_l3s_data(cache)
    dragnet = ensure_dragnet_data(cache)
    commits = "-".join(c[:12] for c in (TRAFILATURA_COMMIT, L3S_COMMIT, DRAGNET_COMMIT))
    path = cache / "cleaner" / f"pages-v{DATASET_VERSION}-{commits}.pkl.gz"
    if path.exists():
        with gzip.open(path, "rb") as fh:
            pages: list[Page] = pickle.load(fh)  # noqa: S301 (our own cache file)
        return pages
    pages = (
        _benchmark_pages(benchmark)
        + _l3s_pages(l3s)
        + _dragnet_pages(dragnet)
        + _trafilatura_pages(root, _news_fr_raw_files(data))
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wb") as fh:
        pickle.dump(pages, fh, protocol=pickle.HIGHEST_PROTOCOL)
    return pages


# --------------------------------------------------------------------------- the model


def _boosting(params: dict[str, Any]) -> HistGradientBoostingClassifier:
    return HistGradientBoostingClassifier(**params)


def fit(pages: list[Page], features: dict[str, Matrix]) -> LineModel:
    """The two stages on these pages, then the title model.

    Stage 2 learns from out-of-fold stage-1 probabilities, and the title model from
    out-of-fold stage-2 probabilities (inner group k-fold by site): what each sees of the
    stage before it is what it will see on pages it was not trained on."""
    x = np.vstack([features[p.id] for p in pages])
    y = np.concatenate([p.labels for p in pages])
    w = np.concatenate([p.weights for p in pages])
    first: dict[str, npt.NDArray[np.float64]] = {}
    second: dict[str, npt.NDArray[np.float64]] = {}
    splitter = GroupKFold(n_splits=INNER_FOLDS)
    splits = list(splitter.split(np.zeros((len(pages), 1)), groups=[p.site for p in pages]))
    for train, test in splits:
        model = _boosting(STAGE1).fit(
            np.vstack([features[pages[i].id] for i in train]),
            np.concatenate([pages[i].labels for i in train]),
            sample_weight=np.concatenate([pages[i].weights for i in train]),
        )
        for i in test:
            first[pages[i].id] = model.predict_proba(features[pages[i].id])[:, 1]
    for train, test in splits:
        model = _boosting(STAGE2).fit(
            np.vstack([stage2_features(first[pages[i].id], features[pages[i].id]) for i in train]),
            np.concatenate([pages[i].labels for i in train]),
            sample_weight=np.concatenate([pages[i].weights for i in train]),
        )
        for i in test:
            x2_page = stage2_features(first[pages[i].id], features[pages[i].id])
            second[pages[i].id] = model.predict_proba(x2_page)[:, 1]
    stage1 = _boosting(STAGE1).fit(x, y, sample_weight=w)
    x2 = np.vstack([stage2_features(first[p.id], features[p.id]) for p in pages])
    stage2 = _boosting(STAGE2).fit(x2, y, sample_weight=w)
    title = fit_title([p for p in pages if p.title], features, second)
    # The region parameters are fixed, not tuned: choosing them on ~150 benchmark pages
    # per fold proved noisier than the defaults.
    return LineModel(tree_ensemble(stage1), tree_ensemble(stage2), RegionParams(), title)


def title_rows(
    page: Page, features: Matrix, probabilities: npt.NDArray[np.float64]
) -> tuple[Matrix, npt.NDArray[np.int8]]:
    """The page's title candidates as the cleaner builds them, labelled 1 where the
    candidate is the gold title (same words, case and punctuation aside)."""
    lines = page.lines
    keys = [" ".join(tokens(line)) for line in lines]
    host = title_host(page.url)
    chosen = select_article(lines, probabilities, RegionParams(), headline_line(lines, host, keys))
    candidates = title_candidates(lines, keys, features, probabilities, chosen, host)
    gold = " ".join(tokens(page.title or ""))
    labels = np.array([" ".join(tokens(t)) == gold for t in candidates.texts], dtype=np.int8)
    return candidates.features, labels


def fit_title(
    pages: list[Page], features: dict[str, Matrix], probabilities: dict[str, Matrix]
) -> TreeEnsemble:
    rows = [title_rows(p, features[p.id], probabilities[p.id]) for p in pages]
    x = np.vstack([r[0] for r in rows])
    y = np.concatenate([r[1] for r in rows])
    # Every page weighs the same, however many candidates it has.
    w = np.concatenate([np.full(len(r[1]), 1.0 / max(len(r[1]), 1)) for r in rows])
    return tree_ensemble(_boosting(TITLE).fit(x, y, sample_weight=w * len(rows) / w.sum()))


def _exported(stage: Any) -> Any:
    return stage if isinstance(stage, TreeEnsemble) else tree_ensemble(stage)


def tree_ensemble(classifier: HistGradientBoostingClassifier) -> TreeEnsemble:
    """A fitted binary classifier's trees as the arrays the cleaner predicts with.

    scikit-learn keeps each tree as a structured array of nodes (`_predictors`); its raw
    prediction is the baseline plus one leaf value per tree, as `TreeEnsemble.raw` computes."""
    if list(classifier.classes_) != [0, 1] or any(
        tree.nodes["is_categorical"].any() for (tree,) in classifier._predictors
    ):
        raise ValueError("only binary classifiers over numerical features can be exported")
    trees = [tree.nodes for (tree,) in classifier._predictors]
    sizes = [len(nodes) for nodes in trees]
    roots = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int32)
    nodes = np.concatenate(trees)
    shift = np.repeat(roots, sizes)
    leaf = nodes["is_leaf"].astype(bool)
    return TreeEnsemble(
        feature=nodes["feature_idx"].astype(np.int32),
        threshold=nodes["num_threshold"].astype(np.float64),
        missing_left=nodes["missing_go_to_left"].astype(bool),
        # Leaves' child indexes are 0 in scikit-learn; they are never followed.
        left=np.where(leaf, 0, nodes["left"] + shift).astype(np.int32),
        right=np.where(leaf, 0, nodes["right"] + shift).astype(np.int32),
        leaf=leaf,
        value=nodes["value"].astype(np.float64),
        roots=roots,
        baseline=float(np.ravel(classifier._baseline_prediction)[0]),
    )


def site_folds(pages: Iterable[Page], sites: Iterable[str], folds: int) -> dict[str, int]:
    """Each site's fold (group k-fold by site), stable for a given set of sites."""
    names = sorted({p.site for p in pages} | set(sites))
    # Round-robin over a hash order: deterministic, balanced, independent of page order.
    ranked = sorted(names, key=lambda s: hashlib.sha256(s.encode()).hexdigest())
    return {site: i % folds for i, site in enumerate(ranked)}


@dataclass
class FoldModels:
    """Models that each saw no page of the sites in their fold, for honest evaluation."""

    folds: dict[str, int]  # site -> fold
    models: list[LineModel]
    train_pages: list[int]
    train_lines: list[int]
    probabilities: dict[str, npt.NDArray[np.float64]]  # page id -> held-out P(article) per line

    def for_site(self, site: str) -> LineModel | None:
        fold = self.folds.get(site)
        return None if fold is None else self.models[fold]


def fingerprint() -> str:
    text = json.dumps(
        [
            DATASET_VERSION,
            FEATURES_VERSION,
            TRAFILATURA_COMMIT,
            L3S_COMMIT,
            DRAGNET_COMMIT,
            FEATURE_NAMES,
            STAGE1,
            STAGE2,
            TITLE,
            TITLE_FEATURE_NAMES,
            FOLDS,
            INNER_FOLDS,
        ],
        sort_keys=True,
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def fold_models(
    pages: list[Page],
    features: dict[str, Matrix],
    extra_sites: Iterable[str] = (),
    cache: Path = CACHE,
    log: bool = True,
) -> FoldModels:
    """Group k-fold by site over the training pages (cached under ~/.cache by fingerprint)."""
    path = cache / "cleaner" / f"folds-{fingerprint()}.pkl"
    if path.exists():
        with path.open("rb") as fh:
            cached: FoldModels = pickle.load(fh)  # noqa: S301 (our own cache file)
        if set(extra_sites) <= set(cached.folds):
            # Models cached before the cleaner predicted from exported trees: export them, so
            # that the evaluation times the predictor the cleaner runs.
            cached.models = [
                LineModel(_exported(m.stage1), _exported(m.stage2), m.region, m.title)
                for m in cached.models
            ]
            return cached
    folds = site_folds(pages, extra_sites, FOLDS)
    models, sizes, lines = [], [], []
    for k in range(FOLDS):
        train = [p for p in pages if folds[p.site] != k and not p.held_out]
        started = time.monotonic()
        model = fit(train, features)
        models.append(model)
        sizes.append(len(train))
        lines.append(sum(len(p.lines) for p in train))
        if log:
            print(
                f"fold {k}: trained on {len(train)} pages ({lines[-1]} lines) "
                f"in {time.monotonic() - started:.0f}s",
                file=sys.stderr,
            )
    probabilities = {p.id: models[folds[p.site]].probabilities(p.lines) for p in pages}
    result = FoldModels(folds, models, sizes, lines, probabilities)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        pickle.dump(result, fh, protocol=pickle.HIGHEST_PROTOCOL)
    return result


def page_features(pages: list[Page]) -> dict[str, Matrix]:
    return {p.id: line_features(p.lines) for p in pages}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newsflow_dev.train_cleaner")
    parser.add_argument("--data", type=Path, default=Path("../shared/eval"))
    parser.add_argument("--output", type=Path, default=MODEL_PATH)
    args = parser.parse_args(argv)
    started = time.monotonic()
    pages = dataset(args.data)
    trainable = [p for p in pages if not p.held_out]
    print(
        f"pages: {len(pages)} ({sum(p.source == 'benchmark' for p in pages)} benchmark, "
        f"{sum(p.source == 'l3s' for p in pages)} L3S-GN1, "
        f"{sum(p.source == 'trafilatura' for p in pages)} trafilatura, "
        f"{sum(p.source == 'dragnet' for p in pages)} dragnet; "
        f"{len(pages) - len(trainable)} pages of news-fr-raw and dragnet never trained on)",
        file=sys.stderr,
    )
    features = page_features(pages)
    fold_models(pages, features)  # cached under ~/.cache for `make eval`
    model = fit(trainable, features)
    data = model.to_bytes()
    args.output.write_bytes(data)
    print(
        f"wrote {args.output} ({len(data) / 1e6:.2f} MB, seed {SEED}) "
        f"in {time.monotonic() - started:.0f}s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    # Run as the imported module, so that cached objects pickle under its real name.
    from newsflow_dev.train_cleaner import main as module_main

    raise SystemExit(module_main())
