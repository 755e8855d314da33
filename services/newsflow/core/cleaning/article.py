"""The cleaner's pure core: a raw article in, its main text with title and lead out.

Text dumps (one block a line, as scrapers save pages) go through a learned line classifier
(`lines`): each line gets a probability of being article text, the article is the best region
of likely lines, and the title is the line that repeats the dump's first line, the page's
<title> (`titles`). HTML goes through trafilatura, then through the same fixed rules for
furniture that trafilatura leaves inside articles; the page's description is kept as the
standfirst when the extracted text lacks it. On top of either: navigation vocabulary is
dropped, repeated paragraphs and truncated teasers that repeat earlier text are removed, and
Unicode is normalised. Word counts treat scripts written without spaces (Chinese, Japanese,
Thai) one character a word.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import numpy as np
import numpy.typing as npt
import trafilatura
from htmldate import find_date
from lxml import etree
from trafilatura.metadata import examine_meta, extract_meta_json, extract_title
from trafilatura.settings import set_date_params
from trafilatura.utils import load_html

from newsflow.core.cleaning.dump import html_to_dump
from newsflow.core.cleaning.features import title_parts
from newsflow.core.cleaning.fragments import is_fragmented, join_fragments
from newsflow.core.cleaning.glued import is_glued, unglue
from newsflow.core.cleaning.lines import (
    LineModel,
    RegionParams,
    article_lines,
    default_model,
    token_counts,
)
from newsflow.core.cleaning.markdown import is_markdown, markdown_lines
from newsflow.core.cleaning.text import (
    FULL_STOPS,
    SENTENCE_CLOSERS,
    SENTENCE_MARKS,
    SPACED_SENTENCE_MARKS,
    UNSPACED_SENTENCE_MARKS,
    key,
    normalize_unicode,
    tokens,
    word_count,
)
from newsflow.core.cleaning.titles import (
    CREDIT_LABEL,
    headline_line,
    headline_part,
    headline_shaped,
    learned_title,
    names_site,
    pick_title,
    short_headline,
    spells_site,
    tidy_title,
    title_candidates,
    title_from_first_line,
)
from newsflow.core.cleaning.unbroken import UNBROKEN_WORDS, break_lines, is_unbroken
from newsflow.core.contracts import SCHEMA_VERSION
from newsflow.core.ids import article_id, content_hash, to_utc_iso
from newsflow.core.vocabulary import (
    END_HEADINGS,
    END_MARKERS,
    INLINE_MARKERS,
    NAVIGATION,
    POST_NAVIGATION,
    RELATED_HEADINGS,
    RIGHTS_NOTICES,
    SHARE_LABELS,
    TAG_LABELS,
)
from newsflow.errors import RejectedArticle

_MARKER_MAX_WORDS = 12
# Picture credits and copyright lines ("Le maire, photo : archives de la ville", "(Bild: Anna
# Muster)", "Crédits photos : Agence X", "© Agence 2024"): short, not a sentence, not a
# line announcing what follows ("See the photos:").
_CREDIT = re.compile(rf"©|\(c\)|\b{CREDIT_LABEL}", re.IGNORECASE)
_CREDIT_MAX_WORDS = 15
# A copyright notice: the wording of RIGHTS_NOTICES in a line of at most _NOTICE_MAX_WORDS
# words, which names the copyright when it has over _CREDIT_MAX_WORDS ("Copyright 2008 The
# Associated Press. All rights reserved. This material may not be published, broadcast ...").
# A line of more words, or one of over _CREDIT_MAX_WORDS that names no copyright, is taken
# for prose about rights.
_NOTICE_MAX_WORDS = 40
_COPYRIGHT = re.compile(r"©|ⓒ|\(c\)|\bcopyright\b|版权|版權|저작권", re.IGNORECASE)
# A tag list: its label, then nothing, one short tag, or short items between separators (not
# a sentence that a label was glued to: "Filed under: News The plant stopped ...").
_TAG_SEPARATORS = re.compile(r"\s*[,;•|·]\s*")
_TAG_MAX_WORDS = 4
# A numbered list's item: "3. …", "3) …" (not a year: "2019. …").
_LIST_ITEM = re.compile(r"^(\d{1,3})\s*[.)]\s+\S")
_LIST_LOOKBACK = 4
_LIST_GAP = 1
# A label: a line of fewer words than this, ending in no sentence punctuation nor in a colon
# that announces what follows (a button, a menu item, a box's heading: "More on this story").
_LABEL_WORDS = 5
# `_closing_lines`: a label of at most this many tokens; the paragraph after it, and the
# closing sentences before an end marker, at least this likely (the region's own edge
# widening, in lines.py, asks 0.3 of lines next to it).
_LABEL_TOKENS = 6
_AFTER_LABEL_PROBABILITY = 0.3
_CLOSING_PROBABILITY = 0.1
_HEADING_NOISE = re.compile(r"[\d\W_]+")
# A teaser in a box of links: a headline, at most a short sentence under it.
_TEASER_MAX_WORDS = 20
_NO_COMMENTS = re.compile(r"\W*0\b")
# A comment opener that holds a number counts the comments: a link under the byline as often as
# the heading of the thread.
_COUNT = re.compile(r"\d")
# Inline boxes carry a headline or a sentence after their label ("À lire aussi » ...").
_INLINE_MARKER_MAX_WORDS = 30
_ELLIPSIS = re.compile(r"(?:\.\.\.|…|\[\s*(?:\.\.\.|…)\s*\])\s*[\"'»]?\s*$")
# web.archive.org/web/<timestamp>/<original URL>
_ARCHIVED = re.compile(r"^https?://web\.archive\.org/web/[^/]+/(.+)$", re.IGNORECASE)
_TITLE_SUFFIX = re.compile(r"\s+[|–—-]\s+[^|–—-]{2,60}$")
_TITLE_LINE_WORDS = 40  # a first paragraph of more words is prose, not a <title>
_FULL_STOPS = tuple(FULL_STOPS)  # for str.endswith
_MARKS, _CLOSERS = re.escape(SENTENCE_MARKS), re.escape(SENTENCE_CLOSERS)
_SENTENCE_END = re.compile(f"[{_MARKS}][{_CLOSERS}]*$")
# Where a sentence ends and the next may begin: after a space in spaced scripts, at once in
# Chinese and Japanese.
_SENTENCE_BREAK = re.compile(
    f"[{re.escape(SPACED_SENTENCE_MARKS)}]+[{_CLOSERS}]*(?=\\s|$)"
    f"|[{re.escape(UNSPACED_SENTENCE_MARKS)}]+[{_CLOSERS}]*"
)
# A text under the minimum length is still an article when it is written in sentences (a
# short blog post, a brief), not when it is a caption, a tagline or what is left of a menu:
# half the minimum at least, two sentences, most of its words in paragraphs ending one.
_SHORT_PROSE_SENTENCES = 2
_SHORT_PROSE_SHARE = 0.7
# A first line this long, ending a sentence, is prose rather than a page title.
_PROSE_FIRST_LINE_WORDS = 12
# See _is_article_text.
_ARTICLE_TEXT_SHARE = 0.7
_PARAGRAPH_WORDS = 8
_LEAD_TOKENS = 12
# A standfirst sits between the headline and the article, under a byline, a date or a
# picture, where the model half believes in it (its neighbours are furniture).
_STANDFIRST_WINDOW = 12
_STANDFIRST_PROBABILITY = 0.3
_STANDFIRST_TOKENS = 8
# A year, an address or code marks a byline, a dateline or a script, not a standfirst.
_NOT_STANDFIRST = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)|://|[{};]")
# Shorter descriptions are taglines or one-line decks, which article bodies seldom include.
_STANDFIRST_MIN_WORDS = 30
_STANDFIRST_PROBE_WORDS = 6
_WORD = re.compile(r"\w+")
_MAX_HEADINGS = 5
_MIN_SAID_WORDS = 3  # fewer words of a title found in an <h1> prove little
_KICKER_MAX_WORDS = 6
_DECK_MAX_WORDS = 12
_KICKER_SEPARATOR = re.compile(r"^[\s:|–—\-·•/]+")
_DECK_SEPARATOR = re.compile(r"[\s:|–—\-·•/]+$")
_QUOTES = frozenset("\"'«»„“”‘’‚‹›¿¡")
# Elements that set a heading's part apart from the rest.
_APART_TAGS = frozenset({"small", "div", "p", "h2", "h3", "h4", "h5", "h6", "time"})
_BLOCK_TAGS = frozenset({"br", "div", "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "small"})
_NOT_TEXT_TAGS = frozenset({"style", "script", "noscript", "template"})
# Class, id or itemprop names that mark a page's headline, and those of boxes, lists and
# adverts that reuse the word.
_MARKED = re.compile(
    r"headline|storyhead|story[-_]?title|article[-_]?title|entry[-_]?title|post[-_]?title",
    re.IGNORECASE,
)
_NOT_MARKED = re.compile(
    r"headlines|sub|deck|related|teaser|list|widget|nav|promo|more|sidebar|box|\bad|advert"
    r"|sponsor",
    re.IGNORECASE,
)
_DATED = re.compile(r"\b(?:19|20)\d\d\b|\d{1,2}:\d\d")
# Class or id names of a heading that names the page's section ("Local Sports", "Cronaca"),
# and of those that head a box of the section ("Related Stories", "Top News").
_SECTION_NAME = re.compile(r"section[-_]?name", re.IGNORECASE)
_SECTION_HEAD = re.compile(r"section[-_]?(?:name|head)", re.IGNORECASE)


@dataclass(frozen=True)
class CleanArticle:
    id: str
    url: str | None
    source: str
    title: str | None
    lead: str | None
    body: str
    language_hint: str | None
    word_count: int
    content_hash: str
    published_at: str | None
    collected_at: str | None

    def to_message(self, cleaned_at: str) -> dict[str, Any]:
        return {"schema_version": SCHEMA_VERSION, **self.__dict__, "cleaned_at": cleaned_at}


def is_navigation(line: str) -> bool:
    stripped = line.strip().strip("|").rstrip(":›>»").strip()
    label = " ".join(stripped.casefold().split())
    return label in NAVIGATION or label in SHARE_LABELS


def _starts_with_any(
    line: str, phrases: frozenset[str], max_words: int = _MARKER_MAX_WORDS
) -> bool:
    """A short line that is, or starts with, one of the phrases ("À lire aussi : ...")."""
    words = line.casefold().split()
    if len(words) > max_words:
        return False
    text = " ".join(words).rstrip(":›>»|.").strip()
    return text in phrases or text.startswith(_openings(phrases))


@functools.cache
def _openings(phrases: frozenset[str]) -> tuple[str, ...]:
    """How a line that starts with one of the phrases goes on: a space, a colon or a »."""
    return tuple(phrase + end for phrase in sorted(phrases) for end in (" ", ":", "»"))


def is_end_marker(line: str) -> bool:
    """A line opening comments: one of END_MARKERS, or a bare heading of END_HEADINGS
    ("Comments", "12 comments")."""
    if _starts_with_any(line, END_MARKERS):
        return True
    if _NO_COMMENTS.match(line):  # "0 comments": nothing follows
        return False
    return _heading_label(line) in END_HEADINGS


def is_inline_marker(line: str) -> bool:
    return _starts_with_any(line, INLINE_MARKERS, _INLINE_MARKER_MAX_WORDS)


def _base_letter(char: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))


# Latin letters with diacritics to their base letters ("é" -> "e"), for str.translate.
_UNACCENT = {
    code: _base_letter(chr(code))
    for code in range(0xC0, 0x250)
    if _base_letter(chr(code)) != chr(code)
}
# Labels of POST_NAVIGATION open a line: only its start is compared, and translated.
_LABEL_CHARS = 60


def _unaccented(text: str) -> str:
    return text.translate(_UNACCENT)


# Themes drop accents, or some of them ("Article Précedent"), as often as they keep them.
_POST_NAVIGATION = frozenset(map(_unaccented, POST_NAVIGATION))


def _spaceless(text: str) -> str:
    return "".join(text.casefold().split())


# As written and without accents: a notice is found anywhere in a line, and translating every
# line would cost more than the rest of the check.
_RIGHTS_NOTICES = tuple(
    sorted({*map(_spaceless, RIGHTS_NOTICES), *map(_spaceless, map(_unaccented, RIGHTS_NOTICES))})
)


def is_rights_notice(line: str) -> bool:
    """A copyright or syndication notice (see _NOTICE_MAX_WORDS)."""
    text = _spaceless(line)
    if not any(notice in text for notice in _RIGHTS_NOTICES):
        return False
    words = word_count(line)
    if words > _NOTICE_MAX_WORDS:
        return False
    return words <= _CREDIT_MAX_WORDS or _COPYRIGHT.search(line) is not None


def is_post_navigation(line: str) -> bool:
    """A link to the previous or next post, alone or before its headline (POST_NAVIGATION).
    Not a sentence that opens with the same words: a headline ends in no full stop."""
    if _ends_in_full_stop(line.rstrip().rstrip(SENTENCE_CLOSERS)):
        return False
    start = line.lstrip()
    text = _unaccented(start[:_LABEL_CHARS]) + start[_LABEL_CHARS:]
    return _starts_with_any(text, _POST_NAVIGATION, _INLINE_MARKER_MAX_WORDS)


def _drop_repeats(paragraphs: list[str]) -> list[str]:
    """Remove paragraphs seen before and truncated teasers ("...") that repeat earlier text."""
    kept: list[str] = []
    seen: set[str] = set()
    earlier = ""
    for paragraph in paragraphs:
        paragraph_key = key(paragraph)
        if not paragraph_key or paragraph_key in seen:
            continue
        truncated = _ELLIPSIS.search(paragraph) is not None
        if truncated or word_count(paragraph) >= 8:
            prefix = key(_ELLIPSIS.sub("", paragraph)) if truncated else paragraph_key
            if truncated and " " in prefix:
                prefix = prefix.rsplit(" ", 1)[0]  # the last word may be cut
            if prefix and any(k.startswith(prefix) for k in seen if k != paragraph_key):
                continue
            if truncated and prefix and prefix in earlier:
                continue
        seen.add(paragraph_key)
        earlier += " " + paragraph_key
        kept.append(paragraph)
    return kept


def _heading_label(line: str) -> str:
    """A line's words, case, digits and punctuation aside ("12 Comments:" -> "comments")."""
    return _HEADING_NOISE.sub(" ", line.casefold()).strip()


