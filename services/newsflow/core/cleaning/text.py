"""Text normal form and script-aware word counts shared by every part of the cleaner."""

from __future__ import annotations

import html
import re
import unicodedata

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
_REPLACEMENTS: dict[str, str] = {
    **{chr(k): v for k, v in _SPACE_LIKE.items()},
    **{chr(k): "" for k in _INVISIBLE},
    **{chr(k): str(v) for k, v in _QUOTES.items()},
}
_SPECIAL = re.compile("[" + re.escape("".join(_REPLACEMENTS)) + "]")
_MULTISPACE = re.compile(r" {2,}")
# A run of 3 spaces or more between words: where a converter flattened a table cell's
# paragraphs into one line (markdownify, html2text). Marked with a tab when asked, since no
# tab survives normalisation otherwise.
_GAP = re.compile(r"(?<=\S) {3,}(?=\S)")
GAP_MARK = "\t"
_KEY_WORD = re.compile(r"[^\W_]+", re.UNICODE)

# Scripts written without spaces between words (Han, kana, Thai, Lao, Khmer, Myanmar): one
# character stands for one word, which is close to the average word length there and keeps
# minimum lengths meaningful without a segmenter per language. Khmer's and Myanmar's
# punctuation (។ ៕ ៖, ၊ ။) is no word.
_UNSPACED = (
    "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u31f0-\u31ff"
    "\u0e00-\u0e7f\u0e80-\u0eff\u1780-\u17d3\u17d7-\u17ff\u1000-\u1049\u104c-\u109f"
)
# Marks that end a sentence. Scripts written with spaces go on after a space: Latin, Greek,
# Cyrillic and others (. ! ? …), Devanagari and Bengali (danda । ॥), Arabic (؟) and Urdu (۔),
# Armenian (։), Ethiopic (። ፧), Myanmar (။), Tibetan (།), Khmer (។ ៕). Chinese and Japanese go
# on at once (。！？ and the full- and half-width full stops ．｡). A cleaner that knows only
# "." reads a Hindi article as a page of captions.
SPACED_SENTENCE_MARKS = ".!?…।॥؟۔։።፧။།។៕"
UNSPACED_SENTENCE_MARKS = "。！？．｡"
SENTENCE_MARKS = SPACED_SENTENCE_MARKS + UNSPACED_SENTENCE_MARKS
# Of these, the full stops: not a question, an exclamation or an ellipsis.
FULL_STOPS = ".।۔։።။།។。．｡"
# What may follow a sentence's mark and still end it: closing quotation marks (curly ones are
# straight after normalisation) and brackets.
SENTENCE_CLOSERS = "\"'»)]」』）】"
# Commas and semicolons of the same scripts.
CLAUSE_MARKS = ",，、;；،؛፣"
TOKEN = re.compile(rf"[{_UNSPACED}]|[^\W{_UNSPACED}]+", re.UNICODE)
UNSPACED_CHAR = re.compile(rf"[{_UNSPACED}]")
_WORD = re.compile(r"\w+")


def _replace(match: re.Match[str]) -> str:
    return _REPLACEMENTS[match.group()]


def normalize_unicode(text: str, *, gaps: bool = False) -> str:
    """NFC, plain quotes and spaces, no invisible characters, single spaces within lines;
    with gaps, a run of 3 spaces or more between words is a GAP_MARK instead."""
    text = html.unescape(text) if "&" in text else text
    text = unicodedata.normalize("NFC", text)
    # One regular-expression pass over the rare characters: str.translate with a mapping looks
    # every character up and is several times slower on long non-ASCII pages.
    text = _SPECIAL.sub(_replace, text).replace("\r\n", "\n").replace("\r", "\n")
    if gaps:
        text = _GAP.sub(GAP_MARK, text)
    # Runs of spaces never span a newline: one pass over the whole text.
    return "\n".join(line.strip() for line in _MULTISPACE.sub(" ", text).split("\n"))


def key(text: str) -> str:
    """Comparison key: case, accents-as-written, punctuation and spacing ignored."""
    return " ".join(_KEY_WORD.findall(text.casefold()))


def tokens(text: str) -> list[str]:
    """Lower-cased words of spaced scripts and single characters of unspaced ones."""
    return TOKEN.findall(text.casefold())


def word_count(text: str) -> int:
    """Whitespace-separated words, where a run of an unspaced script counts one per character.

    "Le chat dort" is 3 words; "東京都は晴れ" is 6; "Tokyo 東京" is 3.
    """
    if UNSPACED_CHAR.search(text) is None:  # most text: one word a chunk
        return len(text.split())
    count = 0
    for chunk in text.split():
        unspaced = len(UNSPACED_CHAR.findall(chunk))
        count += unspaced + len(_WORD.findall(UNSPACED_CHAR.sub(" ", chunk))) if unspaced else 1
    return count
