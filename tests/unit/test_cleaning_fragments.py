"""Text that a scraper wrote a text node a line: each paragraph's shreds joined, then cleaned."""

from __future__ import annotations

import re

from newsflow.core.cleaning import clean
from newsflow.core.cleaning.fragments import is_fragmented, join_fragments

TITLE = "Bridge over the Arle to close for repairs | Arle Valley Gazette"
HEADLINE = "Bridge over the Arle to close for repairs"
BYLINE = "by Jane Doe, local affairs reporter"
MENU = ["Home", "News", "Local", "Sport", "Weather", "Business", "Culture", "Opinion"]
# Paragraphs as a page marks them up: [...] is a link (or a word in bold) inside the paragraph.
MARKED = [
    "The old stone bridge that carries the [valley road] over the Arle will close to traffic "
    "for eleven weeks from the first of March, the [county council] said on Tuesday.",
    "Engineers working for the [Marford Stone Company] found last autumn that water had worked "
    "its way into the [mortar], and that the parapet on the downstream side had begun to lean "
    "towards the river.",
    "The repairs will replace the damaged stones with stone from the same quarry and rebuild "
    "the parapet, according to the [Arle Valley Gazette]. The council expects the work to cost "
    "a little under two million.",
    "Drivers will be sent along the ridge road through the villages of Hollins and Marford, "
    "which adds about twenty minutes to a journey from the market town to the station.",
    "Shopkeepers on the high street said they feared a quiet spring. One of them, who has run "
    "a bakery by the bridge for thirty years, said that half of her customers came over it "
    "on their way to work and would now go elsewhere.",
    "A public meeting about the closure will be held in the [village hall] next Thursday "
    "evening, where the engineers will explain the work and answer questions (see the "
    "[council's notice]).",
]
PARAGRAPHS = [paragraph.replace("[", "").replace("]", "") for paragraph in MARKED]
SHARE = ["Share this article", "Facebook", "Twitter", "Email"]
FOOTER = ["Contact", "About us", "Privacy policy", "Cookie settings"]


def _nodes(paragraph: str) -> list[str]:
    """The paragraph's text nodes, a line each, as `soup.get_text("\\n", strip=True)` writes."""
    return [piece.strip() for piece in re.split(r"[\[\]]", paragraph) if piece.strip()]


def _page(lines_of: object) -> list[str]:
    return [
        TITLE,
        *MENU,
        HEADLINE,
        BYLINE,
        *(line for paragraph in MARKED for line in lines_of(paragraph)),  # type: ignore[operator]
        *SHARE,
        *FOOTER,
    ]


NODE_A_LINE = _page(_nodes)
BLOCK_A_LINE = _page(lambda paragraph: [paragraph.replace("[", "").replace("]", "")])


def test_text_written_a_node_a_line_is_recognised_and_a_dump_is_not() -> None:
    assert is_fragmented(NODE_A_LINE[1:])
    assert not is_fragmented(BLOCK_A_LINE[1:])
    # One line starting with ", " is no evidence: a block may start with anything once.
    assert not is_fragmented(["Menu", "Prices rise", ", and more", "Contact"])


def test_shreds_are_joined_into_their_paragraphs_and_nothing_else_is() -> None:
    joined = join_fragments(NODE_A_LINE[1:], TITLE)
    assert joined == BLOCK_A_LINE[1:]
    # The headline is not joined to the byline under it, though that starts in lower case.
    assert joined[len(MENU)] == HEADLINE
    assert joined[len(MENU) + 1] == BYLINE


def test_a_capitalised_word_that_continues_a_sentence_stays_a_line() -> None:
    # A link at a line's start that is not inside a sentence's flow cannot be told from a
    # heading: it stays a line, and what follows it in lower case joins it.
    lines = ["Air quality alerts are common.", "Paris", "has also suffered from smog."]
    assert join_fragments(lines) == [
        "Air quality alerts are common.",
        "Paris has also suffered from smog.",
    ]
    # Scripts without spaces join without a space.
    assert join_fragments(["新しい道路は", "県道", "、来月から閉鎖される。"]) == [
        "新しい道路は県道、来月から閉鎖される。"
    ]


def test_a_page_written_a_node_a_line_cleans_to_whole_paragraphs() -> None:
    article = clean({"text": "\n".join(NODE_A_LINE), "url": "https://gazette.example/bridge"})
    text = f"{article.lead}\n\n{article.body}"
    for paragraph in PARAGRAPHS:
        assert paragraph in text
    for furniture in ("Share this article", "Cookie settings", "Opinion"):
        assert furniture not in text
    assert article.title == HEADLINE
