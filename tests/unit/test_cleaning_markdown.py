"""Markdown sent as text: parsed into its blocks, then cleaned as a dump."""

from __future__ import annotations

import textwrap

from newsflow.core.cleaning import clean
from newsflow.core.cleaning.markdown import is_markdown, markdown_lines
from newsflow.core.cleaning.text import normalize_unicode
from tests.invented_article import HEADLINE, PARAGRAPHS, assert_cleans_to_article

# As html2text writes a page: links with their URLs, a logo, a menu as a list, paragraphs
# wrapped at 78 characters, the share buttons and the footer.
PAGE = "\n\n".join(
    [
        "[![Arle Valley Gazette](https://gazette.example/logo.png)](https://gazette.example/)",
        "\n".join(
            f"  * [{item}](https://gazette.example/{item.lower()}/)"
            for item in ("Home", "News", "Local", "Sport", "Weather", "Opinion")
        ),
        f"# {HEADLINE}",
        "By [Jane Doe](https://gazette.example/authors/jane-doe/)",
        *(textwrap.fill(paragraph, 78) for paragraph in PARAGRAPHS[:2]),
        "The repairs will replace the damaged stones with stone from the same quarry and "
        "rebuild\nthe parapet, which the council expects to cost a **little under two "
        "million**.",
        *(textwrap.fill(paragraph, 78) for paragraph in PARAGRAPHS[3:]),
        "Share: [Facebook](https://facebook.example/share) [Email](mailto:?body=bridge)",
        "| [Contact](https://gazette.example/contact/) | [Privacy](https://gazette.example/p/) |",
    ]
)


def test_markdown_is_recognised_by_its_links_and_a_dump_is_not() -> None:
    assert is_markdown(PAGE.split("\n"))
    # Lines starting with "# " are no evidence: dumps have them ("# 1 : ...").
    dump = ["Top stories | Gazette", "# 1 : Bridge to close", "# 2 : Fair opens", "# 3 : Rain"]
    assert not is_markdown(dump)


def test_markdown_is_read_as_one_block_a_line() -> None:
    blocks = markdown_lines(PAGE)
    lines = blocks.lines
    assert blocks.heading == HEADLINE
    assert not blocks.opens_plain  # the logo's link comes first
    # Wrapped paragraphs are whole again, links are their text, images and emphasis gone.
    for paragraph in PARAGRAPHS:
        assert paragraph in lines
    assert lines[:6] == ["Home", "News", "Local", "Sport", "Weather", "Opinion"]
    assert "By Jane Doe" in lines
    assert not any("https://" in line or "**" in line for line in lines)
    # A table's cells are blocks of their own, as in a dump of the page's HTML.
    assert lines[-2:] == ["Contact", "Privacy"]


def test_a_links_text_is_read_whatever_its_target() -> None:
    # Targets are left as written (never normalised): only their text is read.
    links = [
        "[Café du Port](https://café.example/a b)",
        "[Ελλάδα](https://ελλάδα.example/%zz)",
        "[Share](javascript:share('x'))",
    ]
    assert markdown_lines("\n\n".join(links)).lines == ["Café du Port", "Ελλάδα", "Share"]


def test_a_page_laid_out_in_one_table_row_is_cut_into_lines() -> None:
    row = f"| Home News Sport | {' '.join(PARAGRAPHS)} | Contact |"
    blocks = markdown_lines("\n".join([row, *["[a](https://x.example/)"] * 3]))
    lines = blocks.lines
    assert blocks.heading == ""
    assert "Engineers found last autumn" in " ".join(lines)
    assert max(len(line.split()) for line in lines) < 100


def test_a_page_laid_out_in_tables_is_read_a_cell_a_line_and_a_data_table_a_row_a_line() -> None:
    # As markdownify writes a page laid out in tables: rows of empty cells, delimiter rows,
    # the menu, the headline and the article each in a cell; inside the article, a table of
    # figures with an escaped bar in one cell.
    page = "\n".join(
        [
            f"{HEADLINE} - Arle Valley Gazette",
            "| | | |",
            "| --- | --- | --- |",
            "| [Home](https://gazette.example/) | [Sport](https://gazette.example/sport/) | |",
            "| |",
            f"| | {HEADLINE} | |",
            # A cell's paragraphs, parted by runs of spaces; a picture's text has such a run.
            f"| ![Arches (Photo)    (Credit: Gazette)](https://gazette.example/a.jpg)"
            f" {PARAGRAPHS[0]}     {PARAGRAPHS[1]} |",
            "| Stage | Closed \\| open | Weeks |",
            "| --- | --- | --- |",
            "| Arches | closed | 6 |",
            "| Parapet | open | 5 |",
        ]
    )
    lines = markdown_lines(normalize_unicode(page, gaps=True)).lines
    assert lines == [
        f"{HEADLINE} - Arle Valley Gazette",
        "Home",
        "Sport",
        HEADLINE,
        PARAGRAPHS[0],
        PARAGRAPHS[1],
        "Stage | Closed | open | Weeks",
        "Arches | closed | 6",
        "Parapet | open | 5",
    ]


def test_a_markdown_page_cleans_to_its_article() -> None:
    assert_cleans_to_article(PAGE, ("https://", "Facebook", "Privacy", "Opinion"))


def test_a_title_written_first_as_markdownify_does_is_taken_for_the_title_line() -> None:
    # markdownify writes the <title>'s text first; the headline is no heading on this page.
    page = f"{HEADLINE} | Arle Valley Gazette\n\n{PAGE.replace('# ', '**', 1)}"
    blocks = markdown_lines(page)
    assert blocks.opens_plain
    assert blocks.lines[0] == f"{HEADLINE} | Arle Valley Gazette"
    article = clean({"text": page, "url": "https://gazette.example/bridge"})
    assert article.title == HEADLINE
    assert "Arle Valley Gazette" not in f"{article.lead}\n\n{article.body}"
