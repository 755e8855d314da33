"""The dedup stage on the real Kafka: its state survives a kill -9, and two workers agree with one.

Each test publishes clean articles in two waves: first one original of each story, then, once
those are decided, edited copies of them (and a few articles sent twice). The stories are then
known whatever order the copies take across partitions: every copy must get its original's id.
The copies reach a worker that must have the originals in its tables, i.e. (after the kill)
tables recovered from their changelogs.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient

from newsflow.core.ids import content_hash
from newsflow.runtime.dedup_app import POSITION_KEY, SequenceGuard, read_sequenced
from newsflow.settings import DEDUP_TABLES, SetupOptions, SetupSettings
from newsflow.setup import ensure_topics
from newsflow.stack import LocalStack
from tests.pipeline import connections, isolated_env, log_tail, stream_settings

pytestmark = pytest.mark.integration

STORIES = 40
SYLLABLES = [a + b for a in "bcdfglmnprstv" for b in ("a", "e", "i", "o", "u", "ou", "an", "on")]


def _article(rng: random.Random) -> list[str]:
    words = ["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3))) for _ in range(200)]
    return [" ".join(words[i : i + 40]) + "." for i in range(0, 200, 40)]


def _message(article_id: str, paragraphs: list[str], source: str) -> dict[str, Any]:
    body = "\n\n".join(paragraphs[1:])
    return {
        "schema_version": 1,
        "id": article_id,
        "url": f"https://{source}/{article_id}",
        "source": source,
        "title": paragraphs[0][:60],
        "lead": paragraphs[0],
        "body": body,
        "language_hint": None,
        "word_count": len(" ".join(paragraphs).split()),
        "content_hash": content_hash(paragraphs[0] + "\n\n" + body),
        "published_at": None,
        "collected_at": None,
        "cleaned_at": "2026-01-01T00:00:00Z",
    }


def waves(seed: int = 7) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, str]]:
    """Originals, copies (and resent articles), and the story each article id must get."""
    rng = random.Random(seed)
    originals, copies, story = [], [], {}
    for n in range(STORIES):
        text = _article(rng)
        original = _message(f"{n:04d}{'a' * 28}", text, "agency.example")
        originals.append(original)
        story[original["id"]] = original["id"]
        edits = [
            text[:-1],  # the last paragraph cut
            [text[0], "Lire aussi : " + text[2][:50], *text[1:]],  # a teaser inserted
            [p.replace(" ", "  ") for p in text],  # other spacing: the same content hash
        ]
        for k, edited in enumerate(edits):
            copy = _message(f"{n:04d}{k:04d}{'c' * 24}", edited, f"site{k}.example")
            copies.append(copy)
            story[copy["id"]] = original["id"]
    rng.shuffle(copies)
    resent = copies[:5] + originals[:3]
    return originals, copies + resent, story


async def publish(bootstrap: str, topic: str, messages: list[dict[str, Any]]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for m in messages:
            await producer.send_and_wait(topic, orjson.dumps(m), key=m["id"].encode())
    finally:
        await producer.stop()


class Outputs:
    """Everything the stage wrote to articles.deduped, read from the start."""

    def __init__(self, bootstrap: str, topic: str) -> None:
        self.consumer = AIOKafkaConsumer(
            topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", group_id=None
        )
        self.records: list[dict[str, Any]] = []

    async def __aenter__(self) -> Outputs:
        await self.consumer.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.consumer.stop()

    async def until(self, ids: set[str], timeout_s: float, log: Path) -> dict[str, list[Any]]:
        async def drain() -> None:
            while not ids <= {r["id"] for r in self.records}:
                batch = await self.consumer.getmany(timeout_ms=500)
                for records in batch.values():
                    self.records.extend(orjson.loads(r.value) for r in records)

        try:
            await asyncio.wait_for(drain(), timeout_s)
        except TimeoutError:
            missing = len(ids - {r["id"] for r in self.records})
            raise AssertionError(f"{missing} articles not deduped\n{log_tail(log)}") from None
        return self.decisions()

    async def at_least(self, count: int, timeout_s: float, log: Path) -> None:
        async def drain() -> None:
            while len(self.records) < count:
                batch = await self.consumer.getmany(timeout_ms=200)
                for records in batch.values():
                    self.records.extend(orjson.loads(r.value) for r in records)

        try:
            await asyncio.wait_for(drain(), timeout_s)
        except TimeoutError:
            raise AssertionError(
                f"{len(self.records)} of {count} records\n{log_tail(log)}"
            ) from None

    def decisions(self) -> dict[str, list[Any]]:
        """Article id -> [story_id, first_copy]; an article written twice (a replay) must have
        been given the same answer both times."""
        seen: dict[str, list[Any]] = {}
        for r in self.records:
            answer = [r["story_id"], r["first_copy"]]
            assert seen.setdefault(r["id"], answer) == answer, r["id"]
        return seen


@contextmanager
def dedup_worker(env: dict[str, str], name: str, tmp: Path) -> Iterator[subprocess.Popen[bytes]]:
    log = tmp / f"{name}.log"
    worker_env = {**os.environ, **env, "NEWSFLOW_STATE_DIR": str(tmp / name)}
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "newsflow.cli", "run", "dedup"],
            env=worker_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


async def prepared(stack: LocalStack, unique: str) -> tuple[dict[str, str], Any]:
    stream = stream_settings(unique)
    await ensure_topics(
        SetupSettings(
            connections=connections(stack), stream=stream, setup=SetupOptions(partitions=2)
        )
    )
    env = {
        **isolated_env(stack, unique),
        # Small batches: the kill lands between commits, with decided but uncommitted articles.
        "NEWSFLOW_DEDUP_BATCH_SIZE": "8",
        "NEWSFLOW_DEDUP_BATCH_TIMEOUT_S": "0.1",
    }
    return env, stream


def expected(story: dict[str, str]) -> dict[str, list[Any]]:
    return {i: [s, i == s] for i, s in story.items()}


async def test_setup_gives_the_stage_single_partition_topics(
    stack: LocalStack, unique: str
) -> None:
    _, stream = await prepared(stack, unique)
    admin = AIOKafkaAdminClient(bootstrap_servers=stack.bootstrap_servers)
    await admin.start()
    try:
        names = [stream.topics.sequenced, *(stream.changelog_topic(t) for t in DEDUP_TABLES)]
        described = await admin.describe_topics([*names, stream.topics.deduped])
        partitions = {d["topic"]: len(d["partitions"]) for d in described}
        assert partitions == {**dict.fromkeys(names, 1), stream.topics.deduped: 2}
    finally:
        await admin.close()


async def test_kill_9_and_restart_give_the_stories_of_an_uninterrupted_run(
    stack: LocalStack, unique: str, tmp_path: Path
) -> None:
    originals, copies, story = waves()
    answers = {}
    for run in ("uninterrupted", "killed"):
        env, stream = await prepared(stack, f"{unique}{run[0]}")
        topics = stream.topics
        log = tmp_path / f"{run}.log"
        async with Outputs(stack.bootstrap_servers, topics.deduped) as outputs:
            with dedup_worker(env, run, tmp_path) as worker:
                await publish(stack.bootstrap_servers, topics.clean, originals)
                await outputs.until({m["id"] for m in originals}, 120, log)
                await publish(stack.bootstrap_servers, topics.clean, copies)
                if run == "uninterrupted":
                    answers[run] = await outputs.until(set(story), 180, log)
                    continue
                # Mid-stream: some copies decided, most not.
                await outputs.at_least(len(originals) + 12, 120, log)
                worker.send_signal(signal.SIGKILL)
                worker.wait()
            assert len(outputs.decisions()) < len(story)
            with dedup_worker(env, f"{run}-again", tmp_path):
                answers[run] = await outputs.until(set(story), 180, tmp_path / f"{run}-again.log")
    assert answers["killed"] == answers["uninterrupted"] == expected(story)


async def test_two_workers_give_the_stories_of_one(
    stack: LocalStack, unique: str, tmp_path: Path
) -> None:
    originals, copies, story = waves(seed=8)
    env, stream = await prepared(stack, unique)
    topics = stream.topics
    log = tmp_path / "first.log"
    async with Outputs(stack.bootstrap_servers, topics.deduped) as outputs:
        with (
            dedup_worker(env, "first", tmp_path),
            dedup_worker(env, "second", tmp_path),
        ):
            await publish(stack.bootstrap_servers, topics.clean, originals)
            await outputs.until({m["id"] for m in originals}, 180, log)
            await publish(stack.bootstrap_servers, topics.clean, copies)
            answers = await outputs.until(set(story), 240, log)
    assert answers == expected(story)


async def test_records_the_consumer_skipped_are_read_again_in_log_order(
    stack: LocalStack, unique: str
) -> None:
    """What guards the decisions against a consumer that acks records it never handed over."""
    _, stream = await prepared(stack, unique)
    topic = stream.topics.sequenced
    producer = AIOKafkaProducer(bootstrap_servers=stack.bootstrap_servers, acks="all")
    await producer.start()
    try:
        for n in range(12):
            await producer.send_and_wait(topic, f"record {n}".encode(), key=b"%d" % n)
    finally:
        await producer.stop()
    records = await read_sequenced(connections(stack), topic, 0, 12)
    assert [r.offset for r in records] == list(range(12))
    assert [r.value for r in records] == [f"record {n}".encode() for n in range(12)]

    # Decided up to offset 3 before a restart; the consumer then hands over 7 and 8 only.
    positions: dict[bytes, bytes] = {POSITION_KEY: (3).to_bytes(8, "big")}
    guard = SequenceGuard(connections(stack), topic, positions)  # type: ignore[arg-type]
    got = await guard.complete([records[8], records[7]])
    assert [r.offset for r in got] == [3, 4, 5, 6, 7, 8]
    guard.decided()
    assert int.from_bytes(positions[POSITION_KEY], "big") == 9
    # A redelivered record goes through again (its stored answer comes back); nothing is added.
    assert [r.offset for r in await guard.complete([records[5]])] == [5]
    # The end of the log: the group's committed offset says 9 to 11 were acked unseen.
    assert [r.offset for r in await guard.complete([], until=12)] == [9, 10, 11]
    assert await guard.complete([], until=12) == []
    # After a rebalance the position comes from the (recovered) table again.
    guard.reset()
    positions[POSITION_KEY] = (10).to_bytes(8, "big")
    assert [r.offset for r in await guard.complete([records[11]])] == [10, 11]
