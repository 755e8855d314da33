"""The benchmark's phases, run one after another on the same machine and the same stack.

Every phase has its own topics, consumer groups and indices (named after the run), so phases
never see each other's records and the user's data is left alone.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient
from elasticsearch import AsyncElasticsearch
from elasticsearch.helpers import async_bulk
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from newsflow.cli import STAGES
from newsflow.core.cleaning import clean
from newsflow.core.contracts import Contract, decode
from newsflow.core.documents import analysed_text, article_document
from newsflow.core.ids import utc_now
from newsflow.core.nlp import load_ner_model
from newsflow.core.readers import Rejected, prepare
from newsflow.elastic.client import es_client
from newsflow.elastic.templates import ensure_indices
from newsflow.errors import NewsflowError
from newsflow.runtime.kafka import producer as kafka_producer
from newsflow.settings import (
    SEQUENCE_GROUP,
    CleanerOptions,
    Connections,
    EnricherOptions,
    IndexNames,
    SetupOptions,
    SetupSettings,
    StreamSettings,
    Topics,
)
from newsflow.setup import run_setup
from newsflow_dev.bench.probes import Offsets, ProcessWatch
from newsflow_dev.bench.stats import Measured, progress_point

# Faust stages measured alone: the topic each reads and the topic it finally writes (a dedup
# stage, where there is one, sits between the cleaner and the enricher).
_HAS_DEDUP = "deduped" in Topics.model_fields
SOLO_TOPICS = {
    "cleaner": ("raw", "clean"),
    "dedup": ("clean", "deduped"),
    "enricher": ("deduped" if _HAS_DEDUP else "clean", "enriched"),
}
_POLL_S = 0.2


@dataclass(frozen=True)
class Names:
    """A phase's own topics, groups and indices."""

    prefix: str

    @property
    def topics(self) -> Topics:
        # Every topic the pipeline has, so that no phase ever touches the default ones.
        return Topics(**{field: f"{self.prefix}.{field}" for field in Topics.model_fields})

    @property
    def index(self) -> IndexNames:
        return IndexNames(
            index_alias=f"{self.prefix}-articles", dead_letter_index=f"{self.prefix}-dlq"
        )

    def group(self, stage: str) -> str:
        return f"{self.prefix}-{stage}"

    def env(self) -> dict[str, str]:
        topics = self.topics
        return {
            **{f"NEWSFLOW_TOPICS__{k.upper()}": v for k, v in topics.model_dump().items()},
            "NEWSFLOW_GROUP_PREFIX": self.prefix,
            "NEWSFLOW_INDEX_ALIAS": self.index.index_alias,
            "NEWSFLOW_DEAD_LETTER_INDEX": self.index.dead_letter_index,
        }


