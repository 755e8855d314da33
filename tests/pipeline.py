"""Helpers for tests that run the real pipeline: isolated names, processes, waiting."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from elasticsearch import AsyncElasticsearch

from newsflow.settings import Connections, IndexNames, StreamSettings, Topics
from newsflow.stack import LocalStack

T = TypeVar("T")


def isolated_names(unique: str) -> dict[str, str]:
    """A test's own topics, consumer groups and indices, as the environment variables that set
    them; `stream_settings` and `index_names` build the same from these."""
    return {
        "NEWSFLOW_TOPICS__RAW": f"test.{unique}.raw",
        "NEWSFLOW_TOPICS__CLEAN": f"test.{unique}.clean",
        "NEWSFLOW_TOPICS__SEQUENCED": f"test.{unique}.sequenced",
        "NEWSFLOW_TOPICS__DEDUPED": f"test.{unique}.deduped",
        "NEWSFLOW_TOPICS__ENRICHED": f"test.{unique}.enriched",
        "NEWSFLOW_TOPICS__DLQ": f"test.{unique}.dlq",
        "NEWSFLOW_GROUP_PREFIX": f"test-{unique}",
        "NEWSFLOW_INDEX_ALIAS": f"test-{unique}-articles",
        "NEWSFLOW_DEAD_LETTER_INDEX": f"test-{unique}-dlq",
    }


def isolated_env(stack: LocalStack, unique: str) -> dict[str, str]:
    """Environment giving a test (or the processes it starts) its own names and the stack."""
    return {
        "KAFKA_BOOTSTRAP_SERVERS": stack.bootstrap_servers,
        "ELASTICSEARCH_URL": stack.elasticsearch_url,
        **isolated_names(unique),
        "NEWSFLOW_PARTITIONS": "2",
    }


def stream_settings(unique: str, **overrides: Any) -> StreamSettings:
    names = isolated_names(unique)
    topics = Topics(
        raw=names["NEWSFLOW_TOPICS__RAW"],
        clean=names["NEWSFLOW_TOPICS__CLEAN"],
        sequenced=names["NEWSFLOW_TOPICS__SEQUENCED"],
        deduped=names["NEWSFLOW_TOPICS__DEDUPED"],
        enriched=names["NEWSFLOW_TOPICS__ENRICHED"],
        dlq=names["NEWSFLOW_TOPICS__DLQ"],
    )
    return StreamSettings(topics=topics, group_prefix=names["NEWSFLOW_GROUP_PREFIX"], **overrides)


def index_names(unique: str) -> IndexNames:
    names = isolated_names(unique)
    return IndexNames(
        index_alias=names["NEWSFLOW_INDEX_ALIAS"],
        dead_letter_index=names["NEWSFLOW_DEAD_LETTER_INDEX"],
    )


def connections(stack: LocalStack, elasticsearch_url: str | None = None) -> Connections:
    return Connections(
        kafka_bootstrap_servers=stack.bootstrap_servers,
        elasticsearch_url=elasticsearch_url or stack.elasticsearch_url,
    )


def newsflow(
    *args: str, env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsflow.cli", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@contextmanager
def running_pipeline(env: dict[str, str], log_file: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`newsflow run all` in the background; stopped (SIGTERM) and checked afterwards."""
    with log_file.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "newsflow.cli", "run", "all"],
            env={**os.environ, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def log_tail(log_file: Path, lines: int = 60) -> str:
    return "\n".join(log_file.read_text(errors="replace").splitlines()[-lines:])


async def wait_for(
    probe: Callable[[], Awaitable[T | None]],
    timeout_s: float,
    what: str,
    log_file: Path | None = None,
) -> T:
    deadline = time.monotonic() + timeout_s
    while True:
        value = await probe()
        if value:
            return value
        if time.monotonic() > deadline:
            tail = f"\n--- pipeline log ---\n{log_tail(log_file)}" if log_file else ""
            raise AssertionError(f"timed out after {timeout_s:.0f}s waiting for {what}{tail}")
        await asyncio.sleep(0.5)


async def all_documents(es: AsyncElasticsearch, index: str) -> list[dict[str, Any]]:
    await es.indices.refresh(index=index)
    response = await es.search(index=index, size=1000, query={"match_all": {}}, version=True)
    return [{**hit["_source"], "_version": hit.get("_version")} for hit in response["hits"]["hits"]]
