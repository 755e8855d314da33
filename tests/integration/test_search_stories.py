"""`newsflow search --collapse-stories` on the real Elasticsearch: one hit per story, with its copies."""

from __future__ import annotations

import orjson
import pytest
from elasticsearch import AsyncElasticsearch

from newsflow.elastic.search import search
from newsflow.elastic.templates import ensure_indices
from newsflow.settings import SearchSettings
from newsflow.stack import LocalStack
from tests.pipeline import connections, index_names, isolated_env, newsflow

pytestmark = pytest.mark.integration

# story -> sources of its copies (the first is the first copy)
STORIES = {
    "a" * 32: ["agency.example", "one.example", "two.example", "one.example"],
    "b" * 32: ["agency.example"],
    "c" * 32: ["three.example", "four.example"],
}


def documents() -> list[dict[str, object]]:
    docs = []
    for story, sources in STORIES.items():
        for n, source in enumerate(sources):
            docs.append(
                {
                    "id": story if n == 0 else f"{story[:28]}{n:04d}",
                    "story_id": story,
                    "first_copy": n == 0,
                    "source": source,
                    "title": f"Passerelle {story[0]} {n}",
                    "body": f"La passerelle piétonne, version {n}.",
                    "date": f"2026-01-0{n + 1}T00:00:00Z",
                }
            )
    return docs


async def test_collapsed_search_gives_each_story_once_with_its_copy_count(
    stack: LocalStack, unique: str
) -> None:
    names = index_names(unique)
    es = AsyncElasticsearch(stack.elasticsearch_url)
    try:
        await ensure_indices(es, names)
        for doc in documents():
            await es.index(index=names.index_alias, id=str(doc["id"]), document=doc)
        await es.indices.refresh(index=names.index_alias)
    finally:
        await es.close()
    settings = SearchSettings(connections=connections(stack), index=names)

    hits, total = await search("passerelle", collapse_stories=True, size=10, settings=settings)
    assert total == 3
    by_story = {hit["story_id"]: hit for hit in hits}
    assert {s: h["copies"] for s, h in by_story.items()} == {"a" * 32: 4, "b" * 32: 1, "c" * 32: 2}
    # Outlets in the order the story reached them, each once.
    assert by_story["a" * 32]["outlets"] == ["agency.example", "one.example", "two.example"]
    plain, documents_total = await search("passerelle", size=10, settings=settings)
    assert documents_total == len(documents())
    assert len(plain) == len(documents())

    env = isolated_env(stack, unique)
    printed = newsflow("search", "passerelle", "--collapse-stories", env=env)
    assert printed.returncode == 0, printed.stderr
    assert "3 story(ies) match" in printed.stdout
    assert "4 copies (agency.example, one.example, two.example)" in printed.stdout
    as_json = newsflow("search", "passerelle", "--collapse-stories", "--json", env=env)
    assert sorted(orjson.loads(line)["copies"] for line in as_json.stdout.splitlines()) == [1, 2, 4]
