"""The headline of a text dump.

Scrapers write the page's <title> first, usually "Headline - Site" or "Headline | Site"; the
headline itself appears again further down as a line of its own (the <h1>). That line is the
title. Which line that is, is learned (`learned_title`): every line near the article's start
or resembling the <title>, and the <title>'s own parts, are scored by gradient-boosted trees
trained with the line model (`make train-cleaner`) from the line's shallow features, its
article probability, its place before the article and its likeness to the <title>. The
hand-written matching below (`pick_title`) runs when no title model is loaded, and its
choices are features of the learned one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from newsflow.core.cleaning.features import FEATURE_NAMES, Matrix, title_parts
from newsflow.core.cleaning.text import FULL_STOPS, TOKEN, word_count
from newsflow.core.cleaning.trees import Classifier

_NOT_HEADLINE_END = (*FULL_STOPS, ":", "…", ";", ",", "،")
_MIN_TITLE_TOKENS = 3
_MIN_EXACT_TOKENS = 2  # a one-word first line ("Search", "PODCAST") names no article
_MAX_TITLE_TOKENS = 40
_SHORT_RANK = 2  # see learned_title
_SHORT_HEADLINE_TOKENS = 2  # see short_headline
# See learned_title: a sentence of this many words or more, and how likely a headline-shaped
# line must be to be taken instead.
_SENTENCE_WORDS = 4
_OVER_SENTENCE = 0.1
_SENTENCE = re.compile(r"[^.…]\.$")  # one full stop, not an ellipsis
_MIN_OVERLAP = 0.5
# Second-level labels under a country code: the name is the label before them (hoy.com.py).
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "gov", "gob", "ac", "edu", "or", "ne", "go"})
_SITE_SEPARATOR = re.compile(r"\s+[|–—\-·•»]\s+")
_NON_ALNUM = re.compile(r"[\W_]+")
_LEADING_GLYPHS = re.compile(r"^(?:\[?[›•·►▶▸■●◆→|>]+|=+>|(?:\.\.\.|…)\s*:)\s*")
# The day a site dates its headlines with, before a separator ("08.11.2021 | Headline").
_LEADING_DATE = re.compile(
    r"^(?:\d{1,2}[./]\d{1,2}[./](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2})\s+[|–—-]\s+(?=\S)"
)
# A separator with no site name after it ("Headline - ", "Headline |"); not a guillemet, which
# closes a quotation in French ("« ... »").
_TRAILING_SEPARATOR = re.compile(r"\s+[|–—-]+$")
# A breadcrumb trail ("Sie sind hier: Home » Europa » Deutschland » Emden", "You are here: Home
# / Baby / Nurseries / 20 Nursery Ideas") names the page by its last crumb.
_CRUMB = re.compile(r"\s[»>›/]\s")
_TRAIL_CRUMBS = 3
# A byline is no headline: "by" and the like before one to three names starting with a Latin
# capital, and nothing else ("---- by Kenneth Surin", "Von Vanessa Franke", not "Von
# Sprachregeln, Gender-Politik und …"), or a line opening as bylines do ("Posted by",
# "Veröffentlicht am …").
_BYLINE = re.compile(
    r"^\W*(?:(?i:by|von|par|por|door)\s+(?:[A-ZÀ-Ý][\w.'-]*\s*){1,3}$"
    r"|(?i:written by|posted by|veröffentlicht am|veröffentlicht von|publié le)\s)"
)
_ADDRESS = re.compile(r"(?:\S+@\S+\.\w+|(?:https?://|www\.)\S+)$", re.IGNORECASE)
# Script or style sheet text that a page left outside its <script> and <style> elements: a
# function's body, a rule's declarations, a call on the document or window.
_CODE = re.compile(r"\)\s*\{|\{[^{}]*[:;][^{}]*\}|\b(?:document|window)\.\w")
# The label of a picture's credit ("Photo:", "Bild :", "Crédits photos :"), case aside.
CREDIT_LABEL = r"(?:photos?|fotos?|bild|image|crédits?|credits?)\s*:"
# A list item or a form's note, marked like one ("* Email will not be published",
# "- Pruning shears"); a headline never starts with a bullet and a space.
_LIST_ITEM = re.compile(r"[*•·▪‣◦–-]\s")
# A picture's caption ending in its credit ("The mill at dusk. Photo: J. Doe", "…/Getty"):
# a few words after the label, at the end ("Das Bild: Kanzler …" is a headline).
_CAPTION = re.compile(
    rf"\S\s+{CREDIT_LABEL}(?:\s*[^\s:]+){{1,4}}\s*$|/getty\b|\bgetty images\b", re.IGNORECASE
)
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
    """Letters and digits, case and accents folded: host names are spelled without accents
    ("sauvonsluniversite" for "Sauvons l'Université")."""
    # Decomposed, the accents are combining marks, which are no letters or digits to the
    # pattern either: one substitution drops them with the punctuation.
    return _NON_ALNUM.sub("", unicodedata.normalize("NFKD", text.casefold()))


def tidy_title(title: str) -> str:
    """The title without the glyph a site puts before its headlines ("› Headline",
    "| Headline", "[> Headline", "=> Headline", "...: Headline") or the date put before it
    ("08.11.2021 | Headline"), nor a separator left at its end ("Headline -"), and a
    breadcrumb trail's last crumb rather than the trail; a quotation mark that opens a quoted
    headline stays."""
    title = _TRAILING_SEPARATOR.sub("", title)
    crumbs = _CRUMB.split(title)
    if len(crumbs) >= _TRAIL_CRUMBS and crumbs[-1].strip():
        title = crumbs[-1].strip()
    tidy = _LEADING_DATE.sub("", _LEADING_GLYPHS.sub("", title, count=1), count=1)
    if title.startswith("›") and "‹" in title:  # a single guillemet quoting the headline
        return title
    return tidy or title


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


def names_site(text: str, host: str | None) -> bool:
    """The text is the name of the page's site (see `_names_site`)."""
    name = site_name(host) if host else ""
    return bool(name) and _names_site(text, name)


