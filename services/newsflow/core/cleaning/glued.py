"""Text as BeautifulSoup's `soup.get_text()` writes a page when given no separator.

The text of neighbouring elements runs together ("... said on Wednesday.The stabbing
occurred ...", "... Austria saysNewsNBC News"); line breaks are the page source's own, and a
page whose source is one line (minified) comes out as one line. Read as a dump, an article's
paragraphs fuse into one line with the links after them, and the line model keeps the lot.

Such text shows itself by sentences run together: twice or more, a sentence's end followed
by a capitalised word with no space between them (3 % of the 3,152 evaluation pages' dumps
have that too, where a page's markup parts two blocks without a line break; breaking those
changes none of their scores). Its lines are then broken where elements met: there, and at
the gaps the source's layout leaves between words (runs of 3 spaces or more). Unbroken text
(`unbroken`, a minified page's) shows itself by words run together instead (a lower-case
letter followed by a capital, at least once every 150 characters: half of the evaluation
pages' minified text, 5 of their 2,162 dumps joined into one line with spaces) and is broken
between those words too; a name spelled so ("YouTube") is cut with them, which costs less
than the fused menus it parts.
"""

from __future__ import annotations

import itertools
import re

from newsflow.core.cleaning.text import GAP_MARK
from newsflow.core.cleaning.unbroken import is_unbroken

_MIN_GLUED_SENTENCES = 2
_GLUED_EVERY = 150  # characters per pair of words run together, at most
# A sentence's end glued to the next one's capitalised first word: "Wednesday.The".
_GLUED_SENTENCE = re.compile(
    r"(?<=[a-z\u00df-\u00ff)\]\"'»”][.!?])(?=[A-Z\u00c0-\u00de][a-z\u00df-\u00ff])"
)
# Two words run together: two lower-case letters, then a capital and a lower-case letter
# ("saysNews"; not "iPhone" or "McDonald").
_GLUED_WORDS = re.compile(r"(?<=[a-z\u00df-\u00ff]{2})(?=[A-Z\u00c0-\u00de][a-z\u00df-\u00ff])")


def is_glued(text: str, lines: list[str]) -> bool:
    """Whether text reads as `soup.get_text()` writes it (see the module's notes). lines: its
    non-empty lines, normalised (`text.normalize_unicode`)."""
    if is_unbroken(lines):
        return _words_run_together(text)
    # Counted up to the threshold only: a long text need not be scanned to its end.
    found = itertools.islice(_GLUED_SENTENCE.finditer(text), _MIN_GLUED_SENTENCES)
    return sum(1 for _ in found) >= _MIN_GLUED_SENTENCES


def _words_run_together(text: str) -> bool:
    pairs = sum(1 for _ in _GLUED_WORDS.finditer(text))
    return pairs * _GLUED_EVERY >= len(text)


def unglue(text: str, lines: list[str]) -> str:
    """The text, normalised with its gaps marked (`text.normalize_unicode(text, gaps=True)`),
    with a line break wherever its elements met (see the module's notes); lines as for
    `is_glued`."""
    text = _GLUED_SENTENCE.sub("\n", text.replace(GAP_MARK, "\n"))
    if is_unbroken(lines) and _words_run_together(text):
        text = _GLUED_WORDS.sub("\n", text)
    return text