def _is_related_heading(line: str) -> bool:
    return _heading_label(line) in RELATED_HEADINGS


def _without_related_boxes(paragraphs: list[str]) -> list[str]:
    """The text without boxes of links to other articles: a heading of RELATED_HEADINGS and
    the teasers under it, short lines without a sentence's end, up to the next paragraph."""
    kept: list[str] = []
    in_box = False
    for paragraph in paragraphs:
        if _is_related_heading(paragraph):
            in_box = True
            continue
        if (
            in_box
            and word_count(paragraph) <= _TEASER_MAX_WORDS
            and not _SENTENCE_END.search(paragraph.rstrip())
        ):
            continue
        in_box = False
        kept.append(paragraph)
    return kept


def _furniture(line: str) -> bool:
    """Navigation labels, inline boxes ("À lire aussi : ...", paywall and newsletter
    notices), links to the previous or next post, copyright notices, picture credits and tag
    lists: fixed wording, dropped wherever they are."""
    return (
        is_navigation(line)
        or is_inline_marker(line)
        or is_post_navigation(line)
        or is_rights_notice(line)
        or _is_credit(line)
        or _is_tag_list(line)
    )


def _is_tag_list(line: str) -> bool:
    label, colon, rest = line.partition(":")
    if not colon or " ".join(label.casefold().split()) not in TAG_LABELS:
        return False
    items = [item for item in _TAG_SEPARATORS.split(rest.strip().rstrip(".")) if item]
    if len(items) <= 1:
        return word_count(rest) <= _TAG_MAX_WORDS
    return sum(word_count(item) for item in items) <= _TAG_MAX_WORDS * len(items)