def spells_site(text: str, host: str | None) -> bool:
    """The text spells the site's name or a piece of it ("Time 4 talks" on time4talks.com),
    a narrower test than `names_site`, which a headline naming the site in a short phrase
    also passes."""
    name = site_name(host) if host else ""
    letters = _letters(text)
    return len(letters) >= 3 and letters in name


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


def headline_part(title: str, host: str | None) -> str:
    """The longest part of a title that is not its site's name ("Headline | Site")."""
    parts = _parts(title)
    site = _site_part(parts, host)
    return max((part for part in parts if part != site), key=word_count, default="")


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
    # A line sharing no word with any of them overlaps none: no set is built for it.
    any_wanted = set().union(*wanted_sets)
    # Close variants only before the article (or just inside it); exact repeats anywhere.
    end = len(lines) if article_start is None else min(len(lines), article_start + 3)
    anchor = article_start if article_start is not None else 0
    best: tuple[float, int, int] | None = None
    for i in range(1, len(lines)):
        k = _key(lines[i]) if keys is None else keys[i]
        size = k.count(" ") + 1  # its tokens, joined by single spaces
        if not k or size > _MAX_TITLE_TOKENS:
            continue
        if k in exact or (size >= min_span and f" {k} " in padded):
            # A part, or a run of the <title>'s words without its site ("Headline - Subtitle"):
            # the longer, the better.
            score = 1.0 + size / 1000
        elif k == whole and site is not None:
            score = 0.9
        elif i < end and size >= _MIN_TITLE_TOKENS and not lines[i].endswith(_NOT_HEADLINE_END):
            split = k.split()
            if any_wanted.isdisjoint(split):
                continue
            words = set(split)
            score = max((_overlap(words, w) for w in wanted_sets), default=0.0)
            if score < _MIN_OVERLAP:
                continue
        else:
            continue
        candidate = (score, -abs(anchor - i), i)
        if best is None or candidate > best:
            best = candidate
    return lines[best[2]] if best is not None else None


