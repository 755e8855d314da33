"""Features of each line of a text dump, for the learned line classifier.

In the spirit of boilerpipe's shallow text features and jusText: length, punctuation,
capitalisation, link-like tokens, stop-word density, position, similarity to the page title,
and above all the density of the text *around* a line (windows of ±2, ±5 and ±10 lines):
an article is a run of long, punctuated, stop-word-rich lines; menus and footers are runs of
short ones.

Stop words: the page's language is guessed as the jusText stoplist (about 100 languages) that
covers most of its running text. Pages in other languages (Chinese, Japanese, ...) still get a
language-independent proxy: the share of the page's own most frequent short tokens.
"""

from __future__ import annotations

import functools
import heapq
import math
import re
from collections import Counter

import justext
import numpy as np
import numpy.typing as npt

from newsflow.core.cleaning.text import TOKEN, UNSPACED_CHAR

Matrix = npt.NDArray[np.float64]

# Matched over the whole page at once (lines joined by newlines), hence MULTILINE and [^\S\n].
_SENTENCE_END = re.compile(r"[.!?。！？…»\"')\]][^\S\n]*$", re.M)
_LINKY = re.compile(
    r"https?://|www\.|\S@\S|(?:^|[^\S\n])[@#]\w|\.(?:com|org|net|fr|de)\b", re.I | re.M
)
_CLOCK = re.compile(r"^[^\S\n]*\d{1,2}[:h.]\d{2}\b", re.M)
_DATE = re.compile(r"\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b|\b(?:19|20)\d{2}\b")
_BULLET = re.compile(r"^[^\S\n]*[-–—•·*►▶>+]", re.M)
_QUOTE = re.compile(r"[«»\"„]")
_COPYRIGHT = re.compile(r"©|\(c\)", re.I)
_COLON_END = re.compile(r"[:：]$", re.M)
_TIME_OF_DAY = re.compile(r"\b\d{1,2}[:h]\d{2}\b")
_TITLE_SPLIT = re.compile(r"\s+[|–—\-:·•/»]\s+|\s+[|–—»]\s*|\s*[|–—»]\s+")
_MIN_PROSE_TOKENS = 5
_MIN_STOP_COVERAGE = 0.1

BASE_NAMES = (
    "log_chars",
    "log_tokens",
    "mean_token_length",
    "ends_sentence",
    "sentence_punct_rate",
    "comma_rate",
    "digit_share",
    "upper_share",
    "capitalised_share",
    "stop_density",
    "frequent_density",
    "linky",
    "separators",
    "unspaced_share",
    "rel_position",
    "log_from_start",
    "log_to_end",
    "title_jaccard",
    "in_title_share",
    "title_part_equal",
    "repeats",
    "clock",
    "date",
    "bullet",
    "copyright",
    "rel_tokens",
    "letter_share",
    "ends_colon",
    "all_caps",
    "starts_lower",
    "quotes",
    "long_line",
    "time_of_day",
    "from_headline",
    "after_headline",
    "token_mass_before",
)
_WINDOWS = (2, 5, 10)
_DENSITY = (
    "log_tokens",
    "ends_sentence",
    "stop_density",
    "frequent_density",
    "long_line",
    "linky",
    "separators",
    "comma_rate",
    "date",
    "time_of_day",
)
_NEIGHBOURS = ("log_tokens", "ends_sentence", "frequent_density", "stop_density", "separators")
_PAGE = ("page_log_lines", "page_stop_coverage", "page_unspaced", "page_log_max_tokens")
_STAGE2_BASE = (
    "log_tokens",
    "ends_sentence",
    "rel_position",
    "title_jaccard",
    "title_part_equal",
    "frequent_density",
    "stop_density",
    "linky",
    "repeats",
)
FEATURE_NAMES = (
    *BASE_NAMES,
    *(f"window{r}_{name}" for r in _WINDOWS for name in _DENSITY),
    *(f"line{by:+d}_{name}" for by in (-2, -1, 1, 2) for name in _NEIGHBOURS),
    *_PAGE,
)


