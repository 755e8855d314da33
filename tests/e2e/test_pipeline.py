"""The whole pipeline on the real Kafka and Elasticsearch: `newsflow run all` as a user runs it."""

from __future__ import annotations

import socket
import time
import urllib.request
from pathlib import Path

import orjson
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from elasticsearch import AsyncElasticsearch

from newsflow.stack import LocalStack
from tests.pipeline import all_documents, newsflow, running_pipeline, wait_for

pytestmark = pytest.mark.e2e

FIXTURES = Path(__file__).parents[1] / "fixtures"
SAMPLE = FIXTURES / "sample_article.txt"
FIRST_PARAGRAPH = (
    "L'armée syrienne a interrompu ses opérations de combat à Alep pour permettre l'évacuation "
    "des civils, a annoncé jeudi à Hambourg le ministre russe des Affaires étrangères Sergueï Lavrov."
)


async def test_sample_is_searchable_within_30_seconds_with_its_entities(
    env: dict[str, str], es: AsyncElasticsearch, tmp_path: Path
) -> None:
    alias = env["NEWSFLOW_INDEX_ALIAS"]
    log = tmp_path / "pipeline.log"
    metrics_port = _free_port_block(5)
    with running_pipeline({**env, "NEWSFLOW_METRICS_PORT": str(metrics_port)}, log):
        published = newsflow("collect", str(SAMPLE), env=env)
        assert published.returncode == 0, published.stderr
        assert "sent 1" in published.stderr
        started = time.monotonic()

        async def indexed() -> list[dict[str, object]]:
            return await all_documents(es, alias)

        [document] = await wait_for(indexed, 30, "the sample in Elasticsearch", log)
        latency = time.monotonic() - started
        found = newsflow("search", "Lavrov", "--person", "Sergueï Lavrov", "--json", env=env)
        metrics = {
            stage: _scrape(metrics_port + i)
            for i, stage in enumerate(("cleaner", "dedup", "enricher", "indexer"))
        }

    assert latency < 30
    assert document["title"] == "Lavrov annonce un arrêt des frappes syriennes à Alep"
    assert document["language"] == "fr"
    text = orjson.dumps(document).decode()
    assert "Rechercher" not in text
    assert "Dernières Infos" not in text
    everything = "\n".join(str(document[f] or "") for f in ("title", "lead", "body"))
    assert everything.count(FIRST_PARAGRAPH) == 1
    assert "..." not in everything.replace("(...)", "")
    persons = document["persons"]
    for name in ("Sergueï Lavrov", "John Kerry", "Josh Earnest"):
        assert persons.count(name) == 1, persons
    assert "Lavrov" not in persons
    for place in ("Alep", "Hambourg", "Genève"):
        assert place in document["locations"]
    assert "OSCE" in document["organizations"]
    lavrov = next(e for e in document["entities"] if e["name"] == "Sergueï Lavrov")
    assert lavrov["label"] == "person"
    assert lavrov["count"] >= 5
    assert document["id"]
    assert document["content_hash"]
    assert document["story_id"] == document["id"]
    assert document["first_copy"] is True
    assert document["indexed_at"]
    assert found.returncode == 0, found.stderr
    assert orjson.loads(found.stdout.splitlines()[0])["id"] == document["id"]
    assert 'newsflow_messages_processed_total{stage="cleaner"} 1.0' in metrics["cleaner"]
    assert 'newsflow_messages_processed_total{stage="dedup"} 1.0' in metrics["dedup"]
    assert 'newsflow_messages_processed_total{stage="enricher"} 1.0' in metrics["enricher"]
    assert f'newsflow_documents_indexed_total{{index="{alias}"}} 1.0' in metrics["indexer"]


def _free_port_block(size: int) -> int:
    """A base port with `size` consecutive free ports on loopback."""
    for base in range(19100, 19900, 10):
        sockets = []
        try:
            for port in range(base, base + size):
                sock = socket.socket()
                sock.bind(("127.0.0.1", port))
                sockets.append(sock)
            return base
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
    raise AssertionError("no free ports for metrics")


