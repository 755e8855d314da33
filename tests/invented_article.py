"""An invented local news article that the cleaner's tests write in the shapes scrapers use
(Markdown, text whose elements run together): its headline and its paragraphs."""

from __future__ import annotations

from collections.abc import Iterable

from newsflow.core.cleaning import clean

HEADLINE = "Bridge over the Arle to close for repairs"
PARAGRAPHS = [
    "The old stone bridge that carries the valley road over the Arle will close to traffic for "
    "eleven weeks from the first of March, the county council said on Tuesday.",
    "Engineers found last autumn that water had worked its way into the mortar of two of the "
    "arches, and that the parapet on the downstream side had begun to lean towards the river.",
    "The repairs will replace the damaged stones with stone from the same quarry and rebuild "
    "the parapet, which the council expects to cost a little under two million.",
    "Drivers will be sent along the ridge road through the villages of Hollins and Marford, "
    "which adds about twenty minutes to a journey from the market town to the station.",
    "Shopkeepers on the high street said they feared a quiet spring. One of them, who has run "
    "a bakery by the bridge for thirty years, said that half of her customers came over it on "
    "their way to work.",
]


def assert_cleans_to_article(text: str, furniture: Iterable[str]) -> None:
    """The text, sent as a page of the article's site, cleans to the headline and every
    paragraph, and to none of the furniture."""
    article = clean({"text": text, "url": "https://gazette.example/bridge"})
    assert article.title == HEADLINE
    cleaned = f"{article.lead}\n\n{article.body}"
    for paragraph in PARAGRAPHS:
        assert paragraph in cleaned
    for piece in furniture:
        assert piece not in cleaned
