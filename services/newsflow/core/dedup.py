"""Near-duplicate detection: which articles are copies of one story.

An article's text (lead and body, not the title, which outlets reword) is cut into shingles of
consecutive words. Scripts written without spaces (Chinese, Japanese, Thai, ...) count each
character as a word, so their shingles are character n-grams rather than whole sentences. Lines
of a few words (menus, bylines, share buttons the cleaner left) are not shingled: that is where
two pages of one site look alike without being one story. A MinHash signature of the shingles
estimates the Jaccard similarity of two texts; the LSH bands of the signature are the keys under
which an article is found again.

The decision is a deterministic function of the sequence of articles: replaying a sequence
over the state its prefix left gives the same story ids, which is what makes the state
recoverable from a changelog. The state is three byte-to-byte mappings (faust tables in the
stream, dicts in `newsflow process` and the evaluation):

- ``articles``: article key -> (time, banded flag, source, story id, signature);
- ``bands``: band key -> article key of the first live article with that band;
- ``hashes``: content-hash prefix -> article key of the first live article with that text.

Index entries are first-writer-wins, so a band leads to the earliest live article that has it;
an entry whose article left the time window counts as absent, whether or not it was evicted.
"""

from __future__ import annotations

import functools
import hashlib
import re
import struct
import unicodedata
import zlib
from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
import regex
from datasketch import MinHash

# Scripts written without spaces between words: each character is a token of its own.
_UNSPACED = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}\p{Tibetan}"
_TOKEN = regex.compile(rf"[{_UNSPACED}]|[^\W{_UNSPACED}]+")
_HAS_UNSPACED = regex.compile(rf"[{_UNSPACED}]")
# Most text has no such script: the standard library's faster \w+ then gives the same tokens.
_WORD = re.compile(r"\w+")
_KEY_BYTES = 8
# time in ms, indexed under its bands, source key, length of the story id; then the story id
# and the signature
_RECORD_HEAD = struct.Struct("<q?8sB")
_SCHEME = "affine32"

Signature = npt.NDArray[np.uint32]
Table = MutableMapping[bytes, bytes]


@dataclass(frozen=True)
class DedupConfig:
    """Shingles, sketch and the similarity from which two texts are one story."""

    threshold: float = 0.35
    # Two pages of one site share its furniture, and the cleaner leaves some of it in: between
    # articles of one source the texts themselves must agree more.
    same_source_threshold: float = 0.75
    window_s: int = 7 * 24 * 3600
    shingle_words: int = 3
    # Lines with fewer tokens are left out of the shingles (menus, share buttons, bylines).
    min_line_words: int = 5
    num_perm: int = 128
    bands: int = 64
    # Texts with fewer shingles are matched on their exact content only: a sketch of a few
    # words says little, and short texts are where unrelated articles look alike.
    min_shingles: int = 10
    seed: int = 1

    def __post_init__(self) -> None:
        if self.num_perm % self.bands:
            raise ValueError(f"num_perm {self.num_perm} is not a multiple of bands {self.bands}")
        for value in (self.threshold, self.same_source_threshold):
            if not 0.0 < value <= 1.0:
                raise ValueError(f"threshold {value} is not in (0, 1]")

    @property
    def rows(self) -> int:
        return self.num_perm // self.bands


@dataclass(frozen=True)
class Assignment:
    story_id: str
    first_copy: bool
    # How it was found: "id" (seen before), "content_hash", "minhash", or None (a new story).
    matched: str | None = None
    similarity: float | None = None

    def fields(self) -> dict[str, Any]:
        return {"story_id": self.story_id, "first_copy": self.first_copy}


@dataclass
class DedupState:
    articles: Table
    bands: Table
    hashes: Table
    # The latest article time seen. The window is measured from it, so whether an entry is live
    # depends only on the sequence of articles, never on when an eviction ran.
    watermark_ms: int | None = None

    @classmethod
    def in_memory(cls) -> DedupState:
        return cls({}, {}, {})

    def clock(self) -> int:
        if self.watermark_ms is None:
            # After a recovery: the newest stored article is the newest article processed.
            self.watermark_ms = max((_record_time(v) for v in self.articles.values()), default=0)
        return self.watermark_ms