def _scrape(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        return response.read().decode()


async def test_replaying_raw_from_the_beginning_leaves_one_document_per_article(
    env: dict[str, str], es: AsyncElasticsearch, stack: LocalStack, tmp_path: Path
) -> None:
    alias = env["NEWSFLOW_INDEX_ALIAS"]
    collected = newsflow("collect", str(SAMPLE), str(FIXTURES / "articles.jsonl"), env=env)
    assert collected.returncode == 0, collected.stderr

    async def three() -> list[dict[str, object]] | None:
        documents = await all_documents(es, alias)
        return documents if len(documents) == 3 else None

    with running_pipeline(env, tmp_path / "first.log"):
        first = await wait_for(three, 60, "3 documents", tmp_path / "first.log")

    # The same articles collected again, and every stage re-reading from offset 0 (new groups).
    again = newsflow("collect", str(SAMPLE), str(FIXTURES / "articles.jsonl"), env=env)
    assert again.returncode == 0, again.stderr
    replay = {**env, "NEWSFLOW_GROUP_PREFIX": env["NEWSFLOW_GROUP_PREFIX"] + "-replay"}

    async def rewritten() -> list[dict[str, object]] | None:
        documents = await all_documents(es, alias)
        return documents if all(int(str(d["_version"])) >= 4 for d in documents) else None

    with running_pipeline(replay, tmp_path / "replay.log"):
        # 3 first writes + 3 from the re-collection + 6 from the replay of raw = 4 writes each
        documents = await wait_for(rewritten, 90, "the replayed writes", tmp_path / "replay.log")

    assert len(documents) == 3
    assert sorted(d["id"] for d in documents) == sorted(d["id"] for d in first)
    enriched = await _count_records(stack.bootstrap_servers, env["NEWSFLOW_TOPICS__ENRICHED"])
    assert enriched >= 9


async def _count_records(bootstrap: str, topic: str) -> int:
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=None)
    await consumer.start()
    try:
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        return sum((await consumer.end_offsets(partitions)).values())
    finally:
        await consumer.stop()


BAD_INPUTS = {
    b"bad-json": (b'{"text": "unterminated', "not valid JSON"),
    b"bad-binary": (bytes(range(256)) * 4, "not valid UTF-8"),
    b"bad-utf8": (b'{"text": "Un article \xe9crit en latin-1, pas en UTF-8."}', "not valid UTF-8"),
    b"bad-empty": (b'{"text": ""}', "no article text"),
    b"bad-schema": (b'{"title": "ni texte ni html", "url": 42}', "raw schema violation"),
    b"bad-huge": (b'{"text": "' + b"mot " * (5 * 1024 * 1024) + b'"}', "over the limit"),
}


async def test_bad_inputs_end_in_the_dead_letter_topic_and_good_ones_are_indexed(
    env: dict[str, str], es: AsyncElasticsearch, stack: LocalStack, tmp_path: Path
) -> None:
    raw_topic, dlq_topic = env["NEWSFLOW_TOPICS__RAW"], env["NEWSFLOW_TOPICS__DLQ"]
    lines = (FIXTURES / "articles.jsonl").read_bytes().splitlines()
    producer = AIOKafkaProducer(
        bootstrap_servers=stack.bootstrap_servers, acks="all", max_request_size=32 * 1024 * 1024
    )
    await producer.start()
    try:
        await producer.send_and_wait(raw_topic, lines[0], key=b"good-1")
        for key, (payload, _) in BAD_INPUTS.items():
            await producer.send_and_wait(raw_topic, payload, key=key)
        await producer.send_and_wait(raw_topic, lines[1], key=b"good-2")
    finally:
        await producer.stop()

    log = tmp_path / "pipeline.log"
    with running_pipeline(env, log):

        async def two() -> list[dict[str, object]] | None:
            documents = await all_documents(es, env["NEWSFLOW_INDEX_ALIAS"])
            return documents if len(documents) == 2 else None

        documents = await wait_for(two, 60, "the 2 good articles", log)
        letters = await _read(stack.bootstrap_servers, dlq_topic, len(BAD_INPUTS))

        async def dead_letters_indexed() -> list[dict[str, object]] | None:
            found = await all_documents(es, env["NEWSFLOW_DEAD_LETTER_INDEX"])
            return found if len(found) == len(BAD_INPUTS) else None

        indexed_letters = await wait_for(
            dead_letters_indexed, 30, "dead letters in Elasticsearch", log
        )

    assert {d["url"] for d in documents} == {
        "https://example.org/2016/12/08/geneve-pourparlers",
        "https://example.org/2016/12/08/osce-hambourg",
    }
    by_key = {letter["key"]: letter for letter in letters}
    assert set(by_key) == {k.decode() for k in BAD_INPUTS}
    for key, (payload, reason) in BAD_INPUTS.items():
        letter = by_key[key.decode()]
        assert letter["stage"] == "cleaner"
        assert reason in letter["reason"], letter["reason"]
        assert letter["topic"] == raw_topic
        assert letter["payload_size"] == len(payload)
        assert letter["offset"] is not None
    assert by_key["bad-binary"]["payload_encoding"] == "base64"
    assert by_key["bad-huge"]["payload_truncated"] is True
    assert {d["stage"] for d in indexed_letters} == {"cleaner"}


async def _read(bootstrap: str, topic: str, count: int) -> list[dict[str, object]]:
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        group_id=None,
    )
    await consumer.start()
    try:
        records: list[dict[str, object]] = []
        deadline = time.monotonic() + 60
        while len(records) < count and time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=1000)
            records.extend(orjson.loads(r.value) for rs in batch.values() for r in rs)
        assert len(records) == count, records
        return records
    finally:
        await consumer.stop()
