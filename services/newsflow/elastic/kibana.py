"""Kibana provisioning for the docker-compose deployment: the kibana_system password and the
saved objects (data views, saved searches, dashboard) in deploy/kibana/newsflow.ndjson.
"""

from __future__ import annotations

from typing import Any

import httpx
import orjson
from elasticsearch import AsyncElasticsearch

from newsflow.errors import BackendUnavailable, SetupError
from newsflow.resources import read_bytes
from newsflow.retry import retry_async
from newsflow.settings import SetupSettings

ARTICLES_DATA_VIEW = "newsflow-articles"
DEAD_LETTERS_DATA_VIEW = "newsflow-dead-letters"


def load_saved_objects() -> list[dict[str, Any]]:
    """deploy/kibana/newsflow.ndjson, as shipped in the package."""
    lines = read_bytes("deploy", "kibana", "newsflow.ndjson").splitlines()
    return [orjson.loads(line) for line in lines if line.strip()]


def saved_objects_for(settings: SetupSettings) -> bytes:
    """The NDJSON to import, with the data views pointing at the configured index names."""
    titles = {
        ARTICLES_DATA_VIEW: settings.index.index_alias,
        DEAD_LETTERS_DATA_VIEW: settings.index.dead_letter_index,
    }
    lines = []
    for item in load_saved_objects():
        if item["type"] == "index-pattern" and item["id"] in titles:
            item["attributes"]["title"] = titles[item["id"]]
        lines.append(orjson.dumps(item))
    return b"\n".join(lines) + b"\n"


def check_import(status: int, body: Any) -> int:
    """Kibana answers 200 even when objects fail: the body says whether they did."""
    if status >= 300:
        raise SetupError(f"Kibana saved objects import answered {status}: {str(body)[:500]}")
    if not isinstance(body, dict) or body.get("success") is not True or body.get("errors"):
        errors = body.get("errors") if isinstance(body, dict) else body
        raise SetupError(
            f"Kibana did not import every saved object: {orjson.dumps(errors).decode()[:1000]}"
        )
    return int(body.get("successCount", 0))


async def set_kibana_system_password(es: AsyncElasticsearch, settings: SetupSettings) -> str | None:
    password = settings.kibana.kibana_system_password
    if password is None:
        return None
    await es.security.change_password(
        username="kibana_system", password=password.get_secret_value()
    )
    return "kibana_system password"


async def import_saved_objects(settings: SetupSettings) -> str | None:
    if not settings.kibana.kibana_url:
        return None
    auth = settings.connections.es_auth
    base = settings.kibana.kibana_url.rstrip("/")
    async with httpx.AsyncClient(auth=auth, timeout=60, headers={"kbn-xsrf": "newsflow"}) as http:
        await _wait_available(http, base, settings.setup.wait_s)
        response = await http.post(
            f"{base}/api/saved_objects/_import",
            params={"overwrite": "true"},
            files={"file": ("newsflow.ndjson", saved_objects_for(settings), "application/ndjson")},
        )
        try:
            body = response.json()
        except ValueError:
            body = response.text
        count = check_import(response.status_code, body)
    return f"{count} Kibana saved objects"


async def _wait_available(http: httpx.AsyncClient, base: str, wait_s: float) -> None:
    async def available() -> None:
        try:
            response = await http.get(f"{base}/api/status")
        except httpx.HTTPError as exc:
            raise BackendUnavailable(repr(exc)) from exc
        if response.status_code != 200:
            raise BackendUnavailable(f"HTTP {response.status_code}")
        level = response.json().get("status", {}).get("overall", {}).get("level")
        if level != "available":
            raise BackendUnavailable(f"status {level}")

    try:
        await retry_async(available, what="kibana", initial_s=1.0, max_s=5.0, deadline_s=wait_s)
    except BackendUnavailable as exc:
        raise SetupError(
            f"Kibana at {base} not available after {wait_s:.0f}s ({exc}): check that it runs"
        ) from exc