def tokens(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).casefold()
    pattern = _TOKEN if _HAS_UNSPACED.search(text) else _WORD
    return list(pattern.findall(text))


def shingles(text: str, config: DedupConfig) -> set[bytes]:
    words: list[str] = []
    text = unicodedata.normalize("NFKC", text).casefold()
    pattern = _TOKEN if _HAS_UNSPACED.search(text) else _WORD
    for line in text.split("\n"):
        line_tokens = pattern.findall(line)
        if len(line_tokens) >= config.min_line_words:
            words.extend(line_tokens)
    size = config.shingle_words
    if len(words) <= size:
        return {"\x1f".join(words).encode()} if words else set()
    return {"\x1f".join(words[i : i + size]).encode() for i in range(len(words) - size + 1)}


@functools.cache
def _permutations(num_perm: int, seed: int) -> Any:
    return MinHash(num_perm=num_perm, seed=seed, scheme=_SCHEME).permutations


def signature(items: Iterable[bytes], config: DedupConfig) -> Signature:
    """MinHash of the shingles; datasketch permutes them as one numpy batch.

    Shingles are hashed with CRC-32 (stable across processes, unlike `hash`, and four times
    faster than the default SHA-1); datasketch's affine32 scheme mixes each input hash with
    MurmurHash3's finaliser before permuting it, which is what the estimate relies on."""
    sketch = MinHash(
        num_perm=config.num_perm,
        seed=config.seed,
        hashfunc=zlib.crc32,
        permutations=_permutations(config.num_perm, config.seed),
        scheme=_SCHEME,
    )
    sketch.update_batch(list(items))
    return np.asarray(sketch.hashvalues, dtype=np.uint32)


def band_keys(sig: Signature, config: DedupConfig) -> list[bytes]:
    rows = sig.astype("<u4").reshape(config.bands, config.rows)
    return [
        hashlib.blake2b(
            rows[band].tobytes(), digest_size=_KEY_BYTES, salt=band.to_bytes(2)
        ).digest()
        for band in range(config.bands)
    ]


def article_key(article_id: str) -> bytes:
    return hashlib.blake2b(article_id.encode(), digest_size=_KEY_BYTES).digest()


def hash_key(content_hash: str) -> bytes:
    return bytes.fromhex(content_hash)[:_KEY_BYTES]


def source_key(source: str | None) -> bytes:
    return hashlib.blake2b((source or "").encode(), digest_size=_KEY_BYTES).digest()


class Record(NamedTuple):
    time_ms: int
    banded: bool
    source: bytes
    story_id: str
    signature: Signature


def encode_record(record: Record) -> bytes:
    story = record.story_id.encode()
    head = _RECORD_HEAD.pack(record.time_ms, record.banded, record.source, len(story))
    return head + story + record.signature.astype("<u4").tobytes()


def decode_record(value: bytes) -> Record:
    time_ms, banded, source, length = _RECORD_HEAD.unpack_from(value)
    start = _RECORD_HEAD.size
    story = value[start : start + length].decode()
    sig = np.frombuffer(value, dtype="<u4", offset=start + length).astype(np.uint32)
    return Record(int(time_ms), bool(banded), bytes(source), story, sig)


def _record_time(value: bytes) -> int:
    return int(_RECORD_HEAD.unpack_from(value)[0])


def time_ms(timestamp: str) -> int:
    return int(datetime.fromisoformat(timestamp).timestamp() * 1000)


def dedup_text(message: dict[str, Any]) -> str:
    """Lead and body: what copies share. Titles are reworded from outlet to outlet."""
    return "\n".join(part for part in (message.get("lead"), message["body"]) if part)


