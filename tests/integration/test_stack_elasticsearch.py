"""Elasticsearch index, bulk write, full-text query and aggregation on the real server."""

from __future__ import annotations

import pytest
from elasticsearch import AsyncElasticsearch, BadRequestError
from elasticsearch.helpers import async_bulk

from newsflow.stack import LocalStack

pytestmark = pytest.mark.integration

DOCS = [
    {
        "id": "a1",
        "title": "Lavrov annonce un arrêt des frappes à Alep",
        "persons": ["Sergueï Lavrov"],
    },
    {
        "id": "a2",
        "title": "Kerry et Lavrov à Hambourg",
        "persons": ["John Kerry", "Sergueï Lavrov"],
    },
    {"id": "a3", "title": "Réunion de l'OSCE à Hambourg", "persons": []},
]


async def test_bulk_write_then_full_text_and_terms_aggregation(
    stack: LocalStack, unique: str
) -> None:
    index = f"test-stack-{unique}"
    es = AsyncElasticsearch(stack.elasticsearch_url)
    try:
        await es.indices.create(
            index=index,
            mappings={
                "properties": {
                    "title": {"type": "text", "analyzer": "standard"},
                    "persons": {"type": "keyword"},
                }
            },
        )
        ok, errors = await async_bulk(
            es,
            ({"_index": index, "_id": d["id"], "_source": d} for d in DOCS),
            refresh="wait_for",
        )
        assert (ok, errors) == (3, [])

        hits = await es.search(index=index, query={"match": {"title": "hambourg"}})
        assert sorted(h["_id"] for h in hits["hits"]["hits"]) == ["a2", "a3"]

        aggs = await es.search(
            index=index, size=0, aggs={"people": {"terms": {"field": "persons"}}}
        )
        buckets = {b["key"]: b["doc_count"] for b in aggs["aggregations"]["people"]["buckets"]}
        assert buckets == {"Sergueï Lavrov": 2, "John Kerry": 1}
    finally:
        await es.indices.delete(index=index, ignore_unavailable=True)
        await es.close()


async def test_local_cluster_has_no_french_analyzer(stack: LocalStack) -> None:
    """The integ-test distribution lacks analysis-common: the pipeline must fall back."""
    es = AsyncElasticsearch(stack.elasticsearch_url)
    try:
        standard = await es.indices.analyze(analyzer="standard", text="Les frappes")
        assert [t["token"] for t in standard["tokens"]] == ["les", "frappes"]
        with pytest.raises(BadRequestError):
            await es.indices.analyze(analyzer="french", text="Les frappes")
    finally:
        await es.close()
