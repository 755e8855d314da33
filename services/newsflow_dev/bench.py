"""Throughput of `newsflow run all` (`make bench`): N copies of the sample with distinct ids;
and first the dedup step alone (`newsflow_dev.dedup_bench`).

Runs on its own topics, groups and index, so it measures and leaves the user's data alone.
The pipeline is started and warmed up (models loaded, groups joined) before the clock starts;
the clock stops when Elasticsearch counts every article.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import signal
import sys
import time
import uuid

import orjson
from elasticsearch import AsyncElasticsearch
from rich.console import Console

from newsflow.runtime.kafka import producer as kafka_producer
from newsflow.settings import SetupSettings
from newsflow.setup import run_setup
from newsflow.stack import LocalStack
from newsflow_dev import sample_article


def _message(run: str, index: int, text: str) -> tuple[bytes, bytes]:
    article_id = hashlib.sha256(f"{run}-{index}".encode()).hexdigest()[:32]
    return article_id.encode(), orjson.dumps({"id": article_id, "text": text, "source": "bench"})


async def _count(es: AsyncElasticsearch, index: str) -> int:
    await es.indices.refresh(index=index)
    return int((await es.count(index=index))["count"])


async def _wait_count(es: AsyncElasticsearch, index: str, expected: int, timeout_s: float) -> float:
    started = time.monotonic()
    while await _count(es, index) < expected:
        if time.monotonic() - started > timeout_s:
            raise TimeoutError(
                f"{await _count(es, index)}/{expected} indexed after {timeout_s:.0f}s"
            )
        await asyncio.sleep(0.25)
    return time.monotonic()


async def _publish(bootstrap: str, topic: str, messages: list[tuple[bytes, bytes]]) -> None:
    producer = kafka_producer(bootstrap, linger_ms=10, compression_type="gzip")
    await producer.start()
    try:
        futures = [await producer.send(topic, value, key=key) for key, value in messages]
        await asyncio.gather(*futures)
    finally:
        await producer.stop()


async def bench(
    stack: LocalStack,
    articles: int,
    timeout_s: float,
    enrichers: int = 1,
    dedup_articles: int = 5000,
) -> None:
    console = Console()
    run = uuid.uuid4().hex[:8]
    env = {
        "KAFKA_BOOTSTRAP_SERVERS": stack.bootstrap_servers,
        "ELASTICSEARCH_URL": stack.elasticsearch_url,
        **{
            f"NEWSFLOW_TOPICS__{k}": f"bench.{run}.{k.lower()}"
            for k in ("RAW", "CLEAN", "SEQUENCED", "DEDUPED", "ENRICHED", "DLQ")
        },
        "NEWSFLOW_GROUP_PREFIX": f"bench-{run}",
        "NEWSFLOW_INDEX_ALIAS": f"bench-{run}-articles",
        "NEWSFLOW_DEAD_LETTER_INDEX": f"bench-{run}-dlq",
        "NEWSFLOW_LOG_LEVEL": "warning",
    }
    os.environ.update(env)
    settings = SetupSettings()
    await run_setup(settings)
    if dedup_articles:
        await _bench_dedup(console, stack, env, dedup_articles, timeout_s)
    text = sample_article().read_text(encoding="utf-8")
    es = AsyncElasticsearch(stack.elasticsearch_url)
    pipeline = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "newsflow.cli", "run", "all", stderr=asyncio.subprocess.DEVNULL
    )
    # More enricher workers join the same consumer group and share the partitions.
    extra = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "newsflow.cli",
            "run",
            "enricher",
            stderr=asyncio.subprocess.DEVNULL,
        )
        for _ in range(enrichers - 1)
    ]
    try:
        warm_started = time.monotonic()
        await _publish(
            stack.bootstrap_servers, settings.stream.topics.raw, [_message(run, -1, text)]
        )
        warm = await _wait_count(es, settings.index.index_alias, 1, timeout_s) - warm_started
        console.print(
            f"pipeline up and warm (first article indexed) in {warm:.1f}s, "
            f"{enrichers} enricher worker(s), {settings.setup.partitions} partitions"
        )
        messages = [_message(run, i, text) for i in range(articles)]
        started = time.monotonic()
        await _publish(stack.bootstrap_servers, settings.stream.topics.raw, messages)
        published = time.monotonic() - started
        finished = await _wait_count(es, settings.index.index_alias, articles + 1, timeout_s)
        elapsed = finished - started
        console.print(
            f"{articles} articles published in {published:.2f}s, all indexed after "
            f"{elapsed:.1f}s: [bold]{articles / elapsed:.1f} articles/s[/] end to end "
            f"({os.cpu_count()} CPUs)"
        )
    finally:
        for process in (pipeline, *extra):
            process.send_signal(signal.SIGTERM)
        for process in (pipeline, *extra):
            await asyncio.wait_for(process.wait(), 60)
        await es.indices.delete(index=f"{settings.index.index_alias}-v*", ignore_unavailable=True)
        await es.close()


async def _bench_dedup(
    console: Console,
    stack: LocalStack,
    env: dict[str, str],
    count: int,
    timeout_s: float,
) -> None:
    from newsflow.settings import DedupOptions
    from newsflow.stages.dedup import dedup_config
    from newsflow_dev.dedup_bench import core_rate, stage_rate, state_memory

    config = dedup_config(DedupOptions())
    rate = core_rate(count, config)
    memory = state_memory(min(count, 20_000), config)
    console.print(
        f"dedup core alone: [bold]{rate:.0f} articles per CPU second[/] ({count} articles); "
        "state per 100,000 articles: "
        + ", ".join(f"{name} {size / 2**20:.0f} MiB" for name, size in memory.items())
    )
    # Topics and a group of its own: the pipeline measured next must not see these articles.
    stage_env = {
        **env,
        **{
            f"NEWSFLOW_TOPICS__{k}": f"{env[f'NEWSFLOW_TOPICS__{k}']}-dedup"
            for k in ("CLEAN", "SEQUENCED", "DEDUPED", "DLQ")
        },
        "NEWSFLOW_GROUP_PREFIX": env["NEWSFLOW_GROUP_PREFIX"] + "-dedup",
    }
    per_s, cpu = await stage_rate(stack.bootstrap_servers, stage_env, count, timeout_s)
    console.print(
        f"dedup stage alone on Kafka: [bold]{per_s:.0f} articles/s[/], "
        f"{cpu * 1000:.2f} CPU ms per article in the stage process ({count} articles)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m newsflow_dev.bench")
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--enrichers", type=int, default=1, help="enricher workers in the group")
    parser.add_argument(
        "--dedup-articles",
        type=int,
        default=5000,
        help="articles for the dedup step alone (0: skip)",
    )
    args = parser.parse_args()
    stack = LocalStack()
    stack.up()
    asyncio.run(bench(stack, args.articles, args.timeout, args.enrichers, args.dedup_articles))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
