"""The dedup core: copies found, different articles kept apart, decisions that replay the same."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from newsflow.core.cleaning import clean
from newsflow.core.contracts import Contract, validate
from newsflow.core.dedup import (
    DedupConfig,
    DedupState,
    assign,
    band_keys,
    evict,
    shingles,
    signature,
    tokens,
)
from newsflow.core.ids import content_hash
from newsflow.settings import DedupOptions
from newsflow.stages.dedup import DedupCore, dedup_config
from tests.paths import FIXTURES

CONFIG = DedupConfig()
PARAGRAPHS = [
    "Le conseil municipal a voté mardi soir la construction d'une nouvelle passerelle piétonne "
    "au-dessus de la rivière, un projet attendu depuis plus de dix ans par les riverains.",
    "Le chantier doit commencer au printemps et durer dix-huit mois, pour un coût estimé à "
    "quatre millions d'euros, financé pour moitié par la région et pour moitié par la ville.",
    "L'opposition a dénoncé un calendrier trop serré et demandé une étude d'impact "
    "complémentaire sur la faune des berges, notamment sur les oiseaux qui y nichent.",
    "Le maire a répondu que les associations de protection de la nature avaient été consultées "
    "à plusieurs reprises et que leurs remarques figuraient dans le dossier final du projet.",
    "Les travaux entraîneront la fermeture partielle du quai nord pendant l'été prochain.",
]
OTHER = [
    "La bibliothèque de quartier rouvrira ses portes lundi après six mois de travaux de "
    "rénovation, avec un espace numérique et une salle de lecture agrandie pour les enfants.",
    "Les horaires d'ouverture seront élargis le samedi et un service de prêt à domicile sera "
    "proposé aux personnes âgées qui ne peuvent plus se déplacer facilement jusqu'au centre.",
    "La municipalité espère ainsi doubler le nombre d'inscrits d'ici la fin de l'année "
    "prochaine, après une baisse continue de la fréquentation depuis plusieurs années.",
]


def message(
    article_id: str, paragraphs: list[str], at: str = "2026-01-01T00:00:00Z", **extra: Any
) -> dict[str, Any]:
    body = "\n\n".join(paragraphs)
    return {
        "id": article_id,
        "source": f"outlet-{article_id[-4:]}.example",
        "lead": None,
        "body": body,
        "content_hash": content_hash(body),
        "cleaned_at": at,
        **extra,
    }


def ids(n: int) -> list[str]:
    return [f"{i:032x}" for i in range(1, n + 1)]


def test_copies_share_the_story_of_the_first_and_other_articles_start_their_own() -> None:
    state = DedupState.in_memory()
    a, b, c, d = ids(4)
    edited = [
        "« " + PARAGRAPHS[0].replace("'", "’") + " »",
        "Lire aussi : le budget de la ville adopté",
        *PARAGRAPHS[1:-1],  # the last paragraph cut
    ]
    first = assign(message(a, PARAGRAPHS), state, CONFIG)
    copy = assign(message(b, edited), state, CONFIG)
    other = assign(message(c, OTHER), state, CONFIG)
    exact = assign(message(d, PARAGRAPHS), state, CONFIG)
    assert (first.story_id, first.first_copy, first.matched) == (a, True, None)
    assert (copy.story_id, copy.first_copy, copy.matched) == (a, False, "minhash")
    assert copy.similarity is not None
    assert copy.similarity >= CONFIG.threshold
    assert (other.story_id, other.first_copy) == (c, True)
    assert (exact.story_id, exact.matched) == (a, "content_hash")


def test_pages_of_one_source_must_agree_more_to_be_one_story() -> None:
    a, c = ids(2)
    near = [*PARAGRAPHS[:3], OTHER[0], OTHER[1]]  # estimated similarity 0.5
    for source, expected in (("same.example", c), ("other.example", a)):
        state = DedupState.in_memory()
        assign(message(a, PARAGRAPHS, source="same.example"), state, CONFIG)
        copy = assign(message(c, near, source=source), state, CONFIG)
        assert copy.story_id == expected, source


def test_an_identical_short_text_matches_by_its_content_hash_only() -> None:
    state = DedupState.in_memory()
    a, b, c = ids(3)
    short = ["Dernière minute : le match est reporté."]
    assert assign(message(a, short), state, CONFIG).first_copy
    assert assign(message(b, short), state, CONFIG).story_id == a
    # Too short for a sketch: a near copy is not matched, and nothing is banded.
    assert assign(message(c, ["Dernière minute : le match est annulé."]), state, CONFIG).first_copy
    assert not state.bands


def test_the_same_article_again_gets_its_first_answer() -> None:
    state = DedupState.in_memory()
    a, b = ids(2)
    assign(message(a, PARAGRAPHS), state, CONFIG)
    assert assign(message(b, PARAGRAPHS[:4]), state, CONFIG).story_id == a
    again = assign(message(b, OTHER), state, CONFIG)  # same id: the stored decision
    assert (again.story_id, again.first_copy, again.matched) == (a, False, "id")


def _stream() -> list[dict[str, Any]]:
    texts = [PARAGRAPHS, OTHER, PARAGRAPHS[1:], OTHER[:2], PARAGRAPHS[:4], list(reversed(OTHER))]
    return [
        message(i, t, at=f"2026-01-0{1 + n // 2}T00:00:0{n}Z")
        for n, (i, t) in enumerate(zip(ids(6), texts, strict=True))
    ]


def test_a_replay_over_a_partly_lost_state_gives_the_same_stories() -> None:
    stream = _stream()
    reference = DedupState.in_memory()
    expected = [assign(m, reference, CONFIG).story_id for m in stream]
    # A crash after four articles: only the first three were committed, and of the fourth's
    # writes the band entries reached the changelog but not its record.
    state = DedupState.in_memory()
    for m in stream[:3]:
        assign(m, state, CONFIG)
    partial = DedupState(dict(state.articles), dict(state.bands), dict(state.hashes))
    assign(stream[3], state, CONFIG)
    partial.bands.update(state.bands)
    recovered = DedupState(partial.articles, partial.bands, partial.hashes)  # watermark unknown
    replayed = [assign(m, recovered, CONFIG).story_id for m in stream[2:]]
    assert replayed == expected[2:]


def test_the_window_forgets_old_articles_and_eviction_changes_no_decision() -> None:
    config = DedupConfig(window_s=24 * 3600)
    a, b, c, d = ids(4)
    stream = [
        message(a, PARAGRAPHS, at="2026-01-01T00:00:00Z"),
        message(b, PARAGRAPHS[:4], at="2026-01-01T12:00:00Z"),  # within a day: a copy
        message(c, OTHER, at="2026-01-03T00:00:00Z"),
        message(d, PARAGRAPHS[1:], at="2026-01-03T06:00:00Z"),  # a and b forgotten: new story
    ]
    kept, swept = DedupState.in_memory(), DedupState.in_memory()
    plain = [assign(m, kept, config).story_id for m in stream]
    evicting = []
    for m in stream:
        evicting.append(assign(m, swept, config).story_id)
        evict(swept, config)
    assert plain == evicting == [a, a, c, d]
    assert len(swept.articles) == 2
    assert len(kept.articles) == 4
    assert all(owner in swept.articles for owner in swept.bands.values())


def test_scripts_without_spaces_are_shingled_by_character() -> None:
    assert tokens("東京都は月曜日、新しい計画を発表した。") == list("東京都は月曜日") + list(
        "新しい計画を発表した"
    )
    assert tokens("L'été à Paris") == ["l", "été", "à", "paris"]
    chinese = [
        "北京市政府星期二宣布将在明年春季开始修建一座新的步行桥连接河流两岸的居民区。",
        "该项目预计耗资四百万欧元工期十八个月由市政府和地区政府共同出资建设完成。",
        "反对派批评时间表过于紧张并要求对河岸野生动物进行补充环境影响评估研究。",
    ]
    state = DedupState.in_memory()
    a, b = ids(2)
    assign(message(a, chinese), state, CONFIG)
    copy = assign(message(b, [*chinese[:2], "另请参阅：城市预算通过"]), state, CONFIG)
    assert copy.story_id == a


def test_signatures_do_not_depend_on_the_process() -> None:
    items = shingles("\n\n".join(PARAGRAPHS), CONFIG)
    here = band_keys(signature(items, CONFIG), CONFIG)
    code = (
        "from newsflow.core.dedup import DedupConfig, band_keys, shingles, signature;"
        "import sys; c = DedupConfig();"
        "print(b''.join(band_keys(signature(shingles(sys.stdin.read(), c), c), c)).hex())"
    )
    other = subprocess.run(
        [sys.executable, "-c", code],
        input="\n\n".join(PARAGRAPHS),
        capture_output=True,
        text=True,
        env={"PYTHONHASHSEED": "123", "PATH": "/usr/bin:/bin"},
        check=True,
    )
    assert other.stdout.strip() == b"".join(here).hex()


def test_the_core_outputs_valid_deduped_messages_from_the_sample() -> None:
    raw = {"text": (FIXTURES / "sample_article.txt").read_text("utf-8")}
    first = clean(raw).to_message("2026-01-01T00:00:00Z")
    copy = clean({**raw, "url": "https://elsewhere.example/a"}).to_message("2026-01-01T00:01:00Z")
    core = DedupCore(dedup_config(DedupOptions()))
    out = core.process([first, copy])
    for result in out:
        assert isinstance(result, dict)
        validate(Contract.DEDUPED, result)
    assert [(r["story_id"], r["first_copy"]) for r in out if isinstance(r, dict)] == [
        (first["id"], True),
        (first["id"], False),
    ]


def test_config_checks_its_numbers() -> None:
    with pytest.raises(ValueError, match="multiple"):
        DedupConfig(num_perm=100, bands=32)
    with pytest.raises(ValueError, match="threshold"):
        DedupConfig(threshold=0)
