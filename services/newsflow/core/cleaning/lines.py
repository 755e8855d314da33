"""Which lines of a text dump are the article: a learned two-stage line model and region choice.

Stage 1 scores each line from its own features and those of its neighbourhood
(`features.line_features`); stage 2 rescores it from the stage-1 probabilities of the lines
around it, which is how an article's edges and its short lines (subheadings, one-line
paragraphs) are recovered. Both are scikit-learn gradient-boosted trees trained by
`make train-cleaner` (newsflow_dev.train_cleaner) and shipped as package data.

The article is then the best-scoring region of lines, short gaps allowed (`best_region`).
A third ensemble, trained with them, chooses the title among candidate lines
(`titles.learned_title`).
"""

from __future__ import annotations

import functools
import io
import math
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

from newsflow.core.cleaning.features import FEATURE_NAMES, Matrix, line_features, stage2_features
from newsflow.core.cleaning.text import TOKEN
from newsflow.core.cleaning.titles import TITLE_FEATURE_NAMES
from newsflow.core.cleaning.trees import Classifier, TreeEnsemble

MODEL_FILE = "dump_lines.npz"
_EPSILON = 1e-4
_MAX_EVIDENCE = 4.0
_EDGE_PROBABILITY = 0.3
_EDGE_TOKENS = 12
# A region starting at most ANCHOR_LINES under the line repeating the <title> wins when it
# scores at least ANCHOR_SHARE of the page's best region (`_anchored_region`).
ANCHOR_LINES = 6
ANCHOR_SHARE = 0.25
# Further regions join the article when each scores at least FURTHER_SHARE of its main region
# (`_further_regions`); at most MAX_FURTHER of them.
FURTHER_SHARE = 0.3
MAX_FURTHER = 3
MODEL_FORMAT = 2
# Zip entries get this date, so that one model always gives the same bytes.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class RegionParams:
    """How lines' probabilities become one article region.

    threshold: probability from which a line pulls a region up; max_gap: weak lines a region
    may span in a row (a caption, an advertisement); keep: inside the region, the probability
    from which a line is kept.
    """

    threshold: float = 0.5
    max_gap: int = 20
    keep: float = 0.5


