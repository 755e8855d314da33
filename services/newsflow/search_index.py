"""The Elasticsearch side: index templates, the versioned index behind its alias, and queries.

Text fields use the `standard` analyzer, plus a sub-field per language analyzer the cluster has
(`title.fr` with `french`, `body.en` with `english`, ...). Clusters without analysis-common (such
as the integ-test distribution the local stack runs) get `standard` only, and searches simply
leave out sub-fields that do not exist.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import orjson
from elasticsearch import AsyncElasticsearch, BadRequestError, NotFoundError

from newsflow.config import REPO_ROOT, Connections, IndexerSettings
from newsflow.errors import ConfigError

TEMPLATES_DIR = REPO_ROOT / "schemas" / "elasticsearch"
TEXT_FIELDS = ("title", "lead", "body")
# Language code -> Elasticsearch built-in language analyzer (from analysis-common).
LANGUAGE_ANALYZERS = {
    "fr": "french",
    "en": "english",
    "de": "german",
    "es": "spanish",
    "it": "italian",
    "pt": "portuguese",
    "nl": "dutch",
}


def client(settings: Connections) -> AsyncElasticsearch:
    auth = None
    if settings.elasticsearch_username and settings.elasticsearch_password:
        auth = (settings.elasticsearch_username, settings.elasticsearch_password.get_secret_value())
    return AsyncElasticsearch(settings.es_url, basic_auth=auth, request_timeout=30)


def load_template(name: str) -> dict[str, Any]:
    path = TEMPLATES_DIR / f"{name}.template.json"
    try:
        template: dict[str, Any] = orjson.loads(Path(path).read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        raise ConfigError(f"cannot read index template {path}: {exc}") from exc
    return template


async def available_language_analyzers(es: AsyncElasticsearch) -> dict[str, str]:
    """The language analyzers this cluster really has, probed with _analyze."""
    found = {}
    for language, analyzer in LANGUAGE_ANALYZERS.items():
        try:
            await es.indices.analyze(analyzer=analyzer, text="test")
        except BadRequestError:
            continue
        found[language] = analyzer
    return found


def articles_template(alias: str, analyzers: dict[str, str]) -> dict[str, Any]:
    """The articles index template for `<alias>-v*`, with language sub-fields where available."""
    template = copy.deepcopy(load_template("articles"))
    properties = template["template"]["mappings"]["properties"]
    for field in TEXT_FIELDS:
        subfields = properties[field].setdefault("fields", {})
        for language, analyzer in sorted(analyzers.items()):
            subfields[language] = {"type": "text", "analyzer": analyzer}
    template["index_patterns"] = [f"{alias}-v*"]
    template["priority"] = 200
    template["_meta"]["language_analyzers"] = sorted(analyzers.values())
    return template


def dead_letters_template(index: str) -> dict[str, Any]:
    template = copy.deepcopy(load_template("dead-letters"))
    template["index_patterns"] = [index]
    template["priority"] = 200
    return template


async def ensure_indices(es: AsyncElasticsearch, settings: IndexerSettings) -> list[str]:
    """Install the templates and create the versioned index with its alias, if absent.

    Returns what was changed (empty on a second run).
    """
    changes: list[str] = []
    analyzers = await available_language_analyzers(es)
    wanted = {
        f"{settings.index_alias}-template": articles_template(settings.index_alias, analyzers),
        f"{settings.dead_letter_index}-template": dead_letters_template(settings.dead_letter_index),
    }
    for name, body in wanted.items():
        try:
            current = (await es.indices.get_index_template(name=name))["index_templates"][0][
                "index_template"
            ]
        except NotFoundError:
            current = None
        if current is None or _differs(current, body):
            await es.indices.put_index_template(name=name, **body)
            changes.append(f"index template {name}")
    if not await es.indices.exists_alias(name=settings.index_alias):
        if not await es.indices.exists(index=settings.index_name):
            await es.indices.create(
                index=settings.index_name, aliases={settings.index_alias: {"is_write_index": True}}
            )
            changes.append(f"index {settings.index_name} with alias {settings.index_alias}")
        else:
            await es.indices.put_alias(
                index=settings.index_name, name=settings.index_alias, is_write_index=True
            )
            changes.append(f"alias {settings.index_alias}")
    if settings.index_dead_letters and not await es.indices.exists(
        index=settings.dead_letter_index
    ):
        await es.indices.create(index=settings.dead_letter_index)
        changes.append(f"index {settings.dead_letter_index}")
    return changes


def _differs(current: dict[str, Any], wanted: dict[str, Any]) -> bool:
    """Compare what matters; Elasticsearch returns settings in its own normalised form."""
    return bool(
        current.get("index_patterns") != wanted["index_patterns"]
        or current.get("_meta") != wanted.get("_meta")
        or current.get("template", {}).get("mappings") != wanted["template"]["mappings"]
    )


# --------------------------------------------------------------------------- searching


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
