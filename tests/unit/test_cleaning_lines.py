"""The learned text-dump cleaner's parts: HTML -> dump, word counts, features, region, titles."""

from __future__ import annotations

import numpy as np
import pytest

from newsflow.core.cleaning import clean, word_count
from newsflow.core.cleaning.article import _standfirst_lines, select_article
from newsflow.core.cleaning.dump import decode_html, html_to_dump, html_to_lines
from newsflow.core.cleaning.features import (
    BASE_NAMES,
    FEATURE_NAMES,
    line_features,
    page_stopwords,
    title_parts,
)
from newsflow.core.cleaning.lines import (
    MODEL_FILE,
    LineModel,
    RegionParams,
    article_lines,
    best_region,
    default_model,
)
from newsflow.core.cleaning.text import tokens
from newsflow.core.cleaning.titles import (
    TITLE_FEATURE_NAMES,
    TitleCandidates,
    learned_title,
    names_site,
    pick_title,
    short_headline,
    site_name,
    tidy_title,
    title_candidates,
)
from newsflow.errors import RejectedArticle

PROSE = [
    "The city council approved the new budget on Tuesday after a debate that lasted most of the night.",
    "Members of the opposition said that the plan would raise local taxes for families in the north.",
    "The mayor answered that the money was needed to repair the old bridge and two of the schools.",
    "A final vote on the details of the spending is expected at the next meeting in the spring.",
]
MENU = ["Home", "News", "Sport", "Weather", "Sign in", "Subscribe"]


def _column(name: str) -> int:
    return FEATURE_NAMES.index(name)


# --------------------------------------------------------------------------- HTML -> dump


def test_dump_has_the_title_first_then_one_line_per_block() -> None:
    page = (
        "<html><head><title>Budget approved - Town News</title><style>p{}</style></head><body>"
        "<nav><a href='/'>Home</a><a href='/n'>News</a></nav>"
        "<h1>Budget approved</h1><p>The council <b>approved</b> the <a href='#'>budget</a>.</p>"
        "<ul><li>First point</li><li>Second point</li></ul>"
        "<script>var x = 1;</script><div>Footer text<br>Second footer line</div></body></html>"
    )
    assert html_to_lines(page) == [
        "Budget approved - Town News",
        "Home",
        "News",
        "Budget approved",
        "The council approved the budget.",
        "First point",
        "Second point",
        "Footer text",
        "Second footer line",
    ]
    assert html_to_dump(page).startswith("Budget approved - Town News\n\nHome\n\nNews\n\n")


def test_dump_keeps_inline_links_inside_sentences_and_handles_nesting() -> None:
    page = "<p>Read <a href='#'>the report</a> and <a href='#'>the annex</a> first.</p>"
    assert html_to_lines(page) == ["", "Read the report and the annex first."]
    deep = "<div>" * 200 + "deep text" + "</div>" * 200
    assert html_to_lines(deep)[-1] == "deep text"


def test_links_side_by_side_are_a_line_each_however_many() -> None:
    # A menu of thousands of links in one paragraph: whether its links make a menu is asked
    # of the paragraph once, not once per link (which cost the square of their number).
    menu = " ".join(f"<a href='/s/{i}'>Section {i}</a>" for i in range(3000))
    lines = html_to_lines(f"<body><p>{menu}</p><p>After the menu.</p></body>")
    assert lines == ["", *(f"Section {i}" for i in range(3000)), "After the menu."]


def test_ruby_readings_are_not_part_of_the_text() -> None:
    heading = (
        "<ruby>町<rt>まち</rt></ruby>の<ruby>図書館<rp>(</rp><rt>としょかん</rt><rp>)</rp>"
        "</ruby>が新しくなる"
    )
    # A naive scraper glues the readings to their words; the cleaner's own reading leaves them.
    assert html_to_lines(f"<h1>{heading}</h1>") == ["", "町まちの図書館(としょかん)が新しくなる"]
    assert html_to_lines(f"<h1>{heading}</h1>", readings=False) == ["", "町の図書館が新しくなる"]
    prose = [
        "町の図書館は来月から新しい建物で本を貸し出すことになりました。",
        "新しい図書館には子ども向けの部屋や静かに勉強できる席がたくさんあります。",
        "町の人たちは、週末に家族で図書館に行くのを楽しみにしていると話していました。",
    ]
    page = (
        "<html><head><title>まちのニュース | 町の図書館が新しくなる</title></head><body>"
        f"<h1>{heading}</h1>" + "".join(f"<p>{line}</p>" for line in prose) + "</body></html>"
    )
    article = clean({"html": page, "url": "https://news.example.jp/2026/library"})
    assert article.title == "町の図書館が新しくなる"
    assert prose[1] in f"{article.lead}\n{article.body}"


def test_saved_pages_are_decoded_from_their_declared_charset() -> None:
    data = "<meta charset='iso-8859-1'><p>Élection à Zürich</p>".encode("latin-1")
    assert decode_html(data).endswith("<p>Élection à Zürich</p>")
    assert html_to_lines(data)[-1] == "Élection à Zürich"
    # An archive's script tags come first and name their own charset, not the page's.
    archived = (
        "<script src='/static/bundle.js' charset='utf-8'></script>"
        + " " * 5000
        + "<meta http-equiv='Content-Type' content='text/html; charset=gb2312'>"
        + "<p>新华网河北频道</p>"
    ).encode("gb2312")
    assert decode_html(archived).endswith("<p>新华网河北频道</p>")


# --------------------------------------------------------------------------- word counts


def test_word_counts_treat_unspaced_scripts_one_character_a_word() -> None:
    assert word_count("Le chat dort sur le canapé.") == 6
    assert word_count("L'armée a dit") == 3  # as many as whitespace words for spaced scripts
    assert word_count("東京都は晴れ") == 6
    assert word_count("Tokyo 東京") == 3
    assert word_count("วันนี้อากาศดี") == 13  # Thai: characters, including combining marks
    assert tokens("Budget 2026: 東京") == ["budget", "2026", "東", "京"]


def test_a_japanese_article_is_not_rejected_as_too_short() -> None:
    sentence = (
        "市議会は火曜日の夜に新しい予算案を承認し、古い橋と二つの学校の修理に充てると発表した。"
    )
    text = "\n\n".join(["予算案を承認 - 市のニュース", "予算案を承認", sentence, sentence[::-1]])
    article = clean({"text": text}, min_words=20)
    assert article.word_count >= 40


def test_a_brief_in_sentences_without_spaces_or_with_dandas_is_an_article() -> None:
    # Under the minimum of 40 words, but over half of it and written in two sentences: a
    # brief. Chinese sentences follow one another with no space; Hindi ones end in a danda.
    chinese = "市议会周二批准了新预算。修理旧桥的工作将在三月开始。"
    assert clean({"text": chinese}, min_words=40).body == chinese
    hindi = (
        "नगर परिषद ने मंगलवार की रात लंबी बहस के बाद नए बजट को मंज़ूरी दे दी। "
        "पुराने पुल की मरम्मत का काम मार्च में शुरू होगा।"
    )
    assert clean({"text": hindi}, min_words=40).body == hindi
    with pytest.raises(RejectedArticle):
        clean({"text": hindi.replace("।", "")}, min_words=40)


