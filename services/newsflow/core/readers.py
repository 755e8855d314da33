"""Inputs to raw messages: files, folders, URLs, feeds, JSON Lines or stdin.

The readers turn each input into raw messages (see schemas/raw.schema.json) with a stable id,
`collected_at` and `source`; whatever cannot become a valid raw message is a `Rejected` with its
reason. `newsflow collect` publishes what they read, `newsflow process` runs it in-process.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import httpx
import orjson

from newsflow.core.contracts import SCHEMA_VERSION, Contract, encode
from newsflow.core.ids import article_id, to_utc_iso
from newsflow.errors import ContractError

Kind = Literal["text", "html", "jsonl", "feed"]

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}


@dataclass
class Rejected:
    where: str
    reason: str


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
    import feedparser  # the collector's own dependency, loaded only for feeds

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
    data: bytes, where: str, kind: Kind | None = None, url: str | None = None
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


def read_path(path: Path, kind: Kind | None = None) -> Iterator[Item]:
    if path.is_dir():
        for child in sorted(
            p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")
        ):
            yield from read_path(child, kind)
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield Rejected(str(path), f"cannot read: {exc.strerror}")
        return
    if kind is not None:
        yield from read_document(data, str(path), kind)
        return
    suffix = path.suffix.lower()
    guessed: Kind | None = (
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
    yield from read_document(data, str(path), guessed)


def read_url(url: str, client: httpx.Client, kind: Kind | None = None) -> Iterator[Item]:
    try:
        response = client.get(url, follow_redirects=True)
        response.raise_for_status()
    except httpx.HTTPError as exc:
        yield Rejected(url, f"download failed: {exc}")
        return
    content_type = response.headers.get("content-type", "").lower()
    guessed: Kind | None = kind or (
        "feed"
        if any(t in content_type for t in ("rss", "atom", "xml"))
        and _looks_like_feed(response.text)
        else "html"
        if "html" in content_type
        else "jsonl"
        if "json" in content_type
        else None
    )
    yield from read_document(response.content, url, guessed, url=str(response.url))


def read_inputs(inputs: Iterable[str], kind: Kind | None = None) -> Iterator[tuple[str, Item]]:
    """Every input's items, with the input they came from; `kind` overrides the guess."""
    with httpx.Client(timeout=30, headers={"user-agent": "newsflow-collector"}) as http:
        for spec in inputs:
            if spec == "-":
                items: Iterable[Item] = read_document(sys.stdin.buffer.read(), "stdin", kind)
            elif spec.startswith(("http://", "https://")):
                items = read_url(spec, http, kind)
            elif Path(spec).exists():
                items = read_path(Path(spec), kind)
            else:
                items = [Rejected(spec, "no such file, folder or URL")]
            for item in items:
                yield spec, item


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
