"""Entity normalisation within an article, without spaCy: the model's mentions of a text in,
entities out. Each test writes a short article and the spans a model could have found in it."""

from __future__ import annotations

from newsflow.core.entities import ArticleEntities, Mention, is_junk, normalize_mentions


def found(text: str, *spans: tuple[str, str] | tuple[str, str, int]) -> list[Mention]:
    """Mentions of `text`: (surface, label) or (surface, label, n) for its n-th occurrence."""
    mentions = []
    for span in spans:
        surface, label = span[0], span[1]
        start = -1
        for _ in range(span[2] + 1 if len(span) == 3 else 1):
            start = text.index(surface, start + 1)
        mentions.append(Mention(surface, label, start, start + len(surface)))
    return mentions


def normalise(
    text: str, language: str, *spans: tuple[str, str] | tuple[str, str, int]
) -> ArticleEntities:
    return normalize_mentions(found(text, *spans), text, language)


def labelled(result: ArticleEntities) -> dict[str, str]:
    return {e.name: e.label for e in result.entities}


def spans(result: ArticleEntities) -> list[tuple[str, str]]:
    return [(m.text, m.label) for m in result.mentions]


# --------------------------------------------------------------------------- merging


def test_surface_forms_of_one_person_are_merged_with_their_count() -> None:
    text = (
        "Lavrov arrive à Genève. Sergueï Lavrov y verra John Kerry. M. Lavrov l'a dit, "
        "et Sergueï Lavrov repart demain."
    )
    result = normalise(
        text,
        "fr",
        ("Lavrov", "PER"),
        ("Sergueï Lavrov", "PER"),
        ("John Kerry", "PER"),
        ("M. Lavrov", "PER"),
        ("Sergueï Lavrov", "PER", 1),
    )
    people = {e.name: e for e in result.entities if e.label == "person"}
    assert set(people) == {"Sergueï Lavrov", "John Kerry"}
    assert people["Sergueï Lavrov"].count == 4
    assert people["Sergueï Lavrov"].forms == ["Lavrov", "M. Lavrov", "Sergueï Lavrov"]
    assert [m.start for m in people["Sergueï Lavrov"].mentions] == [
        m.start for m in result.mentions if m.text in ("Lavrov", "Sergueï Lavrov")
    ]


def test_the_longest_form_decides_the_label_when_mentions_merge() -> None:
    # The model read the surnames as organisations.
    text = "John Major met Kenneth Clarke. Major said Clarke would stay, and Clarke agreed."
    result = normalise(
        text,
        "en",
        ("John Major", "PERSON"),
        ("Kenneth Clarke", "PERSON"),
        ("Major", "ORG", 1),
        ("Clarke", "ORG", 1),
        ("Clarke", "ORG", 2),
    )
    assert labelled(result) == {"John Major": "person", "Kenneth Clarke": "person"}
    assert {label for _, label in spans(result)} == {"PER"}


def test_a_place_is_never_merged_into_a_persons_name() -> None:
    text = "Milan Rapajic scored twice in Milan on Sunday."
    result = normalise(text, "en", ("Milan Rapajic", "PERSON"), ("Milan", "GPE", 1))
    assert labelled(result) == {"Milan Rapajic": "person", "Milan": "location"}


def test_a_surname_the_model_saw_as_a_place_still_joins_its_person() -> None:
    text = "Narendra Modi spoke first. However, Modi did not commit to a date."
    result = normalise(text, "en", ("Narendra Modi", "PERSON"), ("Modi", "GPE", 1))
    assert labelled(result) == {"Narendra Modi": "person"}


def test_a_person_is_never_merged_into_an_organisations_name() -> None:
    text = "Clarke Industries hired Tom Clarke. Clarke said so."
    result = normalise(
        text, "en", ("Clarke Industries", "ORG"), ("Tom Clarke", "PERSON"), ("Clarke", "PERSON", 2)
    )
    assert labelled(result) == {"Clarke Industries": "organization", "Tom Clarke": "person"}
    assert result.entities[0].name == "Tom Clarke"