# --------------------------------------------------------------------------- features


def test_features_have_one_row_per_line_and_the_named_columns() -> None:
    lines = ["Budget approved | Town News", *MENU, "Budget approved", *PROSE, "© Town News"]
    features = line_features(lines)
    assert features.shape == (len(lines), len(FEATURE_NAMES))
    assert len(set(FEATURE_NAMES)) == len(FEATURE_NAMES)
    assert FEATURE_NAMES[: len(BASE_NAMES)] == BASE_NAMES
    prose, menu = lines.index(PROSE[1]), lines.index("Weather")
    assert features[prose, _column("stop_density")] > features[menu, _column("stop_density")]
    assert features[prose, _column("ends_sentence")] == 1.0
    assert features[menu, _column("ends_sentence")] == 0.0
    window = _column("window5_log_tokens")
    assert features[prose, window] > features[menu, window]
    headline = lines.index("Budget approved")
    assert features[headline, _column("title_part_equal")] == 1.0
    assert features[prose, _column("title_part_equal")] == 0.0
    assert features[-1, _column("copyright")] == 1.0


def test_other_scripts_full_stops_end_sentences_as_a_full_stop_does() -> None:
    lines = ["Budget approved | Town News", *MENU, "Budget approved", *PROSE, "© Town News"]
    reference = line_features(lines)
    # Devanagari and Bengali, Urdu, Armenian, Ethiopic, Myanmar, Tibetan, Khmer.
    for mark in "।۔։።။།។":
        marked = [line.removesuffix(".") + mark if line.endswith(".") else line for line in lines]
        assert np.array_equal(line_features(marked), reference), mark
    # A bracket of Chinese or Japanese alone closes a label, not a sentence.
    chinese = line_features(["", "市议会批准了新预算。", "【快讯】", "首页"])
    assert chinese[1:, _column("ends_sentence")].tolist() == [1.0, 0.0, 0.0]


def test_stop_words_come_from_the_page_language_or_not_at_all() -> None:
    stop, coverage = page_stopwords([[], *(tokens(line) for line in PROSE)])
    assert {"the", "of", "that"} <= stop
    assert coverage > 0.2
    chinese = ["市议会周二晚上批准了新的预算方案并表示将用于修理旧桥和两所学校"] * 3
    stop, _ = page_stopwords([[], *(tokens(line) for line in chinese)])
    assert stop == frozenset()
    features = line_features(["", *chinese])
    assert (features[1:, _column("stop_density")] == -1.0).all()  # known as "no stoplist"
    assert (features[1:, _column("frequent_density")] > 0).all()  # the language-free proxy


def test_title_parts_split_site_names_off() -> None:
    assert title_parts("Budget approved - Town News") == ["Budget approved", "Town News"]
    assert title_parts("Town News | Budget approved") == ["Town News", "Budget approved"]
    # Hyphens inside words and colons of headlines are not separators.
    assert title_parts("Covid-19: what changes") == ["Covid-19: what changes"]
    assert title_parts("Vote — Town News — Politics") == ["Vote", "Town News", "Politics"]
    # A guillemet closing a quoted headline is not a separator; one between sections is.
    assert title_parts("« Les taxes baissent » - Le Journal") == [
        "« Les taxes baissent »",
        "Le Journal",
    ]
    assert title_parts("«Wir sind bereit» | Zeitung") == ["«Wir sind bereit»", "Zeitung"]
    assert title_parts("Journal » Politique » Vote") == ["Journal", "Politique", "Vote"]


def test_site_names_are_recognised_without_accents_and_headline_glyphs_are_dropped() -> None:
    # Host names are written without accents.
    assert names_site("Sauvons l'Université !", "www.sauvonsluniversite.fr")
    assert not names_site("Décisions de l'AG du mardi 10 septembre", "sauvonsluniversite.fr")
    assert tidy_title("›EU-Taxonomie: Atomkraft und Erdgas") == "EU-Taxonomie: Atomkraft und Erdgas"
    assert tidy_title("...: Tach auch!") == "Tach auch!"
    assert tidy_title("• Budget approved") == "Budget approved"
    assert tidy_title("|Budget approved") == "Budget approved"
    assert tidy_title("[> Budget approved") == "Budget approved"
    assert tidy_title("=> Budget approved") == "Budget approved"
    assert tidy_title("[Video] Budget approved") == "[Video] Budget approved"
    assert tidy_title("Budget approved -") == "Budget approved"
    assert tidy_title("Budget approved - Ville") == "Budget approved - Ville"
    assert tidy_title("« Le budget est voté »") == "« Le budget est voté »"
    assert tidy_title("You are here: Home » Town » Budget approved") == "Budget approved"
    assert tidy_title("Town News » Budget approved") == "Town News » Budget approved"
    # The day put before a headline is no part of it; a year or a number starting one is.
    assert tidy_title("08.11.2021 | Budget approved") == "Budget approved"
    assert tidy_title("2021-11-08 - Budget approved") == "Budget approved"
    assert tidy_title("2021 - the year the budget passed") == "2021 - the year the budget passed"
    assert tidy_title("08.11.2021 Budget approved") == "08.11.2021 Budget approved"
    # A breadcrumb trail, its crumbs between slashes too, is named by its last crumb; one
    # slash between two words is the headline's.
    trail = "You are here: Home / Town / Council / Budget approved after a long night"
    assert tidy_title(trail) == "Budget approved after a long night"
    assert tidy_title("Budget / Council approves it") == "Budget / Council approves it"
    # Quotation marks that open a quoted headline are part of it.
    assert tidy_title("»Haltet unsere Gewässer sauber!«") == "»Haltet unsere Gewässer sauber!«"
    assert tidy_title("› Ein Zitat ‹ sagt er") == "› Ein Zitat ‹ sagt er"
    headline = "...: Budget approved after a long night"
    dump = "\n\n".join([headline, *MENU, headline, *PROSE])
    assert clean({"text": dump}).title == "Budget approved after a long night"


# --------------------------------------------------------------------------- region choice


def test_a_short_confident_article_beats_a_longer_sidebar() -> None:
    probabilities = np.array([0.0, *[0.45] * 30, 0.0, 0.0, *[0.95] * 4, 0.1])
    tokens_per_line = np.full(len(probabilities), 20.0)
    params = RegionParams(threshold=0.5, max_gap=3, keep=0.35)
    assert best_region(probabilities, tokens_per_line, params) == (33, 36)
    assert article_lines(probabilities, tokens_per_line, params) == [33, 34, 35, 36]