@dataclass
class Context:
    connections: Connections
    run: str
    partitions: int
    servers: dict[str, int]
    console: Console
    timeout_s: float
    logs: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="newsflow-bench-")))
    peak_rss_mb: dict[str, float] = field(default_factory=dict)
    names_used: list[Names] = field(default_factory=list)

    def names(self, phase: str) -> Names:
        names = Names(f"bench-{self.run}-{phase}")
        self.names_used.append(names)
        return names

    def env(self, names: Names) -> dict[str, str]:
        return {
            **os.environ,
            "KAFKA_BOOTSTRAP_SERVERS": self.connections.bootstrap_servers,
            "ELASTICSEARCH_URL": self.connections.es_url,
            "NEWSFLOW_PARTITIONS": str(self.partitions),
            "NEWSFLOW_LOG_LEVEL": "warning",
            **names.env(),
        }

    def progress(self) -> Progress:
        return Progress(
            TextColumn("{task.description:<28}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.console,
            transient=True,
        )

    def record_rss(self, watch: ProcessWatch) -> None:
        for name, mb in watch.peak_rss_mb.items():
            self.peak_rss_mb[name] = max(self.peak_rss_mb.get(name, 0.0), mb)


async def setup(context: Context, names: Names) -> None:
    await run_setup(
        SetupSettings(
            connections=context.connections,
            stream=StreamSettings(topics=names.topics, group_prefix=names.prefix),
            index=names.index,
            setup=SetupOptions(partitions=context.partitions),
        )
    )


def payloads(articles: Sequence[dict[str, Any]]) -> list[tuple[bytes, bytes]]:
    """The records `newsflow collect` would publish for these articles (key, value)."""
    collected_at = utc_now()
    records: list[tuple[bytes, bytes]] = []
    for article in articles:
        prepared = prepare(article, str(article["id"]), None, collected_at)
        if isinstance(prepared, Rejected):
            raise ValueError(f"benchmark article {prepared.where} rejected: {prepared.reason}")
        records.append((prepared[0].encode(), prepared[1]))
    return records


def _producer(context: Context) -> Any:
    # As the collector configures it.
    return kafka_producer(
        context.connections.bootstrap_servers,
        max_request_size=StreamSettings().max_message_bytes + 1024 * 1024,
        compression_type="gzip",
        linger_ms=20,
    )


async def publish(
    context: Context,
    topic: str,
    records: Sequence[tuple[bytes, bytes]],
    rate: float | None = None,
    sent_at: dict[bytes, float] | None = None,
) -> float:
    """Send every record and wait for the acknowledgements; paced at `rate` records/s if given.
    Returns the seconds it took."""
    producer = _producer(context)
    await producer.start()
    started = time.monotonic()
    try:
        futures = []
        for number, (key, value) in enumerate(records):
            if rate:
                delay = started + number / rate - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
            if sent_at is not None:
                sent_at[key] = time.monotonic()
            futures.append(await producer.send(topic, value, key=key))
            if len(futures) >= 200:
                await asyncio.gather(*futures)
                futures.clear()
        await asyncio.gather(*futures)
    finally:
        await producer.stop()
    return time.monotonic() - started


async def consume_all(context: Context, topic: str, expected: int) -> list[bytes]:
    """Every record's value of a topic, read from the start without a consumer group."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=context.connections.bootstrap_servers,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        max_partition_fetch_bytes=8 * 1024 * 1024,
        fetch_max_bytes=64 * 1024 * 1024,
    )
    await consumer.start()
    values: list[bytes] = []
    try:
        deadline = time.monotonic() + context.timeout_s
        while len(values) < expected and time.monotonic() < deadline:
            batches = await consumer.getmany(timeout_ms=1000, max_records=1000)
            values += [r.value for rs in batches.values() for r in rs if r.value is not None]
    finally:
        await consumer.stop()
    return values


# --------------------------------------------------------------------------- raw limits


async def kafka_round_trip(
    context: Context, names: Names, records: Sequence[tuple[bytes, bytes]]
) -> tuple[Measured, Measured]:
    """aiokafka alone: produce the raw payloads (as the collector does), then read them back."""
    servers = ProcessWatch(context.servers)
    server_cpu, cpu = servers.cpu_s(), time.process_time()
    seconds = await publish(context, names.topics.raw, records)
    produced = Measured(
        len(records), seconds, time.process_time() - cpu, servers.cpu_s() - server_cpu
    )
    server_cpu, cpu, started = servers.cpu_s(), time.process_time(), time.monotonic()
    values = await consume_all(context, names.topics.raw, len(records))
    consumed = Measured(
        len(values),
        time.monotonic() - started,
        time.process_time() - cpu,
        servers.cpu_s() - server_cpu,
    )
    return produced, consumed


def nlp_pipe(messages: Sequence[dict[str, Any]], options: EnricherOptions) -> Measured:
    """spaCy alone: the enricher's texts through `nlp.pipe` of the model of the language the
    enricher found for each, with its batch size; articles without a model cost nothing."""
    by_language: dict[str, list[str]] = {}
    for message in messages:
        if message.get("language") in options.spacy_models:
            by_language.setdefault(message["language"], []).append(analysed_text(message))
    models = {lang: load_ner_model(options.spacy_models[lang]) for lang in by_language}
    for lang, texts in by_language.items():  # warm-up, as the stage's first batch is excluded
        list(models[lang].pipe(texts[:4], batch_size=options.spacy_batch_size))
    cpu, started = time.process_time(), time.monotonic()
    for lang, texts in by_language.items():
        for _doc in models[lang].pipe(texts, batch_size=options.spacy_batch_size):
            pass
    return Measured(len(messages), time.monotonic() - started, time.process_time() - cpu)


def clean_core(messages: Sequence[dict[str, Any]], options: CleanerOptions) -> Measured:
    """The cleaner's core alone, in this process, on raw messages (after a warm-up)."""
    for message in messages[:4]:
        try:
            clean(message, min_words=options.min_words)
        except NewsflowError:
            continue
    cpu, started = time.process_time(), time.monotonic()
    for message in messages:
        try:
            clean(message, min_words=options.min_words)
        except NewsflowError:
            continue
    return Measured(len(messages), time.monotonic() - started, time.process_time() - cpu)


async def raw_bulk(context: Context, names: Names, messages: Sequence[dict[str, Any]]) -> Measured:
    """Elasticsearch alone: the indexer's documents through `helpers.async_bulk` (its defaults)
    into an index made from the same template."""
    es = es_client(context.connections)
    try:
        await ensure_indices(es, names.index)
        indexed_at = utc_now()
        alias = names.index.index_alias
        actions = [
            {"_index": alias, "_id": m["id"], "_source": article_document(m, indexed_at)}
            for m in messages
        ]
        servers = ProcessWatch(context.servers)
        server_cpu, cpu, started = servers.cpu_s(), time.process_time(), time.monotonic()
        done, errors = await async_bulk(es, actions, raise_on_error=False)
        seconds = time.monotonic() - started
        if isinstance(errors, list) and errors:
            context.console.print(f"[yellow]raw bulk: {len(errors)} documents refused")
        return Measured(done, seconds, time.process_time() - cpu, servers.cpu_s() - server_cpu)
    finally:
        await es.close()


# --------------------------------------------------------------------------- stage processes


async def start_stage(context: Context, names: Names, stage: str, tag: str) -> Any:
    log = (context.logs / f"{names.prefix}-{tag}.log").open("wb")
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "newsflow.cli",
        "run",
        stage,
        env=context.env(names),
        stdout=log,
        stderr=log,
    )


