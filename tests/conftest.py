"""Shared fixtures: the real local stack (or the servers the environment names)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from newsflow.stack import LocalStack


@pytest.fixture(scope="session")
def stack() -> Iterator[LocalStack]:
    """Kafka and Elasticsearch, healthy, for the whole session.

    Starts the local stack unless KAFKA_BOOTSTRAP_SERVERS/ELASTICSEARCH_URL name servers; stops
    at the end only what this session started. Any failure here fails the tests: never a skip.
    """
    local = LocalStack()
    already_running = all(server.pid() is not None for server in local.managed_servers())
    local.up()
    yield local
    if not already_running:
        local.down()


@pytest.fixture
def unique() -> str:
    """A short random suffix so each test has its own topics, groups and indices."""
    return uuid.uuid4().hex[:10]