def test_the_article_under_its_headline_beats_a_stronger_teaser_block() -> None:
    # Lines 2-7: teasers the model believes in; line 16: the line repeating the <title>;
    # 17-19: the article, a little less sure and shorter.
    probabilities = np.array([0.0, 0.1, *[0.9] * 6, *[0.05] * 8, 0.3, 0.8, 0.85, 0.8, 0.1])
    tokens_per_line = np.full(len(probabilities), 20.0)
    tokens_per_line[16] = 8.0
    params = RegionParams()
    # Without the headline, the teasers are the main region and the article, scoring more
    # than FURTHER_SHARE of it, joins them.
    without = article_lines(probabilities, tokens_per_line, params)
    assert without == [*range(2, 8), 17, 18, 19]
    # Under the headline, the article alone: the teasers it was preferred to stay out.
    assert article_lines(probabilities, tokens_per_line, params, headline=16) == [17, 18, 19]
    # Far weaker than the best region, the run under the headline does not win.
    weak = probabilities.copy()
    weak[17:20] = 0.55
    assert article_lines(weak, tokens_per_line, params, headline=16) == list(range(2, 8))


def test_teasers_bridged_to_the_article_do_not_outweigh_it_from_inside_its_region() -> None:
    # Lines 1-20: teasers and menu items in turn, their gaps too short to end a region, which
    # runs on over line 21, the line repeating the <title>, to the article under it (22-23).
    # The article scores under a quarter of that whole region, over a quarter of its teasers.
    probabilities = np.array([0.0, *[0.95, 0.2] * 10, 0.3, 0.9, 0.9, 0.05])
    tokens_per_line = np.full(len(probabilities), 20.0)
    tokens_per_line[21] = 8.0
    params = RegionParams()
    assert best_region(probabilities, tokens_per_line, params) == (1, 23)
    assert article_lines(probabilities, tokens_per_line, params, headline=21) == [22, 23]
    # An article that starts above the line repeating the <title> (a box closing it, a
    # subheading) stays whole: what lies above that line outweighs what follows it.
    article = probabilities.copy()
    article[1:21] = 0.95
    assert article_lines(article, tokens_per_line, params, headline=21) == [
        *range(1, 21),
        22,
        23,
    ]


def test_a_numbered_list_that_the_article_began_runs_to_its_end() -> None:
    names = ["Une lampe de poche et ses piles de rechange pour la nuit", "Un couteau suisse"]
    names += ["Une tente", "Un réchaud", "Une carte", "Une boussole", "Un sac", "Une gourde"]
    items = [f"{number}. {name}" for number, name in enumerate(names, 1)]
    head = ["Huit objets pour partir camper | Le Blog", "Accueil", "Actualités", *PROSE]
    lines = [*head, "Voici notre liste, dans l'ordre :"]
    for item in items:
        lines += [item, "https://example.org/boutique"]
    footer = ["Mentions légales", "Contact", "Plan du site"]
    body = clean({"text": "\n\n".join([*lines, *footer])}).body
    assert all(item in body for item in items)
    assert not any(line in body for line in footer)
    # Numbered lines that no line of the article began stay out (a menu of leagues).
    leagues = ["1. Bundesliga", "2. Bundesliga", "3. Liga"]
    body = clean({"text": "\n\n".join([*head, *leagues, *footer])}).body
    assert not any(league in body for league in leagues)


def test_labels_that_the_article_region_ends_on_are_not_article_text() -> None:
    # The model scores a box's heading or a menu under the last paragraph by the prose above.
    lines = ["Budget approved | Town News", "Home", *PROSE, "Town hall agenda", "Bridge works"]
    probabilities = np.array([0.0, 0.1, 0.9, 0.9, 0.9, 0.9, 0.8, 0.7])
    params = RegionParams(threshold=0.5, max_gap=3, keep=0.5)
    assert select_article(lines, probabilities, params) == [2, 3, 4, 5]
    # Numbered ones stay when the article numbered a line above them: its own list.
    item = "1. A new roof for the school on the hill, paid for by the town this year"
    listed = [*lines[:5], item, "2. Bridge works", "3. Town hall"]
    assert select_article(listed, probabilities, params) == [2, 3, 4, 5, 6, 7]
    # Not when no line above them began the list (a menu of leagues).
    leagues = [*lines[:6], "1. Bundesliga", "2. Bundesliga"]
    assert select_article(leagues, probabilities, params) == [2, 3, 4, 5]


def test_a_paragraph_after_a_label_of_the_article_and_closing_sentences_join_it() -> None:
    answers = [
        "Nous avons construit le pont en trois ans, avec les habitants du quartier, pas à pas.",
        "Les riverains ont choisi la couleur des garde-corps lors de trois réunions publiques.",
        "Le chantier a employé des apprentis du lycée technique voisin pendant deux étés.",
    ]
    closing = [
        "Le pont ouvrira au printemps, si la météo le permet, après une dernière inspection.",
        "Une fête de quartier marquera son ouverture, avec un concert sur la rive gauche.",
    ]
    speaker = "Marie Dupont"
    lines = ["Entretien | Le Journal", "Accueil", speaker, answers[0], speaker, answers[1]]
    lines += [speaker, answers[2], *closing, "Commentaires", "Bravo pour ce pont, enfin !"]
    probabilities = np.array([0.0, 0.05, 0.6, 0.95, 0.6, 0.95, 0.2, 0.4, 0.25, 0.12, 0.05, 0.3])
    params = RegionParams(threshold=0.5, max_gap=3, keep=0.5)
    # The answer after the speaker's name seen inside the article, then the closing
    # sentences that run on to "Commentaires"; not the comment after it.
    assert select_article(lines, probabilities, params) == [2, 3, 4, 5, 7, 8, 9]
    # Without the marker, sentences the model scores that low stay out.
    unmarked = [*lines[:10], "Partager", lines[11]]
    assert select_article(unmarked, probabilities, params) == [2, 3, 4, 5, 7]
    # A short line that the article did not hold ends it (a menu item).
    menu = [*lines[:6], "Newsletter", *lines[7:]]
    assert select_article(menu, probabilities, params) == [2, 3, 4, 5]


def test_no_further_region_is_taken_below_the_line_opening_comments() -> None:
    # Lines 1-5: the article; 6-9: weak lines, among them the line opening comments (7);
    # 10-12: replies that read like prose, scoring over FURTHER_SHARE of the article.
    probabilities = np.array([0.0, *[0.95] * 5, *[0.1] * 4, *[0.9] * 3, 0.0])
    tokens_per_line = np.full(len(probabilities), 20.0)
    params = RegionParams(threshold=0.5, max_gap=3, keep=0.5)
    assert article_lines(probabilities, tokens_per_line, params) == [1, 2, 3, 4, 5, 10, 11, 12]
    assert article_lines(probabilities, tokens_per_line, params, comments=[7]) == [1, 2, 3, 4, 5]
    # An opener above the article (a comment count under the byline) stops nothing below it.
    opener_above = article_lines(probabilities, tokens_per_line, params, comments=[0])
    assert opener_above == [1, 2, 3, 4, 5, 10, 11, 12]


