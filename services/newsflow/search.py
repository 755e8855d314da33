"""`newsflow search`: full text plus entity, language and date filters, printed for people."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from typing import Any

import orjson
from elasticsearch import NotFoundError
from rich.console import Console
from rich.text import Text

from newsflow.config import IndexerSettings
from newsflow.search_index import build_query, client, search_fields


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
    settings: IndexerSettings | None = None,
) -> tuple[list[dict[str, Any]], int]:
    settings = settings or IndexerSettings()
    es = client(settings)
    deadline = time.monotonic() + wait_s
    try:
        while True:
            try:
                fields = await search_fields(es, settings.index_alias)
                response = await es.search(
                    index=settings.index_alias,
                    size=size,
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
                hits = [hit["_source"] for hit in response["hits"]["hits"]]
                total = int(response["hits"]["total"]["value"])
            except NotFoundError:
                hits, total = [], 0
            if hits or time.monotonic() >= deadline:
                return hits, total
            await asyncio.sleep(0.5)
    finally:
        await es.close()


def print_hits(hits: list[dict[str, Any]], total: int, *, as_json: bool = False) -> None:
    if as_json:
        for hit in hits:
            print(orjson.dumps(hit).decode())
        return
    console = Console()
    console.print(
        f"{total} article(s) match" + (f", showing {len(hits)}" if total > len(hits) else "")
    )
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
        for label, key in (
            ("people", "persons"),
            ("places", "locations"),
            ("organisations", "organizations"),
        ):
            if hit.get(key):
                console.print(Text(f"  {label}: ", style="cyan") + Text(", ".join(hit[key])))