@functools.cache
def _stoplists() -> tuple[npt.NDArray[np.int64], npt.NDArray[np.intp], npt.NDArray[np.uint8]]:
    """Every jusText stop word -> the numbers of the stoplists (languages) holding it, read once
    per process: `languages[starts[i]:starts[i + 1]]` for the word whose hash is `hashes[i]`.

    Hashes rather than the words: the 154,000 words of the 100 stoplists take some 25 MB as
    Python strings and tuples, these arrays 3 MB. A page only ever asks about its own words,
    and a 64-bit collision between one of them and a stop word is negligible.
    """
    hashes, numbers = [], []
    for number, language in enumerate(sorted(justext.get_stoplists())):
        words = {word.casefold() for word in justext.get_stoplist(language)}
        hashes.append(np.fromiter(map(hash, words), dtype=np.int64, count=len(words)))
        numbers.append(np.full(len(words), number, dtype=np.uint8))
    every_hash, every_number = np.concatenate(hashes), np.concatenate(numbers)
    order = np.lexsort((every_number, every_hash))
    unique, starts = np.unique(every_hash[order], return_index=True)
    return unique, np.append(starts, len(order)), every_number[order]


def page_stopwords(line_tokens: list[list[str]]) -> tuple[frozenset[str], float]:
    """The page's words in the stoplist covering most of its running text, and that coverage.

    The stoplist is chosen on the lines long enough to be prose (`line_tokens[0]`, the title
    line, left out); the words returned are every word of the page, title included, that the
    stoplist holds. An empty set when no stoplist covers a tenth of the prose (a language
    jusText does not know): the features then rely on the language-independent proxy alone.
    """
    prose: Counter[str] = Counter()
    for toks in line_tokens[1:]:
        if len(toks) >= _MIN_PROSE_TOKENS:  # menus say little about the language
            prose.update(toks)
    vocabulary = list({word for toks in line_tokens for word in toks})
    counts = np.fromiter((prose[w] for w in vocabulary), dtype=np.float64, count=len(vocabulary))
    hashes, starts, languages = _stoplists()
    wanted = np.fromiter(map(hash, vocabulary), dtype=np.int64, count=len(vocabulary))
    at = np.minimum(np.searchsorted(hashes, wanted), len(hashes) - 1)
    found = np.flatnonzero(hashes[at] == wanted)
    # One entry per (page word, stoplist holding it).
    first, sizes = starts[at[found]], starts[at[found] + 1] - starts[at[found]]
    entry_word = np.repeat(found, sizes)
    entry = np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes - first, sizes)
    entry_language = languages[entry]
    hits = np.bincount(entry_language, weights=counts[entry_word], minlength=1)
    total = counts.sum()
    if not total or not hits.max():
        return frozenset(), 0.0
    language = int(np.argmax(hits))  # the first of equals: the lowest stoplist number
    coverage = float(hits[language] / total)
    if coverage < _MIN_STOP_COVERAGE:
        return frozenset(), coverage
    return frozenset(vocabulary[i] for i in entry_word[entry_language == language]), coverage


def _frequent_words(line_tokens: list[list[str]], size: int = 40) -> frozenset[str]:
    """The page's most frequent short tokens in its longer lines: a stoplist for any language."""
    counts: Counter[str] = Counter()
    for toks in line_tokens:
        if len(toks) >= 8:
            counts.update(t for t in toks if len(t) <= 4 and not t.isdigit())
    ranked = heapq.nlargest(size, counts.items(), key=lambda item: (item[1], item[0]))
    return frozenset(word for word, _ in ranked)


def title_parts(title: str) -> list[str]:
    """A <title>'s parts around " | ", " - ", " — " ... ("Headline - Site" -> both parts)."""
    return [part.strip() for part in _TITLE_SPLIT.split(title) if part and part.strip()]


def windowed_mean(values: Matrix, radius: int) -> Matrix:
    """Mean of values over lines i - radius .. i + radius, clipped at the page's edges."""
    n = len(values)
    sums = np.concatenate([[0.0], np.cumsum(values)])
    index = np.arange(n)
    low = np.clip(index - radius, 0, n)
    high = np.clip(index + radius + 1, 0, n)
    result: Matrix = (sums[high] - sums[low]) / np.maximum(high - low, 1)
    return result


def shifted(values: Matrix, by: int, fill: float) -> Matrix:
    """values[i - by] at line i (the line `by` above when by > 0), fill past the edges."""
    result = np.full_like(values, fill)
    if by > 0:
        result[by:] = values[:-by]
    elif by < 0:
        result[:by] = values[-by:]
    else:
        result[:] = values
    return result


