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
import itertools
import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import justext
import numpy as np
import numpy.typing as npt

from newsflow.core.cleaning.text import (
    CLAUSE_MARKS,
    SENTENCE_MARKS,
    UNSPACED_CHAR,
    tokens,
)

Matrix = npt.NDArray[np.float64]

# Matched over the whole page at once (lines joined by newlines); no match spans a newline, so
# a line has the feature when a match starts in it. _LINKY, _DATE and _TIME_OF_DAY begin with
# a class of characters without case, which the regular-expression engine skips to directly
# instead of trying the whole pattern at every position of the page; the conditions on the
# characters before that one are lookbehinds.
_LINKY = re.compile(
    r"""[.:@\#](?:
        (?<=:)//(?:(?<=(?i:http)://)|(?<=(?i:https)://))  # http:// or https://
        | (?<=\.)(?:(?<=(?i:www)\.)|(?i:com|org|net|fr|de)\b)  # www. or .com, .fr...
        | (?<=\S@)(?=\S)  # an @ inside a word: an address
        | (?<=[@\#])(?<!\S[@\#])\w  # a handle or a hashtag at the start of a word
    )""",
    re.X,
)
_CLOCK = re.compile(r"^[^\S\n]*\d{1,2}[:h.]\d{2}\b", re.M)
# A digit not preceded by a letter or digit: where \b\d would match.
_DATE = re.compile(
    r"\d(?<!\w\d)(?:\d{0,3}[./-]\d{1,2}[./-]\d{1,4}\b|(?<=1)9\d{2}\b|(?<=2)0\d{2}\b)"
)
_TIME_OF_DAY = re.compile(r"\d(?<!\w\d)\d?[:h]\d{2}\b")
_COPYRIGHT = re.compile(r"©|\(c\)", re.I)
_TITLE_SPLIT = re.compile(r"\s+[|–—\-:·•/»]\s+|\s+[|–—»]\s*|\s*[|–—»]\s+")
_QUOTED = re.compile(r"«[^«»]*»|»(?=\S)[^«»]*«")
_HELD = "\ue000"  # a private-use character standing for a quoting guillemet while splitting
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
    vocabulary = list(set(itertools.chain.from_iterable(line_tokens)))
    counts = np.fromiter(map(prose.__getitem__, vocabulary), np.float64, count=len(vocabulary))
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
    counts = Counter(itertools.chain.from_iterable(t for t in line_tokens if len(t) >= 8))
    short = ((word, n) for word, n in counts.items() if len(word) <= 4 and not word.isdigit())
    ranked = heapq.nlargest(size, short, key=lambda item: (item[1], item[0]))
    return frozenset(word for word, _ in ranked)


def title_parts(title: str) -> list[str]:
    """A <title>'s parts around " | ", " - ", " — " ... ("Headline - Site" -> both parts).

    A guillemet that closes a quotation ("« Texte » - Site", "»Zitat« | Site") is not a
    separator, as it is in "Site » Rubrique » Titre".
    """
    if "«" in title:
        title = _QUOTED.sub(lambda quoted: quoted.group(0).replace("»", _HELD), title)
    parts = (part.strip() for part in _TITLE_SPLIT.split(title) if part and part.strip())
    return [part.replace(_HELD, "»") for part in parts]


