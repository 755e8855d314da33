"""An HTML page as the text dump a naive scraper writes.

The first line is the page's <title>; then one line per block element (paragraphs, headings,
list items, table cells, divs with text of their own), menus, footers and navigation included,
inline elements glued to their neighbours as a browser renders them. Links that sit side by
side with nothing between them (menus) come out one per line, as most scrapers write them.
The line cleaner learns from pages turned into this shape, so that it sees at training time
what users send it.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

_DROP = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "math",
        "head",
        "iframe",
        "object",
        "embed",
        "canvas",
        "textarea",
        "input",
        "video",
        "audio",
        "source",
        "picture",
        "img",
        "map",
        "link",
        "meta",
    }
)
# Ruby annotations: the reading printed above a word (Japanese furigana). Naive scrapers glue
# it to the word ("子こども"), and so do the dumps the line model learns from.
_RUBY = frozenset({"rt", "rp"})
_BLOCK = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "td",
        "th",
        "ul",
        "caption",
        "legend",
        "menu",
        "center",
        "html",
        "button",
        "label",
        "br",
        "hgroup",
        "frameset",
        "noframes",
        "option",
    }
)
_SPACES = re.compile(r"\s+")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# The page's charset is what a <meta> declares (charset="..." or http-equiv's content="...;
# charset=..."); a <script charset="utf-8"> names its own file's. Looked for well past the
# 1,024 bytes browsers read: web archives put their own scripts before the page's <head>.
_META_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
_CHARSET_SCAN = 65_536
_LIST_PUNCTUATION = " \n\t|·•-–—/"


def decode_html(data: bytes) -> str:
    """Bytes of a saved page as text: UTF-8, else the declared charset, else Windows-1252."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _META_CHARSET.search(data[:_CHARSET_SCAN])
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"), errors="replace")
        except LookupError:
            pass
    return data.decode("cp1252", errors="replace")


def _tag(element: etree._Element) -> str:
    tag = element.tag
    return tag.lower().rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _link_list(parent: etree._Element) -> bool:
    """Whether the links among these children sit side by side with no text between them (a
    menu, one item per line). Asked once per parent, not per link: a paragraph of thousands of
    links would otherwise cost their square."""
    if len(parent) < 2 or (parent.text and parent.text.strip()):
        return False
    links = 0
    for child in parent:
        if child.tail and child.tail.strip(_LIST_PUNCTUATION):
            return False
        links += _tag(child) == "a"
    return links >= 2


def html_to_lines(document: str | bytes, *, readings: bool = True) -> list[str]:
    """The dump's lines, the page's <title> first ("" when it has none).

    readings: keep ruby readings after their words, as a naive scraper does; the cleaner's own
    reading of a page leaves them out.
    """
    skipped = _DROP if readings else _DROP | _RUBY
    if isinstance(document, bytes):
        document = decode_html(document)
    try:
        root = lxml.html.document_fromstring(_XML_DECLARATION.sub("", document))
    except (etree.ParserError, ValueError):
        return [""]
    title_element = root.find(".//title")
    title = "" if title_element is None else _SPACES.sub(" ", title_element.text_content())
    lines = [title.strip()]
    buffer: list[str] = []

    def flush() -> None:
        text = _SPACES.sub(" ", "".join(buffer)).strip()
        buffer.clear()
        if text:
            lines.append(text)

    # An explicit stack instead of recursion: no recursion limit to meet on deeply nested pages.
    # Each entry: the element, whether it is being closed, and whether it opens and closes a
    # line of its own (a block, or a link of a menu).
    stack: list[tuple[etree._Element, bool, bool]] = []
    body = root.find(".//body")
    stack.append((body if body is not None else root, False, False))
    while stack:
        element, closing, block = stack.pop()
        if closing:
            if block:
                flush()
            if element.tail:
                buffer.append(element.tail)
            continue
        tag = _tag(element)
        if not tag or tag in skipped:
            if element.tail:
                buffer.append(element.tail)
            continue
        block = block or tag in _BLOCK
        if block:
            flush()
        if element.text:
            buffer.append(element.text)
        stack.append((element, True, block))
        menu = _link_list(element)
        stack.extend((child, False, menu and _tag(child) == "a") for child in reversed(element))
    flush()
    return lines


def html_to_dump(document: str | bytes, *, readings: bool = True) -> str:
    """The dump as one string: lines separated by blank lines, as scrapers save them."""
    return "\n\n".join(html_to_lines(document, readings=readings)) + "\n"