def test_a_short_post_above_its_comment_heading_is_the_article() -> None:
    # Line 2: the headline; 3: a one-paragraph post; 4-6: a byline, the comment heading (5)
    # and a commenter's name; 7-14: the replies, which outweigh the post.
    probabilities = np.array([0.0, 0.0, 0.2, 0.75, 0.1, 0.1, 0.2, *[0.7] * 8, 0.0])
    tokens_per_line = np.full(len(probabilities), 30.0)
    tokens_per_line[[2, 4, 5, 6]] = 4.0
    params = RegionParams(threshold=0.5, max_gap=2, keep=0.5)
    replies = list(range(7, 15))
    assert article_lines(probabilities, tokens_per_line, params, headline=2) == replies
    headed = article_lines(
        probabilities, tokens_per_line, params, headline=2, comments=[5], comment_headings=[5]
    )
    assert headed == [3]
    # Not without a headline above the heading to bound the post.
    assert (
        article_lines(probabilities, tokens_per_line, params, comments=[5], comment_headings=[5])
        == replies
    )
    # Through the cleaner's lines: a bare heading is one, a count is not (it is also the link
    # under a byline, above the article).
    post = "The council met on Tuesday evening and agreed, after a long debate about the costs, to keep the library open on Sundays through the whole of next year."
    reply = "I went to the meeting myself, and I think the councillors were right to listen to the families who use the library every weekend with their children."
    lines = [
        "Library stays open - Town blog",
        "Home",
        "Library stays open",
        post,
        "Posted by Ann",
        "Comments",
        "Ben said:",
        *[reply] * 8,
        "",
    ]
    assert select_article(lines, probabilities, params, headline=2) == [3]
    counted = [*lines[:5], "12 comments", *lines[6:]]
    assert select_article(counted, probabilities, params, headline=2) == replies


def test_short_gaps_are_bridged_and_long_ones_split_regions() -> None:
    tokens_per_line = np.full(12, 20.0)
    bridged = np.array([0.0, 0.9, 0.9, 0.2, 0.2, 0.9, 0.9, 0.0, 0.0, 0.0, 0.0, 0.0])
    params = RegionParams(threshold=0.5, max_gap=3, keep=0.5)
    assert best_region(bridged, tokens_per_line, params) == (1, 6)
    assert article_lines(bridged, tokens_per_line, params) == [1, 2, 5, 6]
    split = np.array([0.0, 0.9, 0.9, 0.2, 0.2, 0.2, 0.2, 0.9, 0.9, 0.9, 0.0, 0.0])
    assert best_region(split, tokens_per_line, params) == (7, 9)
    # The part before the long gap scores two thirds of the best region: it is the article's
    # too (an advertisement or a gallery cut it in two).
    assert article_lines(split, tokens_per_line, params) == [1, 2, 7, 8, 9]
    # A far weaker run stays out (under FURTHER_SHARE of the best region's score).
    weak_start = split.copy()
    weak_start[1:3] = 0.55
    assert article_lines(weak_start, tokens_per_line, params) == [7, 8, 9]


def test_a_further_region_of_short_lines_alone_does_not_join_the_article() -> None:
    # Line 1: the article; 2-5: weak lines; 6-45: a blog's archive ("Novembro (113)"), each
    # line scored just above the threshold, together over FURTHER_SHARE of the article.
    probabilities = np.array([0.0, 0.9, *[0.1] * 4, *[0.55] * 40, 0.0])
    tokens_per_line = np.full(len(probabilities), 2.0)
    tokens_per_line[1] = 20.0
    params = RegionParams(threshold=0.5, max_gap=3, keep=0.5)
    assert best_region(probabilities, tokens_per_line, params) == (1, 1)
    assert article_lines(probabilities, tokens_per_line, params) == [1]
    # With a sentence among them, they are the rest of the article.
    tokens_per_line[20] = 12.0
    assert article_lines(probabilities, tokens_per_line, params) == [1, *range(6, 46)]


def test_long_edge_lines_the_model_half_believes_in_join_the_article() -> None:
    probabilities = np.array([0.0, 0.1, 0.35, 0.9, 0.9, 0.9, 0.35, 0.05])
    tokens_per_line = np.array([5.0, 30, 30, 30, 30, 30, 5, 30])
    params = RegionParams(threshold=0.5, max_gap=3, keep=0.5)
    assert best_region(probabilities, tokens_per_line, params) == (3, 5)
    # The lead (line 2) joins; a weak line (1) and a short one (6) do not.
    assert article_lines(probabilities, tokens_per_line, params) == [2, 3, 4, 5]


def test_a_lead_repeated_in_a_teaser_after_the_article_is_its_lead() -> None:
    lead = "The council voted the budget of the town after a night of debate on taxes."
    lines = ["Budget approved - Town News", "Home", lead, *PROSE[:2], lead, *PROSE[2:], "Home"]
    # The repetition lowers both copies: the lead under the edge threshold, the copy under
    # the keep threshold inside the region.
    probabilities = np.array([0.0, 0.1, 0.25, 0.95, 0.95, 0.4, 0.95, 0.95, 0.05])
    params = RegionParams(threshold=0.5, max_gap=3, keep=0.5)
    assert select_article(lines, probabilities, params) == [2, 3, 4, 6, 7]
    # Without the copy, the weak line above the article stays out.
    other = lines.copy()
    other[5] = "A closing line of another story that runs about as long as the lead does."
    assert select_article(other, probabilities, params) == [3, 4, 6, 7]


def test_a_standfirst_under_the_headline_joins_the_article_and_a_byline_does_not() -> None:
    standfirst = (
        "The new bridge over the river opens to traffic this week, after three years of work."
    )
    lines = [
        "Bridge opens | Town News",
        "Home",
        "Bridge opens",
        standfirst,
        "By Anna Smith, published 3 May 2022 at noon in the Town section",
        "Photo: the bridge at dusk",
        "The mayor and the engineers who built it will walk across it on Saturday morning.",
        *PROSE[:3],
    ]
    probabilities = np.array([0.0, 0.05, 0.1, 0.45, 0.4, 0.35, 0.6, 0.95, 0.95, 0.95])
    # The byline (a year) and the short caption stay out, as does any line once the headline
    # is missing or too far above the article.
    assert _standfirst_lines(lines, probabilities, [6, 7, 8, 9], 2) == [3]
    assert _standfirst_lines(lines, probabilities, [6, 7, 8, 9], None) == []
    assert _standfirst_lines(lines, probabilities, [], 2) == []
    far = ["Bridge opens | Town News", "Bridge opens", *["Menu item"] * 12, *lines[3:]]
    far_probabilities = np.concatenate([[0.0, 0.1], np.full(12, 0.05), probabilities[3:]])
    assert _standfirst_lines(far, far_probabilities, [17, 18, 19, 20], 1) == []
    # A line the model does not half believe in is no standfirst.
    weak = probabilities.copy()
    weak[3] = 0.2
    assert _standfirst_lines(lines, weak, [6, 7, 8, 9], 2) == []


