"""The docker-compose deployment, checked without a Docker engine by real tools.

- the compose file is parsed and resolved by `docker compose config` (built from its Go module);
- the Dockerfile is linted by hadolint;
- Kibana's saved objects refer only to fields the index templates have, with aggregatable
  types where they are aggregated;
- image versions are the ones the local stack pins.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from newsflow.elastic.kibana import (
    ARTICLES_DATA_VIEW,
    DEAD_LETTERS_DATA_VIEW,
    check_import,
    load_saved_objects,
)
from newsflow.elastic.templates import articles_template, dead_letters_template
from newsflow.stack.maven import load_versions
from tests.deploy_tools import compose_binary
from tests.paths import REPO as REPO_ROOT

DEPLOY = REPO_ROOT / "deploy"
AGGREGATABLE = {"keyword", "date", "integer", "long", "float", "double", "boolean"}


@pytest.fixture(scope="module")
def compose_config() -> dict[str, Any]:
    result = subprocess.run(
        [
            str(compose_binary()),
            "--env-file",
            str(DEPLOY / "versions.env"),
            "--env-file",
            str(DEPLOY / ".env.example"),
            "-f",
            str(DEPLOY / "docker-compose.yml"),
            "--profile",
            "tools",
            "config",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    config: dict[str, Any] = json.loads(result.stdout)
    return config


def test_compose_images_use_the_pinned_versions(compose_config: dict[str, Any]) -> None:
    versions = load_versions()
    services = compose_config["services"]
    assert services["kafka"]["image"] == f"apache/kafka:{versions.kafka}"
    assert (
        services["elasticsearch"]["image"]
        == f"docker.elastic.co/elasticsearch/elasticsearch:{versions.elasticsearch}"
    )
    assert (
        services["kibana"]["image"] == f"docker.elastic.co/kibana/kibana:{versions.elasticsearch}"
    )


def test_compose_publishes_ports_on_loopback_only(compose_config: dict[str, Any]) -> None:
    published = [
        (name, port)
        for name, service in compose_config["services"].items()
        for port in service.get("ports", [])
    ]
    assert {name for name, _ in published} == {"kafka", "elasticsearch", "kibana"}
    assert all(port["host_ip"] == "127.0.0.1" for _, port in published)


def test_compose_starts_in_order(compose_config: dict[str, Any]) -> None:
    services = compose_config["services"]
    assert services["setup"]["depends_on"]["kafka"]["condition"] == "service_healthy"
    assert services["setup"]["depends_on"]["elasticsearch"]["condition"] == "service_healthy"
    for stage in ("cleaner", "dedup", "enricher", "indexer", "collector"):
        assert (
            services[stage]["depends_on"]["setup"]["condition"] == "service_completed_successfully"
        )
    for name in ("kafka", "elasticsearch", "kibana", "cleaner", "dedup", "enricher", "indexer"):
        assert "test" in services[name]["healthcheck"], name
        assert services[name]["restart"] == "unless-stopped", name
    assert services["setup"]["restart"] == "no"


def test_compose_kafka_and_elasticsearch_settings(compose_config: dict[str, Any]) -> None:
    kafka = compose_config["services"]["kafka"]["environment"]
    assert kafka["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"
    assert kafka["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"] == "1"
    assert kafka["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert compose_config["services"]["kafka"]["volumes"][0]["source"] == "kafka-data"
    es = compose_config["services"]["elasticsearch"]
    assert es["environment"]["xpack.security.enabled"] == "true"
    assert "-Xmx" in es["environment"]["ES_JAVA_OPTS"]
    assert es["mem_limit"]
    assert compose_config["services"]["kibana"]["mem_limit"]


def test_each_image_installs_only_its_stage(compose_config: dict[str, Any]) -> None:
    extras = {
        name: compose_config["services"][name]["build"]["args"]["EXTRAS"]
        for name in ("setup", "cleaner", "dedup", "enricher", "indexer", "collector")
    }
    assert extras == {
        "setup": "",
        "cleaner": "cleaner",
        "dedup": "dedup",
        "enricher": "enricher",
        "indexer": "",
        "collector": "collector",
    }


def test_env_example_has_placeholders_for_every_required_variable() -> None:
    compose = (DEPLOY / "docker-compose.yml").read_text()
    required = set(re.findall(r"\$\{(\w+):\?", compose)) - {
        "KAFKA_VERSION",
        "ELASTICSEARCH_VERSION",
    }
    example = dict(
        line.split("=", 1)
        for line in (DEPLOY / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert required <= set(example)
    for secret in ("ELASTIC_PASSWORD", "KIBANA_SYSTEM_PASSWORD", "KIBANA_ENCRYPTION_KEY"):
        assert example[secret].startswith("change-me"), secret
    assert ".env" in {
        line.rsplit("/", 1)[-1] for line in (REPO_ROOT / ".gitignore").read_text().splitlines()
    }


def test_dockerfile_passes_hadolint() -> None:
    hadolint = Path(
        subprocess.run(
            ["which", "hadolint"], capture_output=True, text=True, check=False
        ).stdout.strip()
        or REPO_ROOT / ".venv" / "bin" / "hadolint"
    )
    result = subprocess.run(
        [str(hadolint), str(DEPLOY / "Dockerfile")],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --------------------------------------------------------------------------- Kibana objects


def _mappings() -> dict[str, dict[str, Any]]:
    return {
        ARTICLES_DATA_VIEW: articles_template("articles", {})["template"]["mappings"]["properties"],
        DEAD_LETTERS_DATA_VIEW: dead_letters_template("articles-dlq")["template"]["mappings"][
            "properties"
        ],
    }


def _field_type(properties: dict[str, Any], field: str) -> str | None:
    node: dict[str, Any] = {"properties": properties}
    for part in field.split("."):
        if "properties" in node and part in node["properties"]:
            node = node["properties"][part]
        elif "fields" in node and part in node["fields"]:
            node = node["fields"][part]
        else:
            return None
    return node.get("type", "object")


@pytest.fixture(scope="module")
def saved_objects() -> list[dict[str, Any]]:
    return load_saved_objects()


def _view_of(item: dict[str, Any]) -> str:
    [ref] = [r for r in item["references"] if r["type"] == "index-pattern"]
    return str(ref["id"])


def test_saved_objects_are_complete_and_references_resolve(
    saved_objects: list[dict[str, Any]],
) -> None:
    ids = {(o["type"], o["id"]) for o in saved_objects}
    assert {t for t, _ in ids} == {"index-pattern", "search", "visualization", "dashboard"}
    titles = {o["attributes"]["title"] for o in saved_objects}
    assert {
        "French articles",
        "Mentions of a person",
        "First copies only",
        "Stories by number of outlets",
        "newsflow overview",
    } <= titles
    for item in saved_objects:
        for ref in item["references"]:
            assert (ref["type"], ref["id"]) in ids, (item["id"], ref)
    [dashboard] = [o for o in saved_objects if o["type"] == "dashboard"]
    panels = json.loads(dashboard["attributes"]["panelsJSON"])
    names = {r["name"] for r in dashboard["references"]}
    assert all(f"{p['panelIndex']}:{p['panelRefName']}" in names for p in panels)
    shown = {r["id"] for r in dashboard["references"]}
    for needed in (
        "newsflow-articles-over-time",
        "newsflow-top-persons",
        "newsflow-top-locations",
        "newsflow-top-organizations",
        "newsflow-languages",
        "newsflow-sources",
        "newsflow-dead-letters-by-stage",
        "newsflow-stories-by-outlets",
    ):
        assert needed in shown


def test_data_views_time_fields_are_dates(saved_objects: list[dict[str, Any]]) -> None:
    mappings = _mappings()
    views = [o for o in saved_objects if o["type"] == "index-pattern"]
    assert {v["id"] for v in views} == set(mappings)
    for view in views:
        assert _field_type(mappings[view["id"]], view["attributes"]["timeFieldName"]) == "date"


def test_aggregated_fields_exist_and_are_aggregatable(saved_objects: list[dict[str, Any]]) -> None:
    mappings = _mappings()
    checked = 0
    for item in (o for o in saved_objects if o["type"] == "visualization"):
        properties = mappings[_view_of(item)]
        for agg in json.loads(item["attributes"]["visState"])["aggs"]:
            field = agg["params"].get("field")
            if field:
                assert _field_type(properties, field) in AGGREGATABLE, (item["id"], field)
                checked += 1
    assert checked >= 8


def test_saved_searches_use_existing_fields(saved_objects: list[dict[str, Any]]) -> None:
    mappings = _mappings()
    for item in (o for o in saved_objects if o["type"] == "search"):
        properties = mappings[_view_of(item)]
        for column in item["attributes"]["columns"]:
            assert _field_type(properties, column) is not None, (item["id"], column)
        for field, _ in item["attributes"]["sort"]:
            assert _field_type(properties, field) in AGGREGATABLE
        query = json.loads(item["attributes"]["kibanaSavedObjectMeta"]["searchSourceJSON"])["query"]
        for field in re.findall(r"(\w[\w.]*)\s*:", query["query"]):
            assert _field_type(properties, field) in AGGREGATABLE, (item["id"], field)


def test_import_response_is_checked_beyond_the_status_code() -> None:
    assert check_import(200, {"success": True, "successCount": 12, "errors": []}) == 12
    from newsflow.errors import SetupError

    failed = {
        "success": False,
        "successCount": 11,
        "errors": [
            {
                "id": "newsflow-overview",
                "type": "dashboard",
                "error": {"type": "missing_references"},
            }
        ],
    }
    with pytest.raises(SetupError, match="missing_references"):
        check_import(200, failed)
    with pytest.raises(SetupError, match="403"):
        check_import(403, {"message": "forbidden"})


def test_imported_data_views_follow_the_configured_index_names() -> None:
    from newsflow.elastic.kibana import saved_objects_for
    from newsflow.settings import IndexNames, SetupSettings

    settings = SetupSettings(index=IndexNames(index_alias="news", dead_letter_index="news-dlq"))
    views = {
        o["id"]: o["attributes"]["title"]
        for o in map(json.loads, saved_objects_for(settings).splitlines())
        if o["type"] == "index-pattern"
    }
    assert views == {ARTICLES_DATA_VIEW: "news", DEAD_LETTERS_DATA_VIEW: "news-dlq"}


def test_env_example_kafka_cluster_id_is_a_base64_uuid() -> None:
    import base64

    example = dict(
        line.split("=", 1)
        for line in (DEPLOY / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )
    cluster_id = example["KAFKA_CLUSTER_ID"]
    assert len(cluster_id) == 22
    assert len(base64.urlsafe_b64decode(cluster_id + "==")) == 16