def _live(state: DedupState, key: bytes | None, now_ms: int, window_ms: int) -> bytes | None:
    """The record of the article an index entry points to, if it is still in the window."""
    if key is None:
        return None
    record = state.articles.get(key)
    if record is None or now_ms - _record_time(record) > window_ms:
        return None
    return record


def _claim(
    index: Table, entry: bytes, owner: bytes, state: DedupState, now: int, window: int
) -> None:
    """First writer wins: the entry points at `owner` unless a live article already has it.
    Unchanged entries are not written again (each write is a changelog record)."""
    current = index.get(entry)
    if current == owner:
        return
    if current is None or _live(state, current, now, window) is None:
        index[entry] = owner


def assign(message: dict[str, Any], state: DedupState, config: DedupConfig) -> Assignment:
    """The story of one clean article, given every article before it; the state learns it."""
    article_id: str = message["id"]
    key = article_key(article_id)
    moment = time_ms(message["cleaned_at"])
    now = max(state.clock(), moment)
    window = config.window_s * 1000
    sig: Signature
    stored = state.articles.get(key)
    if stored is not None:
        # Seen before (a replay after a restart, or the same article sent again): the same
        # answer, and the index entries it wrote are written again if they were lost.
        _, banded, source, story, sig = decode_record(stored)
        result = Assignment(story, story == article_id, "id")
    else:
        items = shingles(dedup_text(message), config)
        banded = len(items) >= config.min_shingles
        sig = signature(items, config)
        source = source_key(message.get("source"))
        result = _match(message, sig, banded, source, state, config, now, window)
    for band in band_keys(sig, config) if banded else []:
        _claim(state.bands, band, key, state, now, window)
    _claim(state.hashes, hash_key(message["content_hash"]), key, state, now, window)
    if stored is None:
        # The record is written last: a recovered record means its index entries were written
        # before it, or are written again by the replay above.
        record = Record(moment, banded, source, result.story_id, sig)
        state.articles[key] = encode_record(record)
    state.watermark_ms = now
    return result


def _match(
    message: dict[str, Any],
    sig: Signature,
    banded: bool,
    source: bytes,
    state: DedupState,
    config: DedupConfig,
    now: int,
    window: int,
) -> Assignment:
    exact = _live(state, state.hashes.get(hash_key(message["content_hash"])), now, window)
    if exact is not None:
        return Assignment(decode_record(exact).story_id, False, "content_hash", 1.0)
    if banded:
        best: tuple[float, str] | None = None
        seen: set[bytes] = set()
        for band in band_keys(sig, config):
            owner = state.bands.get(band)
            if owner is None or owner in seen:
                continue
            seen.add(owner)
            record = _live(state, owner, now, window)
            if record is None:
                continue
            candidate = decode_record(record)
            similarity = float(np.count_nonzero(candidate.signature == sig)) / config.num_perm
            needed = (
                config.same_source_threshold if candidate.source == source else config.threshold
            )
            if similarity >= needed and (best is None or similarity > best[0]):
                best = (similarity, candidate.story_id)
        if best is not None:
            return Assignment(best[1], False, "minhash", best[0])
    return Assignment(message["id"], True)


def expired_keys(state: DedupState, config: DedupConfig) -> dict[str, list[bytes]]:
    """What has left the window, per mapping; deleting it changes no later decision."""
    now, window = state.clock(), config.window_s * 1000
    gone = {k for k, v in state.articles.items() if now - _record_time(v) > window}
    return {
        "articles": sorted(gone),
        "bands": [k for k, owner in state.bands.items() if owner in gone],
        "hashes": [k for k, owner in state.hashes.items() if owner in gone],
    }


def evict(state: DedupState, config: DedupConfig) -> int:
    """Drop what has left the window (index entries first, then the records)."""
    expired = expired_keys(state, config)
    for name in ("bands", "hashes", "articles"):
        table: Table = getattr(state, name)
        for key in expired[name]:
            del table[key]
    return len(expired["articles"])