async def stop_processes(processes: Sequence[Any]) -> None:
    for process in processes:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            await asyncio.wait_for(process.wait(), 60)
        except TimeoutError:
            process.kill()
            await process.wait()


async def watch_until(
    context: Context,
    what: str,
    done: Callable[[], Awaitable[int]],
    total: int,
    warm: int,
    watch: ProcessWatch,
    processes: Sequence[Any],
) -> Measured:
    """Poll `done` until it reaches `total`; the clock (and the CPU count) starts at the first
    poll with at least `warm` done, so start-up and the first batches are left out."""
    servers = ProcessWatch(context.servers)
    samples: list[tuple[float, int, float]] = []
    server_samples: list[float] = []
    deadline = time.monotonic() + context.timeout_s
    with context.progress() as progress:
        task = progress.add_task(what, total=total)
        while True:
            count = await done()
            samples.append((time.monotonic(), count, watch.cpu_s()))
            server_samples.append(servers.cpu_s())
            watch.sample()
            progress.update(task, completed=count)
            if count >= total:
                break
            for process in processes:
                if process.returncode is not None:
                    raise RuntimeError(
                        f"{what}: a stage process exited ({process.returncode}); "
                        f"logs in {context.logs}"
                    )
            if time.monotonic() > deadline:
                raise TimeoutError(f"{what}: {count}/{total} after {context.timeout_s:.0f}s")
            await asyncio.sleep(_POLL_S)
    context.record_rss(watch)
    start = progress_point(samples[:-1], warm) or samples[0]
    index = samples.index(start)
    end = samples[-1]
    return Measured(
        items=end[1] - start[1],
        seconds=end[0] - start[0],
        cpu_s=end[2] - start[2],
        server_cpu_s=server_samples[-1] - server_samples[index],
        peak_rss_mb=max(watch.peak_rss_mb.values(), default=0.0),
    )


