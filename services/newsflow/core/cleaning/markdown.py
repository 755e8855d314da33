"""Markdown (what markdownify, html2text and crawlers' "markdown" output make of a page), read
as the blocks it marks.

Markdown keeps a page's text but wraps it in syntax that the line model was never shown:
links ("[Home](https://example.org/)"), images ("![](logo.png)"), headings ("## Sport"), list
markers and emphasis; html2text also wraps paragraphs at 78 characters. Read as a dump, URLs
fill the lines, a wrapped paragraph breaks into short lines, and most of a page is kept.
Markdown shows itself by its links: at least 3 lines holding a link's or an image's "](...)"
(none of the 3,152 evaluation pages' dumps does; a dump's lines may start with "# ", a number
or a comment's marker, and are no headings).

Such text is parsed (CommonMark, markdown-it-py) and written back as a dump, one block a line
(`dump.html_to_lines`): a paragraph, a heading, a list item; a link becomes its text, an image
nothing. A dump's first line holds the page's <title>: markdownify writes it first, as a
plain paragraph, html2text not at all; the cleaner takes that paragraph for the <title> when
it reads as one, else the first level-1 heading stands for it (`article`).

- A table's cells are blocks, as a dump writes an HTML table's: markdownify writes all of a
  page laid out in tables as rows of cells ("| menu | article | sidebar |", a row with more
  cells than its header, which a table parser would cut short), and its headline is one of
  them. Rows of a data table (every cell a few words, no link) stay a line each
  ("1 | Kyle Busch | 5040"); rows and cells with no text, and the delimiter row
  ("| --- | --- |"), go. Both converters write a cell's paragraphs on one line, parted by
  runs of spaces, which the reader is given as gaps (`text.normalize_unicode`): each gap
  ends a block, but not one inside a link's or an image's text.
- A line of 100 words or more (such a row, a page's text joined without its blocks) is cut
  into the lines it lost, as text without line breaks is (`unbroken`).
- Syntax that the parser could not read (html2text cuts long URLs, leaving
  "![](https://example.org/wp- content/...)", which is no image any more; a row's outer "|";
  a "**" whose pair a wrapped line took away) is removed from the lines.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass

from markdown_it import MarkdownIt

from newsflow.core.cleaning.dump import html_to_lines
from newsflow.core.cleaning.text import GAP_MARK, word_count
from newsflow.core.cleaning.unbroken import UNBROKEN_WORDS, break_lines

MARKDOWN_MIN = 3
# A link's target, which may hold one level of parentheses ("javascript:share('x')"). Brackets
# and parentheses nest no deeper and run on no longer in these patterns: each match attempt
# stops at the next bracket, so hostile text ("[[[[...", "](](](...") costs time linear in
# its length.
_TARGET = r"\((?:[^()]|\([^()]{0,256}\)){0,2048}\)"
_LINK = re.compile(rf"\]{_TARGET}")
_BROKEN_IMAGE = re.compile(rf"!\[[^\[\]]{{0,500}}\]{_TARGET}")
_BROKEN_LINK = re.compile(rf"\[([^\[\]]{{0,500}})\]{_TARGET}")
_ROW_EDGES = re.compile(r"^\|\s*|\s*\|$")
_STRONG = re.compile(r"\*\*|__")
# A table's row: a line that starts and ends with a bar. Its cells are split at bars that no
# backslash escapes ("a \\| b" is one cell); a delimiter row's cells ("---", ":-:") hold no
# text.
_ROW = re.compile(r"^[ \t]*\|.*\|[ \t]*$", re.MULTILINE)
_CELL_BAR = re.compile(r"(?<!\\)\|")
_DELIMITER_CELL = re.compile(r":?-+:?")
_DATA_CELL_WORDS = 6
# A gap (`text.normalize_unicode`) between a cell's paragraphs, not one inside a link's or an
# image's text ("![A plane (AFP)<gap>(Photo credit ...)](...)"), whose syntax it would break.
# The look-ahead stops at the next bracket or after 500 characters: linear time.
_GAP = re.compile(rf"(?<=\S){GAP_MARK}(?=\S)(?![^\[\]\n]{{0,500}}\]\()")
_HEADING_TEXT = frozenset({"text", "code_inline"})
_NOT_PLAIN = frozenset({"link_open", "image"})


class _TextParser(MarkdownIt):
    """CommonMark, with links' targets left as written: only the text of a link is read, and
    normalising its target (percent-encoding, punycode) cost more than the rest of the parse
    on a page of links."""

    def normalizeLink(self, url: str) -> str:
        return url


@functools.cache
def _parser() -> MarkdownIt:
    return _TextParser("commonmark")


def is_markdown(lines: list[str]) -> bool:
    """Whether these lines are Markdown (see MARKDOWN_MIN)."""
    found = 0
    for line in lines:
        if _LINK.search(line):
            found += 1
            if found >= MARKDOWN_MIN:
                return True
    return False


def _cells(row: re.Match[str]) -> str:
    """A table's row as Markdown blocks: each cell a paragraph, or the row one paragraph when
    it reads as a data table's (every cell a few words and no link), or nothing."""
    parts = (cell.strip() for cell in _CELL_BAR.split(row.group().strip()[1:-1]))
    cells = [cell for cell in parts if cell and not _DELIMITER_CELL.fullmatch(cell)]
    if len(cells) >= 2 and all(
        len(cell.split()) <= _DATA_CELL_WORDS and "](" not in cell for cell in cells
    ):
        cells = [" | ".join(cells)]
    return "".join(f"\n\n{cell}\n\n" for cell in cells)


def _tidy(line: str) -> str:
    line = _BROKEN_LINK.sub(r"\1", _BROKEN_IMAGE.sub("", line))
    return _STRONG.sub("", _ROW_EDGES.sub("", line)).strip()


@dataclass(frozen=True)
class MarkdownBlocks:
    """A Markdown text's blocks, one a line (`lines`), the text of its first level-1 heading
    ("" without one), and whether its first block is a paragraph without links or images,
    as markdownify writes a page's <title> (`opens_plain`)."""

    lines: list[str]
    heading: str
    opens_plain: bool


def markdown_lines(text: str) -> MarkdownBlocks:
    """The blocks of a Markdown text, one a line, as a dump writes them after its <title>."""
    parser = _parser()
    if "|" in text:
        text = _ROW.sub(_cells, text)
    if GAP_MARK in text:
        text = _GAP.sub("\n\n", text)
    tokens = parser.parse(text)
    heading = ""
    for opening, inline in itertools.pairwise(tokens):
        if opening.type == "heading_open" and opening.tag == "h1":
            parts = (c.content for c in inline.children or [] if c.type in _HEADING_TEXT)
            heading = _tidy(" ".join("".join(parts).split()))
            break
    opens_plain = (
        len(tokens) > 1
        and tokens[0].type == "paragraph_open"
        and not any(c.type in _NOT_PLAIN for c in tokens[1].children or [])
    )
    html = parser.renderer.render(tokens, parser.options, {})
    lines: list[str] = []
    for line in html_to_lines(f"<html><body>{html}</body></html>")[1:]:
        tidy = _tidy(line)
        if not tidy:
            continue
        lines.extend(break_lines(tidy) if word_count(tidy) >= UNBROKEN_WORDS else [tidy])
    return MarkdownBlocks(lines, heading, opens_plain and bool(lines))