def _is_credit(line: str) -> bool:
    if _CREDIT.search(line) is None:
        return False
    words = word_count(line)
    end = line.rstrip()
    if words > _CREDIT_MAX_WORDS or _SENTENCE_END.search(end):
        return False
    return not (end.endswith(":") and words >= 3)


def select_article(
    lines: list[str],
    probabilities: npt.NDArray[np.float64],
    params: RegionParams,
    headline: int | None = None,
    line_tokens: list[list[str]] | None = None,
) -> list[int]:
    """Indexes of a dump's article lines: the model's region, cut where comments begin (a
    heading such as "Comments", even one the region bridged over), without inline furniture.
    line_tokens: as for `token_counts`."""
    tokens = token_counts(lines, line_tokens)
    comments = [i for i in range(1, len(lines)) if is_end_marker(lines[i])]
    headings = [i for i in comments if _COUNT.search(lines[i]) is None]
    chosen = _without_closing_labels(
        lines, article_lines(probabilities, tokens, params, headline, comments, headings)
    )
    if chosen:
        # A paragraph just above the article that the article repeats further down is its
        # lead, repeated in a teaser block after it; the repetition itself is what lowered
        # its probability, and that of the copy, which may be left out inside the region.
        # (The later copy goes with the repeated paragraphs.)
        repeated = {lines[i] for i in range(chosen[0], chosen[-1] + 1)}
        first = chosen[0]
        while first > 1 and tokens[first - 1] >= _LEAD_TOKENS and lines[first - 1] in repeated:
            first -= 1
        chosen = [*range(first, chosen[0]), *chosen]
        chosen = [*chosen, *_list_continued(lines, chosen[0], chosen[-1])]
        chosen = [*chosen, *_closing_lines(lines, probabilities, tokens, chosen)]
        total = sum(tokens[i] for i in chosen)
        before = 0.0
        members, openers = set(chosen), set(comments)
        for index in range(chosen[0], chosen[-1] + 1):
            # A comment-count link under the byline is no end: most of the article must
            # come before the marker.
            if index in openers and before >= total / 2:
                chosen = [i for i in chosen if i < index]
                break
            if index in members:
                before += tokens[index]
    return [i for i in chosen if not _furniture(lines[i])]


def _standfirst_lines(
    lines: list[str],
    probabilities: npt.NDArray[np.float64],
    chosen: list[int],
    headline: int | None,
) -> list[int]:
    """The lines between the headline (the line repeating the <title>) and the article's
    first line (chosen: `select_article`'s) that read like its standfirst: a sentence or two
    the model half believes in, set apart from the body by a byline, a date or a picture,
    which is what kept them out of the region."""
    if headline is None or not chosen:
        return []
    first = chosen[0]
    if not headline < first <= headline + _STANDFIRST_WINDOW:
        return []
    counts = token_counts(lines[headline + 1 : first])
    return [
        i
        for i, count in enumerate(counts, headline + 1)
        if probabilities[i] >= _STANDFIRST_PROBABILITY
        and count >= _STANDFIRST_TOKENS
        and _NOT_STANDFIRST.search(lines[i]) is None
        and not _furniture(lines[i])
    ]


def _closing_lines(
    lines: list[str],
    probabilities: npt.NDArray[np.float64],
    tokens: npt.NDArray[np.float64],
    chosen: list[int],
) -> list[int]:
    """The article's lines after its region that the region's edge left out.

    - A paragraph after a short line that already stood inside the article (a speaker's
      name in an interview, an "ADVERTISEMENT" slot, a "___" rule) when the model half
      believes in it: the label, seen again, is what weakened its neighbour.
    - Then the sentences that run on to a marker ending the article ("Commentaires"): its
      closing paragraphs, which stage 2 scores low for the comments below them.
    """
    last = chosen[-1]
    inside = {lines[i] for i in range(chosen[0], last + 1)}
    added: list[int] = []
    i = last + 1
    while (
        i + 1 < len(lines)
        and lines[i] in inside
        and tokens[i] <= _LABEL_TOKENS
        and probabilities[i + 1] >= _AFTER_LABEL_PROBABILITY
        and tokens[i + 1] >= _LEAD_TOKENS
    ):
        added.append(i + 1)
        i += 2
    run = []
    while (
        i < len(lines)
        and tokens[i] >= _LEAD_TOKENS
        and probabilities[i] >= _CLOSING_PROBABILITY
        and _SENTENCE_END.search(lines[i].rstrip())
    ):
        run.append(i)
        i += 1
    if run and i < len(lines) and is_end_marker(lines[i]):
        added += run
    return added


def _is_label(line: str) -> bool:
    end = line.rstrip()
    return (
        word_count(end) < _LABEL_WORDS
        and not _SENTENCE_END.search(end)
        and not end.endswith((":", ";"))
    )


def _without_closing_labels(lines: list[str], chosen: list[int]) -> list[int]:
    """The region without the labels it ends on ("More on this story", "Top stories", a menu
    under the last paragraph), which the model scores by the prose above them. Numbered items
    among them stay when a numbered item stands above them in the region: the article's own
    list, which `_list_continued` may carry on."""
    end = len(chosen)
    while end > 1 and _is_label(lines[chosen[end - 1]]):
        end -= 1
    if end < len(chosen) and any(_LIST_ITEM.match(lines[i]) for i in chosen[:end]):
        numbered = [j for j in range(end, len(chosen)) if _LIST_ITEM.match(lines[chosen[j]])]
        end = numbered[-1] + 1 if numbered else end
    return chosen[:end]


