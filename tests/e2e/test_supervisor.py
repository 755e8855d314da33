"""`newsflow run all` restarts a stage that dies, and the pipeline goes on without loss."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from elasticsearch import AsyncElasticsearch

from newsflow_dev.faults import stage_processes
from tests.paths import FIXTURES
from tests.pipeline import all_documents, newsflow, running_pipeline, wait_for

pytestmark = pytest.mark.e2e


def _stage_pids(supervisor: int, stage: str) -> list[int]:
    process = stage_processes(supervisor).get(stage)
    return [process.pid] if process is not None else []


async def test_a_killed_stage_is_restarted_and_nothing_is_lost(
    env: dict[str, str], es: AsyncElasticsearch, tmp_path: Path
) -> None:
    log = tmp_path / "pipeline.log"
    with running_pipeline(env, log) as pipeline:

        async def cleaner_pid() -> int | None:
            pids = _stage_pids(pipeline.pid, "cleaner")
            return pids[0] if pids else None

        first = await wait_for(cleaner_pid, 30, "the cleaner process", log)
        os.kill(first, signal.SIGKILL)

        async def restarted() -> int | None:
            pid = await cleaner_pid()
            return pid if pid not in (None, first) else None

        await wait_for(restarted, 60, "the cleaner restarted", log)
        assert pipeline.poll() is None, "the pipeline stopped instead of restarting the stage"
        published = newsflow("collect", str(FIXTURES / "sample_article.txt"), env=env)
        assert published.returncode == 0, published.stderr

        async def indexed() -> list[dict[str, object]]:
            return await all_documents(es, env["NEWSFLOW_INDEX_ALIAS"])

        [document] = await wait_for(indexed, 120, "the sample indexed after the restart", log)
    assert document["language"] == "fr"
    assert "stage_exited_restarting" in log.read_text(errors="replace")
