"""Training pages built from third-party sets (newsflow_dev.train_cleaner), on small pages
written for the purpose."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsflow_dev.train_cleaner import SEED_VARIABLE, _dragnet_pages, seed_from

PARAGRAPHS = [
    "Le conseil municipal a voté mardi soir le budget de la ville pour l'année prochaine, "
    f"après un long débat sur les investissements prévus dans les quartiers numéro {i}."
    for i in range(4)
]


def test_dragnet_pages_are_held_out_with_a_gold_body_without_comments_or_headline(
    tmp_path: Path,
) -> None:
    (tmp_path / "input").mkdir()
    (tmp_path / "GoldStandard").mkdir()
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    (tmp_path / "input" / "7.html").write_text(
        "<html><head><title>Le budget est voté - La Gazette</title>"
        '<link rel="canonical" href="https://www.lagazette.example/budget"></head><body>'
        "<nav><a href='/'>Accueil</a></nav><h1>Le budget est voté</h1>"
        f"<p>Par Jeanne Martin</p>{body}<p>Un lecteur : je ne suis pas d'accord du tout avec "
        "cette décision prise sans consulter les habitants du quartier.</p>"
        "<footer>Mentions légales</footer></body></html>",
        "utf-8",
    )
    gold = "\r\n".join(
        [
            "Le budget est voté",
            "Par Jeanne Martin",
            *PARAGRAPHS,
            "!@#$%^&*()  COMMENTS",
            "Un lecteur : je ne suis pas d'accord du tout avec cette décision prise sans "
            "consulter les habitants du quartier.",
        ]
    )
    (tmp_path / "GoldStandard" / "7.txt").write_bytes(gold.encode("cp1252"))

    (page,) = _dragnet_pages(tmp_path)

    assert page.site == "lagazette.example"
    assert page.gold is not None
    assert "Le budget est voté" not in page.gold  # the headline
    assert "lecteur" not in page.gold  # a comment
    assert page.held_out  # an evaluation set: never trained on
    labelled = dict(zip(page.lines, page.labels, strict=True))
    assert all(labelled[p] == 1 for p in PARAGRAPHS)
    assert labelled["Le budget est voté"] == 0
    assert labelled["Mentions légales"] == 0


def test_the_training_seed_is_zero_unless_the_environment_names_another() -> None:
    assert seed_from({}) == 0
    assert seed_from({SEED_VARIABLE: " "}) == 0
    assert seed_from({SEED_VARIABLE: "2"}) == 2
    with pytest.raises(SystemExit, match="whole number"):
        seed_from({SEED_VARIABLE: "two"})
