"""`make chaos`: nothing lost, proven under faults.

Publishes N distinct real articles (text dumps and HTML pages from ../shared/eval, each made
unique) plus about 5 % deliberately bad inputs into a pipeline run by `newsflow run all`, while a
seeded schedule injects faults: SIGKILL of every stage process (one indexer kill while it has a
batch in flight, one enricher kill while its group rebalances), a Kafka broker restart, an
Elasticsearch outage (a relay that cuts the connections) and an Elasticsearch freeze (SIGSTOP)
longer than the indexer's max_poll_interval_ms. Then it checks, from Elasticsearch and the
dead-letter topic, that every good article is indexed exactly once, every bad input is a dead
letter with a reason, and no good article is one. It exits 0 only then.

Runs on its own topics, groups and indices on the local stack, and removes its indices after.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import psutil
from aiokafka.errors import KafkaError
from elasticsearch import AsyncElasticsearch, helpers
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from newsflow.core.cleaning import clean
from newsflow.errors import NewsflowError
from newsflow.ops.dead_letters import Filter, read_dead_letters
from newsflow.ops.status import supervisor_restarts
from newsflow.runtime.kafka import group_states
from newsflow.runtime.kafka import producer as kafka_producer
from newsflow.settings import (
    Connections,
    IndexNames,
    SetupOptions,
    SetupSettings,
    StreamSettings,
    Topics,
)
from newsflow.setup import run_setup
from newsflow.stack import LocalStack
from newsflow_dev.faults import Relay, stage_processes

STAGES = ("cleaner", "dedup", "enricher", "indexer")


@dataclass(frozen=True)
class Plan:
    articles: int = 10_000
    bad_share: float = 0.05
    kills_per_stage: int = 3
    kafka_restarts: int = 1
    es_outage_s: float = 60.0
    es_freeze: bool = True
    # Lowered from Kafka's 5 minutes so that a freeze longer than it stays cheap.
    max_poll_interval_ms: int = 20_000
    rate: float = 40.0
    seed: int = 20261125
    # Waiting for the pipeline to drain: a stall this long (nothing indexed, lag left) ends
    # the wait, and so does the deadline.
    stall_s: float = 300.0
    settle_timeout_s: float = 4 * 3600.0


@dataclass
class Message:
    key: bytes | None
    value: bytes
    good: bool
    article_id: str | None
    what: str
    partition: int = -1
    offset: int = -1


@dataclass
class Result:
    published: int = 0
    good: int = 0
    indexed: int = 0
    missing: list[str] = field(default_factory=list)
    duplicates: int = 0
    rewritten: int = 0
    letters_expected: int = 0
    letters_found: int = 0
    bad_without_letter: list[str] = field(default_factory=list)
    letters_without_reason: int = 0
    good_in_dlq: list[str] = field(default_factory=list)
    restarts: dict[str, int] = field(default_factory=dict)
    faults: Counter[str] = field(default_factory=Counter)
    peak_rss_mb: dict[str, float] = field(default_factory=dict)
    elapsed_s: float = 0.0
    gave_up: bool = False

    @property
    def passed(self) -> bool:
        return not (
            self.missing
            or self.bad_without_letter
            or self.good_in_dlq
            or self.letters_without_reason
            or self.duplicates
            or self.gave_up
        )

    def line(self) -> str:
        first = " ".join(self.missing[:5])
        return (
            f"published {self.published} indexed {self.indexed} "
            f"missing {len(self.missing)}{' (' + first + ')' if first else ''} "
            f"duplicates {self.duplicates} dead-letters expected {self.letters_expected} "
            f"found {self.letters_found} restarts {sum(self.restarts.values())} "
            f"elapsed {self.elapsed_s:.0f}s"
        )


# --------------------------------------------------------------------------- the corpus


def _pages(data: Path) -> list[tuple[str, str]]:
    """(kind, content) of the real pages in ../shared/eval: text dumps and HTML."""
    news = data / "news-fr-raw"
    benchmark = data / "article-extraction-benchmark" / "html"
    if not news.is_dir() or not benchmark.is_dir():
        raise SystemExit(
            f"chaos needs the evaluation pages under {data}: put ../shared/eval next to the "
            "checkout or pass --data"
        )
    pages = [
        ("text", p.read_text("utf-8", errors="replace"))
        for p in sorted((news / "text").rglob("*.txt"))
    ]
    pages += [
        ("html", p.read_text("utf-8", errors="replace"))
        for p in sorted((news / "html").rglob("*.html"))
    ]
    pages += [
        ("html", gzip.decompress(p.read_bytes()).decode("utf-8", errors="replace"))
        for p in sorted(benchmark.glob("*.html.gz"))
    ]
    # Only pages the cleaner turns into an article: a page it rightly refuses is no "good" input.
    usable = []
    for kind, content in pages:
        try:
            clean({kind: content}, min_words=20)
        except NewsflowError:
            continue
        usable.append((kind, content))
    return usable


def _unique(kind: str, content: str, marker: str) -> str:
    sentence = f"Référence de contrôle {marker}."
    if kind == "html":
        return content.replace("</body>", f"<p>{sentence}</p></body>", 1)
    return content + "\n" + sentence + "\n"


def hostile_inputs(rng: random.Random) -> list[tuple[str, bytes | None, bytes]]:
    """(what, key, value) of inputs every stage must dead-letter, never crash on."""
    nested = "<html><body>" + "<div>" * 100_000 + "profond" + "</div>" * 100_000 + "</body></html>"
    table = "".join(
        "<tr>" + "".join(f"<td>{row * col}</td>" for col in range(20)) + "</tr>"
        for row in range(5_000)
    )
    # Within the size limits, but read into tens of thousands of lines.
    links = "".join(f'<a href="/s/{i}">more</a>' for i in range(20_000))
    markdown_links = "".join(f"[more](https://x.example/{i})\n" for i in range(30_000))
    glued = "wordWord " * 100_000
    return [
        ("invalid JSON", None, b'{"text": "unterminated'),
        ("binary", None, bytes(rng.randrange(256) for _ in range(512))),
        ("invalid UTF-8", None, b'{"text": "\xe9t\xe9 \xe0 Paris"}'),
        ("empty text", None, b'{"text": ""}'),
        ("schema violation", None, b'{"title": "no text", "url": 42}'),
        ("unknown schema_version", None, b'{"schema_version": 99, "text": "Un texte."}'),
        ("wrong type", None, b'{"text": 12345}'),
        ("JSON nested 10,000 deep", None, b'{"text": ' + b"[" * 10_000 + b"]" * 10_000 + b"}"),
        ("NUL bytes", None, orjson.dumps({"text": "\x00" * 64})),
        ("lone surrogate", None, b'{"text": "\\ud800 texte"}'),
        ("non-UTF-8 key", b"\xff\xfe\xfd", b"not json at all"),
        ("too short", None, orjson.dumps({"text": "Trop court pour un article."})),
        ("an array", None, b"[1, 2, 3]"),
        (
            "100,000 nested tags",
            None,
            orjson.dumps({"html": nested}),
        ),
        ("a page that is one giant table", None, orjson.dumps({"html": f"<table>{table}</table>"})),
        ("a paragraph of 20,000 links", None, orjson.dumps({"html": f"<p>{links}</p>"})),
        ("Markdown of 30,000 links", None, orjson.dumps({"text": markdown_links})),
        ("900,000 characters of words run together", None, orjson.dumps({"text": glued})),
    ]


def oversize_page() -> bytes:
    """A 10 MB one-line HTML page: over the 8 MiB limit, dead-lettered unread."""
    return orjson.dumps({"html": "<html><body><p>" + "mot " * (10 * 1024 * 1024 // 4) + "</p>"})


def build_messages(data: Path, plan: Plan, run: str) -> list[Message]:
    rng = random.Random(plan.seed)
    pages = _pages(data)
    bad = hostile_inputs(rng)
    messages: list[Message] = []
    total_bad = round(plan.articles * plan.bad_share)
    for index in range(plan.articles):
        kind, content = pages[index % len(pages)]
        article_id = hashlib.sha256(f"{run}-{index}".encode()).hexdigest()[:32]
        value = {
            "id": article_id,
            "url": f"https://chaos.example/{run}/{index}",
            "source": "chaos",
            kind: _unique(kind, content, f"{run}-{index}"),
        }
        messages.append(Message(article_id.encode(), orjson.dumps(value), True, article_id, kind))
    for index in range(total_bad):
        what, key, payload = bad[index % len(bad)]
        messages.append(Message(key, payload, False, None, what))
    # One message over the size limit, once a run: large, so not 5 % of them.
    messages.append(Message(None, oversize_page(), False, None, "10 MB one-line HTML page"))
    rng.shuffle(messages)
    return messages


# --------------------------------------------------------------------------- the run


class Chaos:
    def __init__(self, stack: LocalStack, plan: Plan, data: Path, console: Console) -> None:
        self.stack = stack
        self.plan = plan
        self.data = data
        self.console = console
        self.run = hashlib.sha256(str(time.time_ns()).encode()).hexdigest()[:8]
        self.rng = random.Random(plan.seed)
        self.result = Result()
        self.topics = Topics(
            raw=f"chaos.{self.run}.raw",
            clean=f"chaos.{self.run}.clean",
            sequenced=f"chaos.{self.run}.sequenced",
            deduped=f"chaos.{self.run}.deduped",
            enriched=f"chaos.{self.run}.enriched",
            dlq=f"chaos.{self.run}.dlq",
        )
        self.stream = StreamSettings(topics=self.topics, group_prefix=f"chaos-{self.run}")
        self.index = IndexNames(
            index_alias=f"chaos-{self.run}-articles", dead_letter_index=f"chaos-{self.run}-dlq"
        )
        self.connections = Connections(
            kafka_bootstrap_servers=stack.bootstrap_servers,
            elasticsearch_url=stack.elasticsearch_url,
        )
        self.es_port = int(stack.elasticsearch_url.rsplit(":", 1)[1])
        self.relay = Relay(self.es_port)
        self.pipeline: subprocess.Popen[bytes] | None = None
        self.extra_enricher: subprocess.Popen[bytes] | None = None
        self.log = stack.dir / "logs" / f"chaos-{self.run}.log"
        self.published_all = asyncio.Event()

    def env(self, es_url: str) -> dict[str, str]:
        t = self.topics
        return {
            **os.environ,
            "KAFKA_BOOTSTRAP_SERVERS": self.stack.bootstrap_servers,
            "ELASTICSEARCH_URL": es_url,
            "NEWSFLOW_TOPICS__RAW": t.raw,
            "NEWSFLOW_TOPICS__CLEAN": t.clean,
            "NEWSFLOW_TOPICS__SEQUENCED": t.sequenced,
            "NEWSFLOW_TOPICS__DEDUPED": t.deduped,
            "NEWSFLOW_TOPICS__ENRICHED": t.enriched,
            "NEWSFLOW_TOPICS__DLQ": t.dlq,
            "NEWSFLOW_GROUP_PREFIX": self.stream.group_prefix,
            "NEWSFLOW_INDEX_ALIAS": self.index.index_alias,
            "NEWSFLOW_DEAD_LETTER_INDEX": self.index.dead_letter_index,
            "NEWSFLOW_INDEXER_MAX_POLL_INTERVAL_MS": str(self.plan.max_poll_interval_ms),
            "NEWSFLOW_RETRY_MAX_S": "5",
            "NEWSFLOW_LOG_LEVEL": "info",
        }

    # ---- processes

    def _spawn(self, *args: str) -> subprocess.Popen[bytes]:
        env = self.env(f"http://127.0.0.1:{self.relay.port}")
        with self.log.open("ab") as log:
            return subprocess.Popen(
                [sys.executable, "-m", "newsflow.cli", *args],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def _kill(self, stage: str) -> bool:
        assert self.pipeline is not None
        process = stage_processes(self.pipeline.pid).get(stage)
        if process is None:
            return False
        os.kill(process.pid, signal.SIGKILL)
        self.result.faults[f"kill {stage}"] += 1
        return True

    async def _kill_when_running(self, stage: str) -> bool:
        """Kill the stage's process, waiting for it if the supervisor is restarting it."""

        async def killed() -> bool:
            return self._kill(stage)

        return await self._until(killed, 60)

    async def _sample_rss(self) -> None:
        peaks = self.result.peak_rss_mb
        while True:
            if self.pipeline is not None:
                found = stage_processes(self.pipeline.pid)
                if self.extra_enricher is not None and self.extra_enricher.poll() is None:
                    found["enricher (extra)"] = psutil.Process(self.extra_enricher.pid)
                for stage, process in found.items():
                    try:
                        rss = process.memory_info().rss / (1024 * 1024)
                    except Exception:  # noqa: BLE001, S112 - the process may just have died
                        continue
                    peaks[stage] = max(peaks.get(stage, 0.0), rss)
            await asyncio.sleep(1.0)

    # ---- faults

    async def _until(self, condition: Callable[[], Awaitable[bool]], timeout_s: float) -> bool:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if await condition():
                return True
            await asyncio.sleep(0.2)
        return False

    async def _lag(self, stage: str, topics: list[str]) -> int:
        group = self.stream.group_id(stage)
        try:
            states = await group_states(self.stack.bootstrap_servers, {group: topics})
        except NewsflowError:
            return 0
        return states[group].lag

    async def kill_indexer_mid_batch(self) -> None:
        async def busy() -> bool:
            return await self._lag("indexer", [self.topics.enriched]) > 0

        in_flight = await self._until(busy, 15)
        if await self._kill_when_running("indexer") and in_flight:
            self.result.faults["(of which with a batch in flight)"] += 1

    async def kill_enricher_mid_rebalance(self) -> None:
        group = self.stream.group_id("enricher")
        self.extra_enricher = self._spawn("run", "enricher")

        async def rebalancing() -> bool:
            try:
                states = await group_states(
                    self.stack.bootstrap_servers, {group: [self.topics.deduped]}
                )
            except NewsflowError:
                return False
            return states[group].state in ("PreparingRebalance", "CompletingRebalance")

        seen = await self._until(rebalancing, 60)
        if await self._kill_when_running("enricher") and seen:
            self.result.faults["(of which during a rebalance)"] += 1
        await asyncio.sleep(20)
        self.extra_enricher.send_signal(signal.SIGTERM)
        await asyncio.to_thread(self.extra_enricher.wait, 60)

    async def es_outage(self) -> None:
        await self.relay.stop()
        self.result.faults["elasticsearch outage"] += 1
        await asyncio.sleep(self.plan.es_outage_s)
        await self.relay.start()

    async def es_freeze(self) -> None:
        pid = self.stack.elasticsearch.pid()
        if pid is None:
            return
        os.killpg(pid, signal.SIGSTOP)
        self.result.faults["elasticsearch freeze"] += 1
        try:
            await asyncio.sleep(self.plan.max_poll_interval_ms / 1000 + 10)
        finally:
            os.killpg(pid, signal.SIGCONT)

    async def kafka_restart(self) -> None:
        await asyncio.to_thread(self.stack.restart_kafka)
        self.result.faults["kafka broker restart"] += 1

    def schedule(self, duration_s: float) -> list[tuple[float, str, Callable[[], Awaitable[Any]]]]:
        """When each fault happens, seeded; the long ones at fixed points that do not overlap."""

        def kill(stage: str) -> Callable[[], Awaitable[Any]]:
            async def action() -> None:
                await self._kill_when_running(stage)

            return action

        faults: list[tuple[float, str, Callable[[], Awaitable[Any]]]] = [
            (0.20 * duration_s, "elasticsearch outage", self.es_outage),
            (0.50 * duration_s, "kafka restart", self.kafka_restart),
        ]
        if self.plan.es_freeze:
            faults.append((0.75 * duration_s, "elasticsearch freeze", self.es_freeze))
        for stage in STAGES:
            for number in range(self.plan.kills_per_stage):
                at = self.rng.uniform(0.05, 0.95) * duration_s
                action, name = kill(stage), f"kill {stage}"
                if stage == "indexer" and number == 0:
                    action, name = self.kill_indexer_mid_batch, "kill indexer mid-batch"
                elif stage == "enricher" and number == 0:
                    action, name = self.kill_enricher_mid_rebalance, "kill enricher mid-rebalance"
                faults.append((at, name, action))
        return sorted(faults, key=lambda f: f[0])

    async def inject(self, duration_s: float, started: float) -> None:
        for at, name, action in self.schedule(duration_s):
            await asyncio.sleep(max(0.0, started + at - time.monotonic()))
            self.console.log(f"fault: {name}")
            try:
                await action()
            except Exception as exc:  # noqa: BLE001 - a fault that could not be injected is reported
                self.console.log(f"[yellow]fault {name} could not be injected: {exc!r}")

    # ---- publishing and checking

    async def publish(self, messages: list[Message], progress: Progress) -> None:
        task = progress.add_task("publishing", total=len(messages))
        sender = kafka_producer(
            self.stack.bootstrap_servers,
            max_request_size=16 * 1024 * 1024,
            request_timeout_ms=30_000,
        )
        await sender.start()
        interval = 1.0 / self.plan.rate
        next_at = time.monotonic()
        try:
            for message in messages:
                await asyncio.sleep(max(0.0, next_at - time.monotonic()))
                next_at += interval
                while True:
                    try:
                        meta = await sender.send_and_wait(
                            self.topics.raw, message.value, key=message.key
                        )
                        break
                    except KafkaError:  # the broker is restarting: send this one again
                        await asyncio.sleep(1.0)
                message.partition, message.offset = meta.partition, meta.offset
                self.result.published += 1
                progress.advance(task)
        finally:
            await sender.stop()
            self.published_all.set()

    async def indexed_ids(self, es: AsyncElasticsearch) -> Counter[str]:
        await es.indices.refresh(index=self.index.index_alias)
        ids: Counter[str] = Counter()
        async for hit in helpers.async_scan(
            es, index=self.index.index_alias, query={"query": {"match_all": {}}}, _source=False
        ):
            ids[hit["_id"]] += 1
        return ids

    async def _drained(self) -> bool:
        """Every stage has committed everything its input topics hold."""
        try:
            states = await group_states(
                self.stack.bootstrap_servers,
                {
                    self.stream.group_id(group): topics
                    for group, topics in self.stream.group_inputs().items()
                },
            )
        except NewsflowError:
            return False
        return all(state.lag == 0 for state in states.values())

    async def settle(self, es: AsyncElasticsearch, good: int, progress: Progress) -> None:
        """Wait until the pipeline has drained (every stage's lag is 0) with every good article
        indexed; stop earlier only when nothing moved for `stall_s` or the deadline passed, so
        that what is missing then is lost, not late."""
        task = progress.add_task("indexed", total=good)
        last, last_change = -1, time.monotonic()
        deadline = time.monotonic() + self.plan.settle_timeout_s
        while time.monotonic() < deadline:
            try:
                await es.indices.refresh(index=self.index.index_alias)
                count = int((await es.count(index=self.index.index_alias))["count"])
            except Exception:  # noqa: BLE001 - Elasticsearch may be frozen by a fault right now
                count = last
            progress.update(task, completed=max(count, 0))
            drained = self.published_all.is_set() and await self._drained()
            if drained and (count >= good or time.monotonic() - last_change > 30):
                return
            if count != last:
                last, last_change = count, time.monotonic()
            elif self.published_all.is_set() and time.monotonic() - last_change > self.plan.stall_s:
                return
            if self.pipeline is not None and self.pipeline.poll() is not None:
                self.result.gave_up = True
                return
            await asyncio.sleep(2.0)

    async def execute(self) -> Result:
        started = time.monotonic()
        self.log.parent.mkdir(parents=True, exist_ok=True)
        messages = build_messages(self.data, self.plan, self.run)
        good = [m for m in messages if m.good]
        self.result.good = len(good)
        await run_setup(
            SetupSettings(
                connections=self.connections,
                stream=self.stream,
                index=self.index,
                setup=SetupOptions(partitions=3),
            )
        )
        await self.relay.start()
        self.pipeline = self._spawn("run", "all")
        es = AsyncElasticsearch(self.stack.elasticsearch_url, request_timeout=60)
        sampler = asyncio.create_task(self._sample_rss())
        progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.console,
        )
        try:
            with progress:
                duration = max(len(messages) / self.plan.rate, 120.0)
                publishing = asyncio.create_task(self.publish(messages, progress))
                faults = asyncio.create_task(self.inject(duration, time.monotonic()))
                await self.settle(es, len(good), progress)
                await publishing
                await faults
                await self.settle(es, len(good), progress)
            self.result.restarts = supervisor_restarts(self.stream) or {}
            found = await self.indexed_ids(es)
            letters = await read_dead_letters(self.connections, self.stream, Filter())
        finally:
            sampler.cancel()
            await self._stop()
            await self.relay.stop()
        self._check(messages, found, letters)
        await es.indices.delete(
            index=[f"{self.index.index_alias}-v*", self.index.dead_letter_index],
            ignore_unavailable=True,
        )
        await es.close()
        self.result.elapsed_s = time.monotonic() - started
        return self.result

    async def _stop(self) -> None:
        for process in (self.pipeline, self.extra_enricher):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    await asyncio.to_thread(process.wait, 90)
                except subprocess.TimeoutExpired:
                    process.kill()

    def _check(self, messages: list[Message], found: Counter[str], letters: list[Any]) -> None:
        result = self.result
        good_ids = {m.article_id for m in messages if m.good and m.offset >= 0 and m.article_id}
        result.indexed = len(set(found) & good_ids)
        result.missing = sorted(good_ids - set(found))
        result.duplicates = sum(n - 1 for n in found.values() if n > 1)
        raw_letters = {
            (item.letter["partition"], item.letter["offset"]): item.letter
            for item in letters
            if item.letter["topic"] == self.topics.raw
        }
        bad = [m for m in messages if not m.good and m.offset >= 0]
        result.letters_expected = len(bad)
        result.letters_found = sum((m.partition, m.offset) in raw_letters for m in bad)
        result.bad_without_letter = [
            f"{m.what}@{m.partition}/{m.offset}"
            for m in bad
            if (m.partition, m.offset) not in raw_letters
        ]
        result.letters_without_reason = sum(
            1 for item in letters if not str(item.letter.get("reason", "")).strip()
        )
        result.good_in_dlq = sorted(
            {str(item.letter.get("article_id")) for item in letters} & good_ids
        )