_CLASSES = ("letter", "upper", "lower", "digit", "unspaced", "sentence", "comma", "separator")


@functools.cache
def _character_classes() -> dict[str, npt.NDArray[np.bool_]]:
    """Per code point of the Basic Multilingual Plane: is it a letter, a digit, ...

    Counting characters through these tables is one numpy pass over the whole page instead
    of a dozen regular expressions per line: it keeps a page's features within milliseconds.
    """
    characters = [chr(c) for c in range(0x10000)]
    tables = {
        "letter": [c.isalpha() for c in characters],
        "upper": [c.isupper() for c in characters],
        "lower": [c.islower() for c in characters],
        "digit": [c.isdecimal() for c in characters],
        "unspaced": [UNSPACED_CHAR.match(c) is not None for c in characters],
        "sentence": [c in ".!?。！？;；" for c in characters],
        "comma": [c in ",，、;；" for c in characters],
        "separator": [c in "|•·›»>/«‹<" for c in characters],
    }
    return {name: np.array(values, dtype=np.bool_) for name, values in tables.items()}


def _class_counts(text: str, starts: npt.NDArray[np.intp]) -> dict[str, Matrix]:
    """Characters of each class per line (lines start at `starts` in `text`)."""
    points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    points = np.minimum(points, 0xFFFF)  # astral characters (emoji...): no class
    tables = _character_classes()
    counts = {}
    for name in _CLASSES:
        hits = tables[name][points].astype(np.float64)
        counts[name] = np.add.reduceat(np.append(hits, 0.0), starts)[: len(starts)]
    return counts


def _line_of(text: str, pattern: re.Pattern[str], starts: npt.NDArray[np.intp]) -> Matrix:
    """1.0 for the lines where the (multiline) pattern matches."""
    flags = np.zeros(len(starts))
    positions = [m.start() for m in pattern.finditer(text)]
    if positions:
        flags[np.searchsorted(starts, positions, side="right") - 1] = 1.0
    return flags


def _headline_distance(
    toks: list[list[str]], title_tokens: set[str], parts: set[str]
) -> tuple[Matrix, Matrix]:
    """Each line's distance in lines from the headline (log-scaled, signed) and whether it
    comes after it. The headline: the first line equal to a part of the <title>, else the
    line sharing most of its words with the <title>. Articles start right below it."""
    n = len(toks)
    headline = None
    best = 0.5  # at least half the words shared
    for i in range(1, n):
        key = " ".join(toks[i])
        if key and key in parts and len(toks[i]) >= 2:
            headline = i
            break
        words = set(toks[i])
        if len(words) >= 3 and title_tokens:
            overlap = len(words & title_tokens) / len(words | title_tokens)
            if overlap > best:
                best, headline = overlap, i
    if headline is None:
        return np.zeros(n), np.full(n, -1.0)
    offset = np.arange(n, dtype=np.float64) - headline
    return np.sign(offset) * np.log1p(np.abs(offset)), (offset > 0).astype(np.float64)


