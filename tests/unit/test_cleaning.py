"""The cleaner's pure core on the real scraped sample and on small made-up cases."""

from __future__ import annotations

from pathlib import Path

import pytest
from trafilatura.utils import load_html

from newsflow.core.cleaning import article as article_module
from newsflow.core.cleaning import clean, normalize_unicode
from newsflow.core.cleaning.article import _page_meta, long_enough
from newsflow.core.cleaning.dump import html_to_dump
from newsflow.errors import RejectedArticle

SAMPLE = Path(__file__).parents[1] / "fixtures" / "sample_article.txt"
FIRST_PARAGRAPH = (
    "L'armée syrienne a interrompu ses opérations de combat à Alep pour permettre l'évacuation "
    "des civils, a annoncé jeudi à Hambourg le ministre russe des Affaires étrangères Sergueï Lavrov."
)
LONG = " ".join(["Le conseil municipal a voté le budget de la ville pour l'année prochaine."] * 3)
PARAGRAPHS = "".join(f"<p>{LONG} Paragraphe {i}.</p>" for i in range(4))


@pytest.fixture(scope="module")
def sample() -> str:
    return SAMPLE.read_text(encoding="utf-8")


def test_sample_title_lead_and_body(sample: str) -> None:
    article = clean({"text": sample})
    assert article.title == "Lavrov annonce un arrêt des frappes syriennes à Alep"
    assert article.lead == FIRST_PARAGRAPH
    assert article.body.startswith('"Je peux vous dire')
    assert article.body.endswith("sur le régime syrien pour y parvenir.")


def test_sample_navigation_duplicate_lead_and_teaser_are_gone(sample: str) -> None:
    article = clean({"text": sample})
    everything = "\n".join([article.title or "", article.lead or "", article.body])
    assert "Rechercher" not in everything
    assert "Dernières Infos" not in everything
    assert everything.count(FIRST_PARAGRAPH) == 1
    assert "..." not in everything.replace("(...)", "")
    assert everything.count("Je peux vous dire") == 1


def test_sample_word_count_hash_and_stable_id(sample: str) -> None:
    first, second = clean({"text": sample}), clean({"text": sample + "\n\n"})
    assert first.word_count == len(f"{first.lead}\n\n{first.body}".split())
    assert len(first.content_hash) == 64
    assert first.id == second.id
    assert first.content_hash == second.content_hash


def test_url_gives_the_id_and_the_source(sample: str) -> None:
    a = clean({"text": sample, "url": "https://www.Example.com/a?utm_source=x"})
    b = clean({"text": sample, "url": "https://www.example.com/a"})
    assert a.id == b.id
    assert a.source == "example.com"


def test_given_id_title_and_metadata_are_kept(sample: str) -> None:
    article = clean(
        {
            "id": "ab" * 16,
            "text": sample,
            "title": "Titre donné",
            "source": "AFP",
            "published_at": "2016-12-08T10:00:00+01:00",
            "language": "fr",
        }
    )
    assert (article.id, article.title, article.source) == ("ab" * 16, "Titre donné", "AFP")
    assert article.published_at == "2016-12-08T09:00:00Z"
    assert article.language_hint == "fr"


def test_unicode_quotes_and_spaces_are_normalised() -> None:
    text = "L\u2019armée\u00a0a dit\u202f: \u201cstop\u201d\u200b  ici\u00ad."
    assert normalize_unicode(text) == 'L\'armée a dit : "stop" ici.'
    assert normalize_unicode("e\u0301t\u00e9") == "été"  # NFC
    # Asked for, a run of 3 spaces or more between words is a gap (a tab); never at an edge.
    gapped = "  one.\u00a0\u00a0 two  three   four\t\t\tfive   "
    assert normalize_unicode(gapped, gaps=True) == "one.\ttwo three\tfour\tfive"
    assert normalize_unicode(gapped) == "one. two three four five"


def test_repeated_paragraphs_are_removed_wherever_they_are() -> None:
    text = f"Un titre pour cet article\n\n{LONG}\n\nAutre paragraphe sur un autre sujet, bien plus long que le titre lui-même.\n\n{LONG}"
    article = clean({"text": text}, min_words=5)
    assert f"{article.lead}\n{article.body}".count(LONG) == 1


def test_truncated_teaser_of_an_earlier_paragraph_is_removed() -> None:
    teaser = LONG[:60].rsplit(" ", 1)[0] + "..."
    text = f"Un titre pour cet article\n\n{LONG}\n\nLa séance a été levée à minuit après un long débat entre les élus.\n\n{teaser}"
    article = clean({"text": text}, min_words=5)
    assert not article.body.endswith("...")
    assert teaser not in article.body