def _list_continued(lines: list[str], first: int, last: int) -> list[int]:
    """The lines after the article (lines first to last) that continue a numbered list that
    one of its last lines began.

    A list of short items ("7) Une lampe de poche", "51. Une chanteuse") reads less like
    prose the further it runs from the article's text, and fades out of the region. Each next
    number must follow within _LIST_GAP + 1 lines (an item's link or its second line)."""
    number = None
    for index in range(last, max(first, last - _LIST_LOOKBACK + 1) - 1, -1):
        item = _LIST_ITEM.match(lines[index])
        if item is not None:
            number = int(item.group(1))
            break
    if number is None:
        return []
    end, gap = last, 0
    for index in range(last + 1, len(lines)):
        item = _LIST_ITEM.match(lines[index])
        if item is not None and int(item.group(1)) == number + 1:
            number, end, gap = number + 1, index, 0
        elif item is not None:
            break
        else:
            gap += 1
            if gap > _LIST_GAP:
                break
    return list(range(last + 1, end + 1))


def _shown_on_page(text: str, document: str) -> bool:
    """Whether the text's first words appear in the page's body, not only in its <head>.

    A description shown under the headline is the article's standfirst; one that lives only in
    the <head> is a summary written for search engines and social networks.
    """
    words = _WORD.findall(text)[:_STANDFIRST_PROBE_WORDS]
    if len(words) < _STANDFIRST_PROBE_WORDS:
        return False
    head_end = document.lower().find("</head>")
    body = document[head_end:] if head_end >= 0 else document
    between = r"(?:[^\w<]|&#?\w+;|<[^>]*>)+"  # punctuation, entities or inline tags
    return re.search(between.join(map(re.escape, words)), body) is not None