def test_the_title_line_is_never_part_of_the_article_and_weak_pages_still_give_text() -> None:
    probabilities = np.array([0.99, 0.3, 0.35, 0.32, 0.05])
    tokens_per_line = np.full(5, 20.0)
    params = RegionParams(threshold=0.5, max_gap=3, keep=0.35)
    assert best_region(probabilities, tokens_per_line, params) is None
    assert article_lines(probabilities, tokens_per_line, params) == [1, 2, 3]


# --------------------------------------------------------------------------- titles


def test_the_title_is_the_line_repeating_the_page_title() -> None:
    lines = ["Budget approved after a long night - Town News", *MENU]
    lines += ["Budget approved after a long night", *PROSE]
    assert pick_title(lines, article_start=8) == "Budget approved after a long night"
    reversed_site = ["Town News | Budget approved after a long night", *lines[1:]]
    assert pick_title(reversed_site, article_start=8) == "Budget approved after a long night"


def test_a_close_variant_of_the_page_title_is_accepted() -> None:
    lines = ["Council approves budget for 2026 | Town News", "PODCAST", "Menu"]
    lines += ["Council approves the budget for 2026", *PROSE]
    assert pick_title(lines, article_start=4) == "Council approves the budget for 2026"


def test_the_site_part_is_the_one_the_host_name_spells() -> None:
    lines = ["Town News | Budget approved after a long night", "Town News", "Sport"]
    lines += ["Budget approved after a long night", *PROSE]
    assert pick_title(lines, 4, host="townnews.example") == "Budget approved after a long night"
    subtitle = ["Budget approved - what changes | Town News", "Town News", "Budget approved"]
    subtitle += ["Budget approved - what changes", *PROSE]
    assert pick_title(subtitle, 4) == "Budget approved - what changes"


def test_the_site_name_is_the_registered_name_and_a_headline_merely_containing_it_is_not_it() -> (
    None
):
    assert site_name("www.gazette.com.py") == "gazette"
    assert site_name("news.broadcaster.co.uk") == "broadcaster"
    assert site_name("townnews.example") == "townnews"
    # The site's name in a short phrase, first: the headline is the other part.
    lines = ["Diario Gazette | Budget approved after a long night", "Diario Gazette", "Sport"]
    lines += ["Budget approved after a long night", *PROSE]
    assert pick_title(lines, 4, host="gazette.com.py") == "Budget approved after a long night"
    # A headline that starts with the site's acronym is still the headline; the site's name is
    # the part whose initials spell it.
    acronym = ["TNU chief: budget approved after a long night - Town News Union", "Sport"]
    acronym += ["TNU chief: budget approved after a long night", *PROSE]
    expected = "TNU chief: budget approved after a long night"
    assert pick_title(acronym, 3, host="www.tnu.example") == expected


def test_an_archived_page_is_read_with_its_original_host() -> None:
    html = (
        "<html><head><title>Town News » Archive » Budget approved after a long night</title>"
        "</head><body><nav><a href='/'>Town News</a></nav>"
        "<h1>Budget approved after a long night</h1>"
        + "".join(f"<p>{p}</p>" for p in PROSE)
        + "</body></html>"
    )
    url = "https://web.archive.org/web/20200101000000/https://www.townnews.example/budget"
    assert clean({"html": html, "url": url}).title == "Budget approved after a long night"
    assert clean({"text": html_to_dump(html), "url": url}).title == (
        "Budget approved after a long night"
    )


def test_a_page_title_that_ends_a_sentence_is_still_the_page_title() -> None:
    from newsflow.core.cleaning.article import _starts_with_prose

    def starts_with_prose(lines: list[str], host: str | None = "townnews.example") -> bool:
        return _starts_with_prose(lines, [" ".join(tokens(line)) for line in lines], host)

    # Long and ending in "!" like prose, but its last part names the site: the <title>.
    headline = "Budget approved after a long night at the town hall of the north"
    assert not starts_with_prose([f"{headline} - Town News!", *MENU, *PROSE])
    # A question repeated further down as a line of its own: the <title> too.
    question = "Why did the town council approve a budget that raises taxes for families?"
    assert not starts_with_prose([question, *MENU, question, *PROSE])
    # A first paragraph of prose, repeated nowhere: no <title>.
    assert starts_with_prose(PROSE)
    article = clean({"text": "\n\n".join([question, *MENU, question, *PROSE])})
    assert article.title == question
    assert article.lead == PROSE[0]


def test_text_without_a_page_title_keeps_its_first_paragraph() -> None:
    # No <title> line and no headline: the first paragraph is the lead, not the title.
    text = "\n\n".join([f"{PROSE[0]} It was late.", *PROSE[1:]])
    article = clean({"text": text, "url": "https://townnews.example/a/1"})
    assert article.title is None
    assert article.lead == f"{PROSE[0]} It was late."
    assert article.body == "\n\n".join(PROSE[1:])


def test_without_a_page_title_a_headline_before_the_article_is_used() -> None:
    lines = ["Search", "Search", "Latest news", "Budget approved after a long night", *PROSE]
    assert pick_title(lines, article_start=4) == "Budget approved after a long night"


# --------------------------------------------------------------------------- the model


def test_the_shipped_model_is_small_and_read_once() -> None:
    from importlib import resources

    data = resources.files("newsflow.core.cleaning").joinpath(MODEL_FILE).read_bytes()
    assert len(data) <= 5_000_000
    assert default_model() is default_model()
    probabilities = default_model().probabilities(["A title", *MENU, *PROSE])
    assert probabilities.shape == (1 + len(MENU) + len(PROSE),)
    assert probabilities[-2] > probabilities[3]  # prose over a menu item


def test_a_model_for_other_features_is_refused() -> None:
    import io

    buffer = io.BytesIO()
    np.savez(buffer, format=np.array(2), features=np.array(["other"]))
    with pytest.raises(ValueError, match="make train-cleaner"):
        LineModel.from_bytes(buffer.getvalue())
    with pytest.raises(ValueError, match="make train-cleaner"):
        LineModel.from_bytes(b"not a model")


