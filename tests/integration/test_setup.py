"""`newsflow setup` against the real servers: topics, templates, alias; a second run changes nothing."""

from __future__ import annotations

import pytest
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from elasticsearch import AsyncElasticsearch

from newsflow.settings import SetupOptions, SetupSettings
from newsflow.setup import run_setup
from newsflow.stack import LocalStack
from tests.pipeline import connections, index_names, stream_settings

pytestmark = pytest.mark.integration


def settings_for(stack: LocalStack, unique: str, partitions: int = 3) -> SetupSettings:
    return SetupSettings(
        connections=connections(stack),
        stream=stream_settings(unique),
        index=index_names(unique),
        setup=SetupOptions(partitions=partitions),
    )


async def test_setup_creates_everything_once(stack: LocalStack, unique: str) -> None:
    settings = settings_for(stack, unique)
    first = await run_setup(settings)
    assert any(c.startswith(f"topic test.{unique}.raw") for c in first)
    assert f"index {settings.index.index_name} with alias {settings.index.index_alias}" in first
    assert await run_setup(settings) == []

    admin = AIOKafkaAdminClient(bootstrap_servers=stack.bootstrap_servers)
    await admin.start()
    try:
        described = await admin.describe_topics(
            [settings.stream.topics.raw, settings.stream.topics.dlq]
        )
        assert {d["topic"]: len(d["partitions"]) for d in described} == {
            settings.stream.topics.raw: 3,
            settings.stream.topics.dlq: 3,
        }
        [config] = await admin.describe_configs(
            [ConfigResource(ConfigResourceType.TOPIC, settings.stream.topics.raw)]
        )
        values = {c[0]: c[1] for c in config.resources[0][4]}
        assert values["max.message.bytes"] == str(settings.setup.raw_max_message_bytes)
        assert values["retention.ms"] == str(settings.setup.retention_ms)
    finally:
        await admin.close()

    es = AsyncElasticsearch(stack.elasticsearch_url)
    try:
        aliases = await es.indices.get_alias(name=settings.index.index_alias)
        assert list(aliases) == [settings.index.index_name]
        mapping = await es.indices.get_mapping(index=settings.index.index_alias)
        body = mapping[settings.index.index_name]["mappings"]["properties"]["body"]
        # The local cluster has no analysis-common: the standard fallback, no language sub-fields.
        assert body["analyzer"] == "standard"
        assert "fr" not in body.get("fields", {})
        assert (
            mapping[settings.index.index_name]["mappings"]["properties"]["persons"]["type"]
            == "keyword"
        )
    finally:
        await es.close()


async def test_more_partitions_in_config_grow_the_topics(stack: LocalStack, unique: str) -> None:
    await run_setup(settings_for(stack, unique, partitions=1))
    changes = await run_setup(settings_for(stack, unique, partitions=2))
    assert f"topic test.{unique}.raw grown to 2 partitions" in changes
