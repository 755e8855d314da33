"""Stable article ids and timestamps, shared by the collector and the cleaner."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import courlan

_SPACES = re.compile(r"\s+")


_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|xtor|at_medium|at_campaign)$", re.I)


def canonical_url(url: str) -> str:
    """Lower-cased scheme and host, sorted query, no fragment, no tracking parameters."""
    parts = urlsplit(str(courlan.normalize_url(url.strip(), strict=False)))
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)
    ]
    return urlunsplit(
        (parts.scheme, parts.netloc, parts.path.rstrip("/") or "/", urlencode(query), "")
    )


def normalized_text(text: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def article_id(url: str | None, text: str | None) -> str:
    """Same article, same id: from the canonical URL, else from the normalised text."""
    if url and url.strip():
        basis = "url:" + canonical_url(url)
    elif text and text.strip():
        basis = "text:" + normalized_text(text)
    else:
        raise ValueError("an article id needs a URL or some text")
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:32]


def content_hash(text: str) -> str:
    return hashlib.sha256(normalized_text(text).encode("utf-8")).hexdigest()


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def to_utc_iso(value: str | datetime | None) -> str | None:
    """Any ISO-8601-ish date to an RFC 3339 UTC string; naive dates are taken as UTC."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        text = value.strip().replace("Z", "+00:00")
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            from email.utils import parsedate_to_datetime

            try:
                moment = parsedate_to_datetime(value)
            except (TypeError, ValueError):
                return None
    else:
        moment = value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