def line_features(lines: list[str]) -> Matrix:
    """One row of FEATURE_NAMES per line; lines[0] is the page's title line (may be empty)."""
    n = len(lines)
    toks = [TOKEN.findall(line.casefold()) for line in lines]
    stop, coverage = page_stopwords(toks)
    frequent = _frequent_words(toks[1:])
    title_tokens = set(toks[0]) if toks else set()
    parts = {" ".join(TOKEN.findall(part.casefold())) for part in title_parts(lines[0])} - {""}
    line_keys = [" ".join(t) for t in toks]
    key_counts = Counter(line_keys)

    ntok = np.array([len(t) for t in toks], dtype=np.float64)
    max_tokens = max(float(ntok[1:].max()) if n > 1 else 1.0, 1.0)
    # Lines never hold a newline: joined, the page is scanned once per pattern or class.
    flat = [line.replace("\n", " ") for line in lines]
    text = "\n".join(flat)
    chars = np.array([len(line) for line in flat], dtype=np.float64)
    starts = np.concatenate([[0], np.cumsum(chars[:-1] + 1)]).astype(np.intp)
    classes = _class_counts(text, starts)
    letters, uppers = classes["letter"], classes["upper"]
    tok1 = np.maximum(ntok, 1.0)
    chars1 = np.maximum(chars, 1.0)
    position = np.arange(n, dtype=np.float64)
    shared = np.array([len(title_tokens.intersection(t)) for t in toks], dtype=np.float64)
    distinct = np.array([len(set(t)) for t in toks], dtype=np.float64)
    union = distinct + len(title_tokens) - shared

    def share(words: frozenset[str]) -> Matrix:
        return np.array([sum(w in words for w in t) for t in toks], dtype=np.float64) / tok1

    def flags(pattern: re.Pattern[str]) -> Matrix:
        return _line_of(text, pattern, starts)

    words = [line.split() for line in flat]
    capitalised = np.array(
        [sum(w[0].isupper() for w in ws) / len(ws) if ws else 0.0 for ws in words]
    )
    first_lower = np.array([line[:1].islower() for line in flat], dtype=np.float64)
    columns = [
        np.log1p(chars),
        np.log1p(ntok),
        np.array([sum(map(len, t)) for t in toks], dtype=np.float64) / tok1,
        flags(_SENTENCE_END),
        classes["sentence"] / tok1,
        classes["comma"] / tok1,
        classes["digit"] / chars1,
        uppers / np.maximum(letters, 1.0),
        capitalised,
        share(stop) if stop else np.full(n, -1.0),
        share(frequent),
        flags(_LINKY),
        classes["separator"] / tok1,
        classes["unspaced"] / chars1,
        position / max(n - 1, 1),
        np.log1p(position),
        np.log1p(n - 1 - position),
        shared / np.maximum(union, 1.0),
        shared / tok1,
        np.array([float(i > 0 and k in parts) for i, k in enumerate(line_keys)]),
        np.log(np.array([key_counts[k] if k else 1 for k in line_keys], dtype=np.float64)),
        flags(_CLOCK),
        flags(_DATE),
        flags(_BULLET),
        flags(_COPYRIGHT),
        ntok / max_tokens,
        letters / chars1,
        flags(_COLON_END),
        ((letters >= 4) & (uppers >= 0.8 * letters)).astype(np.float64),
        first_lower,
        flags(_QUOTE),
        (ntok >= 15).astype(np.float64),
        flags(_TIME_OF_DAY),
        *_headline_distance(toks, title_tokens, parts),
        np.concatenate([[0.0], np.cumsum(ntok)[:-1]]) / max(float(ntok.sum()), 1.0),
    ]
    base = np.column_stack(columns)
    index = {name: i for i, name in enumerate(BASE_NAMES)}
    blocks: list[Matrix] = [base]
    for radius in _WINDOWS:
        blocks += [windowed_mean(base[:, index[name]], radius)[:, None] for name in _DENSITY]
    for by in (-2, -1, 1, 2):
        blocks += [shifted(base[:, index[name]], -by, -1.0)[:, None] for name in _NEIGHBOURS]
    page = [
        math.log1p(n),
        coverage,
        float(np.mean(base[1:, index["unspaced_share"]])) if n > 1 else 0.0,
        math.log1p(max_tokens),
    ]
    blocks.append(np.tile(np.array(page), (n, 1)))
    return np.hstack(blocks)


def stage2_features(first: Matrix, features: Matrix) -> Matrix:
    """The neighbours' first-stage probabilities around each line, and a few of its features."""
    n = len(first)
    blocks: list[Matrix] = [first[:, None]]
    blocks += [shifted(first, by, 0.0)[:, None] for by in (5, 4, 3, 2, 1, -1, -2, -3, -4, -5)]
    blocks += [windowed_mean(first, radius)[:, None] for radius in (2, 5, 10, 20)]
    sums = np.cumsum(first)
    index = np.arange(n)
    blocks.append((sums / (index + 1))[:, None])  # mean probability from the top to here
    blocks.append(((sums[-1] - sums + first) / (n - index))[:, None])  # from here to the end
    blocks.append((np.argsort(np.argsort(-first, kind="stable")) / max(n, 1))[:, None])
    blocks.append(np.full((n, 1), float(first.max()) if n else 0.0))
    columns = [BASE_NAMES.index(name) for name in _STAGE2_BASE]
    blocks.append(features[:, columns])
    return np.hstack(blocks)
