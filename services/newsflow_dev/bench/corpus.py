"""The benchmark's workload: real pages from `../shared/eval`, read at run time, made unique.

Four kinds in equal shares, cycled so any prefix of the corpus keeps the proportions:
- French text dumps (news-fr-raw `text/`, one line per block element, menus and footers left in);
- French HTML pages (news-fr-raw `html/`);
- English HTML pages (article-extraction-benchmark, mostly English);
- English text dumps made from those pages the same naive way (`html_to_lines`).

So half the articles are French and half English, half text dumps and half HTML. Each copy gets
its own id and a sentence with its number inside the page's longest paragraph, so no two
articles have the same text or content hash (dedup, if any, sees syndicated copies).
"""

from __future__ import annotations

import gzip
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from newsflow.core.cleaning.dump import html_to_lines as dump_lines
from newsflow.errors import ConfigError

Kind = Literal["text", "html"]

_PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_SENTENCE = {
    "fr": " Cette dépêche porte le numéro {n} de la série.",
    "en": " This dispatch carries number {n} in the series.",
}


@dataclass(frozen=True)
class Page:
    """One page of the evaluation data, as the pipeline would receive it."""

    name: str
    language: str
    kind: Kind
    content: str
    # Where the distinguishing sentence goes: the end of the longest paragraph.
    insert_at: int


@dataclass(frozen=True)
class Corpus:
    articles: list[dict[str, Any]]
    # "fr text" -> how many articles of that kind.
    shares: dict[str, int]


def html_to_lines(document: str) -> str:
    """A naive text dump of an HTML page: one line per block element, as the cleaner's own
    converter writes it (the one its line model is trained on)."""
    return "\n".join(dump_lines(document))


def insertion_point(content: str, kind: Kind) -> int:
    """Offset just after the longest paragraph's text: a line of a dump, a <p> of a page."""
    if kind == "text":
        best_end, best_length, position = len(content), -1, 0
        for line in content.split("\n"):
            end = position + len(line)
            if len(line.strip()) > best_length:
                best_end, best_length = end, len(line.strip())
            position = end + 1
        return best_end
    best_end, best_length = -1, -1
    for match in _PARAGRAPH.finditer(content):
        length = len(" ".join(_TAG.sub(" ", match.group(1)).split()))
        if length > best_length:
            best_end, best_length = match.end(1), length
    if best_end < 0:  # no <p>: before </body>, else at the end
        body = content.lower().rfind("</body")
        return body if body >= 0 else len(content)
    return best_end


def make_unique(page: Page, number: int, run: str) -> dict[str, Any]:
    """A raw message for copy `number` of a page: its own id and its own sentence."""
    sentence = _SENTENCE[page.language].format(n=number)
    content = page.content[: page.insert_at] + sentence + page.content[page.insert_at :]
    article_id = hashlib.sha256(f"bench-{run}-{number}".encode()).hexdigest()[:32]
    return {
        "id": article_id,
        page.kind: content,
        "source": f"bench-{page.language}-{page.kind}",
        "url": f"https://bench.invalid/{page.language}/{page.kind}/{page.name}?copy={number}",
    }


def build(pages_by_kind: Sequence[Sequence[Page]], articles: int, run: str) -> Corpus:
    """`articles` raw messages cycling over the kinds, and over each kind's pages."""
    kinds = [pages for pages in pages_by_kind if pages]
    if not kinds:
        raise ConfigError("no pages to build the benchmark corpus from")
    result: list[dict[str, Any]] = []
    shares: dict[str, int] = {}
    for number in range(articles):
        pages = kinds[number % len(kinds)]
        page = pages[(number // len(kinds)) % len(pages)]
        result.append(make_unique(page, number, run))
        label = f"{page.language} {page.kind}"
        shares[label] = shares.get(label, 0) + 1
    return Corpus(result, shares)


def _page(name: str, language: str, kind: Kind, content: str) -> Page:
    return Page(name, language, kind, content, insertion_point(content, kind))


def _read(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return data.decode("utf-8", errors="replace")


def require_data(eval_dir: Path) -> None:
    """Fail with the fix when the evaluation data is not there."""
    if not (
        (eval_dir / "news-fr-raw").is_dir()
        and (eval_dir / "article-extraction-benchmark" / "html").is_dir()
    ):
        raise ConfigError(
            f"the benchmark reads real pages from {eval_dir} (news-fr-raw and "
            "article-extraction-benchmark), which is missing: put the shared evaluation data "
            "there or run `make bench EVAL_DATA=DIR`"
        )


def load_pages(eval_dir: Path) -> list[list[Page]]:
    """The four kinds of pages, in a fixed order: French text, French HTML, English HTML,
    English text."""
    require_data(eval_dir)
    french = eval_dir / "news-fr-raw"
    english = eval_dir / "article-extraction-benchmark" / "html"
    french_text = [
        _page(p.stem, "fr", "text", _read(p))
        for p in sorted((french / "text" / "trafilatura").glob("*.txt"))
    ]
    french_html = [
        _page(p.stem, "fr", "html", _read(p))
        for p in sorted((french / "html" / "trafilatura").glob("*.html"))
    ]
    english_html = [
        _page(p.name.split(".")[0], "en", "html", _read(p)) for p in sorted(english.glob("*.gz"))
    ]
    english_text = [
        _page(p.name, "en", "text", text)
        for p in english_html
        if (text := html_to_lines(p.content))
    ]
    return [french_text, french_html, english_html, english_text]