def test_an_ellipsis_that_repeats_nothing_stays() -> None:
    text = f"Un titre pour cet article\n\n{LONG}\n\nEt la suite de l'histoire reste à écrire pour les habitants de la ville..."
    article = clean({"text": text}, min_words=5)
    assert article.body.endswith("la ville...")


BRIDGE = [
    "Time is running out for the old bridge.",
    "Engineers found last autumn that water had worked its way into the mortar of two of the "
    "arches, and that the parapet on the downstream side had begun to lean towards the river.",
    "The repairs will replace the damaged stones with stone from the same quarry, rebuild the "
    "parapet and lay a new surface, at a cost of a little under two million.",
    "Drivers will be sent along the ridge road through the villages of Hollins and Marford, "
    "which adds about twenty minutes to a journey from the market town to the station.",
    "A public meeting about the closure will be held in the village hall next Thursday "
    "evening, where the engineers will answer questions from residents.",
]


def test_an_articles_own_paragraphs_keep_their_first_one() -> None:
    # Text from a feed: paragraphs alone, the first of them as short as a dump's <title> line.
    article = clean({"text": "\n".join(BRIDGE), "url": "https://gazette.example/bridge"})
    assert article.lead == BRIDGE[0]
    assert article.body.split("\n\n") == BRIDGE[1:]
    # The same under its headline: the headline is the title, and no paragraph is lost.
    text = "\n".join(["Old bridge over the Arle to close for repairs", *BRIDGE])
    article = clean({"text": text, "url": "https://gazette.example/bridge"})
    assert article.title == "Old bridge over the Arle to close for repairs"
    assert article.lead == BRIDGE[0]


def test_a_text_longer_than_any_page_is_rejected_before_it_is_cleaned() -> None:
    # One line of 1.2 million characters: cleaned, it would be cut into 240,000 lines.
    with pytest.raises(RejectedArticle, match="over the limit of 1000000: send the article"):
        clean({"text": "Home " * 240_000})


def test_a_text_cut_into_more_lines_than_any_page_has_is_rejected() -> None:
    # Under the character limit, but words run together: read, it is cut into a line a word.
    with pytest.raises(RejectedArticle, match="100001 lines is over the limit of 25000: send"):
        clean({"text": "wordWord " * 100_000})


