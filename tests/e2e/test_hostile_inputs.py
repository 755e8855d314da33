"""A catalogue of hostile inputs through the whole pipeline: each ends in the dead-letter topic
with its reason, no stage restarts, the good articles around them are indexed, and the stages'
memory stays bounded (peak RSS reported)."""

from __future__ import annotations

import random
from pathlib import Path

import orjson
import pytest
from elasticsearch import AsyncElasticsearch

from newsflow.ops.dead_letters import Filter, read_dead_letters
from newsflow.ops.status import supervisor_restarts
from newsflow.runtime.kafka import producer
from newsflow.settings import Connections, StreamSettings
from newsflow.stack import LocalStack
from newsflow_dev.chaos import hostile_inputs, oversize_page
from newsflow_dev.faults import stage_processes
from tests.paths import FIXTURES
from tests.pipeline import all_documents, running_pipeline, wait_for

pytestmark = pytest.mark.e2e

# A stage that held on to what it read would grow by the size of these inputs, over 30 MB.
MEMORY_BOUND_MB = 900


async def test_hostile_inputs_are_dead_letters_and_nothing_else_suffers(
    env: dict[str, str], es: AsyncElasticsearch, stack: LocalStack, tmp_path: Path
) -> None:
    catalogue = [*hostile_inputs(random.Random(1)), ("10 MB page", None, oversize_page())]
    good = [
        orjson.dumps(
            {"id": f"{i:032x}", "text": FIXTURES.joinpath("sample_article.txt").read_text()}
        )
        for i in (1, 2)
    ]
    sent: dict[tuple[int, int], str] = {}
    sender = producer(stack.bootstrap_servers, max_request_size=16 * 1024 * 1024)
    await sender.start()
    try:
        await sender.send_and_wait(env["NEWSFLOW_TOPICS__RAW"], good[0], key=b"good-1")
        for what, key, value in catalogue:
            meta = await sender.send_and_wait(env["NEWSFLOW_TOPICS__RAW"], value, key=key)
            sent[(meta.partition, meta.offset)] = what
        await sender.send_and_wait(env["NEWSFLOW_TOPICS__RAW"], good[1], key=b"good-2")
    finally:
        await sender.stop()

    stream = StreamSettings()  # the test's own names, from the environment the fixture set
    connections = Connections(kafka_bootstrap_servers=stack.bootstrap_servers)
    log = tmp_path / "pipeline.log"
    peak: dict[str, float] = {}
    with running_pipeline(env, log) as pipeline:

        async def settled() -> list[object] | None:
            for stage, process in stage_processes(pipeline.pid).items():
                try:
                    peak[stage] = max(peak.get(stage, 0.0), process.memory_info().rss / 2**20)
                except Exception:  # noqa: BLE001 - a process that just ended
                    continue
            letters = await read_dead_letters(connections, stream, Filter(stage="cleaner"))
            documents = await all_documents(es, env["NEWSFLOW_INDEX_ALIAS"])
            done = len(letters) >= len(catalogue) and len(documents) == 2
            return [letters, documents] if done else None

        letters, documents = await wait_for(settled, 300, "every input handled", log)
        restarts = supervisor_restarts(stream)
    print(f"peak RSS (MiB): {peak}")
    found = {(item.letter["partition"], item.letter["offset"]): item.letter for item in letters}
    for position, what in sent.items():
        assert position in found, f"{what} is not a dead letter"
        assert found[position]["reason"], what
    assert {d["id"] for d in documents} == {f"{i:032x}" for i in (1, 2)}
    assert restarts is not None
    assert set(restarts.values()) == {0}, restarts
    assert all(mb < MEMORY_BOUND_MB for mb in peak.values()), peak
