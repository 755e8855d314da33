"""Text that a scraper wrote without line breaks: cut back into lines, then cleaned."""

from __future__ import annotations

from newsflow.core.cleaning import clean
from newsflow.core.cleaning.unbroken import UNBROKEN_WORDS, break_lines, is_unbroken

MENU = "Home News Local Sport Weather Business Culture Opinion Video Podcasts Newsletters"
FOOTER = "Contact About Us Careers Advertise Privacy Policy Cookie Settings Terms Of Use"
TITLE = "Bridge over the Arle to close for repairs | Arle Valley Gazette"
ARTICLE = [
    "Bridge over the Arle to close for repairs",
    "The old stone bridge that carries the valley road over the Arle will close to traffic "
    "for eleven weeks from the first of March, the county council said on Tuesday.",
    "Engineers found last autumn that water had worked its way into the mortar of two of the "
    "arches, and that the parapet on the downstream side had begun to lean towards the river.",
    "The repairs will replace the damaged stones with stone from the same quarry, rebuild the "
    "parapet and lay a new surface, which the council expects to cost a little under two "
    "million over the whole of the work.",
    "Drivers will be sent along the ridge road through the villages of Hollins and Marford, "
    "which adds about twenty minutes to a journey from the market town to the station.",
    "Shopkeepers on the high street said they feared a quiet spring. One of them, who has run "
    "a bakery by the bridge for thirty years, said that half of her customers came over it on "
    "their way to work and would now go elsewhere.",
    "The council said that people on foot and on bicycles would still be able to cross for "
    "most of the closure, on a narrow lane fenced off from the works, except for two weekends "
    "when the arches are lifted into place by a crane.",
    "A public meeting about the closure will be held in the village hall next Thursday "
    "evening, where the engineers will explain the work and answer questions from residents.",
    "The bridge was built in the eighteenth century and was last repaired after the floods "
    "of the winter before last, when the river rose to within a metre of the arches and the "
    "road was shut for three days while divers checked the piers.",
    "Local historians have asked that the date stone on the upstream side be kept, and the "
    "council has promised that it will be cleaned and set back in its place when the work "
    "is done.",
]
SHARE = "Share Facebook Twitter Email Print WhatsApp Reddit LinkedIn"


def _page(with_title: bool) -> str:
    body = " ".join([MENU, *ARTICLE, SHARE, FOOTER])
    return f"{TITLE}\n{body}" if with_title else f"{TITLE} {body}"


def test_a_page_joined_into_one_line_is_recognised_and_a_dump_is_not() -> None:
    assert is_unbroken([_page(with_title=False)])
    assert is_unbroken(_page(with_title=True).split("\n"))
    dump = [TITLE, *MENU.split(), *ARTICLE, *FOOTER.split()]
    assert not is_unbroken(dump)
    # A paragraph or two of fewer words than the threshold: lines as they are.
    assert len(" ".join(ARTICLE[1:3]).split()) < UNBROKEN_WORDS
    assert not is_unbroken([ARTICLE[0], " ".join(ARTICLE[1:3])])


def test_an_article_of_a_paragraph_or_two_keeps_every_sentence() -> None:
    text = f"{' '.join(ARTICLE[1:5])}\n{' '.join(ARTICLE[5:])}"
    assert is_unbroken(text.split("\n"))
    article = clean({"text": text, "url": "https://gazette.example/bridge"})
    assert f"{article.lead}\n\n{article.body}".split() == " ".join(ARTICLE[1:]).split()
    assert article.title is None


def test_an_unbroken_line_is_cut_at_sentence_ends_and_around_menus() -> None:
    pieces = break_lines(
        "Home News Local Sport Weather Business Culture Opinion The road will close on "
        "Monday. It costs 2.5 million, the council said. « Nous verrons », a-t-il dit. "
        "Ask Mary Ann Lee about it. Ask Mary Ann Lee Smith Jones about it. "
        "道路は閉鎖される。工事は三月に始まる。"
    )
    # A run of eight or more capitalised words: one word a line, as a dump writes a menu.
    assert pieces[:8] == [
        "Home",
        "News",
        "Local",
        "Sport",
        "Weather",
        "Business",
        "Culture",
        "Opinion",
    ]
    # The run ends at the first word of the sentence it was glued to.
    assert pieces[8] == "The road will close on Monday."
    # No cut inside a number, nor before a lower-case word.
    assert "It costs 2.5 million, the council said." in pieces
    assert "« Nous verrons », a-t-il dit." in pieces
    # Four capitalised words in a row stay in their sentence; five to seven are a line of
    # their own, in one piece.
    assert "Ask Mary Ann Lee about it." in pieces
    assert "Ask Mary Ann Lee Smith Jones" in pieces
    assert "about it." in pieces
    # Scripts without spaces: after each full stop.
    assert pieces[-2:] == ["道路は閉鎖される。", "工事は三月に始まる。"]


def test_an_unbroken_line_is_cut_at_the_full_stops_of_other_scripts() -> None:
    pieces = break_lines(
        "सड़क सोमवार को बंद होगी। काम मार्च में शुरू होगा। "
        "سيُغلق الطريق يوم الاثنين. هل سيبدأ العمل في مارس؟ نعم۔ "
        "Ճանապարհը կփակվի երկուշաբթի։ Աշխատանքը կսկսվի մարտին։"
    )
    assert pieces == [
        "सड़क सोमवार को बंद होगी।",
        "काम मार्च में शुरू होगा।",
        "سيُغلق الطريق يوم الاثنين.",
        "هل سيبدأ العمل في مارس؟",
        "نعم۔",
        "Ճանապարհը կփակվի երկուշաբթի։",
        "Աշխատանքը կսկսվի մարտին։",
    ]


def test_a_page_joined_into_one_line_cleans_to_its_article() -> None:
    article = clean({"text": _page(with_title=False), "url": "https://gazette.example/bridge"})
    text = f"{article.lead}\n\n{article.body}"
    for sentence in (ARTICLE[1], ARTICLE[4], ARTICLE[-1]):
        assert sentence in text
    for furniture in ("Podcasts", "Newsletters", "WhatsApp", "Cookie Settings"):
        assert furniture not in text
    # Glued to the menu and the byline, no piece is a headline: no title rather than a fragment.
    assert article.title is None


def test_a_title_line_over_an_unbroken_page_gives_the_title() -> None:
    article = clean({"text": _page(with_title=True), "url": "https://gazette.example/bridge"})
    assert article.title == "Bridge over the Arle to close for repairs"
    text = f"{article.lead}\n\n{article.body}"
    assert ARTICLE[2] in text
    for furniture in ("Podcasts", "WhatsApp", "Cookie Settings"):
        assert furniture not in text