def test_an_ambiguous_surname_is_not_merged() -> None:
    text = "Paul Martin and Anne Martin came. Martin spoke."
    result = normalise(
        text, "fr", ("Paul Martin", "PER"), ("Anne Martin", "PER"), ("Martin", "PER", 2)
    )
    assert sorted(result.names("person")) == ["Anne Martin", "Martin", "Paul Martin"]


def test_a_courtesy_title_joins_the_person_named_in_full() -> None:
    text = "Élisabeth Borne a présenté le projet. « Nous irons vite », a déclaré Mme Borne."
    result = normalise(text, "fr", ("Élisabeth Borne", "PER"), ("Mme Borne", "ORG"))
    [borne] = result.entities
    assert (borne.name, borne.label, borne.count) == ("Élisabeth Borne", "person", 2)
    assert spans(result)[1] == ("Borne", "PER")


def test_an_organisation_span_ending_in_a_persons_name_is_that_person() -> None:
    text = (
        "La ministre des Transports Élisabeth Borne a présenté le projet. "
        "« Nous irons vite », a déclaré Mme Borne."
    )
    result = normalise(text, "fr", ("Transports Élisabeth Borne", "ORG"), ("Mme Borne", "PER"))
    assert labelled(result) == {"Élisabeth Borne": "person"}
    assert spans(result) == [("Élisabeth Borne", "PER"), ("Borne", "PER")]


# --------------------------------------------------------------------------- spans


def test_abbreviations_keep_their_full_stops() -> None:
    text = "AMR Corp. said U.S. regulators agreed. Shares of AMR Corp. rose in the U.K."
    result = normalise(
        text,
        "en",
        ("AMR Corp.", "ORG"),
        ("U.S.", "GPE"),
        ("AMR Corp.", "ORG", 1),
        ("U.K.", "GPE"),
    )
    assert labelled(result) == {"AMR Corp.": "organization", "U.S.": "location", "U.K.": "location"}
    assert "U.S." in [m.text for m in result.mentions]


def test_sentence_punctuation_is_not_part_of_a_name() -> None:
    text = 'He went to "Paris". Then Rome...'
    result = normalise(text, "en", ('Paris".', "GPE"), ("Rome...", "GPE"))
    assert spans(result) == [("Paris", "LOC"), ("Rome", "LOC")]


def test_honorifics_are_stripped_in_their_language_only() -> None:
    french = "M. Lavrov est arrivé."
    assert normalise(french, "fr", ("M. Lavrov", "PER")).names("person") == ["Lavrov"]
    # In English "M." is an initial.
    english = "M. Waugh scored 57 and Mr. Taylor 20."
    result = normalise(english, "en", ("M. Waugh", "PERSON"), ("Mr. Taylor", "PERSON"))
    assert sorted(result.names("person")) == ["M. Waugh", "Taylor"]


def test_titles_are_stripped_from_a_persons_span() -> None:
    text = "Prime Minister John Smith met President Jones. Le président Dupont est venu."
    english = normalise(
        text, "en", ("Prime Minister John Smith", "PERSON"), ("President Jones", "PERSON")
    )
    assert sorted(english.names("person")) == ["John Smith", "Jones"]
    french = normalise(text, "fr", ("président Dupont", "PER"))
    assert french.names("person") == ["Dupont"]


def test_determiners_and_prepositions_are_stripped_per_language() -> None:
    french = "Il vient de France, de la Meuse, et l'OSCE et la Russie le savent. La Haye aussi."
    result = normalise(
        french,
        "fr",
        ("de France", "LOC"),
        ("de la Meuse", "LOC"),
        ("l'OSCE", "ORG"),
        ("la Russie", "LOC"),
        ("La Haye", "LOC"),
    )
    assert [m.text for m in result.mentions] == ["France", "Meuse", "OSCE", "Russie", "La Haye"]
    russia = next(m for m in result.mentions if m.text == "Russie")
    assert french[russia.start : russia.end] == "Russie"
    english = "The Supreme Court sat in The Hague while the Kremlin waited."
    result = normalise(
        english, "en", ("The Supreme Court", "ORG"), ("The Hague", "GPE"), ("the Kremlin", "ORG")
    )
    assert [m.text for m in result.mentions] == ["Supreme Court", "The Hague", "Kremlin"]


