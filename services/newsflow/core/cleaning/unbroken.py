"""Text that a scraper wrote without line breaks, cut back into lines.

Some scrapers join a page's text with spaces (every text node of the body, one after the
other), which leaves a line of thousands of words: the menu, the headline, the article and
the footer run into each other, and the line model, which reads a dump one block a line, has
nothing to choose from. Such a line is cut where blocks most likely ended:

- after a sentence's end followed by anything but a word in lower case ("... on Monday. The
  council ..."), and after the full stop of a script without spaces;
- around a run of capitalised words (a menu's items, "Home News Sport Weather Travel", a row
  of sharing buttons): prose seldom holds five of them in a row, names and titles fewer; a
  run of eight or more is a menu, and each of its words becomes a line, as in a dump.

The cuts are not sentences in a linguist's sense, only the block boundaries a dump would
have had; the line model then scores the pieces as it scores a dump's lines. An article of a
paragraph or two, which is no dump either, is cut the same way (see UNBROKEN_WORDS).
"""

from __future__ import annotations

import re

from newsflow.core.cleaning.text import (
    SENTENCE_CLOSERS,
    SPACED_SENTENCE_MARKS,
    UNSPACED_SENTENCE_MARKS,
    word_count,
)

# Text of at most 3 lines, one of them of 100 words or more, is a page joined into one line
# ("<title>\n<everything else>" included), or an article of a paragraph or two. Cut into
# pieces, the line model reads both better than as lines: a line model's dump is never that
# short, and it took such a text's first line for the page's <title> (held-out pages, README
# "Measurements").
UNBROKEN_WORDS = 100
MAX_UNBROKEN_LINES = 3
# Capitalised words in a row: five or more are a line of their own (prose seldom holds five in
# a row, names and titles fewer); eight or more are a menu, one word a line.
_MENU_RUN = 5
_MENU_ITEMS = 8
_CLOSERS = re.escape(SENTENCE_CLOSERS)
_SENTENCE_CUT = re.compile(
    f"[{re.escape(SPACED_SENTENCE_MARKS)}][{_CLOSERS}]*\\s+"
    f"|[{re.escape(UNSPACED_SENTENCE_MARKS)}][{_CLOSERS}]*\\s*"
)


def is_unbroken(lines: list[str]) -> bool:
    """Whether text of these lines was written without its line breaks (see UNBROKEN_WORDS):
    a few lines, one of them long."""
    return len(lines) <= MAX_UNBROKEN_LINES and any(
        word_count(line) >= UNBROKEN_WORDS for line in lines
    )


def _sentence_pieces(line: str) -> list[str]:
    pieces: list[str] = []
    start = 0
    for cut in _SENTENCE_CUT.finditer(line):
        following = line[cut.end() : cut.end() + 1]
        unspaced = cut.group()[0] in UNSPACED_SENTENCE_MARKS
        # Not before a word in lower case ("approx. ten", "e.g. the"); before a capital, a
        # digit, a quotation mark or a letter of a script without case (Arabic, Devanagari,
        # Chinese), a sentence begins.
        if unspaced or (following and not following.islower()):
            pieces.append(line[start : cut.end()].strip())
            start = cut.end()
    pieces.append(line[start:].strip())
    return [piece for piece in pieces if piece]


def _capitalised(word: str) -> bool:
    return word[:1].isupper() or word in {"|", "•", "·", "&", "-", "–", "—", "/"}


def _menu_pieces(piece: str) -> list[str]:
    """The piece with its runs of _MENU_RUN or more capitalised words on lines of their own
    (one word a line from _MENU_ITEMS on)."""
    words = piece.split()
    if len(words) < _MENU_RUN:
        return [piece]
    out: list[str] = []
    kept: list[str] = []  # words of the current line, before the run
    run: list[str] = []
    for word in [*words, ""]:  # the empty word ends the last run
        if word and _capitalised(word):
            run.append(word)
            continue
        if len(run) >= _MENU_ITEMS:
            # A menu, one item a line as a dump writes it: its many short lines end the
            # article's region there, where one long line would be bridged. Its last word,
            # before a word in lower case, begins the sentence it was glued to.
            out += [" ".join(kept)] if kept else []
            out += run[:-1] if word else run
            kept = run[-1:] if word else []
        elif len(run) >= _MENU_RUN:
            out += [" ".join(kept), " ".join(run)] if kept else [" ".join(run)]
            kept = []
        else:
            kept += run
        run = []
        if word:
            kept.append(word)
    if kept:
        out.append(" ".join(kept))
    return out


def break_lines(line: str) -> list[str]:
    """An unbroken line (see `is_unbroken`) cut into the lines a dump would have had."""
    return [menu for piece in _sentence_pieces(line) for menu in _menu_pieces(piece)]