def test_a_page_whose_dump_is_over_the_line_limit_keeps_its_article_and_meta_title(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # No heading names the headline, so the learned title would read the page's dump; that
    # dump is over the limit (lowered here to keep the page small): the article stays, and so
    # does the title its <title> gives.
    monkeypatch.setattr(article_module, "MAX_TEXT_LINES", 3)
    page = f"<html><head><title>Budget voté - Ville</title></head><body>{PARAGRAPHS}</body></html>"
    cleaned = clean({"html": page})
    assert cleaned.title == "Budget voté"
    assert cleaned.body.endswith("Paragraphe 3.")
    with pytest.raises(RejectedArticle, match="over the limit of 3"):
        clean({"text": html_to_dump(page)})


def test_empty_and_too_short_texts_are_rejected() -> None:
    with pytest.raises(RejectedArticle, match="no article text"):
        clean({"text": ""})
    with pytest.raises(RejectedArticle, match="no article text"):
        clean({"text": "Rechercher\nMenu\nAccueil"})
    with pytest.raises(RejectedArticle, match="too short"):
        clean(
            {"text": "Une phrase assez courte mais complète, qui ne fait pas un article."},
            min_words=20,
        )


def test_a_short_text_written_in_sentences_is_still_an_article() -> None:
    brief = (
        "Le marché couvert rouvre samedi après deux ans de travaux. "
        "Les commerçants attendent la foule."
    )
    article = clean({"title": "Le marché rouvre", "text": brief}, min_words=20)
    assert (article.body, article.word_count) == (brief, 15)
    # As many words in a menu, or in one sentence, are not an article.
    menu = ["Accueil", "Politique", "Économie", "Sport et loisirs", "Culture", "Petites annonces"]
    menu += ["Nous contacter", "Mentions légales", "Plan du site"]
    assert not long_enough(menu, 20)
    assert not long_enough(
        ["Le marché couvert rouvre samedi après deux ans de travaux, dit-on."], 20
    )
    with pytest.raises(RejectedArticle, match=r"minimum 40 \(20 for two or more sentences\)"):
        clean({"title": "Le marché rouvre", "text": brief}, min_words=40)


def test_html_goes_through_the_extractor() -> None:
    page = (
        "<html><head><title>Budget voté | Ville</title></head><body>"
        "<nav><a href='/'>Accueil</a> <a href='/s'>Rechercher</a></nav>"
        f"<article><h1>Budget voté</h1>{PARAGRAPHS}</article>"
        "<footer>Mentions légales - Tous droits réservés</footer></body></html>"
    )
    article = clean({"html": page, "url": "https://ville.example.fr/budget"})
    assert article.title == "Budget voté"
    assert "Rechercher" not in article.body
    assert "Mentions légales" not in article.body
    assert "Paragraphe 3." in article.body


def test_html_title_leaves_out_a_kicker_that_the_page_title_does_not_have() -> None:

    def page(heading: str) -> str:
        return (
            "<html><head><title>Le budget de la ville est voté | Ville</title>"
            '<meta property="og:title" content="Le budget de la ville est voté"></head><body>'
            f"<article><h1>{heading}</h1>{PARAGRAPHS}</article></body></html>"
        )

    kicker = page("<span>Conseil municipal</span> Le budget de la ville est voté")
    assert clean({"html": kicker}).title == "Le budget de la ville est voté"
    # A heading that says more after the page title's words is the headline itself.
    longer = page("Le budget de la ville est voté malgré l'opposition")
    assert clean({"html": longer}).title == "Le budget de la ville est voté malgré l'opposition"


def test_an_h1_that_says_more_than_the_heading_repeating_the_page_title_is_the_title() -> None:

    def page(heading: str) -> str:
        return (
            "<html><head><title>Le budget de la ville est voté | Ville</title></head><body>"
            f"<article><h1>{heading}</h1>{PARAGRAPHS}"
            "<h2>Le budget de la ville est voté</h2><p>Un encadré.</p></article></body></html>"
        )

    longer = page("Le budget de la ville est voté malgré l'opposition")
    assert clean({"html": longer}).title == "Le budget de la ville est voté malgré l'opposition"
    around = page("Enfin, le budget de la ville est voté au printemps")
    assert clean({"html": around}).title == "Enfin, le budget de la ville est voté au printemps"
    # What the <h1> adds after a separator is the site's or the section's name.
    site = page("Le budget de la ville est voté | Ville")
    assert clean({"html": site}).title == "Le budget de la ville est voté"
    # Words only before the page title's: a kicker.
    kicker = page("Conseil municipal le budget de la ville est voté")
    assert clean({"html": kicker}).title == "Le budget de la ville est voté"


def test_an_h1_that_is_the_page_titles_headline_beats_a_meta_title_edited_for_sharing() -> None:
    page = (
        "<html><head><title>Budget voté, la ville investit dans ses écoles | La Gazette</title>"
        '<meta property="og:title" content="La ville investit dans ses écoles"></head><body>'
        "<article><h1>Budget voté, la ville investit dans ses écoles</h1>"
        f"{PARAGRAPHS}<h2>La ville investit dans ses écoles</h2><p>Un encadré.</p>"
        "</article></body></html>"
    )
    assert clean({"html": page}).title == "Budget voté, la ville investit dans ses écoles"
    # An <h1> that is the site's name, even as a part of the <title>, is not the headline.
    site = page.replace(
        "<h1>Budget voté, la ville investit dans ses écoles</h1>", "<h1>La Gazette</h1>"
    )
    url = "https://lagazette.fr/budget"
    assert clean({"html": site, "url": url}).title == "La ville investit dans ses écoles"


def test_a_short_h1_that_every_title_of_the_page_repeats_is_the_title() -> None:
    page = (
        "<html><head><title>Glossaire - Le Journal du Vélo</title>"
        '<meta property="og:title" content="Glossaire"></head><body>'
        "<h1>Le Journal du Vélo</h1><article><h1>Glossaire</h1>"
        f"<h2>Quelques mots du métier expliqués aux lecteurs</h2>{PARAGRAPHS}"
        "</article></body></html>"
    )
    url = "https://journal-du-velo.fr/glossaire"
    # One word, under an <h1> naming the site: still the title, both titles agree.
    assert clean({"html": page, "url": url}).title == "Glossaire"
    # When the two titles disagree, a one-word <h1> that one of them repeats proves nothing.
    other = page.replace('content="Glossaire"', 'content="Les mots du vélo, de A à Z"')
    assert clean({"html": other, "url": url}).title != "Glossaire"


def test_an_h1_that_says_more_than_a_title_cut_short_for_sharing_is_the_title() -> None:
    page = (
        "<html><head><title>Réparer un vélo | Le Journal du Vélo</title>"
        '<meta property="og:title" content="Réparer un vélo"></head><body><article>'
        "<h1>Réparer un vélo sans outils ni atelier, en dix minutes</h1>"
        f"{PARAGRAPHS}<h2>Réparer un vélo en hiver</h2><p>Un encadré.</p></article></body></html>"
    )
    expected = "Réparer un vélo sans outils ni atelier, en dix minutes"
    assert clean({"html": page}).title == expected
    # Not when the shorter title is a part of one with separators ("Kicker - Headline").
    parts = page.replace('content="Réparer un vélo"', 'content="Réparer un vélo - Atelier"')
    parts = parts.replace("<title>Réparer un vélo |", "<title>Atelier - Réparer un vélo |")
    assert clean({"html": parts}).title != expected


def test_an_h1_that_no_heading_rivals_is_the_title_when_the_titles_hold_its_words() -> None:

    def page(title: str, body: str) -> str:
        return f"<html><head><title>{title}</title></head><body>{body}{PARAGRAPHS}</body></html>"

    url = "https://atelier-velo.fr/services"
    shop = "Réparations rapides pour vos vélos de ville | Atelier Vélo"
    # Two words that the <title>'s headline part holds.
    assert clean({"html": page(shop, "<h1>Réparations rapides</h1>"), "url": url}).title == (
        "Réparations rapides"
    )
    # A section's name that shares no word with the titles is not the headline.
    section = clean({"html": page(shop, "<h1>Petites annonces</h1>"), "url": url}).title
    assert section != "Petites annonces"
    # Without an <h1>, a lower heading that every title repeats, however short.
    assert clean({"html": page("Tarifs", "<h2>Tarifs</h2><h2>Horaires</h2>")}).title == "Tarifs"
    # An <h1> written as a sentence that holds most of the shortened <title>.
    sentence = "Quand les freins du vélo grincent, un réglage simple suffit souvent."
    brakes = page("Freins du vélo qui grincent | Atelier Vélo", f"<h1>{sentence}</h1>")
    assert clean({"html": brakes, "url": url}).title == sentence
    # An <h1> spelling the site's name is not the title.
    blog = page(
        "Atelier Vélo Paris » Blog » Les freins à disque gagnent les vélos de ville",
        "<h1>Atelier Vélo Paris</h1>",
    )
    blog_url = "https://ateliervelo-paris.fr/blog/freins"
    assert clean({"html": blog, "url": blog_url}).title == (
        "Les freins à disque gagnent les vélos de ville"
    )


def test_a_short_h1_is_the_title_of_a_page_without_titles_when_no_link_or_h1_rivals_it() -> None:

    def page(body: str) -> str:
        return f"<html><head><title></title></head><body>{body}{PARAGRAPHS}</body></html>"

    def meta(body: str) -> tuple[str | None, bool]:
        found = _page_meta(load_html(page(body)), None)
        return found.title, found.title_from_heading

    nav = "<nav><a href='/'>Accueil</a><a href='/sport'>Sport</a></nav>"
    assert meta(f"{nav}<h1>Bel effort</h1>") == ("Bel effort", True)
    # A section's name: a link of the menu, or one <h1> among the page's boxes. (What the
    # cleaner falls back on then is another rule's, or the learned title.)
    assert meta(f"{nav}<h1>Sport</h1>")[1] is False
    assert meta(f"{nav}<h1>Bel effort</h1><h1>Galerie photo</h1>")[1] is False


def _herald_meta(title: str, body: str) -> tuple[str | None, bool]:
    """The title and whether a heading gave it, for a page of vherald.example."""
    html = f"<html><head><title>{title}</title></head><body>{body}{PARAGRAPHS}</body></html>"
    found = _page_meta(load_html(html), "https://www.vherald.example/story/1")
    return found.title, found.title_from_heading


def test_an_h1_repeating_the_last_part_of_the_title_is_the_headline() -> None:
    meta = _herald_meta

    # The paper's name first, the headline last: not the notice in the first <h1>.
    title = "The Valley Herald | Reports: mill to cut up to 2,000 jobs"
    notice = "<h1>This page requires a javascript enabled browser</h1>"
    headline = "Reports: mill to cut up to 2,000 jobs"
    assert meta(title, f"{notice}<h1>{headline}</h1>") == (headline, True)
    # Without an <h1> repeating that part, the first <h1> is left to the later rules.
    assert meta(title, notice)[0] == "This page requires a javascript enabled browser"


def test_a_title_part_shown_alone_on_the_page_is_the_headline() -> None:
    meta = _herald_meta

    headline = "Mill workers vote to accept the new contract"
    widget = "<h1>Share &amp; Print this Story</h1>"
    shown = f"<div class='story-title'>{headline}</div>"
    # The site's name first, the headline after it and set in a <div>: not the widget's <h1>.
    assert meta(f"vherald.example - {headline}", f"{widget}{shown}") == (headline, True)
    # On either side of the separator.
    assert meta(f"Local | {headline}", f"{widget}{shown}") == (headline, True)
    # Not shown on its own (only inside a sentence), the part is left to the later rules.
    inside = f"<p>Read more: {headline} and other stories.</p>"
    assert meta(f"vherald.example - {headline}", f"{widget}{inside}")[0] == (
        "Share & Print this Story"
    )
    # A blog's name in an <h1> linking home is the site's, even shown alone: no heading then
    # says which line is the headline.
    blog = "<h1><a href='/'>Notes on Valley Life</a></h1>"
    assert meta("Valley Life | Notes on Valley Life", blog)[1] is False


def test_the_element_the_markup_names_the_headline_is_the_title() -> None:
    meta = _herald_meta
    headline = "Mill workers vote to accept the new contract"
    marked = f"<table><tr><td class='storyHeadline'>{headline}</td></tr></table>"
    # The <title> is only the paper's name, no heading holds the headline.
    assert meta("The Valley Herald", f"<h2>Sports</h2>{marked}") == (headline, True)
    # Nor does an <h1> with the site's name, which repeats the <title>.
    html = (
        f"<html><head><title>The Valley Herald</title></head><body><h1>Valley Herald</h1>"
        f"{marked}{PARAGRAPHS}</body></html>"
    )
    found = _page_meta(load_html(html), "https://www.valleyherald.example/story/1")
    assert found.title == headline
    # Several marked texts (a list of other stories' headlines), or a box's: none is taken.
    stories = "".join(
        f"<div class='headline'>{h}</div>" for h in (headline, "Bridge to reopen in the spring")
    )
    assert meta("The Valley Herald", stories)[1] is False
    listed = f"<div class='related-headline'>{headline}</div>"
    assert meta("The Valley Herald", listed)[1] is False
    # Nor one carrying a date.
    dated = f"<p class='headline'>{headline} Posted: March 3, 2021 4:05 PM</p>"
    assert meta("The Valley Herald", dated)[1] is False


def test_a_heading_repeating_a_part_of_the_title_beats_a_section_name() -> None:
    meta = _herald_meta
    headline = "Mill workers vote to accept the new contract"
    title = f"Valley Radio : Latest News : {headline}"
    body = f"<h3>Latest News</h3><h2>{headline}</h2>"
    assert meta(title, body) == (headline, True)
    # A heading only resembling the title, where the convention took the headline for the
    # site's name.
    title = f"VH - The Mill Blog - {headline}"
    body = f"<h2>The Mill Blog Archives</h2><h3>{headline}</h3>"
    assert meta(title, body) == (headline, True)
    # A blog's name and tagline in its <h1>, two parts of the <title> joined.
    title = f"Valley Notes | Slow news » {headline}"
    body = f"<h1>Valley Notes | Slow news</h1><h2>{headline}</h2>"
    assert meta(title, body) == (headline, True)


def test_a_heading_the_markup_names_the_section_is_not_the_headline() -> None:
    meta = _herald_meta
    headline = "Mill workers vote to accept the new contract"
    # The <title> and the <h1> name the section; the story's headline is the <h2> after it,
    # past a box's heading the markup also marks.
    section = "<h1 id='main_litSectionName'>Local Sports</h1>"
    box = "<h3 class='section_head'>E-mail This Page</h3>"
    body = f"<h2>Search</h2>{section}{box}<h2>{headline}</h2>"
    assert meta("vherald.example - Local Sports", body) == (headline, True)
    # The same <h1> without the mark is taken at its word.
    plain = body.replace(" id='main_litSectionName'", "")
    assert meta("vherald.example - Local Sports", plain)[0] == "Local Sports"


def test_style_rules_inside_a_heading_are_not_its_words() -> None:
    headline = "Mill workers vote to accept the new contract"
    heading = (
        "<h1><style>.css-1x2y{font-size:16px;display:block;}</style>"
        f"<span class='css-1x2y'>Press release</span> {headline}</h1>"
    )
    html = f"<html><head><title>{headline} | Valley Herald</title></head><body>{heading}"
    html += f"{PARAGRAPHS}</body></html>"
    title = _page_meta(load_html(html), "https://www.vherald.example/story/1").title
    assert title is not None
    assert "font-size" not in title
    assert title.endswith(headline)


def test_html_title_leaves_out_the_kicker_and_the_deck_that_the_heading_sets_apart() -> None:

    def page(title: str, heading: str) -> str:
        return (
            f"<html><head><title>{title}</title></head><body>"
            f"<article><h1>{heading}</h1>{PARAGRAPHS}</article></body></html>"
        )

    # A topic line in its own element before the headline, the page title holding both.
    zeit = page(
        "Conseil municipal : Le budget de la ville est voté | Ville",
        '<span class="kicker">Conseil municipal</span><span class="hidden">: </span>'
        "<span>Le budget de la ville est voté</span>",
    )
    assert clean({"html": zeit}).title == "Le budget de la ville est voté"
    # Styled apart, shorter than the headline: a kicker even when the title lacks both.
    styled = page("Ville", "<small>Finances</small><br>Le budget de la ville est voté")
    assert clean({"html": styled}).title == "Le budget de la ville est voté"
    # A byline after the headline that the page title does not repeat.
    byline = page(
        "Le budget de la ville est voté - Ville",
        "Le budget de la ville est voté <small>Publié par la rédaction le 3 mars</small>",
    )
    assert clean({"html": byline}).title == "Le budget de la ville est voté"
    # The page title runs the two parts together: one headline, marked up in two pieces.
    one = page(
        "Macron Annonce Un Budget Rectificatif | Ville",
        '<span class="name">Macron</span> Annonce Un Budget Rectificatif',
    )
    assert clean({"html": one}).title == "Macron Annonce Un Budget Rectificatif"
    # A second half that the page title also holds is not a deck.
    halves = page(
        "Le budget est voté : la ville investit | Ville",
        "<span>Le budget est voté :</span><br><span>la ville investit</span>",
    )
    assert clean({"html": halves}).title == "Le budget est voté : la ville investit"


def test_without_a_meta_title_the_page_title_finds_the_headline_among_the_headings() -> None:
    # trafilatura's fallback title is the page's lone <h1> (here the site's name): it must not
    # count as a meta title that a heading repeats.
    page = (
        "<html><head><title>Le budget de la ville est voté</title></head><body>"
        "<header><h1>La Gazette</h1></header><article><h2>Le budget de la ville est voté</h2>"
        f"{PARAGRAPHS}</article></body></html>"
    )
    assert clean({"html": page}).title == "Le budget de la ville est voté"


def test_an_h1_that_only_links_home_is_the_site_name_not_the_title() -> None:
    page = (
        "<html><head><title>Le Carnet de Paul » Archives » Le budget de la ville est voté</title>"
        '</head><body><header><h1><a href="https://lecarnetdepaul.fr/">Le Carnet de Paul</a>'
        "</h1></header><article><h2>Le budget de la ville est voté</h2>"
        f"{PARAGRAPHS}</article></body></html>"
    )
    url = "https://lecarnetdepaul.fr/2026/03/budget"
    assert clean({"html": page, "url": url}).title == "Le budget de la ville est voté"


def test_inline_read_also_boxes_do_not_cut_the_article() -> None:
    text = f"Un titre pour cet article\n\n{LONG}\n\nÀ lire aussi : le budget de l'an dernier\n\n{LONG.replace('budget', 'plan')}"
    article = clean({"text": text}, min_words=5)
    assert "À lire aussi" not in article.body
    assert "le plan de la ville" in article.body


def test_picture_credits_are_not_article_text() -> None:
    credits = [
        "Le maire devant la mairie, photo : archives de la ville",
        "(Bild: Anna Muster)",
        "Crédits photos : Agence X",
        "© Agence 2024",
        "Credit:",
    ]
    # Between article paragraphs, where the line model keeps such a line.
    for credit in credits[:4]:
        dump = "\n\n".join(
            [
                "Un titre pour cet article",
                LONG,
                credit,
                LONG.replace("budget", "plan"),
                LONG.replace("budget", "marché"),
            ]
        )
        assert credit not in clean({"text": dump}).body
    kept = [
        "Voici les photos de la séance, prises par nos lecteurs :",  # announces what follows
        "La photo : un document rare, publié pour la première fois.",  # a sentence
    ]
    lines = [LONG, credits[0], LONG.replace("budget", "plan"), *credits[1:], *kept]
    html = "".join(f"<p>{line}</p>" for line in lines)
    page = f"<html><head><title>Budget voté</title></head><body><article>{html}"
    body = clean({"html": page}).body
    assert not any(credit in body for credit in credits)
    assert all(line in body for line in kept)


def test_tag_lists_are_not_article_text() -> None:
    tags = [
        "Tags: conseil municipal, budget, impôts",
        "Mots-clés : Budget • Mairie",
        "Filed under: Politics",
        "Schlagwörter:",
    ]
    # A label glued to a sentence, and a sentence after a "Keywords" label, are text.
    kept = [
        "Filed under: Politics The council voted the town's budget after a night of debate.",
        "Keywords: the council voted to raise taxes, which angered residents of the north.",
    ]
    lines = [LONG, tags[0], LONG.replace("budget", "plan"), *tags[1:], *kept]
    html = "".join(f"<p>{line}</p>" for line in lines)
    page = f"<html><head><title>Budget voté</title></head><body><article>{html}"
    body = clean({"html": page}).body.split("\n")
    assert not any(tag in body for tag in tags)
    assert all(line in body for line in kept)
    dump = "\n\n".join(["Un titre pour cet article", LONG, tags[0], LONG.replace("budget", "plan")])
    assert tags[0] not in clean({"text": dump}).body


def test_share_buttons_are_not_article_text() -> None:
    buttons = ["Tweet", "Facebook", "| Share this article on |", "Artikel teilen"]
    sentence = "Facebook a retiré la page du conseil municipal après la publication du budget."
    lines = [LONG, *buttons, sentence, LONG.replace("budget", "plan")]
    html = "".join(f"<p>{line}</p>" for line in lines)
    page = f"<html><head><title>Budget voté</title></head><body><article>{html}"
    body = clean({"html": page}).body.split("\n")
    assert not any(button in body for button in buttons)
    assert sentence in body


def test_links_to_the_previous_or_next_post_are_not_article_text() -> None:
    links = [
        "Article Précedent Centre d'écoute : un abri pour les victimes",
        "Article suivant Après une quarantaine, les rapatriés rentrent chez eux",
        "Previous Post: Free scooter training for new riders",
        "Next Post »",
        "Older Post",
        "Vorheriger Beitrag Horror gegen Science-Fiction (4)",
    ]
    # A sentence opening with the same words is text.
    sentence = "Article suivant le vote : le budget sera publié au journal officiel de la ville."
    prose = [LONG.replace("budget", word) for word in ("budget", "plan", "vote", "prix")]
    lines = [prose[0], links[0], prose[1], sentence, *links[1:], prose[2]]
    html = "".join(f"<p>{line}</p>" for line in lines)
    page = f"<html><head><title>Budget voté</title></head><body><article>{html}"
    body = clean({"html": page}).body.split("\n")
    assert not any(link in body for link in links)
    assert sentence in body
    assert prose[2] in body
    # In a text dump, where the line model keeps a long link at the article's end.
    dump = "\n\n".join(["Budget voté", *prose, *links[:2], "Chokri Gharbi"])
    body = clean({"text": dump}).body
    assert prose[-1] in body
    assert not any(link in body for link in links)


def test_copyright_notices_are_not_article_text() -> None:
    notices = [
        "Tous droits réservés Le Journal de la Ville",
        "Copyright 2026 The Town Press. All rights reserved. This material may not be "
        "published, broadcast, rewritten or redistributed.",
        "© 2026 Agence X. ALL RIGHTS RESERVED.",
        "ⓒ 시청일보, 무단 전재 및 재배포 금지",
        "記事・写真の無断転載を禁じます",
    ]
    # Prose about rights is text, however it is worded.
    kept = [
        "The label kept all rights reserved to the band until the contract ends, a lawyer for "
        "the musicians said on Tuesday after the hearing in the city court.",
        "Le texte précise que tous droits réservés restent à l'auteur, qui conserve ses "
        "revenus sur chaque exemplaire vendu en librairie ou en ligne dans tout le pays, "
        "a expliqué son éditeur lors de la présentation du livre mardi.",
    ]
    prose = [LONG.replace("budget", word) for word in ("budget", "plan", "vote", "prix")]
    lines = [prose[0], notices[0], *kept, prose[1], *notices[1:], prose[2]]
    html = "".join(f"<p>{line}</p>" for line in lines)
    page = f"<html><head><title>Budget voté</title></head><body><article>{html}"
    body = clean({"html": page}).body.split("\n")
    assert not any(notice in body for notice in notices)
    assert all(line in body for line in kept)
    assert prose[2] in body
    dump = "\n\n".join(["Budget voté", *prose, notices[1], "Mentions légales"])
    body = clean({"text": dump}).body
    assert prose[-1] in body
    assert "All rights reserved" not in body


def test_a_box_of_related_articles_is_not_article_text() -> None:
    teasers = ["Le pont rouvre en mars", "Trois écoles rénovées cet été", "Le maire répond"]
    closing = LONG.replace("budget", "plan")
    box = "<h3>Sur le même sujet</h3><ul>" + "".join(f"<li>{t}</li>" for t in teasers) + "</ul>"
    html = f"<p>{LONG}</p><p>{LONG.replace('budget', 'vote')}</p>{box}<p>{closing}</p>"
    page = f"<html><head><title>Budget voté</title></head><body><article>{html}"
    body = clean({"html": page}).body
    assert not any(teaser in body for teaser in teasers)
    assert "Sur le même sujet" not in body
    # The article goes on after the box: its next paragraph is kept.
    assert closing in body
    # A heading followed by a paragraph, not teasers: only the heading goes.
    quoted = "Le maire répond aux critiques dans une lettre publiée ce matin."
    html = f"<p>{LONG}</p><h3>Lire aussi</h3><p>{quoted}</p><p>{closing}</p>"
    page = f"<html><head><title>Budget voté</title></head><body><article>{html}"
    assert quoted in clean({"html": page}).body
    # In a text dump, where the line model keeps the box inside the article.
    prose = [LONG.replace("budget", word) for word in ("budget", "plan", "vote", "prix", "tarif")]
    dump = "\n".join(["Budget voté", *prose[:3], "Sur le même sujet", *teasers, *prose[3:]])
    body = clean({"text": dump}).body
    assert prose[-1] in body
    assert not any(teaser in body for teaser in teasers)


def test_comments_end_the_article() -> None:
    comment = "Je ne suis pas du tout d'accord avec cette décision du conseil municipal, elle coûte trop cher."
    text = f"Un titre pour cet article\n\n{LONG}\n\nVos réactions (2)\n\n{comment}\n\n{comment} Vraiment."
    article = clean({"text": text}, min_words=5)
    assert "d'accord" not in f"{article.lead} {article.body}"


def test_comment_forms_of_other_languages_end_the_article() -> None:
    prose = [
        " ".join(
            ["Der Stadtrat hat am Dienstag den Haushalt für das nächste Jahr beschlossen."] * 3
        ),
        "Die Opposition stimmte dagegen, weil die Kosten für die Sanierung der Brücke und der "
        "beiden Schulen im Norden der Stadt erneut gestiegen sind.",
    ]
    comment = "Ich bin mit dieser Entscheidung des Stadtrats überhaupt nicht einverstanden, sie ist zu teuer."
    for form in (
        "Schreibe einen Kommentar Antworten abbrechen",
        "Gib hier Deinen Kommentar ein ...",
    ):
        text = "\n\n".join(["Haushalt beschlossen", *prose, form, comment, f"{comment} Wirklich."])
        article = clean({"text": text}, min_words=5)
        text_kept = f"{article.lead} {article.body}"
        assert "einverstanden" not in text_kept
        assert "Haushalt für das nächste Jahr" in text_kept
        assert "Opposition stimmte dagegen" in text_kept


def _page(article: str, description: str = "", shown: str = "") -> str:
    meta = f"<meta name='description' content=\"{description}\">" if description else ""
    return (
        f"<html><head><title>Budget voté | Ville</title>{meta}</head><body>"
        "<nav><a href='/'>Accueil</a> <a href='/s'>Rechercher</a></nav>"
        f"<header><h1>Budget voté</h1><div class='standfirst'>{shown}</div></header>"
        f"<article>{article}</article>"
        "<footer>Mentions légales</footer></body></html>"
    )


def test_html_standfirst_comes_from_the_description_when_the_text_lacks_it() -> None:
    standfirst = (
        "Les élus ont adopté mardi soir un budget en hausse de quatre pour cent, malgré une "
        "opposition divisée sur le prix des travaux du vieux pont et sur la rénovation des deux "
        "écoles du quartier nord."
    )
    article = clean({"html": _page(PARAGRAPHS, standfirst, shown=standfirst)})
    assert article.lead == standfirst
    # A description that the page does not show is a summary for search engines: left out.
    summary = clean({"html": _page(PARAGRAPHS, standfirst)})
    assert standfirst not in f"{summary.lead}\n{summary.body}"
    # A description that only repeats the first paragraph is not added twice.
    repeated = clean({"html": _page(PARAGRAPHS, f"{LONG} Paragraphe 0.")})
    assert f"{repeated.lead}\n{repeated.body}".count("Paragraphe 0.") == 1


def test_html_inline_furniture_left_by_the_extractor_is_removed() -> None:
    paragraphs = [f"<p>{LONG} Paragraphe {i}.</p>" for i in range(4)]
    paragraphs.insert(1, "<p>À lire aussi : Le budget de l'an dernier avait déjà fait débat</p>")
    paragraphs.insert(3, "<p>Passer la publicité</p>")
    paragraphs.append(
        "<p>Il vous reste 57% de cet article à lire. La suite est réservée aux abonnés.</p>"
    )
    article = clean({"html": _page("".join(paragraphs))})
    text = f"{article.lead}\n{article.body}"
    assert "Paragraphe 3." in text
    for furniture in ("À lire aussi", "Passer la publicité", "Il vous reste"):
        assert furniture not in text
