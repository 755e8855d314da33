"""Index templates and the versioned index behind its alias, created idempotently.

Text fields use the `standard` analyzer, plus a sub-field per language analyzer the cluster has
(`title.fr` with `french`, `body.en` with `english`, ...). Clusters without analysis-common (such
as the integ-test distribution the local stack runs) get `standard` only, and searches simply
leave out sub-fields that do not exist.
"""

from __future__ import annotations

import copy
from typing import Any

import orjson
from elasticsearch import AsyncElasticsearch, BadRequestError, NotFoundError

from newsflow.errors import ConfigError
from newsflow.resources import read_bytes
from newsflow.settings import IndexNames

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


def load_template(name: str) -> dict[str, Any]:
    try:
        template: dict[str, Any] = orjson.loads(
            read_bytes("schemas", "elasticsearch", f"{name}.template.json")
        )
    except orjson.JSONDecodeError as exc:
        raise ConfigError(f"the {name} index template is not valid JSON: {exc}") from exc
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


async def ensure_indices(es: AsyncElasticsearch, settings: IndexNames) -> list[str]:
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
