"""Entity normalisation within an article, without spaCy: mentions in, entities out."""

from __future__ import annotations

from newsflow.core.entities import Mention, is_junk, normalize_mentions


def mentions(*items: tuple[str, str]) -> list[Mention]:
    found, position = [], 0
    for text, label in items:
        found.append(Mention(text, label, position, position + len(text)))
        position += len(text) + 10
    return found


def test_surface_forms_of_one_person_are_merged_with_their_count() -> None:
    result = normalize_mentions(
        mentions(
            ("Lavrov", "PER"),
            ("Sergueï Lavrov", "PER"),
            ("M. Lavrov", "PER"),
            ("Sergueï Lavrov", "PER"),
            ("John Kerry", "PER"),
        )
    )
    people = {e.name: e for e in result.entities if e.label == "person"}
    assert set(people) == {"Sergueï Lavrov", "John Kerry"}
    assert people["Sergueï Lavrov"].count == 4
    assert people["Sergueï Lavrov"].forms == ["Lavrov", "M. Lavrov", "Sergueï Lavrov"]
    assert result.names("person") == ["Sergueï Lavrov", "John Kerry"]


def test_a_short_form_with_another_label_still_joins_the_person() -> None:
    result = normalize_mentions(mentions(("Josh Earnest", "PER"), ("Earnest", "LOC")))
    assert result.names("person") == ["Josh Earnest"]
    assert result.names("location") == []


def test_an_ambiguous_surname_is_not_merged() -> None:
    result = normalize_mentions(
        mentions(("Paul Martin", "PER"), ("Anne Martin", "PER"), ("Martin", "PER"))
    )
    assert sorted(result.names("person")) == ["Anne Martin", "Martin", "Paul Martin"]


def test_honorifics_and_leading_articles_are_stripped() -> None:
    result = normalize_mentions(
        mentions(("Mme Merkel", "PER"), ("la Russie", "LOC"), ("l'OSCE", "ORG"))
    )
    assert result.names("person") == ["Merkel"]
    assert result.names("location") == ["Russie"]
    assert result.names("organization") == ["OSCE"]
    russia = next(m for m in result.mentions if m.text == "Russie")
    assert (russia.start, russia.end) == (20 + 3, 20 + 9)  # "la Russie" starts at 20


def test_job_titles_navigation_and_spans_across_lines_are_dropped() -> None:
    result = normalize_mentions(
        mentions(
            ("ministre russe des Affaires étrangères", "ORG"),
            ("porte-parole de la Maison Blanche", "ORG"),
            ("Rechercher", "MISC"),
            ("Dernières Infos", "MISC"),
            ("Alep\n\nLavrov", "LOC"),
            ("2016", "MISC"),
            ("OSCE", "ORG"),
        )
    )
    assert [e.name for e in result.entities] == ["OSCE"]


def test_name_particles_are_not_junk() -> None:
    assert not is_junk("de Gaulle")
    assert not is_junk("van Gogh")
    assert not is_junk("eBay")
    assert is_junk("président de la République")


def test_conflicting_labels_are_settled_by_majority() -> None:
    result = normalize_mentions(mentions(("Alep", "LOC"), ("Alep", "MISC"), ("Alep", "LOC")))
    assert [(e.name, e.label, e.count) for e in result.entities] == [("Alep", "location", 3)]


def test_case_and_accent_variants_are_one_entity() -> None:
    result = normalize_mentions(
        mentions(("Etats-Unis", "LOC"), ("États-Unis", "LOC"), ("Etats Unis", "LOC"))
    )
    assert len(result.entities) == 1
    assert result.entities[0].count == 3


def test_english_ontonotes_labels_are_mapped() -> None:
    result = normalize_mentions(
        mentions(
            ("the White House", "ORG"),
            ("Paris", "GPE"),
            ("Barack Obama", "PERSON"),
            ("yesterday", "DATE"),
        )
    )
    assert result.names("organization") == ["White House"]
    assert result.names("location") == ["Paris"]
    assert result.names("person") == ["Barack Obama"]


def test_street_names_and_capitalised_articles_are_part_of_place_names() -> None:
    result = normalize_mentions(
        mentions(("rue de la Paix", "LOC"), ("La Haye", "LOC"), ("place Ferrer", "LOC"))
    )
    assert sorted(result.names("location")) == ["La Haye", "place Ferrer", "rue de la Paix"]
