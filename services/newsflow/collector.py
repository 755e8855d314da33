"""`newsflow collect`: read articles from files, folders, URLs, feeds or stdin into articles.raw.

Readers turn each input into raw messages (see schemas/raw.schema.json) with a stable id,
`collected_at` and `source`; the producer (acks=all, idempotent) sends them keyed by id.
Whatever cannot become a valid raw message is rejected with its reason and counted.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import feedparser
import httpx
import orjson
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from newsflow.config import CollectorSettings
from newsflow.contracts import SCHEMA_VERSION, Contract, encode
from newsflow.errors import BackendUnavailable, ContractError
from newsflow.ids import article_id, to_utc_iso, utc_now

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
# Wait for broker acknowledgements every this many articles, so memory stays bounded.
_ACK_EVERY = 50


@dataclass
class Rejected:
    where: str
    reason: str


@dataclass
class Report:
    sent: int = 0
    rejected: list[Rejected] = field(default_factory=list)


Item = dict[str, Any] | Rejected


def _host(url: str | None) -> str | None:
    if not url:
        return None
    return httpx.URL(url).host.removeprefix("www.") or None


def complete(raw: dict[str, Any], source: str | None, collected_at: str) -> dict[str, Any]:
    """Add id, source, collected_at and schema_version; drop empty fields."""
    message = {k: v for k, v in raw.items() if v not in (None, "")}
    message["schema_version"] = SCHEMA_VERSION
    message.setdefault("source", source or _host(message.get("url")) or "unknown")
    message["collected_at"] = to_utc_iso(message.get("collected_at")) or collected_at
    if message.get("published_at"):
        message["published_at"] = to_utc_iso(str(message["published_at"]))
    if "id" not in message:
        message["id"] = article_id(message.get("url"), message.get("text") or message.get("html"))
    return message


# --------------------------------------------------------------------------- readers


def read_jsonl(lines: Iterable[bytes | str], where: str) -> Iterator[Item]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            value = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            yield Rejected(f"{where}:{number}", f"invalid JSON: {exc}")
            continue
        if not isinstance(value, dict):
            yield Rejected(f"{where}:{number}", "a JSON Lines article must be an object")
            continue
        yield value


def read_feed(document: bytes | str, where: str) -> Iterator[Item]:
    parsed = feedparser.parse(document)
    if parsed.bozo and not parsed.entries:
        yield Rejected(where, f"not a readable RSS/Atom feed: {parsed.get('bozo_exception')}")
        return
    feed_source = parsed.feed.get("title") or None
    for entry in parsed.entries:
        content = entry.get("content") or []
        body = content[0].get("value") if content else entry.get("summary")
        if not body:
            yield Rejected(
                f"{where}#{entry.get('link', '?')}", "feed entry has no content or summary"
            )
            continue
        yield {
            "url": entry.get("link"),
            "title": entry.get("title"),
            "html": body,
            "published_at": entry.get("published") or entry.get("updated"),
            "source": _host(entry.get("link")) or feed_source,
        }


def _looks_like_feed(head: str) -> bool:
    head = head.lstrip()[:1000].lower()
    return "<rss" in head or "<feed" in head or "<rdf:rdf" in head


def read_document(
    data: bytes, where: str, kind: str | None = None, url: str | None = None
) -> Iterator[Item]:
    """One input's bytes; kind is 'text', 'html', 'jsonl' or 'feed', guessed when None."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        yield Rejected(where, f"not UTF-8 text (byte {exc.start})")
        return
    head = text.lstrip()[:1000]
    if kind is None:
        if head.startswith(("{", "[")):
            kind = "jsonl"
        elif _looks_like_feed(head):
            kind = "feed"
        elif head.startswith("<"):
            kind = "html"
        else:
            kind = "text"
    if kind == "jsonl":
        if head.startswith("["):
            try:
                values = orjson.loads(text)
            except orjson.JSONDecodeError as exc:
                yield Rejected(where, f"invalid JSON: {exc}")
                return
            yield from read_jsonl((orjson.dumps(v) for v in values), where)
        else:
            yield from read_jsonl(text.splitlines(), where)
    elif kind == "feed":
        yield from read_feed(data, where)
    elif kind == "html":
        yield {"html": text, "url": url}
    else:
        yield {"text": text, "url": url}