def _window_bounds(
    n: int, radius: int
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """For each of n lines: the first and past-the-last lines of the window i - radius ..
    i + radius clipped at the page's edges, and its size (at least 1)."""
    index = np.arange(n)
    low = np.clip(index - radius, 0, n)
    high = np.clip(index + radius + 1, 0, n)
    return low, high, np.maximum(high - low, 1)


def windowed_mean(values: Matrix, radius: int) -> Matrix:
    """Mean of values over lines i - radius .. i + radius, clipped at the page's edges."""
    sums = np.concatenate([[0.0], np.cumsum(values)])
    low, high, size = _window_bounds(len(values), radius)
    result: Matrix = (sums[high] - sums[low]) / size
    return result


def shifted(values: Matrix, by: int, fill: float) -> Matrix:
    """values[i - by] at line i (the line `by` above when by > 0), fill past the edges; for
    a matrix, row i - by."""
    result = np.full_like(values, fill)
    if by > 0:
        result[by:] = values[:-by]
    elif by < 0:
        result[:by] = values[-by:]
    else:
        result[:] = values
    return result


_LATIN_CLOSERS = "\"')]»"
_CLASSES = ("letter", "upper", "digit", "unspaced", "sentence", "comma", "separator", "quote")
_EDGES = ("space", "sentence_end", "bullet", "colon")


@functools.cache
def _character_classes() -> npt.NDArray[np.bool_]:
    """Per code point of the Basic Multilingual Plane: is it a letter, a digit, ... (one
    column per name of _CLASSES, then of _EDGES).

    Counting characters through this table is one numpy pass over the whole page instead
    of a dozen regular expressions per line: it keeps a page's features within milliseconds.
    """
    characters = [chr(c) for c in range(0x10000)]
    tests: dict[str, Callable[[str], bool]] = {
        "letter": str.isalpha,
        "upper": str.isupper,
        "digit": str.isdecimal,
        "unspaced": lambda c: UNSPACED_CHAR.match(c) is not None,
        # An ellipsis ends teasers ("Read more…") more often than sentences.
        "sentence": (SENTENCE_MARKS.replace("…", "") + ";；").__contains__,
        "comma": CLAUSE_MARKS.__contains__,
        "separator": "|•·›»>/«‹<".__contains__,
        "quote": '«»"„'.__contains__,
        # What str.split() and the patterns' \s split on.
        "space": str.isspace,
        # A closing mark alone ends a sentence here only when it is a Latin one ("... »",
        # "(...)"): Chinese and Japanese pages close labels in theirs ("【速報】", "（写真）").
        "sentence_end": (SENTENCE_MARKS + _LATIN_CLOSERS).__contains__,
        "bullet": "-–—•·*►▶>+".__contains__,
        "colon": ":：".__contains__,
    }
    columns = [[tests[name](c) for c in characters] for name in (*_CLASSES, *_EDGES)]
    return np.array(columns, dtype=np.bool_).T.copy()


@dataclass(frozen=True)
class _Characters:
    """Per line: the count of each class of _CLASSES, its words (runs of non-spaces) and
    the words that start with a capital; whether it ends a sentence, starts with a bullet,
    ends with a colon."""

    counts: dict[str, Matrix]
    words: Matrix
    capitalised: Matrix
    sentence_end: Matrix
    bullet: Matrix
    colon_end: Matrix


def _characters(text: str, starts: npt.NDArray[np.intp]) -> _Characters:
    """The character counts and edges of the lines starting at `starts` in `text`."""
    points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    # Astral characters (emoji...) are in no class, except for capitals starting a word.
    classes = _character_classes()[np.minimum(points, 0xFFFF)]
    count = len(_CLASSES)
    space = classes[:, count]
    initial = ~space
    initial[1:] &= space[:-1]
    upper = classes[:, _CLASSES.index("upper")].copy()
    astral = np.flatnonzero(points > 0xFFFF)
    if astral.size:
        upper[astral] = [chr(point).isupper() for point in points[astral].tolist()]
    # One row more, of no class and a space: the last line may be empty and start there.
    counted = np.column_stack([classes[:, :count], initial, initial & upper])
    counted = np.vstack([counted, np.zeros((1, count + 2), dtype=np.bool_)])
    totals = np.add.reduceat(counted, starts, axis=0, dtype=np.intp).astype(np.float64)
    # A line's first and last characters that are not spaces, looked for up to the newline
    # after it (a space): a blank line finds none within itself.
    ends = np.append(starts[1:] - 1, len(points)).astype(np.intp)
    position = np.arange(len(points) + 1)
    solid = ~np.append(space, True)
    last = np.maximum.reduceat(np.where(solid, position, -1), starts)
    first = np.minimum.reduceat(np.where(solid, position, len(points)), starts)
    has_solid = last >= starts

    def at(where: npt.NDArray[np.intp], valid: npt.NDArray[np.bool_], name: str) -> Matrix:
        column = classes[:, count + _EDGES.index(name)]
        hits = np.zeros(len(starts), dtype=np.bool_)
        hits[valid] = column[where[valid]]
        return hits.astype(np.float64)

    return _Characters(
        counts={name: totals[:, i] for i, name in enumerate(_CLASSES)},
        words=totals[:, count],
        capitalised=totals[:, count + 1],
        sentence_end=at(last, has_solid, "sentence_end"),
        bullet=at(first, has_solid, "bullet"),
        colon_end=at(ends - 1, ends > starts, "colon"),
    )


def _line_of(text: str, pattern: re.Pattern[str], starts: npt.NDArray[np.intp]) -> Matrix:
    """1.0 for the lines where a match of the pattern starts."""
    flags = np.zeros(len(starts))
    positions = [m.start() for m in pattern.finditer(text)]
    if positions:
        flags[np.searchsorted(starts, positions, side="right") - 1] = 1.0
    return flags


def _headline_distance(
    line_keys: list[str],
    ntok: Matrix,
    overlap: Matrix,
    distinct: Matrix,
    title_tokens: set[str],
    parts: set[str],
) -> tuple[Matrix, Matrix]:
    """Each line's distance in lines from the headline (log-scaled, signed) and whether it
    comes after it. The headline: the first line equal to a part of the <title>, else the
    line sharing most of its words with the <title> (its overlap, the first of equals).
    Articles start right below it."""
    n = len(line_keys)
    headline = next(
        (i for i in range(1, n) if ntok[i] >= 2 and line_keys[i] in parts),
        None,
    )
    if headline is None and title_tokens and n > 1:
        candidates = np.where(distinct[1:] >= 3, overlap[1:], 0.0)
        best = int(np.argmax(candidates))
        if candidates[best] > 0.5:  # at least half the words shared
            headline = best + 1
    if headline is None:
        return np.zeros(n), np.full(n, -1.0)
    offset = np.arange(n, dtype=np.float64) - headline
    return np.sign(offset) * np.log1p(np.abs(offset)), (offset > 0).astype(np.float64)


def line_features(lines: list[str], line_tokens: list[list[str]] | None = None) -> Matrix:
    """One row of FEATURE_NAMES per line; lines[0] is the page's title line (may be empty).

    line_tokens: each line's `text.tokens`, when the caller has them already.
    """
    n = len(lines)
    toks = [tokens(line) for line in lines] if line_tokens is None else line_tokens
    stop, coverage = page_stopwords(toks)
    frequent = _frequent_words(toks[1:])
    title_tokens = set(toks[0]) if toks else set()
    parts = {" ".join(tokens(part)) for part in title_parts(lines[0])} - {""}
    line_keys = [" ".join(t) for t in toks]
    key_counts = Counter(line_keys)

    ntok = np.fromiter(map(len, toks), dtype=np.float64, count=n)
    max_tokens = max(float(ntok[1:].max()) if n > 1 else 1.0, 1.0)
    # Lines never hold a newline: joined, the page is scanned once per pattern or class.
    flat = [line.replace("\n", " ") for line in lines]
    text = "\n".join(flat)
    chars = np.fromiter(map(len, flat), dtype=np.float64, count=n)
    starts = np.concatenate([[0], np.cumsum(chars[:-1] + 1)]).astype(np.intp)
    characters = _characters(text, starts)
    classes = characters.counts
    letters, uppers = classes["letter"], classes["upper"]
    tok1 = np.maximum(ntok, 1.0)
    chars1 = np.maximum(chars, 1.0)
    position = np.arange(n, dtype=np.float64)
    shared = np.fromiter(map(len, map(title_tokens.intersection, toks)), np.float64, count=n)
    distinct = np.fromiter((len(set(t)) for t in toks), dtype=np.float64, count=n)
    union = distinct + len(title_tokens) - shared
    overlap = shared / np.maximum(union, 1.0)
    # The tokens joined by single spaces: their characters are the key's less the spaces.
    key_chars = np.fromiter(map(len, line_keys), dtype=np.float64, count=n)
    token_chars = key_chars - np.maximum(ntok - 1.0, 0.0)

    def share(words: frozenset[str]) -> Matrix:
        counts = [sum(map(words.__contains__, t)) for t in toks]
        return np.array(counts, dtype=np.float64) / tok1

    def flags(pattern: re.Pattern[str]) -> Matrix:
        return _line_of(text, pattern, starts)

    first_lower = np.array([line[:1].islower() for line in flat], dtype=np.float64)
    columns = [
        np.log1p(chars),
        np.log1p(ntok),
        token_chars / tok1,
        characters.sentence_end,
        classes["sentence"] / tok1,
        classes["comma"] / tok1,
        classes["digit"] / chars1,
        uppers / np.maximum(letters, 1.0),
        characters.capitalised / np.maximum(characters.words, 1.0),
        share(stop) if stop else np.full(n, -1.0),
        share(frequent),
        flags(_LINKY),
        classes["separator"] / tok1,
        classes["unspaced"] / chars1,
        position / max(n - 1, 1),
        np.log1p(position),
        np.log1p(n - 1 - position),
        overlap,
        shared / tok1,
        np.array([float(i > 0 and k in parts) for i, k in enumerate(line_keys)]),
        np.log(np.array([key_counts[k] if k else 1 for k in line_keys], dtype=np.float64)),
        flags(_CLOCK),
        flags(_DATE),
        characters.bullet,
        flags(_COPYRIGHT),
        ntok / max_tokens,
        letters / chars1,
        characters.colon_end,
        ((letters >= 4) & (uppers >= 0.8 * letters)).astype(np.float64),
        first_lower,
        (classes["quote"] > 0).astype(np.float64),
        (ntok >= 15).astype(np.float64),
        flags(_TIME_OF_DAY),
        *_headline_distance(line_keys, ntok, overlap, distinct, title_tokens, parts),
        np.concatenate([[0.0], np.cumsum(ntok)[:-1]]) / max(float(ntok.sum()), 1.0),
    ]
    base = np.column_stack(columns)
    index = {name: i for i, name in enumerate(BASE_NAMES)}
    page = [
        math.log1p(n),
        coverage,
        float(np.mean(base[1:, index["unspaced_share"]])) if n > 1 else 0.0,
        math.log1p(max_tokens),
    ]
    result = np.empty((n, len(FEATURE_NAMES)))
    result[:, : len(BASE_NAMES)] = base
    done = len(BASE_NAMES)
    # Window means from running sums, every column and radius from one cumulative sum.
    density = base[:, [index[name] for name in _DENSITY]]
    sums = np.zeros((n + 1, len(_DENSITY)))
    np.cumsum(density, axis=0, out=sums[1:])
    for radius in _WINDOWS:
        low, high, size = _window_bounds(n, radius)
        result[:, done : done + len(_DENSITY)] = (sums[high] - sums[low]) / size[:, None]
        done += len(_DENSITY)
    neighbours = base[:, [index[name] for name in _NEIGHBOURS]]
    for by in (-2, -1, 1, 2):
        result[:, done : done + len(_NEIGHBOURS)] = shifted(neighbours, -by, -1.0)
        done += len(_NEIGHBOURS)
    result[:, done:] = page
    return result


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