def report(result: Result, console: Console) -> None:
    console.print(f"faults injected: {dict(result.faults)}")
    console.print(f"stage restarts: {result.restarts}")
    console.print(
        "peak RSS (MiB): "
        + ", ".join(f"{stage} {mb:.0f}" for stage, mb in sorted(result.peak_rss_mb.items()))
    )
    if result.bad_without_letter:
        console.print(f"bad inputs without a dead letter: {result.bad_without_letter[:10]}")
    if result.good_in_dlq:
        console.print(f"good articles dead-lettered: {result.good_in_dlq[:10]}")
    if result.gave_up:
        console.print("`newsflow run all` gave up (a stage kept crashing)")
    print(json.dumps({"chaos": result.line(), "passed": result.passed}))
    print(result.line())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newsflow_dev.chaos", description=__doc__)
    parser.add_argument("--articles", type=int, default=Plan.articles)
    parser.add_argument("--kills-per-stage", type=int, default=Plan.kills_per_stage)
    parser.add_argument("--es-outage", type=float, default=Plan.es_outage_s, metavar="SECONDS")
    parser.add_argument("--no-freeze", action="store_true", help="skip the Elasticsearch freeze")
    parser.add_argument("--rate", type=float, default=Plan.rate, help="articles published a second")
    parser.add_argument("--seed", type=int, default=Plan.seed)
    parser.add_argument("--data", type=Path, default=Path("../shared/eval"))
    args = parser.parse_args(argv)
    plan = Plan(
        articles=args.articles,
        kills_per_stage=args.kills_per_stage,
        es_outage_s=args.es_outage,
        es_freeze=not args.no_freeze,
        rate=args.rate,
        seed=args.seed,
    )
    console = Console(stderr=True)
    stack = LocalStack()
    if stack.managed_servers() != [stack.kafka, stack.elasticsearch]:
        console.print("chaos restarts and freezes the servers: run it on the local stack only")
        return 2
    stack.up()
    result = asyncio.run(Chaos(stack, plan, args.data, console).execute())
    report(result, console)
    return 0 if result.passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
