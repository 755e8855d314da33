"""The one place the Elasticsearch client is built (URL, credentials, timeouts)."""

from __future__ import annotations

from elasticsearch import AsyncElasticsearch

from newsflow.settings import Connections


def es_client(connections: Connections, request_timeout_s: float = 30.0) -> AsyncElasticsearch:
    return AsyncElasticsearch(
        connections.es_url, basic_auth=connections.es_auth, request_timeout=request_timeout_s
    )