@dataclass(frozen=True)
class LineModel:
    stage1: Classifier
    stage2: Classifier
    region: RegionParams
    title: Classifier | None = None  # over titles.TITLE_FEATURE_NAMES; None: hand-written rules

    def scores(
        self, lines: list[str], line_tokens: list[list[str]] | None = None
    ) -> tuple[Matrix, npt.NDArray[np.float64]]:
        """The lines' features and P(article) for each line; lines[0] is the page's title
        line. line_tokens: each line's `text.tokens`, when the caller has them already."""
        if not lines:
            return np.zeros((0, len(FEATURE_NAMES))), np.zeros(0)
        features = line_features(lines, line_tokens)
        first = self.stage1.predict_proba(features)[:, 1]
        second = self.stage2.predict_proba(stage2_features(first, features))[:, 1]
        return features, np.asarray(second)

    def probabilities(
        self, lines: list[str], line_tokens: list[list[str]] | None = None
    ) -> npt.NDArray[np.float64]:
        """P(article) for each line (see `scores`)."""
        return self.scores(lines, line_tokens)[1]

    def to_bytes(self) -> bytes:
        """An .npz archive of plain arrays (no pickle): the two stages' trees, the region
        parameters, the feature names and the format."""
        arrays: dict[str, npt.NDArray[Any]] = {
            "format": np.array(MODEL_FORMAT),
            "features": np.array(FEATURE_NAMES),
            "region": np.array(
                [self.region.threshold, self.region.max_gap, self.region.keep], dtype=np.float64
            ),
        }
        stages = [("stage1", self.stage1), ("stage2", self.stage2)]
        if self.title is not None:
            arrays["title_features"] = np.array(TITLE_FEATURE_NAMES)
            stages.append(("title", self.title))
        for name, stage in stages:
            if not isinstance(stage, TreeEnsemble):
                raise TypeError(f"{name} must be a TreeEnsemble to be saved, not {type(stage)}")
            arrays.update(stage.arrays(name))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, array in arrays.items():
                info = zipfile.ZipInfo(f"{name}.npy", date_time=_ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                with archive.open(info, "w") as entry:
                    contiguous = np.asarray(array, order="C")  # 0-d arrays stay 0-d
                    np.lib.format.write_array(entry, contiguous, allow_pickle=False)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> LineModel:
        refused = ValueError(
            "the dump line model does not match this version's features: run `make train-cleaner`"
        )
        try:
            archive = np.load(io.BytesIO(data), allow_pickle=False)
        except (ValueError, OSError, zipfile.BadZipFile) as exc:
            raise refused from exc
        with archive:
            if "format" not in archive.files or int(archive["format"]) != MODEL_FORMAT:
                raise refused
            if tuple(str(name) for name in archive["features"]) != FEATURE_NAMES:
                raise refused
            threshold, max_gap, keep = (float(v) for v in archive["region"])
            arrays = {name: archive[name] for name in archive.files}
        stages = [TreeEnsemble.from_arrays(arrays, name) for name in ("stage1", "stage2")]
        title = None
        if "title_features" in arrays:
            if tuple(str(name) for name in arrays["title_features"]) != TITLE_FEATURE_NAMES:
                raise refused
            title = TreeEnsemble.from_arrays(arrays, "title")
        return cls(stages[0], stages[1], RegionParams(threshold, int(max_gap), keep), title)


@functools.cache
def default_model() -> LineModel:
    """The shipped model, read once per process."""
    data = resources.files("newsflow.core.cleaning").joinpath(MODEL_FILE).read_bytes()
    return LineModel.from_bytes(data)


def token_counts(
    lines: list[str], line_tokens: list[list[str]] | None = None
) -> npt.NDArray[np.float64]:
    """How many tokens each line holds, as written.

    line_tokens: each line's `text.tokens` (of its casefolded text), when the caller has them:
    casefolding an ASCII line changes none of its tokens, so those are counted instead of
    tokenising the line again."""
    if line_tokens is None:
        return np.array([len(TOKEN.findall(line)) for line in lines], dtype=np.float64)
    return np.array(
        [
            len(known) if line.isascii() else len(TOKEN.findall(line))
            for line, known in zip(lines, line_tokens, strict=True)
        ],
        dtype=np.float64,
    )


def _line_scores(
    probabilities: npt.NDArray[np.float64],
    tokens: npt.NDArray[np.float64],
    params: RegionParams,
) -> Matrix:
    """Each line's score in a region (see `best_region`)."""
    # Log-odds, not probabilities: a line at 0.97 is far stronger evidence than one at 0.75,
    # which is what lets a few confident article lines beat many middling teaser lines.
    clipped = np.clip(probabilities, _EPSILON, 1 - _EPSILON)
    evidence = np.log(clipped / (1 - clipped)) - math.log(params.threshold / (1 - params.threshold))
    # Weighed by tokens, not by their logarithm: an article that a scraper wrote as one long
    # line must outweigh a form or a consent notice of many short middling lines. (On held-out
    # folds, weights of tokens^0.85 to tokens^1.2 scored alike and above log(1 + tokens).)
    scores: Matrix = np.clip(evidence, -_MAX_EVIDENCE, _MAX_EVIDENCE) * tokens
    return scores


def best_region(
    probabilities: npt.NDArray[np.float64],
    tokens: npt.NDArray[np.float64],
    params: RegionParams,
) -> tuple[int, int] | None:
    """The highest-scoring run of lines (lines[0], the title line, excluded), or None.

    A line scores (logit(p) - logit(threshold)) * tokens: prose weighs more than menu items,
    and a long sidebar of middling lines loses to a shorter run of lines that read like an
    article.
    More than max_gap weak lines in a row end a run.
    """
    scores = _line_scores(probabilities, tokens, params).tolist()
    # Python floats: the loop reads one number at a time, which numpy scalars make slow.
    weak = (probabilities < params.threshold).tolist()
    empty = (tokens == 0).tolist()
    best, span = 0.0, None
    run, start, gap = 0.0, 0, 0
    for i in range(1, len(probabilities)):
        if empty[i]:
            continue
        if run <= 0:
            run, start, gap = 0.0, i, 0
        gap = gap + 1 if weak[i] else 0
        if gap > params.max_gap:
            run, gap = 0.0, 0
            continue
        run += scores[i]
        if run > best:
            best, span = run, (start, i)
    return span


def _anchored_region(
    probabilities: npt.NDArray[np.float64],
    tokens: npt.NDArray[np.float64],
    params: RegionParams,
    span: tuple[int, int] | None,
    headline: int,
) -> tuple[int, int] | None:
    """The best region starting just under the headline, when it scores at least
    ANCHOR_SHARE of the page's best region: a short article under its headline beats a
    longer run of teasers (headline and summary glued into one prose-like line) elsewhere.

    When the headline lies inside the best region (teaser blocks above it, bridged to the
    article by gaps shorter than max_gap), the rival is the part of that region above the
    headline."""
    if span is not None and headline < span[0] <= headline + ANCHOR_LINES:
        return span
    below = best_region(probabilities[headline:], tokens[headline:], params)
    if below is None or below[0] > ANCHOR_LINES:
        return span
    anchored = (below[0] + headline, below[1] + headline)
    if span is None:
        return anchored
    scores = _line_scores(probabilities, tokens, params)
    end = headline if span[0] < headline <= span[1] else span[1] + 1
    rival = float(scores[span[0] : end].sum())
    own = float(scores[anchored[0] : anchored[1] + 1].sum())
    return anchored if own >= ANCHOR_SHARE * rival else span


def _above_comments(
    probabilities: npt.NDArray[np.float64],
    tokens: npt.NDArray[np.float64],
    params: RegionParams,
    span: tuple[int, int],
    headline: int,
    comment_headings: Sequence[int],
) -> tuple[int, int]:
    """The best region between the headline and a comment heading standing above span, or
    span when there is none (see `article_lines`)."""
    ahead = [m for m in comment_headings if headline < m < span[0]]
    if not ahead:
        return span
    above = best_region(probabilities[headline : ahead[0]], tokens[headline : ahead[0]], params)
    return span if above is None else (above[0] + headline, above[1] + headline)


def article_lines(
    probabilities: npt.NDArray[np.float64],
    tokens: npt.NDArray[np.float64],
    params: RegionParams,
    headline: int | None = None,
    comments: Sequence[int] = (),
    comment_headings: Sequence[int] = (),
) -> list[int]:
    """Indexes of the article's lines: the best region's lines that are likely enough, and
    those of further regions scoring at least FURTHER_SHARE of it (`_further_regions`).

    headline: the index of the line that repeats the page's <title>, when one does (see
    `_anchored_region`). When no line reaches the threshold (an unusual page), the threshold is
    lowered to half the best line's probability so that the page's most article-like region
    still comes out.

    comments: the indexes of the lines that open comments, in order; comment_headings: those of
    them that carry no count ("Comments", not "12 comments", which is also the link under a
    byline). Comments follow the article, so no further region is taken after the first opener
    below the main region (a thread of long replies otherwise joins a short article); and when
    a comment heading stands between the headline and the best region, that region is the
    thread, and the article is the best region between the headline and the heading, when
    there is one (a blog's one-paragraph post above its discussion).
    """
    span = best = best_region(probabilities, tokens, params)
    if headline is not None:
        span = _anchored_region(probabilities, tokens, params, span, headline)
        if span is not None:
            span = _above_comments(probabilities, tokens, params, span, headline, comment_headings)
    if span is None and len(probabilities) > 1:
        lowered = float(probabilities[1:].max()) / 2
        params = RegionParams(lowered, params.max_gap, min(params.keep, lowered))
        span = best = best_region(probabilities, tokens, params)
    if span is None:
        return []
    first, last = _prose_edges(probabilities, tokens, span)
    inside = [i for i in range(span[0], span[1] + 1) if probabilities[i] >= params.keep]
    chosen = [*range(first, span[0]), *inside, *range(span[1] + 1, last + 1)]
    # Not when the region under the headline was preferred to the page's best: that region
    # (teasers) would come back as a further one.
    below = [m for m in comments if m > span[1]]
    further = (
        _further_regions(probabilities, tokens, params, span, below[0] if below else len(tokens))
        if span == best
        else []
    )
    for other in further:
        chosen += [i for i in range(other[0], other[1] + 1) if probabilities[i] >= params.keep]
    return sorted(set(chosen))


def _further_regions(
    probabilities: npt.NDArray[np.float64],
    tokens: npt.NDArray[np.float64],
    params: RegionParams,
    span: tuple[int, int],
    end: int,
) -> list[tuple[int, int]]:
    """The next best regions, each scoring at least FURTHER_SHARE of the main one: the rest of
    an article that a block of furniture longer than max_gap, or one heavy enough to bring a
    run's score to nothing (a gallery, a read-also box, an advertisement), cut in two. None
    from line end on (where comments open), and none without a line of prose (`_holds_prose`).

    Each region taken becomes a barrier (improbable lines of more tokens than any run holds)
    before the next is looked for, so regions never overlap nor span one another.
    """
    scores = _line_scores(probabilities, tokens, params)
    main = float(scores[span[0] : span[1] + 1].sum())
    masked, weights = probabilities.copy(), tokens.copy()
    barrier = float(tokens.sum()) + 1.0
    found: list[tuple[int, int]] = []
    masked[end:] = 0.0
    weights[end:] = barrier
    taken = span
    for _ in range(MAX_FURTHER):
        masked[taken[0] : taken[1] + 1] = 0.0
        weights[taken[0] : taken[1] + 1] = barrier
        other = best_region(masked, weights, params)
        if other is None or float(scores[other[0] : other[1] + 1].sum()) < FURTHER_SHARE * main:
            break
        taken = other
        if _holds_prose(probabilities, tokens, other, params.keep):
            found.append(other)
    return found


def _holds_prose(
    probabilities: npt.NDArray[np.float64],
    tokens: npt.NDArray[np.float64],
    span: tuple[int, int],
    keep: float,
) -> bool:
    """Whether a line of the span that would be kept is a sentence's length (_EDGE_TOKENS
    tokens): the rest of an article holds one, while a blog's archive ("Novembro (113)") or a
    tag cloud, a long run of short lines each scored just above the threshold, does not."""
    first, last = span
    held = (probabilities[first : last + 1] >= keep) & (tokens[first : last + 1] >= _EDGE_TOKENS)
    return bool(held.any())


def _prose_edges(
    probabilities: npt.NDArray[np.float64],
    tokens: npt.NDArray[np.float64],
    span: tuple[int, int],
) -> tuple[int, int]:
    """The region widened over adjacent long lines the model half believes in: leads under
    the headline and closing paragraphs sit at the edges, where stage 2 sees weaker
    neighbours."""
    first, last = span

    def prose(i: int) -> bool:
        return bool(probabilities[i] >= _EDGE_PROBABILITY and tokens[i] >= _EDGE_TOKENS)

    while first > 1 and prose(first - 1):
        first -= 1
    while last + 1 < len(probabilities) and prose(last + 1):
        last += 1
    return first, last