def headline_line(lines: list[str], host: str | None, keys: list[str]) -> int | None:
    """The index of the line `title_from_first_line` matches, when its words are a part of the
    <title> or appear in the <title> as they are (not merely a close variant), else None."""
    found = title_from_first_line(lines, None, host, keys)
    if found is None:
        return None
    index = lines.index(found, 1)
    parts = {_key(part) for part in _parts(lines[0])}
    return index if keys[index] in parts or keys[index] in keys[0] else None


def short_headline(lines: list[str], host: str | None, keys: list[str]) -> str | None:
    """The key of a line that is the <title>'s headline part when that part is a word or two
    and the <title> sets it apart from the site's name ("Penny - Some Wiki"), or None. A
    <title> of one word alone ("Rechercher") names no article; one with a site part may."""
    parts = _parts(lines[0]) if lines and lines[0] else []
    site = _site_part(parts, host)
    # Only a site part that spells the host's name: the last part taken for the site by
    # convention may be the headline ("Local Paper - Headline").
    if site is None or not names_site(site, host):
        return None
    headline = _key(headline_part(lines[0], host))
    if not headline or len(headline.split()) > _SHORT_HEADLINE_TOKENS:
        return None
    return headline if headline in keys[1:] else None


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
    return found if found is not None else _heuristic_title(lines, article_start)


def _heuristic_title(lines: list[str], article_start: int | None) -> str | None:
    """A headline-shaped line at or just before the article's start, else the first line
    without its site suffix."""
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


# --------------------------------------------------------------------------- learned choice

# Lines this far before the article's start (or after it) are candidates whatever they read;
# further away, only lines that resemble the <title>.
_BEFORE, _AFTER = 15, 5
_NO_START_WINDOW = 40
_RESEMBLES = 0.3
_MAX_CANDIDATE_TOKENS = 30  # the longest headline_shaped line
_MAX_UNSPACED_TOKENS = 80  # one token per character in scripts without spaces
TITLE_FEATURE_NAMES: tuple[str, ...] = (
    *FEATURE_NAMES,
    "p_article",
    "p_article_before",
    "p_article_after",
    "from_article_start",
    "title_part_only",
    "title_part",
    "title_run",
    "whole_title",
    "title_overlap",
    "share_in_title",
    "title_share_in_line",
    "names_site",
    "same_key_lines",
    "title_has_site_part",
    "title_part_count",
    "first_line_match",
    "heuristic_pick",
)
_FIRST_EXTRA = len(FEATURE_NAMES)
_TITLE_JACCARD = FEATURE_NAMES.index("title_jaccard")
_TITLE_PART_EQUAL = FEATURE_NAMES.index("title_part_equal")
_UNSPACED = FEATURE_NAMES.index("unspaced_share")
_NAMES_SITE = TITLE_FEATURE_NAMES.index("names_site")
_PART_ONLY = TITLE_FEATURE_NAMES.index("title_part_only")
_TITLE_LIKENESS = [
    FEATURE_NAMES.index(name) for name in ("title_jaccard", "in_title_share", "title_part_equal")
]


@dataclass(frozen=True)
class TitleCandidates:
    """Possible titles of one dump: their texts and one row of TITLE_FEATURE_NAMES each.

    keys: each text's tokens joined by spaces (the words, case and punctuation aside);
    as_titled: whether the text is a line spelled exactly as a part of the <title>;
    site: the name the page's host registers, in letters (`site_name`), when the <title>
    names more than the site, else ""."""

    texts: list[str]
    features: Matrix
    keys: list[str]
    as_titled: list[bool]
    site: str = ""


def _share(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a) if a else 0.0


