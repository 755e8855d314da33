"""Index template building and query building, without a cluster."""

from __future__ import annotations

from newsflow.elastic.search import build_query
from newsflow.elastic.templates import articles_template


def test_without_language_analyzers_text_fields_use_standard_only() -> None:
    template = articles_template("articles", {})
    properties = template["template"]["mappings"]["properties"]
    assert template["index_patterns"] == ["articles-v*"]
    for field in ("title", "lead", "body"):
        assert properties[field]["analyzer"] == "standard"
        assert set(properties[field].get("fields", {})) <= {"raw"}


def test_available_language_analyzers_become_sub_fields() -> None:
    template = articles_template("news", {"fr": "french", "en": "english"})
    body = template["template"]["mappings"]["properties"]["body"]
    assert body["fields"]["fr"] == {"type": "text", "analyzer": "french"}
    assert body["fields"]["en"] == {"type": "text", "analyzer": "english"}
    assert template["_meta"]["language_analyzers"] == ["english", "french"]


def test_entity_fields_are_aggregatable_keywords() -> None:
    properties = articles_template("articles", {})["template"]["mappings"]["properties"]
    for field in ("persons", "locations", "organizations", "misc", "language", "source"):
        assert properties[field]["type"] == "keyword"
    assert properties["published_at"]["type"] == "date"


def test_query_combines_text_entities_language_and_date() -> None:
    query = build_query(
        "Alep", ["title^3", "body"], persons=["Sergueï Lavrov"], language="fr", since="2016-12-01"
    )
    assert query["bool"]["must"][0]["multi_match"]["query"] == "Alep"
    filters = query["bool"]["filter"]
    assert {"term": {"persons": "Sergueï Lavrov"}} in filters
    assert {"term": {"language": "fr"}} in filters
    assert {"range": {"date": {"gte": "2016-12-01"}}} in filters
    assert build_query(None, [])["bool"]["must"] == [{"match_all": {}}]
