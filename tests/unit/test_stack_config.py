"""The stack's pure parts: pinned versions, generated server configuration, Java discovery."""

from __future__ import annotations

import pytest

from newsflow.errors import StackError
from newsflow.settings import StackSettings
from newsflow.stack.java import find_java
from newsflow.stack.maven import load_versions, parse_versions, render
from tests.paths import DEPLOY


def test_versions_are_pinned_in_deploy() -> None:
    versions = load_versions()
    assert versions == parse_versions((DEPLOY / "versions.env").read_text())
    assert versions.kafka.startswith("4.")
    assert versions.elasticsearch.startswith("9.")
    assert versions.log4j.startswith("2.")


def test_missing_version_is_a_stack_error() -> None:
    with pytest.raises(StackError, match="ELASTICSEARCH_VERSION"):
        parse_versions("KAFKA_VERSION=4.1.1\n")


def test_servers_bind_to_loopback_only() -> None:
    kafka = render("kafka.properties", port=1, controller_port=2, data="/d")
    elasticsearch = render("elasticsearch.yml", data="/d", logs="/l", port=1, transport=2)
    listeners = [line for line in kafka.splitlines() if "listeners=" in line]
    assert listeners
    assert all("0.0.0.0" not in line for line in listeners)
    assert "auto.create.topics.enable=false" in kafka
    assert "offsets.topic.replication.factor=1" in kafka
    assert "network.host: 127.0.0.1" in elasticsearch
    assert "http.port: 1\n" in elasticsearch


def test_external_servers_are_used_instead_of_the_stack(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "broker:29092")
    monkeypatch.setenv("ELASTICSEARCH_URL", "http://es:9200/")
    settings = StackSettings()
    assert settings.uses_external_servers
    assert settings.bootstrap_servers == "broker:29092"
    assert settings.es_url == "http://es:9200"


def test_ports_are_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KAFKA_BOOTSTRAP_SERVERS", raising=False)
    monkeypatch.delenv("ELASTICSEARCH_URL", raising=False)
    monkeypatch.setenv("NEWSFLOW_KAFKA_PORT", "19092")
    monkeypatch.setenv("NEWSFLOW_ELASTICSEARCH_PORT", "19200")
    settings = StackSettings()
    assert not settings.uses_external_servers
    assert settings.bootstrap_servers == "127.0.0.1:19092"
    assert settings.es_url == "http://127.0.0.1:19200"


def test_no_suitable_jdk_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = StackSettings()
    with pytest.raises(StackError, match="no JDK >= 999"):
        find_java(settings, 999)


def test_only_the_server_the_environment_does_not_name_is_managed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from newsflow.stack import LocalStack

    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "broker:29092")
    monkeypatch.delenv("ELASTICSEARCH_URL", raising=False)
    stack = LocalStack()
    assert [s.name for s in stack.managed_servers()] == ["elasticsearch"]
    assert not stack.external
    monkeypatch.setenv("ELASTICSEARCH_URL", "http://es:9200")
    assert LocalStack().external


def test_a_jdk_lacking_a_required_module_is_passed_over() -> None:
    with pytest.raises(StackError, match=r"lacks no\.such\.module"):
        find_java(StackSettings(), 17, ("no.such.module",))


def test_a_kafka_cluster_id_never_begins_with_a_dash() -> None:
    from newsflow.stack.local import kafka_cluster_id

    # 0xF8 encodes to "-" first; the second draw does not.
    draws = iter([b"\xf8" + bytes(15), b"\x00" * 16])
    cluster_id = kafka_cluster_id(lambda: next(draws))
    assert cluster_id == "AAAAAAAAAAAAAAAAAAAAAA"
    assert all(not kafka_cluster_id().startswith("-") for _ in range(2000))