def test_possessives_numbers_and_lower_case_tails_are_not_part_of_a_name() -> None:
    text = "Clinton's plan.\nBristol City 4 Oxford 1\nThe PAP news agency and Interstate 95 too."
    result = normalise(
        text,
        "en",
        ("Clinton's", "PERSON"),
        ("Bristol City 4 Oxford 1", "ORG"),
        ("PAP news agency", "ORG"),
        ("Interstate 95", "FAC"),
    )
    assert [m.text for m in result.mentions] == [
        "Clinton",
        "Bristol City",
        "Oxford",
        "PAP",
        "Interstate 95",
    ]


def test_a_span_cut_short_is_repaired_from_the_text() -> None:
    text = "Une réunion de l'Organisation pour la sécurité et la coopération en Europe a eu lieu."
    result = normalise(
        text, "fr", ("Organisation pour la sécurité et la coopération en", "ORG"), ("Europe", "LOC")
    )
    assert spans(result) == [("Organisation pour la sécurité et la coopération en Europe", "ORG")]


def test_a_dangling_connector_is_dropped_when_no_name_follows() -> None:
    text = "Le comité de la ville de soutien aux familles."
    result = normalise(text, "fr", ("comité de la ville de", "ORG"), ("Le comité de", "ORG"))
    assert all(not m.text.endswith(" de") for m in result.mentions)


def test_a_span_over_several_lines_or_names_is_cut() -> None:
    text = "Sami Aboudi\nRAMALLAH\nScott Draper (Australia) beat Jim Kerr - Canada"
    result = normalise(
        text,
        "en",
        ("Sami Aboudi\nRAMALLAH", "PERSON"),
        ("Scott Draper (Australia", "PERSON"),
        ("Jim Kerr - Canada", "PERSON"),
    )
    assert spans(result) == [
        ("Sami Aboudi", "PER"),
        ("Scott Draper", "PER"),
        ("Jim Kerr", "PER"),
    ]


# --------------------------------------------------------------------------- acronyms


def test_an_acronym_is_linked_to_its_expansion_in_the_article() -> None:
    text = (
        "L'Organisation pour la sécurité et la coopération en Europe se réunit à Vienne. "
        "Selon l'OSCE, le vote aura lieu."
    )
    result = normalise(
        text,
        "fr",
        ("Organisation pour la sécurité et la coopération en Europe", "ORG"),
        ("Vienne", "LOC"),
        ("OSCE", "ORG"),
    )
    osce = next(e for e in result.entities if "OSCE" in e.forms)
    assert osce.name == "Organisation pour la sécurité et la coopération en Europe"
    assert (osce.label, osce.count) == ("organization", 2)


def test_an_expansion_in_brackets_is_a_mention_even_where_the_model_saw_part_of_it() -> None:
    text = "Le Sdis (Service départemental d'incendie et de secours) est intervenu."
    result = normalise(text, "fr", ("Sdis", "ORG"), ("Service", "LOC"))
    assert spans(result) == [
        ("Sdis", "ORG"),
        ("Service départemental d'incendie et de secours", "ORG"),
    ]
    assert len(result.entities) == 1


def test_two_letter_acronyms_are_not_linked_to_names_far_away() -> None:
    text = "Le PS a réagi. Paul Simon, puis Public Sénat, en ont parlé."
    result = normalise(text, "fr", ("PS", "ORG"), ("Paul Simon", "PER"), ("Public Sénat", "ORG"))
    assert len(result.entities) == 3


# --------------------------------------------------------------------------- consistency


def test_a_name_takes_one_label_decided_by_its_mentions() -> None:
    text = "Arbil was shelled. Troops left Arbil. The town of Arbil is calm."
    result = normalise(text, "en", ("Arbil", "GPE"), ("Arbil", "ORG", 1), ("Arbil", "GPE", 2))
    assert labelled(result) == {"Arbil": "location"}
    assert {label for _, label in spans(result)} == {"LOC"}


def test_a_tie_keeps_the_models_labels() -> None:
    text = "Kent beat Essex. Kent is in England."
    result = normalise(text, "en", ("Kent", "ORG"), ("Kent", "GPE", 1))
    assert [label for _, label in spans(result)] == ["ORG", "LOC"]