def _standfirst(
    description: str | None, paragraphs: list[str], title: str | None, document: str
) -> str | None:
    """The page's description when it reads like a lead, is shown on the page and the
    extracted text lacks it."""
    if not description:
        return None
    lead = normalize_unicode(description).strip()
    if word_count(lead) < _STANDFIRST_MIN_WORDS or not _SENTENCE_END.search(lead):
        return None
    if _ELLIPSIS.search(lead):  # a truncated excerpt of the body, not a standfirst
        return None
    lead_key = key(lead)
    if title and key(title) == lead_key:
        return None
    body_key = " ".join(key(p) for p in paragraphs)
    # Descriptions are often the first sentences of the body: then it is already there.
    if lead_key[: max(len(lead_key) // 2, 1)] in body_key:
        return None
    return lead if _shown_on_page(lead, document) else None


@dataclass(frozen=True)
class _PageMeta:
    title: str | None
    date: str | None
    description: str | None
    # Whether the title is a heading that repeats the page's titles, or its first <h1>: when it
    # is not, the page's own headings do not say which line is the headline.
    title_from_heading: bool


def _links_home(heading: Any, url: str | None) -> bool:
    """The heading is only a link to the site's home page: the site's name or logo, which
    many templates put in an <h1>."""
    links = heading.findall(".//a")
    if len(links) != 1 or " ".join(links[0].text_content().split()) != " ".join(
        heading.text_content().split()
    ):
        return False
    target = urlsplit(urljoin(url or "", links[0].get("href") or ""))
    return target.path in ("", "/") and not target.query


def _names_section(heading: Any, pattern: re.Pattern[str] = _SECTION_NAME) -> bool:
    """The heading's class or id says it holds the name of the page's section (or, with
    `_SECTION_HEAD`, the heading of one of its boxes)."""
    marks = " ".join(filter(None, (heading.get("class"), heading.get("id"))))
    return bool(pattern.search(marks))


def _after_section_name(tree: Any, titles: list[str], url: str | None) -> str | None:
    """The first headline-shaped heading after the one the markup names the section's
    (`<h1 id="sectionName">Local Sports</h1>` over the story's `<h2>`), the section's box
    headings passed over ("E-mail This Page"), or None."""
    section = next((h for h in tree.iter("h1", "h2", "h3") if _names_section(h)), None)
    if section is None:
        return None
    for heading in section.xpath("following::*[self::h1 or self::h2 or self::h3]"):
        if _names_section(heading, _SECTION_HEAD) or _links_home(heading, url):
            continue
        text = _headline_text(heading, titles)
        if headline_shaped(text):
            return text
    return None


def _text(element: Any) -> str:
    """The element's text, with a space where a line break or a block starts or ends (a
    "<small>kicker</small><br>Headline" reads "kicker Headline", not "kickerHeadline")."""
    return " ".join("".join(_pieces(element)).split())


def _pieces(element: Any) -> Iterator[str]:
    yield element.text or ""
    for child in element:
        if child.tag in _NOT_TEXT_TAGS:
            pass  # CSS-in-JS puts <style> inside headings: its rules are no words of them
        elif isinstance(child.tag, str):
            apart = child.tag in _BLOCK_TAGS
            yield " " if apart else ""
            yield from _pieces(child)
            yield " " if apart else ""
        yield child.tail or ""


def _tail(element: Any) -> str:
    return " ".join((element.tail or "").split())


def _leading_kicker(children: list[Any], outer: str) -> tuple[str, Any] | None:
    """(the heading's text after its first child, that child) when the heading starts with
    it, or None."""
    if outer or not children:
        return None
    rest = " ".join(
        filter(None, [_tail(children[0]), *(_text(c) + " " + _tail(c) for c in children[1:])])
    )
    return " ".join(rest.split()), children[0]


def _trailing_part(heading: Any, children: list[Any]) -> tuple[str, Any] | None:
    """(the heading's text before its last child, that child) when the heading ends with it,
    or None."""
    if not children or _tail(children[-1]):
        return None
    before = [" ".join((heading.text or "").split())]
    before += [_text(c) + " " + _tail(c) for c in children[:-1]]
    return " ".join(" ".join(before).split()), children[-1]


def _starts_headline(text: str) -> bool:
    """Starts as headlines do: a capital, a digit, a quotation mark, or a letter of a script
    without case."""
    first = text[:1]
    return first.isdigit() or first in _QUOTES or (first.isalpha() and not first.islower())


def _in_titles(text: str, titles: list[str]) -> bool:
    wanted = f" {key(text)} "
    return wanted.strip() != "" and any(wanted in f" {t} " for t in titles)


def _headline_text(heading: Any, titles: list[str]) -> str:
    """The heading's text without a kicker or a deck that its markup sets apart.

    Templates put a topic line before the headline inside the <h1> ("<span class=kicker>
    Klimaschutz</span> Bohren, bis es heiß wird", "<small>Einheit der Woche</small><br>…")
    and sometimes a subtitle, byline or date after it. A leading element of at most six words
    (not ending a sentence) goes when what follows it starts like a headline and either the
    page's titles contain what follows, or the element is styled apart (a class, a line
    break, a block or <small>) and shorter than what follows. A trailing element of at most
    twelve words goes when the page's titles contain what precedes it and not the element.
    Never when the titles run the two parts together as one headline ("Trump Says …").
    titles: the meta title and <title>.
    """
    element = heading
    # <h1><span><small>kicker</small><br>headline</span></h1>: look inside the lone wrapper.
    for _ in range(3):
        children = [c for c in element if isinstance(c.tag, str)]
        if len(children) == 1 and not (element.text or "").strip() and not _tail(children[0]):
            element = children[0]
        else:
            break
    children = [c for c in element if isinstance(c.tag, str)]
    title_keys = [key(t) for t in titles]
    folded = [" ".join(t.casefold().split()) for t in titles]

    def apart(part: str, rest: str) -> bool:
        return not any(f"{part} {rest}".casefold() in t for t in folded)

    lead = _leading_kicker(children, " ".join((element.text or "").split()))
    if lead is not None:
        rest, kicker = lead
        rest, kicker_text = _KICKER_SEPARATOR.sub("", rest), _text(kicker)
        styled = (
            kicker.get("class") is not None
            or kicker.tag in _APART_TAGS
            or (len(children) > 1 and children[1].tag == "br")
        )
        confirmed = _in_titles(rest, title_keys) or (
            styled and word_count(kicker_text) < word_count(rest)
        )
        if (
            confirmed
            and kicker.tag != "br"
            and 1 <= word_count(kicker_text) <= _KICKER_MAX_WORDS
            and not _SENTENCE_END.search(kicker_text)
            and word_count(rest) >= 2
            and _starts_headline(rest)
            and apart(kicker_text, rest)
        ):
            return rest
    trail = _trailing_part(element, children)
    if trail is not None:
        rest, deck = trail
        deck_text = _text(deck)
        if (
            deck.tag != "br"
            and 1 <= word_count(deck_text) <= _DECK_MAX_WORDS
            and word_count(rest) >= 2
            and _in_titles(rest, title_keys)
            and not _in_titles(deck_text, title_keys)
            and apart(rest, deck_text)
        ):
            return _DECK_SEPARATOR.sub("", rest)
    return _text(heading)


def _h1_is_headline(
    h1: str, chosen: str, titles: list[str], heads: list[str], host: str | None
) -> bool:
    """Whether the page's first <h1> is its headline rather than the heading chosen for
    repeating its meta title or <title>.

    Yes when the <h1> is the <title>'s or the meta title's headline part word for word (the
    heading matched to the other title repeats a version edited for sharing, or its second
    half under a kicker), or when it holds the chosen heading's words, or a title of one part,
    and says more after them (titles cut short for sharing: "Le budget est voté" for
    "Le budget est voté malgré l'opposition"). Not when it only adds words before them (a
    kicker), nor a site or section name after a separator, nor when it names the site.
    heads: each title's headline part, as a key."""
    h1_key = key(h1)
    if not headline_shaped(h1) or not key(chosen) or h1_key == key(chosen):
        return False
    if names_site(h1, host):
        return False
    if h1_key in heads:
        return True
    own_parts = {key(part) for part in title_parts(h1)}
    # Titles of one part only: a part of "Kicker: Headline - Deck" is found in many <h1>s.
    whole = [head for t, head in zip(titles, heads, strict=True) if head == key(t)]
    shorter = [key(chosen), *(k for k in whole if len(k.split()) >= _MIN_SAID_WORDS)]
    return any(
        k not in own_parts and f" {k} " in f" {h1_key} " and not h1_key.endswith(" " + k)
        for k in shorter
        if k != h1_key
    )


def _named_h1(h1s: list[str], heads: list[str], host: str | None) -> str | None:
    """The first <h1> that is the headline part of the meta title and of the <title> word
    for word, however short ("Penny" for "Penny - Some Wiki" twice): every title of the page
    agrees with it, which a heading matched loosely, a learned title and a first <h1> naming
    the site lose to."""
    parts = set(heads)
    if len(parts) != 1:
        return None
    (part,) = parts
    return next((h for h in h1s if part and key(h) == part and not names_site(h, host)), None)


def _short_h1_in_titles(
    h1: str, heads: list[str], host: str | None, alone: bool, tree: Any
) -> bool:
    """An <h1> of one or two words that the meta title's or the <title>'s headline part holds
    ("Design" in "Professional Design for Companies | Site"): the headline of a page named
    by a word, where an <h1> of a section ("Top Classifieds") shares no title's words.

    On a page without titles (heads empty), the <h1> that is alone on the page (alone) and
    is no link's text: a section's name is one <h1> among those of the page's boxes, or an
    entry of its menu."""
    if not (1 <= word_count(h1) < 3) or names_site(h1, host) or h1.endswith(":"):
        return False
    if not heads:
        return alone and not is_navigation(h1) and key(h1) not in _link_keys(tree)
    words = set(key(h1).split())
    return any(words <= set(head.split()) for head in heads)


def _link_keys(tree: Any) -> frozenset[str]:
    """The words of every link's text on the page, as keys."""
    return frozenset(key(_text(link)) for link in tree.iter("a"))


def _sentence_h1_in_titles(h1: str, heads: list[str]) -> bool:
    """An <h1> written as a sentence ("Wenn das Netz langsam ist, hilft ein Neustart.") that
    holds most of a title's headline part: the headline in full, the title a shortened one;
    a site's tagline ending in a period holds none."""
    if not h1.endswith(".") or not headline_shaped(h1.removesuffix(".")):
        return False
    words = set(key(h1).split())
    for head in heads:
        part = head.split()
        if part and 2 * sum(w in words for w in part) >= len(part):
            return True
    return False


def _page_meta(tree: Any, url: str | None) -> _PageMeta:
    """The few metadata fields the cleaner uses, without trafilatura's full metadata pass
    (authors, site name, categories, tags, licence): that pass costs a fifth of the time.

    The title: an <h1> that both titles name word for word (`_named_h1`); else the heading
    (<h1>-<h3>, without a kicker or deck that its markup sets apart: `_headline_text`) that
    repeats its meta title (Open Graph, JSON-LD) or its <title>
    (`titles.title_from_first_line`), unless it names the site, or a heading repeating a part
    of a title when that one is a section's name (`_heading_repeating_a_part`), or the first
    <h1> that says more (`_h1_is_headline`); else a lower heading that both titles name; else
    an <h1> repeating a title's part other than the first (`_h1_repeating_a_part`); else a
    title's part that the page shows as a text of its own when the first <h1> shares no word
    with the titles (`_part_shown_alone`); else its first <h1> if headline-shaped, or
    short or a sentence with the titles' words (short and the page's only <h1> when it has no
    title), and not spelling the site's name; else the first headline-shaped heading after
    the one the markup names the section's (`_after_section_name`: such a heading is never a
    title); else the element the markup names the headline (`_marked_headline`); else the
    meta title without its site part unless it is only the site's name, else the first
    headline-shaped heading. `clean` replaces the last two with the learned title when the line
    model has one.
    """
    meta = examine_meta(tree)
    with contextlib.suppress(ValueError, TypeError, KeyError, AttributeError):  # bad JSON-LD
        meta = extract_meta_json(tree, meta)
    meta_title = meta.title or extract_title(tree)
    title_element = tree.find(".//title")
    page_title = " ".join(title_element.text_content().split()) if title_element is not None else ""
    # Not trafilatura's fallback title: on pages without a meta title it is the <h1> itself.
    titles = [t for t in (meta.title, page_title) if t]
    # <h1> first; some sites put the headline in an <h2> or <h3> under a section name.
    by_tag = {
        tag: [
            _headline_text(h, titles)
            for h in itertools.islice(tree.iter(tag), _MAX_HEADINGS)
            if not _links_home(h, url) and not _names_section(h)
        ]
        for tag in ("h1", "h2", "h3")
    }
    h1s = by_tag["h1"]
    headings = [h for texts in by_tag.values() for h in texts if h]
    first_h1 = h1s[0] if h1s else ""
    host = title_host(url)
    title = None
    # Not meta_title: without a meta title it is trafilatura's pick among the headings, which
    # would only repeat itself.
    for first in (meta.title, page_title):
        if first and headings:
            title = title_from_first_line([first, *headings], None, host)
            if title and names_site(title, host):
                title = None  # the site's name in a heading ("Valley Herald") is no headline
            if title:
                # A heading that only adds words before the meta title's carries a kicker or
                # a section name ("Tunesien Große Aufgaben für ..."): the meta title is the
                # headline.
                first_key, title_key = key(first), key(title)
                if len(first_key.split()) >= 3 and title_key.endswith(" " + first_key):
                    title = first
                break
    if title is not None:
        title = _heading_repeating_a_part(title, headings, titles, host)
    # Each title's headline part, which the <h1> rules below compare with.
    heads = [key(headline_part(t, host)) for t in titles]
    named = _named_h1(h1s, heads, host)
    if named is not None:
        title = named
    elif title is not None and _h1_is_headline(first_h1, title, titles, heads, host):
        title = first_h1
    elif title is None:
        # A title of one word or two that no heading repeated at length: a lower heading
        # that every title of the page agrees with.
        title = _named_h1(headings, heads, host)
    if title is None:
        title = _h1_repeating_a_part(h1s, titles, host)
    if title is None:
        title = _part_shown_alone(titles, first_h1, host, tree)
    if (
        title is None
        and (
            headline_shaped(first_h1)
            or _short_h1_in_titles(first_h1, heads, host, len(h1s) == 1, tree)
            or _sentence_h1_in_titles(first_h1, heads)
        )
        and not spells_site(first_h1, host)
    ):
        # Where the page's first <h1> and its meta title differ, the meta title is more often
        # a version edited for sharing.
        title = first_h1
    if title is None:
        title = _after_section_name(tree, titles, url)
    if title is None:
        title = _marked_headline(tree, host)
    from_heading = title is not None
    if title is None and meta_title and not names_site(meta_title, host):
        title = _TITLE_SUFFIX.sub("", meta_title) if word_count(meta_title) > 4 else meta_title
    if title is None:
        # No meta title, or only the site's name: the first heading shaped like a headline.
        title = next((h for h in headings if headline_shaped(h)), meta_title or None)
    # Dates from the page's markup and URL, without htmldate's extensive search of the text.
    date = find_date(tree, **{**set_date_params(False), "url": url})
    return _PageMeta(title, date, meta.description, from_heading)


def _h1_repeating_a_part(h1s: list[str], titles: list[str], host: str | None) -> str | None:
    """An <h1> shaped like a headline that repeats one part of a title word for word, where
    the convention took another part for the headline ("The Valley Herald | Reports: mill to
    cut 2,000 jobs" over an <h1> of the last part)."""
    return _heading_in(h1s, {key(part) for t in titles for part in title_parts(t)[1:]}, host)


def _heading_in(headings: list[str], part_keys: set[str], host: str | None) -> str | None:
    """The first headline-shaped heading that is one of the parts (keys) word for word, unless
    it spells the site's name."""
    return next(
        (
            h
            for h in headings
            if headline_shaped(h) and key(h) in part_keys and not spells_site(h, host)
        ),
        None,
    )


def _part_shown_alone(titles: list[str], first_h1: str, host: str | None, tree: Any) -> str | None:
    """A part of a title that the page shows as a text of its own, outside its <h1>s
    ("vherald.example - Mill workers vote" with "Mill workers vote" set in a <div>), when no
    heading repeats the titles and the first <h1> shares no word with them (a widget's
    "Share & Print this Story", a section's name): shown alone on the page, the part is its
    headline, whichever side of the separator it is on. The convention's headline part is
    looked for first; a part naming the site, and one that an <h1> repeats (a blog's name
    linking home), are not headlines."""
    h1_words = set(key(first_h1).split())
    if any(h1_words & set(key(t).split()) for t in titles):
        return None
    wanted: dict[str, str] = {}
    for t in titles:
        parts = title_parts(t)
        if len(parts) < 2:
            continue
        head = headline_part(t, host)
        for part in sorted(parts, key=lambda p: p != head):
            if headline_shaped(part) and not names_site(part, host):
                wanted.setdefault(key(part), part)
    for h1 in tree.iter("h1"):
        wanted.pop(key(_text(h1)), None)
    if not wanted:
        return None
    # A text as long as a part, give or take its punctuation and spacing.
    shortest, longest = min(map(len, wanted)), 2 * max(map(len, wanted)) + 10
    shown = {
        k
        for node in tree.xpath("//body//text()[not(ancestor::script or ancestor::style)]")
        if shortest <= len(node.strip()) <= longest and (k := key(node)) in wanted
    }
    return next((part for k, part in wanted.items() if k in shown), None)


def _marked_headline(tree: Any, host: str | None) -> str | None:
    """The text of the one element that the page's markup names its headline (a class, id or
    itemprop such as "headline", "storyhead", "article-title": `_MARKED`), on a page whose
    headings do not hold it (a headline in a <td class="headline"> or <font class="storyhead">).
    Not a box's or a list's ("headlines", "sub-headline", "related-headline", an advert's), and
    not a text carrying a date or time ("Headline Posted: March 3, 2021 4:05 PM"); several
    different texts marked so are a list of other stories: none is taken."""
    found: dict[str, str] = {}
    for element in tree.xpath("//*[@class or @id or @itemprop]"):
        marks = " ".join(
            filter(None, (element.get("class"), element.get("id"), element.get("itemprop")))
        )
        if not _MARKED.search(marks) or _NOT_MARKED.search(marks):
            continue
        text = _text(element)
        if headline_shaped(text) and not spells_site(text, host) and not _DATED.search(text):
            found.setdefault(key(text), text)
    return next(iter(found.values())) if len(found) == 1 else None


def _heading_repeating_a_part(
    chosen: str, headings: list[str], titles: list[str], host: str | None
) -> str:
    """The heading chosen for repeating a title, or a heading that repeats a headline-shaped
    part of a title word for word when the chosen one is a section's name ("Latest News" in
    "Valley Radio : Latest News : Mill workers vote to strike") or only resembles a title
    ("The Blog Archives" for "Site - The Blog - Headline", whose last part the convention
    takes for the site's name, or "Blog Name | Tagline" joined in an <h1>). A chosen heading
    of three words or more that is a part of a title word for word stays."""
    parts = [part for t in titles for part in title_parts(t)]
    if word_count(chosen) >= 3 and key(chosen) in {key(part) for part in parts}:
        return chosen
    shaped = {key(part) for part in parts if headline_shaped(part) and not names_site(part, host)}
    return _heading_in(headings, shaped, host) or chosen


def _from_html(document: str, url: str | None) -> tuple[list[str], _PageMeta]:
    tree = load_html(document)
    if tree is None:
        return [], _PageMeta(None, None, None, False)
    if "<rt" in document:
        # Ruby annotations (Japanese furigana: the reading printed above a word) are not the
        # text: left in, "子ども" reads "子こども" in headings and titles.
        etree.strip_elements(tree, "rt", "rp", with_tail=False)
    meta = _page_meta(tree, url)
    extracted = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=False,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        favor_precision=False,
    )
    if extracted is None:
        return [], meta
    text = normalize_unicode(getattr(extracted, "text", None) or "")
    # No cut at end markers here: trafilatura already stops at comments, and widgets such as
    # "Most read" sit inside some articles' markup.
    # Boxes first: some of their headings ("À lire aussi") are furniture too.
    lines = _without_related_boxes([line for line in text.split("\n") if line])
    paragraphs = [line for line in lines if not _furniture(line)]
    lead = _standfirst(meta.description, paragraphs, meta.title, document)
    return ([lead, *paragraphs] if lead and paragraphs else paragraphs), meta


def _reads_as_prose(line: str) -> bool:
    return word_count(line) >= _PROSE_FIRST_LINE_WORDS and bool(_SENTENCE_END.search(line))


def _starts_with_prose(lines: list[str], keys: list[str], host: str | None) -> bool:
    """Whether the text's first line is prose rather than the page's <title>, which dumps
    start with.

    A long line ending a sentence reads as prose; a long <title> ending in "?" or "!" does too,
    and is still the <title> when one of its parts names the site ("... - Sauvons
    l'Université !") or is repeated further down as a line of its own (the headline).
    keys: each line's tokens joined by spaces."""
    first = lines[0]
    if not _reads_as_prose(first):
        return False
    parts = title_parts(first)
    if len(parts) > 1 and any(names_site(part, host) for part in parts):
        return False
    repeated = {" ".join(tokens(part)) for part in parts if word_count(part) > 1}
    return not any(k in repeated for k in keys[1:])


def _ends_in_full_stop(line: str) -> bool:
    end = line.rstrip()
    return end.endswith(_FULL_STOPS) and not end.endswith("..")  # ".." and "...": cut off


def _is_article_text(lines: list[str], keys: list[str], host: str | None) -> bool:
    """Whether the text is an article's own paragraphs, as a feed or an API gives them, rather
    than a page's dump: nearly all its lines after the first are paragraphs (at least
    _ARTICLE_TEXT_SHARE of them end a sentence, as many hold _PARAGRAPH_WORDS words or more)
    and no line repeats the first as a headline. Its first line is then its first paragraph
    or its headline ("Time is running out for the bridge." is no <title>). Of 3,152 pages'
    dumps, 22 pass the two shares, and 1 the whole test."""
    rest = lines[1:]
    share = _ARTICLE_TEXT_SHARE * len(rest)
    # Each test only on texts that pass the cheaper one before it: most dumps fail the first.
    if not rest or sum(bool(_SENTENCE_END.search(line.rstrip())) for line in rest) < share:
        return False
    if sum(word_count(line) >= _PARAGRAPH_WORDS for line in rest) < share:
        return False
    return headline_line(lines, host, keys) is None


def _from_text(
    text: str, title_hint: str | None, model: LineModel, url: str | None
) -> tuple[list[str], str | None]:
    normal = normalize_unicode(text)
    lines = [line for line in normal.split("\n") if line]
    if not lines:
        return [], title_hint
    host = title_host(url)
    line_tokens: list[list[str]] | None = None
    markdown = is_markdown(lines)
    if not markdown and is_glued(text, lines):
        # Written by soup.get_text() without a separator: broken first where the page's
        # elements met (see `glued`).
        normal = unglue(normalize_unicode(text, gaps=True), lines)
        lines = [line for line in normal.split("\n") if line]
    if markdown:
        # Parsed into its blocks (see `markdown`). markdownify writes the page's <title> first,
        # as a paragraph: taken for the dump's first line when it reads as one ("Headline |
        # Site") or a later line repeats a part of it; html2text writes no <title>, and its
        # first paragraph is often a menu's. Else the first level-1 heading stands for it.
        # Read with its gaps, which part a table cell's paragraphs (`markdown`).
        blocks = markdown_lines(normalize_unicode(text, gaps=True))
        block_tokens = [tokens(line) for line in blocks.lines]
        lines, line_tokens = (
            [blocks.heading, *blocks.lines],
            [tokens(blocks.heading), *block_tokens],
        )
        if blocks.opens_plain and word_count(blocks.lines[0]) <= _TITLE_LINE_WORDS:
            keys = [" ".join(t) for t in block_tokens]
            if (
                _TITLE_SUFFIX.search(blocks.lines[0])
                or headline_line(blocks.lines, host, keys) is not None
            ):
                lines, line_tokens = blocks.lines, block_tokens
    unbroken = not markdown and is_unbroken(lines)
    if unbroken:
        # A short first line that does not read as prose is the <title>, kept as the dump's
        # first line; the rest is cut into the lines it lost (see `unbroken`).
        first = lines[0]
        head = first if word_count(first) < UNBROKEN_WORDS and not _reads_as_prose(first) else ""
        rest = lines[1:] if head else lines
        lines = [head, *(piece for line in rest for piece in break_lines(line))]
    elif not markdown and is_fragmented(lines[1:]):
        # Written a text node a line: each paragraph's shreds are joined back first (see
        # `fragments`); the first line stays the <title>.
        lines = [lines[0], *join_fragments(lines[1:], lines[0])]
    if len(lines) > MAX_TEXT_LINES:
        raise RejectedArticle(
            f"text of {len(lines)} lines is over the limit of {MAX_TEXT_LINES}:"
            " send the article's own text"
        )
    # Tokenised once, for the line model and for the title (Markdown's lines already are).
    if line_tokens is None:
        line_tokens = [tokens(line) for line in lines]
    keys = [" ".join(t) for t in line_tokens]
    untitled = (
        not lines[0]
        if unbroken or markdown
        else _starts_with_prose(lines, keys, host) or _is_article_text(lines, keys, host)
    )
    if untitled and lines[0]:  # no <title> line: the model expects one
        lines, line_tokens, keys = ["", *lines], [[], *line_tokens], ["", *keys]
    features, probabilities = model.scores(lines, line_tokens)
    headline = headline_line(lines, host, keys)
    chosen = select_article(lines, probabilities, model.region, headline, line_tokens)
    # The title model was trained on the region alone: the standfirst joins the text after.
    body = [*_standfirst_lines(lines, probabilities, chosen, headline), *chosen]
    article = _without_related_boxes([lines[i] for i in body])
    if title_hint:
        return article, title_hint
    if unbroken:
        # The pieces of an unbroken text hold no headline of their own (it is glued to the
        # menu and the byline around it), and the title model, shown them, takes a fragment:
        # the <title>'s headline part is the title, and without a <title> there is none.
        return article, (headline_part(lines[0], host) or lines[0]) if lines[0] else None
    start = chosen[0] if chosen else None
    if model.title is None:
        title = pick_title(lines, start, host, keys)
    else:
        candidates = title_candidates(lines, keys, features, probabilities, chosen, host)
        title = learned_title(model.title, candidates, short_headline(lines, host, keys))
    if untitled and title is not None and (_reads_as_prose(title) or _ends_in_full_stop(title)):
        # Text without a <title> whose best headline is a sentence of prose, or any sentence
        # ending in a full stop, which headlines seldom do: that is one of its paragraphs,
        # which stays in the text; the article has no title.
        title = None
    return article, title


# Limits that no news article reaches and that hostile pages do: parsing a page of hundreds of
# thousands of tags takes minutes, and NER on a book-length "article" (a table of numbers, a
# text repeated) would block a partition for as long.
MAX_HTML_TAGS = 150_000
MAX_ARTICLE_CHARS = 300_000
# Four times the longest of 3,152 pages' text dumps (251,294 characters): cleaning time grows
# with the lines, and a text joined into one line is cut into a line a sentence or a word.
MAX_TEXT_CHARS = 1_000_000
# Four times the most lines of those dumps (6,575): the line model's time grows with the lines,
# and a text within the character limit can still be cut into a hundred thousand of them (a
# list of links, words run together): 111,001 lines took it about 10 s.
MAX_TEXT_LINES = 25_000
# Share of word-like tokens that contain a letter (any script): prose is mostly words; a table of
# figures or a dump of identifiers is not an article.
MIN_PROSE_SHARE = 0.2
_WORDLIKE = re.compile(r"\w", re.UNICODE)


def check_article_shape(text: str) -> None:
    """RejectedArticle for text that cannot be a news article (too long, not prose)."""
    if len(text) > MAX_ARTICLE_CHARS:
        raise RejectedArticle(
            f"article text of {len(text)} characters is over the limit of {MAX_ARTICLE_CHARS}"
        )
    tokens = [t for t in text.split() if t.isalpha() or _WORDLIKE.search(t)]
    # All letters (most words) or at least one.
    lettered = sum(1 for t in tokens if t.isalpha() or any(map(str.isalpha, t)))
    if tokens and lettered / len(tokens) < MIN_PROSE_SHARE:
        raise RejectedArticle(
            f"not prose: {lettered} of {len(tokens)} tokens are words (a table of figures?)"
        )


def long_enough(paragraphs: list[str], min_words: int) -> bool:
    """Whether cleaned paragraphs are long enough to be an article at this minimum: as many
    words, or half as many written in sentences."""
    words = sum(word_count(p) for p in paragraphs)
    if words >= min_words:
        return True
    if words * 2 < min_words:
        return False
    in_sentences = sum(word_count(p) for p in paragraphs if _SENTENCE_END.search(p.rstrip()))
    if in_sentences < _SHORT_PROSE_SHARE * words:
        return False
    return sum(len(_SENTENCE_BREAK.findall(p)) for p in paragraphs) >= _SHORT_PROSE_SENTENCES


def clean(
    raw: dict[str, Any], *, min_words: int = 20, model: LineModel | None = None
) -> CleanArticle:
    """A raw message (see schemas/raw.schema.json) to a CleanArticle, or RejectedArticle.

    model: the text-dump line model (default: the one shipped with the package).
    """
    url = raw.get("url") or None
    title_hint = normalize_unicode(raw["title"]).strip() or None if raw.get("title") else None
    published_at = to_utc_iso(raw.get("published_at"))
    text = raw.get("text")
    if raw.get("html") and not (text and text.strip()):
        tags = raw["html"].count("<")
        if tags > MAX_HTML_TAGS:
            raise RejectedArticle(f"page of {tags} tags is over the limit of {MAX_HTML_TAGS}")
        paragraphs, meta = _from_html(raw["html"], url)
        title = title_hint or (normalize_unicode(meta.title).strip() if meta.title else None)
        published_at = published_at or to_utc_iso(meta.date)
        line_model = model or default_model()
        if not paragraphs:  # trafilatura found nothing: read the page as a scraper's dump
            dump = html_to_dump(raw["html"], readings=False)
            paragraphs, dump_title = _from_text(dump, title, line_model, url)
            title = title or dump_title
        elif not title_hint and not meta.title_from_heading and line_model.title is not None:
            # No heading names the headline: the meta title is then often the site's name, a
            # section, or a version edited for sharing, while the learned title finds the
            # headline among the page's lines (README, "The cleaner's line model").
            dump = html_to_dump(raw["html"], readings=False)
            try:
                _, dump_title = _from_text(dump, None, line_model, url)
            except RejectedArticle:  # a page of too many lines: its meta title stays
                dump_title = None
            title = dump_title or title
    else:
        if text and len(text) > MAX_TEXT_CHARS:
            raise RejectedArticle(
                f"text of {len(text)} characters is over the limit of {MAX_TEXT_CHARS}:"
                " send the article's own text, or the page as HTML"
            )
        paragraphs, title = _from_text(text or "", title_hint, model or default_model(), url)
    if title and not title_hint:
        title = tidy_title(title)
    if title_hint and title == title_hint and word_count(title) > 4:
        title = _TITLE_SUFFIX.sub("", title)  # a given <title>-like hint: drop the site name
    if title:
        title_key = key(title)
        paragraphs = [p for p in paragraphs if key(p) != title_key]
    paragraphs = _drop_repeats(paragraphs)
    if not paragraphs:
        raise RejectedArticle("no article text left after cleaning")
    article_text = "\n\n".join(paragraphs)
    check_article_shape(article_text)
    words = word_count(article_text)
    # Counted once here; the paragraphs are counted again only when the text is short.
    if words < min_words and not long_enough(paragraphs, min_words):
        raise RejectedArticle(
            f"too short after cleaning: {words} words, minimum {min_words}"
            f" ({(min_words + 1) // 2} for two or more sentences)"
        )
    lead, body = (
        (paragraphs[0], "\n\n".join(paragraphs[1:]))
        if len(paragraphs) > 1
        else (None, paragraphs[0])
    )
    return CleanArticle(
        id=raw.get("id") or article_id(url, article_text),
        url=url,
        source=raw.get("source") or _source_from(url),
        title=title,
        lead=lead,
        body=body,
        language_hint=raw.get("language") or None,
        word_count=words,
        content_hash=content_hash(article_text),
        published_at=published_at,
        collected_at=to_utc_iso(raw.get("collected_at")),
    )


def as_is(raw: dict[str, Any]) -> CleanArticle:
    """A raw message taken as already clean: its text is the body, unchanged (no lead).

    For text that is known to be the article, e.g. gold text when scoring entity extraction.
    """
    text = raw.get("text") or raw.get("html") or ""
    if not text.strip():
        raise RejectedArticle("no text")
    url = raw.get("url") or None
    return CleanArticle(
        id=raw.get("id") or article_id(url, text),
        url=url,
        source=raw.get("source") or _source_from(url),
        title=raw.get("title") or None,
        lead=None,
        body=text,
        language_hint=raw.get("language") or None,
        word_count=word_count(text),
        content_hash=content_hash(text),
        published_at=to_utc_iso(raw.get("published_at")),
        collected_at=to_utc_iso(raw.get("collected_at")),
    )


def title_host(url: str | None) -> str | None:
    """The host whose name a <title> would carry: an archived page's original host."""
    if not url:
        return None
    archived = _ARCHIVED.match(url)
    return _source_from(archived.group(1) if archived else url)


def _source_from(url: str | None) -> str:
    if not url:
        return "unknown"
    host = re.sub(r"^[a-z]+://", "", url.lower()).split("/", 1)[0].split(":", 1)[0]
    return host.removeprefix("www.") or "unknown"