def test_the_exported_trees_predict_what_scikit_learn_predicts() -> None:
    from sklearn.ensemble import HistGradientBoostingClassifier

    from newsflow_dev.train_cleaner import tree_ensemble

    rng = np.random.default_rng(3)
    features = rng.normal(size=(600, 6))
    features[rng.random(features.shape) < 0.05] = np.nan  # missing values take their branch
    labels = (np.nan_to_num(features[:, 0]) + features[:, 1] ** 2 > 0.5).astype(int)
    classifier = HistGradientBoostingClassifier(max_iter=30, random_state=0)
    classifier.fit(features, labels)
    trees = tree_ensemble(classifier)
    unseen = rng.normal(size=(200, 6))
    unseen[rng.random(unseen.shape) < 0.05] = np.nan
    expected = classifier.predict_proba(unseen)
    assert np.allclose(trees.predict_proba(unseen), expected, rtol=0, atol=1e-12)
    # Saved and read back through the model file's format, unchanged.
    model = LineModel(trees, trees, RegionParams(0.4, 7, 0.6))
    again = LineModel.from_bytes(model.to_bytes())
    assert model.to_bytes() == again.to_bytes()
    assert again.region == RegionParams(0.4, 7, 0.6)
    assert np.array_equal(again.stage1.predict_proba(unseen), trees.predict_proba(unseen))
    assert again.title is None


def test_the_title_model_is_saved_with_the_line_model_and_checked_on_reading() -> None:
    import io
    import zipfile

    from sklearn.ensemble import HistGradientBoostingClassifier

    from newsflow_dev.train_cleaner import tree_ensemble

    rng = np.random.default_rng(5)
    width = len(TITLE_FEATURE_NAMES)
    features = rng.normal(size=(400, width))
    labels = (features[:, 3] > 0.2).astype(int)
    title = tree_ensemble(HistGradientBoostingClassifier(max_iter=10).fit(features, labels))
    lines = tree_ensemble(HistGradientBoostingClassifier(max_iter=5).fit(features[:, :6], labels))
    model = LineModel(lines, lines, RegionParams(), title)
    again = LineModel.from_bytes(model.to_bytes())
    assert again.title is not None
    assert np.array_equal(again.title.predict_proba(features), title.predict_proba(features))
    # A title model for other candidate features is refused like a line model would be.
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(model.to_bytes())) as original,
        zipfile.ZipFile(buffer, "w") as changed,
    ):
        for entry in original.namelist():
            data = original.read(entry)
            if entry == "title_features.npy":
                other = io.BytesIO()
                np.save(other, np.array(["other"] * width))
                data = other.getvalue()
            changed.writestr(entry, data)
    with pytest.raises(ValueError, match="make train-cleaner"):
        LineModel.from_bytes(buffer.getvalue())


def test_title_candidates_are_lines_near_the_article_and_the_page_title_parts() -> None:
    lines = ["Budget approved after a long night | Town News", *MENU]
    lines += ["Budget approved after a long night", "By A. Reporter", *PROSE]
    keys = [" ".join(tokens(line)) for line in lines]
    features, probabilities = default_model().scores(lines)
    article = list(range(len(MENU) + 3, len(lines)))
    candidates = title_candidates(lines, keys, features, probabilities, article, "townnews.com")
    assert candidates.features.shape == (len(candidates.texts), len(TITLE_FEATURE_NAMES))
    assert "Budget approved after a long night" in candidates.texts
    # A byline is no candidate, however near the article; a headline opening with "By" is.
    assert "By A. Reporter" not in candidates.texts
    by_numbers = [
        *lines[: len(MENU) + 2],
        "By the numbers: a budget of records",
        *lines[len(MENU) + 2 :],
    ]
    keys = [" ".join(tokens(line)) for line in by_numbers]
    features, probabilities = default_model().scores(by_numbers)
    article = list(range(len(MENU) + 4, len(by_numbers)))
    others = title_candidates(by_numbers, keys, features, probabilities, article, "townnews.com")
    assert "By the numbers: a budget of records" in others.texts
    assert "By A. Reporter" not in others.texts
    # The <title>'s headline part is a candidate of its own; its site part is not.
    assert candidates.texts[-1] == "Budget approved after a long night"
    assert "Town News" not in candidates.texts
    part_only = candidates.features[:, TITLE_FEATURE_NAMES.index("title_part_only")]
    assert part_only.tolist() == [0.0] * (len(candidates.texts) - 1) + [1.0]


def test_a_one_word_page_title_makes_no_line_look_like_the_headline() -> None:
    # "Rechercher" first, as scrapers of the sample write it: it names no article, so the line
    # repeating it resembles the <title> no more than any other.
    lines = ["Rechercher", "Rechercher", "Dernières Infos", "Budget approved after a long night"]
    lines += PROSE
    keys = [" ".join(tokens(line)) for line in lines]
    features, probabilities = default_model().scores(lines)
    article = list(range(4, len(lines)))
    candidates = title_candidates(lines, keys, features, probabilities, article, None)
    row = candidates.features[candidates.texts.index("Rechercher")]
    for name in ("title_jaccard", "in_title_share", "title_part_equal", "title_overlap"):
        assert row[TITLE_FEATURE_NAMES.index(name)] == 0.0, name
    assert features[1, _column("title_part_equal")] == 1.0  # the line model still sees it


def _town_candidates(lines: list[str], start: int) -> TitleCandidates:
    """The title candidates of a townnews.com dump whose article starts at line start."""
    keys = [" ".join(tokens(line)) for line in lines]
    features, probabilities = default_model().scores(lines)
    article = list(range(start, len(lines)))
    return title_candidates(lines, keys, features, probabilities, article, "townnews.com")


class _Ranks:
    """A title model that scores candidate texts as given, every other one `rest`."""

    def __init__(self, texts: list[str], wanted: dict[str, float], rest: float = 0.1) -> None:
        self.high = np.array([wanted.get(text, rest) for text in texts])

    def predict_proba(self, features: np.ndarray) -> np.ndarray:
        return np.column_stack([1 - self.high, self.high])


class _Prefers:
    """A title model that scores one candidate text above the others."""

    def __init__(self, texts: list[str], wanted: str) -> None:
        self.scores = np.array([[0.1, 0.9] if t == wanted else [0.8, 0.2] for t in texts])

    def predict_proba(self, features: np.ndarray) -> np.ndarray:
        assert len(features) == len(self.scores)
        return self.scores


def test_the_learned_title_is_spelled_as_in_the_page_title() -> None:
    headline = "Forums-Regeln und Hinweise"
    variant = "Forums - Regeln und Hinweise"
    lines = [f"{headline} | Town News", *MENU, headline, "Council notes", variant, *PROSE]
    keys = [" ".join(tokens(line)) for line in lines]
    features, probabilities = default_model().scores(lines)
    article = list(range(len(MENU) + 5, len(lines)))
    candidates = title_candidates(lines, keys, features, probabilities, article, "townnews.com")
    assert variant in candidates.texts
    # The model's pick has the headline's words spelled otherwise: the <title>'s spelling wins.
    assert learned_title(_Prefers(candidates.texts, variant), candidates) == headline
    # Other words are left as the model chose them.
    notes = _Prefers(candidates.texts, "Council notes")
    assert learned_title(notes, candidates) == "Council notes"


