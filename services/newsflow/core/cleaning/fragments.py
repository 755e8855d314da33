"""Text that a scraper wrote with a line break at every tag, joined back into blocks.

`"\\n".join(soup.stripped_strings)`, `soup.get_text("\\n")` and the like write each text node
on a line of its own: a link or a word in bold inside a paragraph ends a line, and a paragraph
becomes "London has fought dirty air since the" / "14th century" / "and still suffers" / ...
The line model reads a dump one block a line: it takes such shreds for a menu's items, and
the article breaks up into short lines it does not keep.

Such text shows itself by lines that start with the punctuation that continues a sentence
(", and ...", ". The ...", ") ...") under a line that ends none: a dump written one block a
line seldom has two of them, text written a node a line most often has (README,
"Measurements"). In such text a line is joined to the one above it when that one ends no
sentence and the line

- starts with such punctuation, or
- starts with a word in lower case, and one of the two lines holds 4 words or more, or
- is a link's text of at most 8 words ("Environmental Kuznets Curve") between a line of 4
  words or more and a line that continues the sentence: one starting with such punctuation,
  or 4 words or more starting in lower case.

A line that repeats the <title> (the headline) is never joined to the line under it, which
may start in lower case ("by Jane Doe"). The joins are only the block boundaries a dump would
not have had; a capitalised word that continues a sentence ("India's" / "Supreme Court ruled
...") stays a line of its own.
"""

from __future__ import annotations

import itertools
import re

from newsflow.core.cleaning.text import (
    CLAUSE_MARKS,
    FULL_STOPS,
    SENTENCE_CLOSERS,
    SENTENCE_MARKS,
    UNSPACED_CHAR,
    key,
    word_count,
)

# Lines starting with punctuation that continues a sentence, under a line that ends none: two
# or more, and the text was written a text node a line.
FRAGMENTED_MIN = 2
_JOIN_WORDS = 4
_LINK_WORDS = 8
# A colon or a semicolon ends a text node's sentence too: a list follows.
_SENTENCE_END = re.compile(f"[{re.escape(SENTENCE_MARKS)}:;：；][{re.escape(SENTENCE_CLOSERS)}]*$")
# Counted as evidence of a text node a line: full stops, commas, colons and closing brackets;
# not "!", "?" or "%", which a block may begin with ("!!! Breaking"), nor an ellipsis ("...
# and more").
_EVIDENCE_MARKS = FULL_STOPS + CLAUSE_MARKS + ":：)]）」』】"
_EVIDENCE = re.compile(f"^[{re.escape(_EVIDENCE_MARKS)}]")
# What a line may start with when it continues the line above: those, and, when joining, any
# mark that ends a sentence ("... the Environmental Kuznets Curve" / ". Named").
_CONTINUES = re.compile(f"^[{re.escape(_EVIDENCE_MARKS + SENTENCE_MARKS.replace('…', ''))}%]")
_ELLIPSIS = ("...", "…")


def _ends_sentence(line: str) -> bool:
    return _SENTENCE_END.search(line) is not None


def _continues(line: str) -> bool:
    """Whether a line continues the sentence of a link's text above it."""
    return _CONTINUES.match(line) is not None or (
        line[:1].islower() and word_count(line) >= _JOIN_WORDS
    )


def is_fragmented(lines: list[str]) -> bool:
    """Whether these lines were written a text node a line (see FRAGMENTED_MIN)."""
    found = 0
    for above, line in itertools.pairwise(lines):
        if _EVIDENCE.match(line) and not line.startswith(_ELLIPSIS) and not _ends_sentence(above):
            found += 1
            if found >= FRAGMENTED_MIN:
                return True
    return False


def _glued(pieces: list[str]) -> str:
    # No space before closing punctuation, nor between two characters of a script without
    # spaces; a space everywhere else, where the text node most likely ended in one.
    parts = [pieces[0]]
    for above, piece in itertools.pairwise(pieces):
        if not (
            _CONTINUES.match(piece)
            or (UNSPACED_CHAR.match(above[-1:]) and UNSPACED_CHAR.match(piece))
        ):
            parts.append(" ")
        parts.append(piece)
    return "".join(parts)


def join_fragments(lines: list[str], title: str = "") -> list[str]:
    """The lines with each paragraph's shreds joined back into one line (see the module's
    docstring). title: the page's <title>, whose repeats are never joined to a line under
    them."""
    title_key = f" {key(title)} "
    joined: list[str] = []
    i, count = 0, len(lines)
    while i < count:
        pieces = [lines[i]]
        i += 1
        piece_key = key(pieces[0])
        if piece_key.count(" ") >= 1 and f" {piece_key} " in title_key:
            joined.append(pieces[0])
            continue
        # The pieces are glued once, at the end, and only the last is read: a text of many
        # thousand shreds costs no more than its length.
        words = word_count(pieces[0])
        while i < count and not _ends_sentence(pieces[-1]):
            line = lines[i]
            line_words = word_count(line)
            # Punctuation that continues the sentence, or a word in lower case where either
            # line is more than a menu item.
            if _CONTINUES.match(line) or (
                line[:1].islower() and (words >= _JOIN_WORDS or line_words >= _JOIN_WORDS)
            ):
                pieces.append(line)
                words, i = words + line_words, i + 1
            elif (
                i + 1 < count
                and words >= _JOIN_WORDS
                and line_words <= _LINK_WORDS
                and not _ends_sentence(line)
                and _continues(lines[i + 1])
            ):
                pieces += [line, lines[i + 1]]
                words, i = words + line_words + word_count(lines[i + 1]), i + 2
            else:
                break
        joined.append(_glued(pieces))
    return joined
