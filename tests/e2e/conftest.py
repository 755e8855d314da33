"""Each e2e test gets its own topics, groups and indices, created by `newsflow setup`."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from elasticsearch import AsyncElasticsearch

from newsflow.stack import LocalStack
from tests.pipeline import isolated_env, newsflow


@pytest.fixture
def env(stack: LocalStack, unique: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    names = isolated_env(stack, unique)
    for key, value in names.items():
        monkeypatch.setenv(key, value)
    result = newsflow("setup", env=names)
    assert result.returncode == 0, result.stdout + result.stderr
    return names


@pytest.fixture
async def es(stack: LocalStack) -> AsyncIterator[AsyncElasticsearch]:
    client = AsyncElasticsearch(stack.elasticsearch_url)
    yield client
    await client.close()