def test_other_occurrences_of_a_recognised_name_are_mentions_too() -> None:
    text = (
        "NAIROBI, March 3 (Wire) - Kenya's Daniel Komen won in Nairobi.\n"
        "KOMEN WINS IN NAIROBI\n"
        "Komen said the race was hard. Nairobi Marathon officials agreed."
    )
    result = normalise(text, "en", ("Daniel Komen", "PERSON"), ("Nairobi", "GPE"))
    people = {e.name: e for e in result.entities}
    assert people["Daniel Komen"].count == 3  # the surname, also in the capitals headline
    assert people["Nairobi"].count == 3  # the dateline, the text and the headline
    # Not inside a longer name the model did not recognise.
    assert ("Nairobi", "LOC") not in spans(result)[-1:]
    assert all(m.text != "Nairobi" or text[m.end] != " " for m in result.mentions)


def test_occurrences_are_whole_words_only() -> None:
    text = "Iran protested. Iranian officials and Irandoust did not."
    result = normalise(text, "en", ("Iran", "GPE"))
    assert spans(result) == [("Iran", "LOC")]


def test_a_language_without_vocabulary_gets_the_shared_rules() -> None:
    text = "Angela Merkel sprach in Berlin. Merkel sagte, Berlin sei bereit."
    result = normalise(text, "de", ("Angela Merkel", "PER"), ("Berlin", "LOC"))
    assert {e.name: e.count for e in result.entities} == {"Angela Merkel": 2, "Berlin": 2}


# --------------------------------------------------------------------------- junk


def test_job_titles_navigation_and_inhabitants_are_not_entities() -> None:
    text = (
        "Rechercher\nDernières Infos\nLe ministre russe des Affaires étrangères et le "
        "porte-parole de la Maison Blanche. Premier ministre. Un Belfortain et les Verdunois "
        "votent pour Les Républicains. 2016. OSCE."
    )
    result = normalise(
        text,
        "fr",
        ("Rechercher", "MISC"),
        ("Dernières Infos", "MISC"),
        ("ministre russe des Affaires étrangères", "ORG"),
        ("porte-parole de la Maison Blanche", "ORG"),
        ("Premier ministre", "MISC"),
        ("Belfortain", "LOC"),
        ("Verdunois", "LOC"),
        ("Les Républicains", "ORG"),
        ("2016", "MISC"),
        ("OSCE", "ORG"),
    )
    assert sorted(e.name for e in result.entities) == ["Les Républicains", "OSCE"]


def test_name_particles_are_not_junk() -> None:
    assert not is_junk("de Gaulle")
    assert not is_junk("van Gogh")
    assert not is_junk("eBay")
    assert is_junk("président de la République")
    assert is_junk("K.")


def test_case_and_accent_variants_are_one_entity() -> None:
    text = "Etats-Unis, États-Unis et Etats Unis."
    result = normalise(
        text, "fr", ("Etats-Unis", "LOC"), ("États-Unis", "LOC"), ("Etats Unis", "LOC")
    )
    assert len(result.entities) == 1
    assert result.entities[0].count == 3


def test_street_names_and_capitalised_articles_are_part_of_place_names() -> None:
    text = "Rendez-vous rue de la Paix, puis à La Haye et place Ferrer."
    result = normalise(
        text, "fr", ("rue de la Paix", "LOC"), ("La Haye", "LOC"), ("place Ferrer", "LOC")
    )
    assert sorted(result.names("location")) == ["La Haye", "place Ferrer", "rue de la Paix"]


def test_mentions_are_listed_per_entity_with_offsets() -> None:
    text = "Sergueï Lavrov parle. Lavrov conclut."
    result = normalise(text, "fr", ("Sergueï Lavrov", "PER"))
    [entity] = result.entities
    assert entity.as_dict(with_mentions=True)["mentions"] == [
        {"start": 0, "end": 14, "text": "Sergueï Lavrov"},
        {"start": 22, "end": 28, "text": "Lavrov"},
    ]
    assert "mentions" not in entity.as_dict()