async def solo_faust_stage(
    context: Context, offsets: Offsets, names: Names, stage: str, warm: int
) -> Measured:
    """One stream stage alone, against its input topic already filled."""
    source, sink = (getattr(names.topics, t) for t in SOLO_TOPICS[stage])
    total = await offsets.end(source)
    baseline = await offsets.end(sink, names.topics.dlq)
    process = await start_stage(context, names, stage, stage)
    watch = ProcessWatch({stage: process.pid})
    try:

        async def done() -> int:
            return await offsets.end(sink, names.topics.dlq) - baseline

        return await watch_until(context, f"{stage} alone", done, total, warm, watch, [process])
    finally:
        await stop_processes([process])


async def solo_indexer(context: Context, offsets: Offsets, names: Names, warm: int) -> Measured:
    topics = (names.topics.enriched, names.topics.dlq)
    total = await offsets.end(*topics)
    process = await start_stage(context, names, "indexer", "indexer")
    watch = ProcessWatch({"indexer": process.pid})
    try:

        async def done() -> int:
            return await offsets.committed(names.group("indexer"), *topics)

        return await watch_until(context, "indexer alone", done, total, warm, watch, [process])
    finally:
        await stop_processes([process])


# --------------------------------------------------------------------------- the pipeline


@dataclass
class Pipeline:
    """`newsflow run all` (plus extra enricher workers in its group) on a phase's names."""

    context: Context
    names: Names
    enrichers: int
    processes: list[Any] = field(default_factory=list)
    watch: ProcessWatch | None = None

    async def start(self, offsets: Offsets, warm_records: Sequence[tuple[bytes, bytes]]) -> float:
        """Start it and wait until the warm-up articles are through; returns the seconds."""
        await setup(self.context, self.names)
        started = time.monotonic()
        self.processes.append(await start_stage(self.context, self.names, "all", "all"))
        for number in range(self.enrichers - 1):
            self.processes.append(
                await start_stage(self.context, self.names, "enricher", f"enricher-{number + 2}")
            )
        # Every process is a stage named by its command line; the label is only a fallback.
        self.watch = ProcessWatch({f"pipeline-{p.pid}": p.pid for p in self.processes})
        await self.wait_joined(offsets)
        await publish(self.context, self.names.topics.raw, warm_records)
        await self.wait_through(offsets, len(warm_records), "pipeline warm-up", 0)
        await self.wait_joined(offsets)
        return time.monotonic() - started

    async def wait_joined(self, offsets: Offsets) -> None:
        """Until every worker is in its group and no rebalance is under way, so that no
        rebalance (a pause of seconds) falls inside a measurement."""
        members = {stage: 1 for stage in STAGES} | {SEQUENCE_GROUP: 1, "enricher": self.enrichers}
        deadline = time.monotonic() + self.context.timeout_s
        with self.context.console.status("waiting for every worker to join its group"):
            while True:
                states = {s: await offsets.group_state(self.names.group(s)) for s in members}
                if all(states[s] == ("Stable", n) for s, n in members.items()):
                    return
                if time.monotonic() > deadline:
                    raise TimeoutError(f"consumer groups not stable: {states}")
                for process in self.processes:
                    if process.returncode is not None:
                        raise RuntimeError(
                            f"a pipeline process exited ({process.returncode}); "
                            f"logs in {self.context.logs}"
                        )
                await asyncio.sleep(0.5)

    async def through(self, offsets: Offsets) -> int:
        """Articles the indexer has acknowledged: documents and dead letters alike."""
        return await offsets.committed(
            self.names.group("indexer"), self.names.topics.enriched, self.names.topics.dlq
        )

    async def wait_through(self, offsets: Offsets, total: int, what: str, warm: int) -> Measured:
        assert self.watch is not None

        async def done() -> int:
            return await self.through(offsets)

        return await watch_until(self.context, what, done, total, warm, self.watch, self.processes)

    async def stop(self) -> None:
        await stop_processes(self.processes)


