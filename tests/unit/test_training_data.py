"""Training pages built from third-party sets (newsflow_dev.train_cleaner), on small pages
written for the purpose."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsflow_dev.train_cleaner import SEED_VARIABLE, _dragnet_pages, _l3s_pages, seed_from

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


def test_l3s_pages_take_text_marked_by_nested_spans_once(tmp_path: Path) -> None:
    # The annotated copy of L3S-GN1 marks a block with a span of class x-nc-sel2 (full text)
    # or x-nc-sel1 (headline), and some of its pages nest such spans in one another.
    def marked(kind: int, text: str, depth: int) -> str:
        opening = f'<span class="x-nc-sel{kind}">' * depth
        return f"{opening}{text}{'</span>' * depth}"

    uuid = "00000000-0000-4000-8000-000000000001"
    page = (
        "<html><head><title>Le budget est voté - La Gazette</title></head><body>"
        "<nav><a href='/'>Accueil</a> <a href='/sport'>Sport</a></nav>"
        "<h1>{headline}</h1>{body}<footer>Mentions légales</footer></body></html>"
    )
    (tmp_path / "original").mkdir()
    (tmp_path / "annotated").mkdir()
    (tmp_path / "original" / f"{uuid}.html").write_text(
        page.format(headline="Le budget est voté", body="".join(f"<p>{p}</p>" for p in PARAGRAPHS)),
        "utf-8",
    )
    (tmp_path / "annotated" / f"{uuid}.html").write_text(
        page.format(
            headline=marked(1, "Le budget est voté", depth=2),
            body="".join(f"<p>{marked(2, p, depth=i + 1)}</p>" for i, p in enumerate(PARAGRAPHS)),
        ),
        "utf-8",
    )
    (tmp_path / "url-mapping.txt").write_text(
        f"<urn:uuid:{uuid}>\thttps://www.lagazette.example/budget\n", "utf-8"
    )

    (page_read,) = _l3s_pages(tmp_path)

    assert page_read.title == "Le budget est voté"
    assert page_read.gold == "\n".join(PARAGRAPHS)
    labelled = dict(zip(page_read.lines, page_read.labels, strict=True))
    assert all(labelled[p] == 1 for p in PARAGRAPHS)
    assert labelled["Mentions légales"] == 0


def test_the_training_seed_is_zero_unless_the_environment_names_another() -> None:
    assert seed_from({}) == 0
    assert seed_from({SEED_VARIABLE: " "}) == 0
    assert seed_from({SEED_VARIABLE: "2"}) == 2
    with pytest.raises(SystemExit, match="whole number"):
        seed_from({SEED_VARIABLE: "two"})
