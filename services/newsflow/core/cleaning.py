"""The cleaner's pure core: a raw article in, its main text with title and lead out.

HTML goes through trafilatura. Plain-text dumps (one block a line, as scrapers save pages) go
through jusText's paragraph classifier, which weighs length, stop-word density and context the
way it does for HTML blocks. On top of either: navigation vocabulary is dropped, the title and
lead are found, repeated paragraphs and truncated teasers that repeat earlier text are removed,
and Unicode is normalised.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import justext
import trafilatura
from trafilatura.settings import set_date_params

from newsflow.core.contracts import SCHEMA_VERSION
from newsflow.core.ids import article_id, content_hash, to_utc_iso
from newsflow.core.vocabulary import END_MARKERS, INLINE_MARKERS, NAVIGATION
from newsflow.errors import RejectedArticle

_MAX_GAP = 3
_MARKER_MAX_WORDS = 12

_SPACE_LIKE = dict.fromkeys(map(ord, "\u00a0\u202f\u2007\u2009\u200a\u2002\u2003\t\f\v"), " ")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u00ad\ufeff\u2060"), None)
_QUOTES = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "′": "'",
        "″": '"',
    }
)
_MULTISPACE = re.compile(r" {2,}")
_KEY_STRIP = re.compile(r"[\W_]+", re.UNICODE)
_ELLIPSIS = re.compile(r"(?:\.\.\.|…|\[\s*(?:\.\.\.|…)\s*\])\s*[\"'»]?\s*$")
_TITLE_SUFFIX = re.compile(r"\s+[|–—-]\s+[^|–—-]{2,60}$")
_STOPLIST_LANGUAGES = ("French", "English", "German", "Spanish", "Italian", "Portuguese", "Dutch")


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


def normalize_unicode(text: str) -> str:
    """NFC, plain quotes and spaces, no invisible characters, single spaces within lines."""
    text = html.unescape(text) if "&" in text else text
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE).translate(_SPACE_LIKE)
    text = text.translate(_QUOTES).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(_MULTISPACE.sub(" ", line).strip() for line in text.split("\n"))


def _key(text: str) -> str:
    """Comparison key: case, accents-as-written, punctuation and spacing ignored."""
    return " ".join(_KEY_STRIP.sub(" ", text.casefold()).split())


def is_navigation(line: str) -> bool:
    stripped = line.strip().rstrip(":›>»|").strip()
    return " ".join(stripped.casefold().split()) in NAVIGATION


def _starts_with_any(line: str, phrases: frozenset[str]) -> bool:
    """A short line that is, or starts with, one of the phrases ("À lire aussi : ...")."""
    words = line.casefold().split()
    if len(words) > _MARKER_MAX_WORDS:
        return False
    text = " ".join(words).rstrip(":›>»|.").strip()
    return text in phrases or any(text.startswith((p + " ", p + ":")) for p in phrases)


def is_end_marker(line: str) -> bool:
    return _starts_with_any(line, END_MARKERS)


def is_inline_marker(line: str) -> bool:
    return _starts_with_any(line, INLINE_MARKERS)


def _words(text: str) -> int:
    return len(text.split())


@functools.cache
def _stoplist() -> frozenset[str]:
    words: set[str] = set()
    for language in _STOPLIST_LANGUAGES:
        words |= justext.get_stoplist(language)
    return frozenset(words)


def _content_lines(lines: list[str]) -> list[bool]:
    """jusText's verdict for each line of a text dump: True where it is article content."""
    markup = (
        "<html><body>" + "".join(f"<p>{html.escape(line)}</p>" for line in lines) + "</body></html>"
    )
    paragraphs = justext.justext(markup, _stoplist(), length_low=50, length_high=150)
    if len(paragraphs) != len(lines):  # jusText merged or split something: judge by length
        return [_words(line) >= 12 for line in lines]
    return [not p.is_boilerplate for p in paragraphs]


def _headline_shaped(line: str) -> bool:
    return 3 <= _words(line) <= 30 and not line.endswith((".", ":", "...", "…", ";", ","))


def _pick_title(lines: list[str], first_content: int) -> int | None:
    """The headline: the first content line if it reads like one, else the closest before it."""
    if _headline_shaped(lines[first_content]) and first_content + 1 < len(lines):
        return first_content
    for index in range(first_content - 1, max(-1, first_content - 8), -1):
        if _headline_shaped(lines[index]):
            return index
    return None


def _drop_repeats(paragraphs: list[str]) -> list[str]:
    """Remove paragraphs seen before and truncated teasers ("...") that repeat earlier text."""
    kept: list[str] = []
    seen: set[str] = set()
    earlier = ""
    for paragraph in paragraphs:
        key = _key(paragraph)
        if not key or key in seen:
            continue
        truncated = _ELLIPSIS.search(paragraph) is not None
        if truncated or _words(paragraph) >= 8:
            prefix = _key(_ELLIPSIS.sub("", paragraph)) if truncated else key
            if truncated and " " in prefix:
                prefix = prefix.rsplit(" ", 1)[0]  # the last word may be cut
            if prefix and any(k.startswith(prefix) for k in seen if k != key):
                continue
            if truncated and prefix and prefix in earlier:
                continue
        seen.add(key)
        earlier += " " + key
        kept.append(paragraph)
    return kept