def test_an_address_is_never_the_learned_title() -> None:
    headline = "Budget approved after a long night"
    lines = [f"{headline} | Town News", *MENU, headline, "desk@townnews.com", *PROSE]
    keys = [" ".join(tokens(line)) for line in lines]
    features, probabilities = default_model().scores(lines)
    article = list(range(len(MENU) + 3, len(lines)))
    candidates = title_candidates(lines, keys, features, probabilities, article, "townnews.com")
    assert "desk@townnews.com" in candidates.texts
    wanted = {"desk@townnews.com": 0.9, headline: 0.6}
    assert learned_title(_Ranks(candidates.texts, wanted), candidates) == headline


def test_script_or_style_text_is_never_the_learned_title() -> None:
    headline = "Budget approved after a long night"
    script = "initMenu() { if (window.menu) { menu.open = false } }"
    style = ".css-1x2y{font-size:16px;font-weight:400;display:block;}"
    lines = [f"{headline} | Town News", *MENU, script, style, headline, *PROSE]
    keys = [" ".join(tokens(line)) for line in lines]
    features, probabilities = default_model().scores(lines)
    article = list(range(len(MENU) + 4, len(lines)))
    candidates = title_candidates(lines, keys, features, probabilities, article, "townnews.com")
    assert {script, style} <= set(candidates.texts)
    wanted = {script: 0.9, style: 0.8, headline: 0.6}
    assert learned_title(_Ranks(candidates.texts, wanted), candidates) == headline
    # Braces around words are no code: a headline may hold them.
    tagged = "{Weekend} Notes 3 & 4: Apple Tart"
    lines = [f"{tagged} | Town News", *MENU, tagged, *PROSE]
    keys = [" ".join(tokens(line)) for line in lines]
    features, probabilities = default_model().scores(lines)
    article = list(range(len(MENU) + 2, len(lines)))
    candidates = title_candidates(lines, keys, features, probabilities, article, "townnews.com")
    assert learned_title(_Prefers(candidates.texts, tagged), candidates) == tagged


def test_a_caption_with_its_credit_is_never_the_learned_title() -> None:
    headline = "Budget approved after a long night"
    captions = ["The council chamber at dawn. Photo: J. Doe", "Voting ends late.Jane Roe/Getty"]
    lines = [f"{headline} | Town News", *MENU, headline, *captions, *PROSE]
    candidates = _town_candidates(lines, len(MENU) + 2)
    assert set(captions) <= set(candidates.texts)
    wanted = {captions[0]: 0.9, captions[1]: 0.8, headline: 0.6}
    assert learned_title(_Ranks(candidates.texts, wanted), candidates) == headline
    # A headline announcing pictures is no caption, nor one whose label starts a sentence.
    for titled in ("Photos: the council votes the budget", "Town image: a council split in two"):
        candidates = _town_candidates(
            [f"{titled} | Town News", *MENU, titled, *PROSE], len(MENU) + 2
        )
        assert learned_title(_Prefers(candidates.texts, titled), candidates) == titled


def test_a_line_spelling_the_sites_name_alone_is_never_the_learned_title() -> None:
    headline = "Budget approved after a long night"
    lines = [f"{headline} | Town News", *MENU, "TownNews", headline, *PROSE]
    candidates = _town_candidates(lines, len(MENU) + 3)
    assert "TownNews" in candidates.texts
    wanted = {"TownNews": 0.9, headline: 0.6}
    assert learned_title(_Ranks(candidates.texts, wanted), candidates) == headline
    # A headline naming the site in a phrase is still one.
    named = "TownNews readers pick the budget"
    candidates = _town_candidates([f"{named} | Town News", *MENU, named, *PROSE], len(MENU) + 2)
    assert learned_title(_Prefers(candidates.texts, named), candidates) == named
    # A home page, whose <title> is the site's name, may be titled by it.
    home = _town_candidates(["Town News", *MENU, "TownNews", *PROSE], len(MENU) + 2)
    assert learned_title(_Prefers(home.texts, "TownNews"), home) == "TownNews"


def test_a_line_marked_as_a_list_item_is_never_the_learned_title() -> None:
    headline = "Budget approved after a long night"
    for item in ("* Email will not be published", "- Pruning shears", "• Free parking"):
        lines = [f"{headline} | Town News", *MENU, headline, *PROSE, item, "Post comment"]
        candidates = _town_candidates(lines, len(MENU) + 2)
        assert item in candidates.texts
        wanted = {item: 0.9, headline: 0.3}
        assert learned_title(_Ranks(candidates.texts, wanted), candidates) == headline
    # A star without a space after it is no list marker ("*Exclusive* ...").
    starred = "*Exclusive* Budget approved after a long night"
    candidates = _town_candidates([f"{starred} | Town News", *MENU, starred, *PROSE], len(MENU) + 2)
    assert learned_title(_Prefers(candidates.texts, starred), candidates) == starred


def test_a_sentence_gives_way_to_a_likely_headline_shaped_line() -> None:
    headline = "Budget approved after a long night"
    sentence = "The council met until midnight in the old chamber."
    lines = ["Town budget news | Town News", *MENU, headline, sentence, *PROSE]
    candidates = _town_candidates(lines, len(MENU) + 2)
    assert {headline, sentence} <= set(candidates.texts)
    wanted = {sentence: 0.7, headline: 0.2}
    assert learned_title(_Ranks(candidates.texts, wanted, 0.01), candidates) == headline
    # Not to a line the model finds unlikely, nor does a line ending in an ellipsis give way.
    unlikely = {sentence: 0.7, headline: 0.05}
    assert learned_title(_Ranks(candidates.texts, unlikely, 0.01), candidates) == sentence
    trailing = "The council met until midnight..."
    lines = ["Town budget news | Town News", *MENU, headline, trailing, *PROSE]
    candidates = _town_candidates(lines, len(MENU) + 2)
    wanted = {trailing: 0.7, headline: 0.2}
    assert learned_title(_Ranks(candidates.texts, wanted, 0.01), candidates) == trailing


def test_a_headline_the_page_shows_beats_a_title_part_no_line_repeats() -> None:
    titled = "Council passes budget in late-night vote"
    shown = "Budget approved after a long night of debate"
    candidates = _town_candidates([f"{titled} | Town News", *MENU, shown, *PROSE], len(MENU) + 2)
    assert titled in candidates.texts
    assert shown in candidates.texts
    # Ranked first, the <title>'s part gives way to the headline-shaped line the page shows.
    ranked = {titled: 0.8, shown: 0.3}
    assert learned_title(_Ranks(candidates.texts, ranked), candidates) == shown
    # Not to a line that is no headline (prose, a sentence) or that names the site.
    for line in ("Town News Online", PROSE[0]):
        other = [f"{titled} | Town News", *MENU, line, *PROSE[1:]]
        candidates = _town_candidates(other, len(MENU) + 2)
        assert line in candidates.texts
        ranked = {titled: 0.8, line: 0.3}
        assert learned_title(_Ranks(candidates.texts, ranked), candidates) == titled