async def pipeline_throughput(
    context: Context,
    offsets: Offsets,
    names: Names,
    enrichers: int,
    records: Sequence[tuple[bytes, bytes]],
    warm_records: Sequence[tuple[bytes, bytes]],
) -> Measured:
    """All articles published at once to the warm pipeline; the clock runs from the first send
    to the indexer's acknowledgement of the last article."""
    pipeline = Pipeline(context, names, enrichers)
    try:
        await pipeline.start(offsets, warm_records)
        assert pipeline.watch is not None
        servers = ProcessWatch(context.servers)
        base = await pipeline.through(offsets)
        cpu, server_cpu, started = pipeline.watch.cpu_s(), servers.cpu_s(), time.monotonic()
        sending = asyncio.create_task(publish(context, names.topics.raw, records))
        await pipeline.wait_through(
            offsets, base + len(records), f"pipeline, {enrichers} enricher(s)", 0
        )
        await sending
        return Measured(
            items=len(records),
            seconds=time.monotonic() - started,
            cpu_s=pipeline.watch.cpu_s() - cpu,
            server_cpu_s=servers.cpu_s() - server_cpu,
            peak_rss_mb=max(pipeline.watch.peak_rss_mb.values(), default=0.0),
        )
    finally:
        await pipeline.stop()


async def latency(
    context: Context,
    offsets: Offsets,
    names: Names,
    enrichers: int,
    records: Sequence[tuple[bytes, bytes]],
    warm_records: Sequence[tuple[bytes, bytes]],
    expected: set[bytes],
    rate: float,
) -> list[float]:
    """Publish at `rate` and note when each article first shows up in a search (no forced
    refresh: the index's own refresh interval applies, as for a user)."""
    pipeline = Pipeline(context, names, enrichers)
    es = es_client(context.connections)
    sent_at: dict[bytes, float] = {}
    seen_at: dict[bytes, float] = {}
    try:
        await pipeline.start(offsets, warm_records)
        assert pipeline.watch is not None
        sending = asyncio.create_task(
            publish(context, names.topics.raw, records, rate=rate, sent_at=sent_at)
        )
        wanted = {key for key, _ in records} & expected
        deadline = time.monotonic() + context.timeout_s + len(records) / rate
        with context.progress() as progress:
            task = progress.add_task(f"latency at {rate:.1f}/s", total=len(wanted))
            while len(seen_at) < len(wanted) and time.monotonic() < deadline:
                pending = [k.decode() for k in sent_at if k in wanted and k not in seen_at]
                if pending:
                    found = await _search_ids(es, names.index.index_alias, pending)
                    now = time.monotonic()
                    for key in found:
                        seen_at.setdefault(key.encode(), now)
                pipeline.watch.sample()
                progress.update(task, completed=len(seen_at))
                await asyncio.sleep(_POLL_S)
        await sending
        context.record_rss(pipeline.watch)
        if len(seen_at) < len(wanted):
            context.console.print(
                f"[yellow]latency: {len(wanted) - len(seen_at)} articles not searchable in time"
            )
        return [seen_at[k] - sent_at[k] for k in seen_at]
    finally:
        await es.close()
        await pipeline.stop()


async def _search_ids(es: AsyncElasticsearch, index: str, ids: list[str]) -> list[str]:
    response = await es.search(
        index=index, query={"ids": {"values": ids}}, size=len(ids), source=False
    )
    return [hit["_id"] for hit in response["hits"]["hits"]]


def decode_all(contract: Contract, values: Sequence[bytes]) -> list[dict[str, Any]]:
    return [decode(contract, value) for value in values]


async def cleanup(context: Context) -> None:
    """Delete the run's topics and indices."""
    es = es_client(context.connections)
    admin = AIOKafkaAdminClient(bootstrap_servers=context.connections.bootstrap_servers)
    try:
        for names in context.names_used:
            await es.indices.delete(
                index=f"{names.index.index_alias}-v*,{names.index.dead_letter_index}",
                ignore_unavailable=True,
                allow_no_indices=True,
            )
        await admin.start()
        existing = set(await admin.list_topics())
        doomed = [
            topic
            for names in context.names_used
            for topic in names.topics.model_dump().values()
            if topic in existing
        ]
        if doomed:
            await admin.delete_topics(doomed)
    finally:
        await es.close()
        await admin.close()
