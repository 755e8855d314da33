"""The dedup step measured alone (part of `make bench`).

- core: `DedupCore` behind the stage runner's decode/validate/encode (`StageRunner.plan`, as the
  stage calls it) on distinct articles, in this process: articles per CPU second;
- state: the size of the tables (keys and values as Python holds them, with tracemalloc) scaled
  to 100,000 articles, as processed and as after a recovery, and the changelog payload;
- stage: `newsflow run dedup` alone against a pre-filled clean topic on the local stack, from
  start of consumption to the last article in articles.deduped: articles/s and the process's
  CPU seconds per article (Kafka's own CPU not counted).

The articles are made from the sample's vocabulary: 300 random words each, unique, and one in
five a copy of an earlier one with its last paragraph cut and a teaser inserted.
"""

from __future__ import annotations

import asyncio
import gc
import os
import random
import re
import signal
import sys
import time
import tracemalloc
from typing import Any

import orjson
import psutil
from aiokafka import AIOKafkaConsumer

from newsflow.core.dedup import DedupConfig, DedupState, assign
from newsflow.core.ids import content_hash
from newsflow.runtime.dead_letters import Incoming
from newsflow.runtime.runner import StageRunner
from newsflow.settings import SetupSettings, StreamSettings
from newsflow.stages.dedup import DedupCore
from newsflow_dev import sample_article


def articles(count: int, seed: int = 5) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    vocabulary = sorted(set(re.findall(r"\w+", sample_article().read_text("utf-8"))))
    made: list[dict[str, Any]] = []
    for index in range(count):
        if made and rng.random() < 0.2:
            paragraphs = rng.choice(made)["body"].split("\n\n")[:-1]
            paragraphs.insert(1, "Lire aussi : " + " ".join(rng.sample(vocabulary, 6)))
        else:
            words = [rng.choice(vocabulary) for _ in range(300)]
            paragraphs = [" ".join(words[i : i + 60]) + "." for i in range(0, 300, 60)]
        body = "\n\n".join(paragraphs)
        made.append(
            {
                "schema_version": 1,
                "id": f"{index:032x}",
                "url": None,
                "source": f"site{index % 50}.example",
                "title": None,
                "lead": None,
                "body": body,
                "language_hint": None,
                "word_count": len(body.split()),
                "content_hash": content_hash(body),
                "published_at": None,
                "collected_at": None,
                "cleaned_at": f"2026-01-01T{index // 3600 % 24:02d}:{index // 60 % 60:02d}:"
                f"{index % 60:02d}Z",
            }
        )
    return made


def records(messages: list[dict[str, Any]]) -> list[Incoming]:
    return [
        Incoming(m["id"].encode(), orjson.dumps(m), "bench", 0, i) for i, m in enumerate(messages)
    ]


def core_rate(count: int, config: DedupConfig, batch: int = 256) -> float:
    """Articles per CPU second through decode, validation, assignment and encoding."""
    incoming = records(articles(count))

    async def never(topic: str, key: bytes | None, value: bytes) -> Any:
        raise AssertionError("plan() sends nothing")

    runner = StageRunner(DedupCore(config), StreamSettings(), "bench", never)
    started = time.process_time()
    for start in range(0, len(incoming), batch):
        runner.plan(incoming[start : start + batch])
    return count / (time.process_time() - started)


def state_memory(count: int, config: DedupConfig) -> dict[str, float]:
    """Bytes per 100,000 articles: the tables as Python holds them after processing; the same
    after a recovery from the changelog (every key and value then an object of its own, where
    processing shares one article key among all its band entries); and the changelog payload
    (keys and values). Allocations are traced separately from the speed measurement: tracing
    slows everything down."""
    made = articles(count)
    gc.collect()
    tracemalloc.start()
    baseline = tracemalloc.get_traced_memory()[0]
    state = DedupState.in_memory()
    for message in made:
        assign(message, state, config)
    gc.collect()
    live = tracemalloc.get_traced_memory()[0] - baseline
    tables = (state.articles, state.bands, state.hashes)
    payload = sum(len(k) + len(v) for table in tables for k, v in table.items())
    recovered = [{bytes(bytearray(k)): bytes(bytearray(v)) for k, v in t.items()} for t in tables]
    del state, tables
    gc.collect()
    after_recovery = tracemalloc.get_traced_memory()[0] - baseline
    tracemalloc.stop()
    del recovered
    scale = 100_000 / count
    return {
        "live": live * scale,
        "after recovery": after_recovery * scale,
        "changelog payload": payload * scale,
    }


async def stage_rate(
    bootstrap: str, env: dict[str, str], settings: SetupSettings, count: int, timeout_s: float
) -> tuple[float, float]:
    """(articles/s, CPU seconds per article) of `newsflow run dedup` on a pre-filled topic."""
    from newsflow.runtime.kafka import producer as kafka_producer

    producer = kafka_producer(bootstrap, linger_ms=10, compression_type="gzip")
    await producer.start()
    try:
        futures = [
            await producer.send(settings.stream.topics.clean, value, key=key)
            for key, value in ((r.key, r.value) for r in records(articles(count, seed=6)))
        ]
        await asyncio.gather(*futures)
    finally:
        await producer.stop()
    consumer = AIOKafkaConsumer(
        settings.stream.topics.deduped,
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        group_id=None,
    )
    await consumer.start()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "newsflow.cli",
        "run",
        "dedup",
        env={**os.environ, **env},
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        seen, first, deadline = 0, 0.0, time.monotonic() + timeout_s
        while seen < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"dedup stage: {seen}/{count} after {timeout_s:.0f}s")
            batch = await consumer.getmany(timeout_ms=500)
            got = sum(len(v) for v in batch.values())
            if got and not seen:
                first = time.monotonic()  # start-up and joining the group left out
                cpu_at_first = psutil.Process(process.pid).cpu_times()
            seen += got
        elapsed = time.monotonic() - first
        cpu = psutil.Process(process.pid).cpu_times()
        cpu_s = (cpu.user + cpu.system) - (cpu_at_first.user + cpu_at_first.system)
        return count / elapsed, cpu_s / count
    finally:
        await consumer.stop()
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), 60)
