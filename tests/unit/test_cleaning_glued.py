"""Text as soup.get_text() writes a page: broken where its elements met, then cleaned."""

from __future__ import annotations

from newsflow.core.cleaning.glued import is_glued, unglue
from newsflow.core.cleaning.text import normalize_unicode
from tests.invented_article import HEADLINE, PARAGRAPHS, assert_cleans_to_article

# The page's source lines, indented as its HTML was; the menu's links, the article's
# paragraphs and the share buttons each run together, as no separator parts them, and the
# source's layout leaves a gap between two links.
SOURCE = "\n".join(
    [
        "",
        f"  {HEADLINE} | Arle Valley Gazette",
        "",
        "    HomeNewsLocalSportWeatherOpinion",
        f"      {HEADLINE}",
        "      By Jane Doe",
        "      " + "".join(PARAGRAPHS),
        "    ShareFacebookTwitterEmail",
        "    More from Local",
        "      Fair opens on the green      Rain on the way for the weekend",
        "  Copyright Arle Valley Gazette",
        "",
    ]
)


def _lines(text: str) -> list[str]:
    return [line for line in normalize_unicode(text).split("\n") if line]


def _gapped(text: str) -> str:
    return normalize_unicode(text, gaps=True)


def test_source_shaped_text_is_recognised_and_a_dump_is_not() -> None:
    assert is_glued(SOURCE, _lines(SOURCE))
    dump = "\n".join([f"{HEADLINE} | Arle Valley Gazette", "Home", "News", HEADLINE, *PARAGRAPHS])
    assert not is_glued(dump, _lines(dump))
    # One sentence run into the next is not enough: a dump's markup may part two blocks so.
    once = "\n".join([*PARAGRAPHS[:2], PARAGRAPHS[2] + PARAGRAPHS[3], PARAGRAPHS[4]])
    assert not is_glued(once, _lines(once))
    assert is_glued(once + PARAGRAPHS[0], _lines(once + PARAGRAPHS[0]))


def test_lines_are_broken_where_elements_met() -> None:
    lines = _lines(unglue(_gapped(SOURCE), _lines(SOURCE)))
    for paragraph in PARAGRAPHS:
        assert paragraph in lines
    assert "Fair opens on the green" in lines
    assert "Rain on the way for the weekend" in lines
    # Words that run together are parted only in unbroken text (below).
    assert "HomeNewsLocalSportWeatherOpinion" in lines


def test_run_together_words_of_unbroken_text_are_parted() -> None:
    minified = (
        f"{HEADLINE} | Arle Valley GazetteHomeNewsLocalSportWeatherOpinion{HEADLINE}By Jane Doe"
        + "".join(PARAGRAPHS)
        + "ShareFacebookTwitterEmail"
    )
    lines = _lines(unglue(_gapped(minified), _lines(minified)))
    assert {"Home", "News", "Local", "Sport", "Weather", "Facebook", "Twitter"} <= set(lines)
    assert PARAGRAPHS[1] in lines
    # A lower-case letter alone before a capital, or a capital before it, parts nothing.
    prose = " ".join(["Her iPhone showed the McDonald farm."] * 40)
    assert unglue(_gapped(prose), _lines(prose)) == prose


def test_text_written_by_get_text_cleans_to_its_article() -> None:
    assert_cleans_to_article(SOURCE, ("Facebook", "Fair opens", "Copyright", "Opinion"))