def read_path(path: Path) -> Iterator[Item]:
    if path.is_dir():
        for child in sorted(
            p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")
        ):
            yield from read_path(child)
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield Rejected(str(path), f"cannot read: {exc.strerror}")
        return
    suffix = path.suffix.lower()
    kind = (
        "text"
        if suffix in TEXT_SUFFIXES
        else "html"
        if suffix in HTML_SUFFIXES
        else "jsonl"
        if suffix in JSONL_SUFFIXES | {".json"}
        else "feed"
        if suffix in FEED_SUFFIXES
        else None
    )
    yield from read_document(data, str(path), kind)


def read_url(url: str, client: httpx.Client) -> Iterator[Item]:
    try:
        response = client.get(url, follow_redirects=True)
        response.raise_for_status()
    except httpx.HTTPError as exc:
        yield Rejected(url, f"download failed: {exc}")
        return
    content_type = response.headers.get("content-type", "").lower()
    kind = (
        "feed"
        if any(t in content_type for t in ("rss", "atom", "xml"))
        and _looks_like_feed(response.text)
        else "html"
        if "html" in content_type
        else "jsonl"
        if "json" in content_type
        else None
    )
    yield from read_document(response.content, url, kind, url=str(response.url))


def read_inputs(inputs: Iterable[str]) -> Iterator[tuple[str, Item]]:
    with httpx.Client(timeout=30, headers={"user-agent": "newsflow-collector"}) as http:
        for spec in inputs:
            if spec == "-":
                items: Iterable[Item] = read_document(sys.stdin.buffer.read(), "stdin")
            elif spec.startswith(("http://", "https://")):
                items = read_url(spec, http)
            elif Path(spec).exists():
                items = read_path(Path(spec))
            else:
                items = [Rejected(spec, "no such file, folder or URL")]
            for item in items:
                yield spec, item


# --------------------------------------------------------------------------- sending


def prepare(
    item: Item, where: str, source: str | None, collected_at: str
) -> tuple[str, bytes] | Rejected:
    if isinstance(item, Rejected):
        return item
    try:
        message = complete(item, source, collected_at)
        return message["id"], encode(Contract.RAW, message)
    except (ContractError, ValueError) as exc:
        return Rejected(where, str(exc))


async def collect(
    inputs: list[str],
    settings: CollectorSettings,
    source: str | None = None,
    show_progress: bool = True,
) -> Report:
    report = Report()
    producer = AIOKafkaProducer(
        bootstrap_servers=settings.bootstrap_servers,
        acks="all",
        enable_idempotence=True,
        max_request_size=settings.max_message_bytes + 1024 * 1024,
        compression_type="gzip",
        linger_ms=20,
    )
    try:
        await producer.start()
    except KafkaError as exc:
        raise BackendUnavailable(f"Kafka at {settings.bootstrap_servers}: {exc!r}") from exc
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
            for where, item in read_inputs(inputs):
                prepared = prepare(item, where, source, collected_at)
                if isinstance(prepared, Rejected):
                    report.rejected.append(prepared)
                    continue
                key, value = prepared
                futures.append(
                    await producer.send(settings.topics.raw, key=key.encode(), value=value)
                )
                progress.update(task, advance=1)
                if len(futures) >= _ACK_EVERY:
                    report.sent += len(await asyncio.gather(*futures))
                    futures.clear()
            report.sent += len(await asyncio.gather(*futures))
    except KafkaError as exc:
        raise BackendUnavailable(f"sending to {settings.topics.raw} failed: {exc!r}") from exc
    finally:
        await producer.stop()
    return report
