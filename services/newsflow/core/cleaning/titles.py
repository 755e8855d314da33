"""The headline of a text dump.

Scrapers write the page's <title> first, usually "Headline - Site" or "Headline | Site"; the
headline itself appears again further down as a line of its own (the <h1>). That line is the
title. Heuristics (a headline-shaped line just before the article) are only the fallback, for
dumps whose first line is not a title.
"""

from __future__ import annotations

import re

from newsflow.core.cleaning.features import title_parts
from newsflow.core.cleaning.text import TOKEN, word_count

_NOT_HEADLINE_END = (".", ":", "...", "…", ";", ",")
_MIN_TITLE_TOKENS = 3
_MIN_EXACT_TOKENS = 2  # a one-word first line ("Search", "PODCAST") names no article
_MAX_TITLE_TOKENS = 40
_MIN_OVERLAP = 0.5
# Second-level labels under a country code: the name is the label before them (hoy.com.py).
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "gov", "gob", "ac", "edu", "or", "ne", "go"})
_SITE_SEPARATOR = re.compile(r"\s+[|–—\-·•»]\s+")
_NON_ALNUM = re.compile(r"[\W_]+")
_UNSPACED_SEPARATOR = re.compile(
    r"(?<=[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef])[-|_–—](?=[\u3040-\u30ff\u3400-\u9fff])"
)


def _key(text: str) -> str:
    return " ".join(TOKEN.findall(text.casefold()))


def headline_shaped(line: str) -> bool:
    return 3 <= word_count(line) <= 30 and not line.endswith(_NOT_HEADLINE_END)


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _parts(title: str) -> list[str]:
    """title_parts, also split where scripts without spaces put a bare "-" or "|"
    ("标题-新华网")."""
    return [p for part in title_parts(title) for p in _UNSPACED_SEPARATOR.split(part) if p]


def _letters(text: str) -> str:
    return _NON_ALNUM.sub("", text.casefold())


def site_name(host: str) -> str:
    """The name a host registers, in letters: "hoy" for hoy.com.py, "bbc" for news.bbc.co.uk,
    "time4talks" for a page archived from www.time4talks.com."""
    labels = host.lower().removeprefix("www.").split(".")
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        labels = labels[:-2]
    elif len(labels) >= 2:
        labels = labels[:-1]
    return _letters(labels[-1]) if labels else ""


def _names_site(part: str, name: str) -> bool:
    """The part spells the site's name, contains it in a short phrase ("Diario HOY" on hoy),
    or has it as its initials ("Gewerkschaft der Polizei" on gdp.de); a long headline that
    merely contains the name ("GdP-Vize Klemmer: ...") does not."""
    letters = _letters(part)
    if not letters or not name:
        return False
    if len(letters) >= 3 and letters in name:
        return True
    if name in letters and len(letters) <= 2 * len(name) + 12:
        return True
    initials = "".join(word[0] for word in TOKEN.findall(part.casefold()))
    return len(initials) >= 2 and initials == name


def _site_part(parts: list[str], host: str | None) -> str | None:
    """Which part of "Headline | Site" names the site: the one that spells the page's host
    name ("Diveinside News" on diveinside.de), else the last part, the usual convention."""
    if len(parts) < 2:
        return None
    if host:
        name = site_name(host)
        for part in (parts[-1], parts[0]):
            if _names_site(part, name):
                return part
    return parts[-1]


def title_from_first_line(
    lines: list[str],
    article_start: int | None,
    host: str | None = None,
    keys: list[str] | None = None,
) -> str | None:
    """The line that best repeats the <title>'s headline part (its site name left out).

    Candidates are lines equal to a part, or headline-shaped lines up to just after the
    article's start sharing at least half their words with the headline part (or with the
    whole <title>); among equally similar ones the closest to the article wins (menus may
    repeat other pages' headlines). keys: each line's tokens joined by spaces, when the caller
    has them already.
    """
    if len(lines) < 2 or not lines[0]:
        return None
    parts = _parts(lines[0])
    site = _site_part(parts, host)
    headline = [part for part in parts if part != site]
    # The <title> without its site part ("Headline - Subtitle | Site" -> "Headline - Subtitle")
    # and each remaining part; the whole <title> repeated on the page ranks below them.
    without_site = [part for part in parts if part != site]
    wanted = [_key(" ".join(without_site)), *(_key(part) for part in headline)]
    wanted = [k for k in wanted if len(k.split()) >= _MIN_EXACT_TOKENS]
    wanted_sets = [set(k.split()) for k in wanted if len(k.split()) >= _MIN_TITLE_TOKENS]
    exact = set(wanted)
    whole = _key(lines[0]) if keys is None else keys[0]
    padded = f" {wanted[0]} " if wanted else ""
    min_span = max(_MIN_EXACT_TOKENS, (len(wanted[0].split()) + 1) // 2) if wanted else 0
    if not exact:
        return None
    # Close variants only before the article (or just inside it); exact repeats anywhere.
    end = len(lines) if article_start is None else min(len(lines), article_start + 3)
    anchor = article_start if article_start is not None else 0
    best: tuple[float, int, int] | None = None
    for i in range(1, len(lines)):
        k = _key(lines[i]) if keys is None else keys[i]
        size = len(k.split())
        if not k or size > _MAX_TITLE_TOKENS:
            continue
        if k in exact or (size >= min_span and f" {k} " in padded):
            # A part, or a run of the <title>'s words without its site ("Headline - Subtitle"):
            # the longer, the better.
            score = 1.0 + size / 1000
        elif k == whole and site is not None:
            score = 0.9
        elif i < end and size >= _MIN_TITLE_TOKENS and not lines[i].endswith(_NOT_HEADLINE_END):
            words = set(k.split())
            score = max((_overlap(words, w) for w in wanted_sets), default=0.0)
            if score < _MIN_OVERLAP:
                continue
        else:
            continue
        candidate = (score, -abs(anchor - i), i)
        if best is None or candidate > best:
            best = candidate
    return lines[best[2]] if best is not None else None


def pick_title(
    lines: list[str],
    article_start: int | None,
    host: str | None = None,
    keys: list[str] | None = None,
) -> str | None:
    """The dump's headline: matched against its first line, else a heuristic, else the
    first line without its site suffix. host: the page's host name, when known; keys: as for
    `title_from_first_line`."""
    found = title_from_first_line(lines, article_start, host, keys)
    if found is not None:
        return found
    if article_start is not None:
        # A headline the line model took for the article's first line.
        if headline_shaped(lines[article_start]) and article_start + 1 < len(lines):
            return lines[article_start]
        for i in range(article_start - 1, max(0, article_start - 8), -1):
            if headline_shaped(lines[i]):
                return lines[i]
    if lines and headline_shaped(lines[0]):
        parts = _SITE_SEPARATOR.split(lines[0])
        return max(parts, key=word_count) if len(parts) > 1 else lines[0]
    return None
