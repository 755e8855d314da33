"""`newsflow collect`: what the readers make of files, folders, URLs, feeds or stdin, published
to articles.raw by a producer (acks=all, idempotent), keyed by article id."""

from __future__ import annotations

import asyncio
import sys
from dataclasses import dataclass, field
from typing import Any

from aiokafka.errors import KafkaError
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from newsflow.core.ids import utc_now
from newsflow.core.readers import Kind, Rejected, prepare, read_inputs
from newsflow.errors import BackendUnavailable
from newsflow.runtime.kafka import producer as kafka_producer
from newsflow.runtime.kafka import require_topics
from newsflow.settings import CollectorSettings

# Wait for broker acknowledgements every this many articles, so memory stays bounded.
_ACK_EVERY = 50


@dataclass
class Report:
    sent: int = 0
    rejected: list[Rejected] = field(default_factory=list)


async def collect(
    inputs: list[str],
    settings: CollectorSettings,
    source: str | None = None,
    show_progress: bool = True,
    kind: Kind | None = None,
) -> Report:
    report = Report()
    bootstrap = settings.connections.bootstrap_servers
    raw_topic = settings.stream.topics.raw
    await require_topics(bootstrap, [raw_topic])
    producer = kafka_producer(
        bootstrap,
        max_request_size=settings.stream.max_message_bytes + 1024 * 1024,
        compression_type="gzip",
        linger_ms=20,
    )
    try:
        await producer.start()
    except KafkaError as exc:
        raise BackendUnavailable(f"Kafka at {bootstrap}: {exc!r}") from exc
    collected_at = utc_now()
    futures: list[asyncio.Future[Any]] = []
    progress = Progress(
        TextColumn("collecting"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=True,
        disable=not (show_progress and sys.stderr.isatty()),
    )
    try:
        with progress:
            task = progress.add_task("collect", total=None)
            for where, item in read_inputs(inputs, kind):
                prepared = prepare(item, where, source, collected_at)
                if isinstance(prepared, Rejected):
                    report.rejected.append(prepared)
                    continue
                key, value = prepared
                futures.append(await producer.send(raw_topic, key=key.encode(), value=value))
                progress.update(task, advance=1)
                if len(futures) >= _ACK_EVERY:
                    report.sent += len(await asyncio.gather(*futures))
                    futures.clear()
            report.sent += len(await asyncio.gather(*futures))
    except KafkaError as exc:
        raise BackendUnavailable(f"sending to {raw_topic} failed: {exc!r}") from exc
    finally:
        await producer.stop()
    return report