def test_a_short_headline_that_the_title_sets_apart_wins_among_the_models_best_two() -> None:
    lines = ["Glossaire | Town News", *MENU, "Glossaire", "A lexicon of local politics", *PROSE]
    keys = [" ".join(tokens(line)) for line in lines]
    short = short_headline(lines, "townnews.com", keys)
    assert short == "glossaire"
    features, probabilities = default_model().scores(lines)
    article = list(range(len(MENU) + 3, len(lines)))
    candidates = title_candidates(lines, keys, features, probabilities, article, "townnews.com")
    ranked = {"A lexicon of local politics": 0.5, "Glossaire": 0.3}
    assert learned_title(_Ranks(candidates.texts, ranked), candidates, short) == "Glossaire"
    # Ranked third, it is a menu item the <title> happens to hold: the model's pick stays.
    third = {**ranked, "Weather": 0.4}
    assert "Weather" in candidates.texts
    picked = learned_title(_Ranks(candidates.texts, third), candidates, short)
    assert picked == "A lexicon of local politics"
    # Only where the site part spells the host's name, and never for a <title> of one word.
    assert short_headline(lines, "othersite.org", keys) is None
    assert short_headline(["Glossaire", *lines[1:]], "townnews.com", keys) is None


def test_the_learned_title_skips_bylines_dates_and_site_names() -> None:
    assert default_model().title is not None
    body = "\n\n".join(PROSE)
    # The first line names only the site: the headline is the line before the byline.
    dump = "\n\n".join(["Town News", *MENU, "Budget approved after a long night", "By A. Reporter"])
    article = clean({"text": f"{dump}\n\n{body}", "url": "https://townnews.com/a/1"})
    assert article.title == "Budget approved after a long night"
    dump = "\n\n".join(
        [
            "Budget approved after a long night - Town News",
            *MENU,
            "Budget approved after a long night",
            "Tuesday, 3 March 2026, 10:42",
        ]
    )
    article = clean({"text": f"{dump}\n\n{body}", "url": "https://townnews.com/a/1"})
    assert article.title == "Budget approved after a long night"


def test_html_without_a_headline_heading_takes_the_learned_title() -> None:
    # The <h1> is the site's name and the headline is a styled <div>: no heading says which line
    # is the headline, the meta title is the whole <title>.
    paragraphs = "".join(f"<p>{line}</p>" for line in PROSE)
    page = (
        "<html><head><title>Town News » Local » Budget approved after a long night</title>"
        '<meta property="og:title" content="Town News » Local » Budget approved after a long '
        'night"></head><body><header><h1>Town News</h1><ul>'
        + "".join(f"<li><a href='/{item}'>{item}</a></li>" for item in MENU)
        + "</ul></header><article><div class='headline'>Budget approved after a long night</div>"
        f"<div class='byline'>By A. Reporter</div>{paragraphs}</article>"
        "<footer>© 2026 Town News</footer></body></html>"
    )
    article = clean({"html": page, "url": "https://townnews.com/local/budget"})
    assert article.title == "Budget approved after a long night"
    assert PROSE[1] in f"{article.lead}\n{article.body}"
    # A heading that repeats the <title>'s headline decides, as before.
    with_heading = page.replace("<div class='headline'>", "<h2>").replace(
        "night</div><div class='byline'>", "night</h2><div class='byline'>"
    )
    assert "<h2>Budget approved" in with_heading
    heading_title = clean({"html": with_heading, "url": "https://townnews.com/local/budget"}).title
    assert heading_title == "Budget approved after a long night"


def test_the_cleaner_does_not_load_scikit_learn() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from newsflow.core.cleaning import clean\n"
        "from newsflow.core.cleaning.lines import default_model\n"
        "default_model()\n"
        "clean({'text': 'Town News\\n\\n' + ' '.join(['word'] * 40)})\n"
        "print('sklearn' in sys.modules, 'scipy' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.split() == ["False", "False"]


def test_an_english_dump_loses_its_furniture_and_keeps_its_title() -> None:
    lines = ["Budget approved after a long night - Town News", *MENU]
    lines += ["Budget approved after a long night", "By A. Reporter", *PROSE]
    lines += ["Share this article", "Related stories", "Bridge repairs to start in May"]
    lines += ["Schools get new roofs", "© 2026 Town News. All rights reserved.", "Cookie settings"]
    article = clean({"text": "\n\n".join(lines)})
    assert article.title == "Budget approved after a long night"
    text = f"{article.lead}\n{article.body}"
    for line in PROSE:
        assert line in text
    for furniture in ("Share this article", "Related stories", "All rights reserved", "Sign in"):
        assert furniture not in text


def test_a_hindi_dump_is_cleaned_as_the_same_page_with_full_stops() -> None:
    prose = [
        "नगर परिषद ने मंगलवार की रात लंबी बहस के बाद नए बजट को मंज़ूरी दे दी। "
        "बैठक देर रात तक चली और कई सदस्यों ने अपनी बात रखी।",
        "विपक्ष के सदस्यों ने कहा कि इस योजना से उत्तर के परिवारों पर स्थानीय कर बढ़ेगा। "
        "उन्होंने अगले महीने इस पर फिर से चर्चा की मांग की।",
        "महापौर ने जवाब दिया कि पुराने पुल और दो स्कूलों की मरम्मत के लिए पैसे की ज़रूरत है। "
        "उन्होंने कहा कि काम मार्च में शुरू होगा।",
        "खर्च के ब्योरे पर अंतिम मतदान वसंत में होने वाली अगली बैठक में होने की उम्मीद है। "
        "तब तक परिषद हर वार्ड में लोगों से राय लेगी।",
    ]
    menu = ["होम", "देश", "विदेश", "खेल", "मनोरंजन", "लॉग इन"]
    headline = "नगर परिषद ने नए बजट को मंज़ूरी दी"
    lines = [f"{headline} | नगर समाचार", *menu, headline, *prose]
    lines += ["इसे भी पढ़ें", "पुल की मरम्मत मार्च से", "© 2026 नगर समाचार", "संपर्क करें"]
    article = clean({"text": "\n\n".join(lines)})
    assert article.title == headline
    text = f"{article.lead}\n{article.body}"
    assert all(paragraph in text for paragraph in prose)
    assert not any(line in text.split("\n") for line in (*menu, "संपर्क करें", "© 2026 नगर समाचार"))
    # Every feature reads a danda as a full stop: the page written with "." comes out the same.
    stops = clean({"text": "\n\n".join(lines).replace("।", ".")})
    assert (stops.title, stops.lead, stops.body) == (
        article.title,
        article.lead and article.lead.replace("।", "."),
        article.body.replace("।", "."),
    )


def test_no_article_is_rejected() -> None:
    with pytest.raises(RejectedArticle):
        clean({"text": "Home\n\nNews\n\nSign in"})
