"""`newsflow search`: full text plus entity, language and date filters, printed for people."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import orjson
from elasticsearch import AsyncElasticsearch, NotFoundError
from rich.console import Console
from rich.text import Text

from newsflow.elastic.client import es_client
from newsflow.elastic.templates import LANGUAGE_ANALYZERS, TEXT_FIELDS
from newsflow.retry import poll_async
from newsflow.settings import SearchSettings


async def search_fields(es: AsyncElasticsearch, alias: str) -> list[str]:
    """Text fields to query, boosted, including language sub-fields the index has."""
    mapping = await es.indices.get_mapping(index=alias)
    fields: list[str] = []
    boosts = {"title": 3, "lead": 2, "body": 1}
    for index_mapping in mapping.values():
        properties = index_mapping["mappings"]["properties"]
        for field in TEXT_FIELDS:
            fields.append(f"{field}^{boosts[field]}")
            for sub in properties.get(field, {}).get("fields", {}):
                if sub in LANGUAGE_ANALYZERS:
                    fields.append(f"{field}.{sub}^{boosts[field]}")
    return sorted(set(fields))


def build_query(
    text: str | None,
    fields: Iterable[str],
    *,
    persons: Iterable[str] = (),
    locations: Iterable[str] = (),
    organizations: Iterable[str] = (),
    language: str | None = None,
    since: str | None = None,
) -> dict[str, Any]:
    must: list[dict[str, Any]] = []
    if text:
        must.append({"multi_match": {"query": text, "fields": list(fields), "type": "best_fields"}})
    filters: list[dict[str, Any]] = []
    for field, values in (
        ("persons", persons),
        ("locations", locations),
        ("organizations", organizations),
    ):
        filters.extend({"term": {field: value}} for value in values)
    if language:
        filters.append({"term": {"language": language}})
    if since:
        filters.append({"range": {"date": {"gte": since}}})
    if not must:
        must.append({"match_all": {}})
    return {"bool": {"must": must, "filter": filters}}


def story_collapse(outlets: int = 10) -> dict[str, Any]:
    """Search arguments for one hit per story_id, with its copies counted."""
    return {
        "collapse": {
            "field": "story_id",
            "inner_hits": {
                "name": "copies",
                "size": outlets,
                "_source": ["source"],
                "sort": [{"date": {"order": "asc", "unmapped_type": "date"}}],
            },
        },
        # Hits count documents even when collapsed: the number of stories is a cardinality
        # (exact below its precision threshold of 3,000 stories, approximate above).
        "aggregations": {"stories": {"cardinality": {"field": "story_id"}}},
    }


def collapsed_hits(response: Any) -> tuple[list[dict[str, Any]], int]:
    hits = []
    for hit in response["hits"]["hits"]:
        copies = hit["inner_hits"]["copies"]["hits"]
        outlets = [c["_source"].get("source") for c in copies["hits"]]
        hits.append(
            {
                **hit["_source"],
                "copies": int(copies["total"]["value"]),
                "outlets": list(dict.fromkeys(o for o in outlets if o)),
            }
        )
    return hits, int(response["aggregations"]["stories"]["value"])


async def search(
    text: str | None,
    *,
    persons: Sequence[str] = (),
    locations: Sequence[str] = (),
    organizations: Sequence[str] = (),
    language: str | None = None,
    since: str | None = None,
    size: int = 10,
    wait_s: float = 0.0,
    collapse_stories: bool = False,
    settings: SearchSettings | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """Matching documents and how many match. With `collapse_stories`, one hit per story (the
    best-scoring copy; Elasticsearch field collapsing on story_id), each with `copies` (how
    many documents of its story match) and `outlets` (the sources of up to ten of them); the
    count is then of matching stories."""
    settings = settings or SearchSettings()
    es = es_client(settings.connections)
    alias = settings.index.index_alias

    async def once() -> tuple[list[dict[str, Any]], int]:
        try:
            fields = await search_fields(es, alias)
            response = await es.search(
                index=alias,
                size=size,
                **(story_collapse() if collapse_stories else {}),
                query=build_query(
                    text,
                    fields,
                    persons=persons,
                    locations=locations,
                    organizations=organizations,
                    language=language,
                    since=since,
                ),
                sort=["_score", {"date": {"order": "desc", "unmapped_type": "date"}}],
            )
        except NotFoundError:
            return [], 0
        if collapse_stories:
            return collapsed_hits(response)
        hits = [hit["_source"] for hit in response["hits"]["hits"]]
        return hits, int(response["hits"]["total"]["value"])

    try:
        return await poll_async(once, wait_s, done=lambda result: bool(result[0]))
    finally:
        await es.close()


def print_hits(
    hits: list[dict[str, Any]], total: int, *, as_json: bool = False, stories: bool = False
) -> None:
    if as_json:
        for hit in hits:
            print(orjson.dumps(hit).decode())
        return
    console = Console()
    what = "story(ies)" if stories else "article(s)"
    console.print(f"{total} {what} match" + (f", showing {len(hits)}" if total > len(hits) else ""))
    for hit in hits:
        date = hit.get("published_at") or hit.get("collected_at") or "undated"
        console.print()
        console.print(Text(hit.get("title") or "(no title)", style="bold"))
        console.print(
            Text(
                f"{date} · {hit.get('source')} · {hit.get('language')} · "
                f"{hit.get('url') or hit['id']}",
                style="dim",
            )
        )
        if "copies" in hit:
            others = ", ".join(hit["outlets"])
            console.print(
                Text(f"  {hit['copies']} cop{'y' if hit['copies'] == 1 else 'ies'}", style="green")
                + Text(f" ({others})" if others else "")
            )
        for label, key in (
            ("people", "persons"),
            ("places", "locations"),
            ("organisations", "organizations"),
        ):
            if hit.get(key):
                console.print(Text(f"  {label}: ", style="cyan") + Text(", ".join(hit[key])))