def title_candidates(
    lines: list[str],
    keys: list[str],
    features: Matrix,
    probabilities: npt.NDArray[np.float64],
    article: list[int],
    host: str | None,
) -> TitleCandidates:
    """The lines and <title> parts a dump's title may be, with their features.

    keys: each line's tokens joined by spaces; features and probabilities: the line model's
    (`LineModel.scores`); article: the indexes of the article's lines."""
    n = len(lines)
    article_start = article[0] if article else None
    # An article of one line is not its own title: it would be left without text.
    sole = article[0] if len(article) == 1 else None
    parts = _parts(lines[0]) if n and lines[0] else []
    site = _site_part(parts, host)
    name = site_name(host) if host else ""
    headline = [part for part in parts if part != site and not (name and _names_site(part, name))]
    # As in `title_from_first_line`: a one-word <title> ("Search") names no article.
    part_keys = {k for k in map(_key, headline) if len(k.split()) >= _MIN_EXACT_TOKENS}
    without_site = _key(" ".join(headline))
    # Likewise its words: a line repeating "Search" is no more a headline than the others.
    named = len(without_site.split()) >= _MIN_EXACT_TOKENS
    first_words = set(without_site.split()) if named else set()
    whole = keys[0] if n and len(keys[0].split()) >= _MIN_EXACT_TOKENS else None
    matched = title_from_first_line(lines, article_start, host, keys)
    heuristic = _heuristic_title(lines, article_start)
    counts: dict[str, int] = {}
    for k in keys[1:]:
        counts[k] = counts.get(k, 0) + 1
    if article_start is None:
        window = range(1, min(n, _NO_START_WINDOW))
    else:
        window = range(max(1, article_start - _BEFORE), min(n, article_start + _AFTER + 1))
    resembling = np.flatnonzero(
        (features[:, _TITLE_JACCARD] >= _RESEMBLES) | (features[:, _TITLE_PART_EQUAL] > 0)
    ).tolist()
    indexes = sorted(
        i
        for i in {*window, *resembling}
        if 0 < i < n
        and i != sole
        and keys[i]
        and _BYLINE.match(lines[i]) is None
        and len(keys[i].split())
        <= (_MAX_UNSPACED_TOKENS if features[i, _UNSPACED] > 0.5 else _MAX_CANDIDATE_TOKENS)
    )
    # The <title>'s parts themselves, for pages that never repeat their headline as a line.
    virtual = [part for part in headline if len(_key(part).split()) >= _MIN_EXACT_TOKENS]
    texts = [lines[i] for i in indexes] + virtual
    text_keys = [keys[i] for i in indexes] + [_key(part) for part in virtual]
    spelled = {part.strip() for part in headline}
    as_titled = [row < len(indexes) and text.strip() in spelled for row, text in enumerate(texts)]
    rows = np.full((len(texts), len(TITLE_FEATURE_NAMES)), np.nan)
    if indexes:
        rows[: len(indexes), :_FIRST_EXTRA] = features[indexes]
        if not named:  # the line features' likeness to the <title> says nothing either
            rows[: len(indexes), _TITLE_LIKENESS] = 0.0
    for row, text in enumerate(texts):
        is_line = row < len(indexes)
        i = indexes[row] if is_line else -1
        k = text_keys[row]
        words = set(k.split())
        extra = rows[row, _FIRST_EXTRA:]
        if is_line:
            extra[0] = probabilities[i]
            extra[1] = probabilities[i - 1] if i > 1 else np.nan
            extra[2] = probabilities[i + 1] if i + 1 < n else np.nan
            extra[3] = i - article_start if article_start is not None else np.nan
        extra[4] = not is_line
        extra[5] = k in part_keys
        extra[6] = len(words) >= _MIN_EXACT_TOKENS and f" {k} " in f" {without_site} "
        extra[7] = k == whole
        extra[8] = _overlap(words, first_words)
        extra[9] = _share(words, first_words)
        extra[10] = _share(first_words, words)
        extra[11] = bool(name) and _names_site(text, name)
        extra[12] = counts.get(k, 0)
        extra[13] = site is not None
        extra[14] = len(parts)
        extra[15] = is_line and text == matched
        extra[16] = is_line and text == heuristic
    # A <title> naming the site alone is a home page's: its title may be the site's name.
    return TitleCandidates(texts, rows, text_keys, as_titled, name if headline else "")


