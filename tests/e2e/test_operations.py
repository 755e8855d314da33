"""Operating the pipeline as a user does: a missing topic, `newsflow status`, dead letters listed
and replayed once the cause is fixed, the stages' liveness endpoint."""

from __future__ import annotations

import json
import socket
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from elasticsearch import AsyncElasticsearch

from newsflow.stack import LocalStack
from tests.paths import FIXTURES
from tests.pipeline import all_documents, isolated_env, newsflow, running_pipeline, wait_for

pytestmark = pytest.mark.e2e

SAMPLE = FIXTURES / "sample_article.txt"


def test_commands_before_setup_name_the_missing_topic_and_the_fix(
    stack: LocalStack, unique: str
) -> None:
    env = isolated_env(stack, unique)  # no `newsflow setup` for these names
    for command in (("run", "all"), ("run", "indexer"), ("collect", str(SAMPLE))):
        result = newsflow(*command, env=env, timeout=60)
        assert result.returncode == 2, (command, result.stderr)
        assert f"test.{unique}." in result.stderr
        assert "run `newsflow setup` first" in result.stderr
        assert "Traceback" not in result.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_rejected_articles_are_listed_and_replayed_once_the_cause_is_fixed(
    env: dict[str, str], es: AsyncElasticsearch, tmp_path: Path
) -> None:
    alias = env["NEWSFLOW_INDEX_ALIAS"]
    # A cleaner configured to refuse the sample: it is dead-lettered as too short.
    strict = {**env, "NEWSFLOW_CLEANER_MIN_WORDS": "100000"}
    port = _free_port()
    log = tmp_path / "strict.log"
    with running_pipeline({**strict, "NEWSFLOW_METRICS_PORT": str(port)}, log):
        assert newsflow("collect", str(SAMPLE), env=env).returncode == 0

        async def listed() -> list[dict[str, object]] | None:
            result = newsflow("dlq", "list", "--stage", "cleaner", "--json", env=env)
            letters = [json.loads(line) for line in result.stdout.splitlines() if line]
            return letters or None

        [letter] = await wait_for(listed, 90, "the sample's dead letter", log)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as health:
            assert health.status == 200

        async def caught_up() -> dict[str, Any] | None:
            # The cleaner's worker commits offsets every second (broker_commit_interval), and
            # only those of records whose dead letter is written: the letter can be listed a
            # moment before the lag falls to 0.
            status = newsflow("status", "--json", env=env)
            assert status.returncode == 0, status.stderr
            stages: dict[str, Any] = json.loads(status.stdout)["stages"]
            return stages if stages["cleaner"]["lag"] == 0 else None

        stages = await wait_for(caught_up, 60, "the cleaner's lag at 0 after the letter", log)
    assert letter["error"] == "RejectedArticle"
    assert "too short" in str(letter["reason"])
    assert set(stages) == {"cleaner", "dedup-sequence", "dedup", "enricher", "indexer"}
    assert stages["cleaner"]["partitions"]

    dry = newsflow("dlq", "replay", "--error", "RejectedArticle", "--dry-run", env=env)
    assert "would replay 1" in dry.stderr
    log = tmp_path / "fixed.log"
    with running_pipeline(env, log):  # the default minimum: the cause is fixed
        for _ in range(2):  # twice: a replay is idempotent
            replayed = newsflow("dlq", "replay", "--stage", "cleaner", env=env)
            assert replayed.returncode == 0, replayed.stderr
            assert "replayed 1, skipped 0" in replayed.stderr

        async def indexed() -> list[dict[str, object]] | None:
            documents = await all_documents(es, alias)
            return documents if documents and int(str(documents[0]["_version"])) >= 2 else None

        documents = await wait_for(indexed, 120, "the replayed article, written twice", log)
    assert len(documents) == 1
    assert documents[0]["id"] == letter["article_id"] or letter["article_id"] is None
    assert "Sergueï Lavrov" in documents[0]["persons"]