def _from_html(document: str, url: str | None) -> tuple[list[str], str | None, str | None]:
    extracted = trafilatura.bare_extraction(
        document,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        favor_precision=False,
        # Without the extensive search, htmldate never calls dateparser, whose first use in a
        # process compiles the patterns of every locale (about 2 s of CPU, stalling the stage).
        # On 208 real pages it found 204 dates of 208.
        date_extraction_params=set_date_params(extensive=False),
    )
    if extracted is None:
        return [], None, None
    text = normalize_unicode(getattr(extracted, "text", None) or "")
    title, date = getattr(extracted, "title", None), getattr(extracted, "date", None)
    return [line for line in text.split("\n") if line], title, date


def _main_block(verdicts: list[bool], lines: list[str]) -> tuple[int, int] | None:
    """The run of content lines with the most words, gaps of a few non-content lines allowed.

    Related-article lists, comment forms and footers form blocks of their own after the article;
    an article interrupted by a caption or an advertisement stays one block.
    """
    best: tuple[int, int] | None = None
    best_words = 0
    start: int | None = None
    words = gap = 0
    last_good = -1
    for index, good in enumerate([*verdicts, False]):
        ends_here = index == len(lines) or is_end_marker(lines[index])
        if good and not ends_here:
            if start is None:
                start, words = index, 0
            words += _words(lines[index])
            last_good, gap = index, 0
            continue
        if start is None:
            continue
        gap += 1
        if gap > _MAX_GAP or ends_here:
            if words > best_words:
                best, best_words = (start, last_good), words
            start = None
    return best


def _from_text(text: str, title_hint: str | None) -> tuple[list[str], str | None]:
    lines = [line for line in normalize_unicode(text).split("\n") if line]
    lines = [line for line in lines if not (is_navigation(line) or is_inline_marker(line))]
    if not lines:
        return [], title_hint
    verdicts = _content_lines(lines)
    block = _main_block(verdicts, lines)
    if block is None:  # nothing reads like an article: keep the sentences, let length decide
        return [line for line in lines if _words(line) >= 3], title_hint
    first, last = block
    title = title_hint
    if title is None:
        index = _pick_title(lines, first)
        if index is not None:
            title = lines[index]
    return [
        line for i, line in enumerate(lines[first : last + 1], start=first) if verdicts[i]
    ], title


# Limits that no news article reaches and that hostile pages do: parsing a page of hundreds of
# thousands of tags takes minutes, and NER on a book-length "article" (a table of numbers, a
# text repeated) would block a partition for as long.
MAX_HTML_TAGS = 150_000
MAX_ARTICLE_CHARS = 300_000
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
    tokens = [t for t in text.split() if _WORDLIKE.search(t)]
    lettered = sum(1 for t in tokens if any(c.isalpha() for c in t))
    if tokens and lettered / len(tokens) < MIN_PROSE_SHARE:
        raise RejectedArticle(
            f"not prose: {lettered} of {len(tokens)} tokens are words (a table of figures?)"
        )


def clean(raw: dict[str, Any], *, min_words: int = 20) -> CleanArticle:
    """A raw message (see schemas/raw.schema.json) to a CleanArticle, or RejectedArticle."""
    url = raw.get("url") or None
    title_hint = normalize_unicode(raw["title"]).strip() or None if raw.get("title") else None
    published_at = to_utc_iso(raw.get("published_at"))
    text = raw.get("text")
    if raw.get("html") and not (text and text.strip()):
        tags = raw["html"].count("<")
        if tags > MAX_HTML_TAGS:
            raise RejectedArticle(f"page of {tags} tags is over the limit of {MAX_HTML_TAGS}")
        paragraphs, html_title, html_date = _from_html(raw["html"], url)
        title = title_hint or (normalize_unicode(html_title).strip() if html_title else None)
        published_at = published_at or to_utc_iso(html_date)
    else:
        paragraphs, title = _from_text(text or "", title_hint)
    if title:
        title = _TITLE_SUFFIX.sub("", title) if _words(title) > 4 else title
        paragraphs = [p for p in paragraphs if _key(p) != _key(title)]
    paragraphs = _drop_repeats(paragraphs)
    if not paragraphs:
        raise RejectedArticle("no article text left after cleaning")
    article_text = "\n\n".join(paragraphs)
    check_article_shape(article_text)
    words = _words(article_text)
    if words < min_words:
        raise RejectedArticle(f"too short after cleaning: {words} words, minimum {min_words}")
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
        word_count=_words(text),
        content_hash=content_hash(text),
        published_at=to_utc_iso(raw.get("published_at")),
        collected_at=to_utc_iso(raw.get("collected_at")),
    )


def _source_from(url: str | None) -> str:
    if not url:
        return "unknown"
    host = re.sub(r"^[a-z]+://", "", url.lower()).split("/", 1)[0].split(":", 1)[0]
    return host.removeprefix("www.") or "unknown"