def learned_title(
    model: Classifier, candidates: TitleCandidates, short: str | None = None
) -> str | None:
    """The candidate the title model finds most likely to be the headline.

    The model is trained on words alone (every spelling of the headline is labelled right),
    so among lines with the chosen one's words, the one spelled as in the <title> is taken:
    "Forums-Regeln" rather than a later "Forums - Regeln", the headline rather than the same
    words ending in a full stop. An e-mail or web address is no headline, whatever its score
    (a contact line the model took for a title), nor is script or style sheet text left
    outside its elements ("initMenu() { if (window.menu) ..."), nor a picture's caption
    ending in its credit ("The mill at dusk. Photo: J. Doe"), nor a line marked as a list
    item ("* Email will not be published"), nor, under a <title> naming more
    than the site, a line spelling the site's name alone ("Valley Herald" on
    valleyherald.example: the site's header, not a story's).

    A sentence ending in a full stop ("The council met until midnight.") gives way to a
    headline-shaped line the model finds at least 10 % likely.

    short: the <title>'s headline part of a word or two (`short_headline`), taken when the
    model ranks it among its two best: a headline that short looks like a menu item to the
    model, while a section's name ("News | Site") that the <title> holds ranks lower than
    the page's real headline."""
    if not candidates.texts:
        return None
    scores = model.predict_proba(candidates.features)[:, 1]
    no_headline = [
        bool(
            _ADDRESS.match(text.strip())
            or _CODE.search(text)
            or _CAPTION.search(text)
            or _LIST_ITEM.match(text.lstrip())
            or (candidates.site and _letters(text) == candidates.site)
        )
        for text in candidates.texts
    ]
    if all(no_headline):
        return None
    scores = np.where(no_headline, -1.0, scores)
    shown = candidates.features[:, _PART_ONLY] == 0  # lines of the page, not <title> parts
    top = int(np.argmax(np.where(shown, scores, -2.0)))
    if (
        shown[top]
        and scores[top] >= 0
        and headline_shaped(candidates.texts[top])
        and not candidates.features[top, _NAMES_SITE]
    ):
        # A page shows its headline: a part of its <title> is taken as a line repeating it,
        # and one that no line repeats gives way to the likeliest line shaped like a headline
        # (the <title> is often a version edited for search engines or sharing). A text of
        # a title line and prose, or a page whose likeliest line names the site, keeps its
        # <title>.
        scores = np.where(shown, scores, -1.0)
    best = int(np.argmax(scores))
    chosen = candidates.texts[best].rstrip()
    if _SENTENCE.search(chosen) and word_count(chosen) >= _SENTENCE_WORDS:
        # A sentence ending in a full stop is a caption or the article's first line more
        # often than its headline: a line shaped like one, not naming the site, that the
        # model finds at all likely is taken instead (and the sentence stays in the text).
        shaped = [
            row
            for row, text in enumerate(candidates.texts)
            if scores[row] >= _OVER_SENTENCE
            and headline_shaped(text)
            and not candidates.features[row, _NAMES_SITE]
        ]
        if shaped:
            best = max(shaped, key=lambda row: float(scores[row]))
    if short is not None:
        ranked: list[str] = []
        for row in np.argsort(-scores, kind="stable").tolist():
            if candidates.keys[row] not in ranked:
                ranked.append(candidates.keys[row])
            if candidates.keys[row] == short:
                best = row
                break
            if len(ranked) == _SHORT_RANK:
                break
    if not candidates.as_titled[best]:
        key = candidates.keys[best]
        for row, text in enumerate(candidates.texts):
            if candidates.as_titled[row] and candidates.keys[row] == key:
                return text
    return candidates.texts[best]
