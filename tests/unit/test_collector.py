"""The collector's readers: every input shape to raw messages, or a rejection with a reason."""

from __future__ import annotations

from pathlib import Path

from newsflow.core.ids import article_id
from newsflow.core.readers import Rejected, complete, prepare, read_document, read_path

FIXTURES = Path(__file__).parents[1] / "fixtures"
NOW = "2026-01-01T00:00:00Z"


def test_plain_text_file() -> None:
    [item] = list(read_path(FIXTURES / "sample_article.txt"))
    assert isinstance(item, dict)
    assert item["text"].startswith("Rechercher")


def test_json_lines_keep_their_metadata() -> None:
    items = list(read_path(FIXTURES / "articles.jsonl"))
    assert len(items) == 2
    message = complete(items[0], None, NOW)  # type: ignore[arg-type]
    assert message["id"] == article_id("https://example.org/2016/12/08/geneve-pourparlers", None)
    assert message["published_at"] == "2016-12-08T13:00:00Z"
    assert message["source"] == "example.org"
    assert message["collected_at"] == NOW


def test_rss_feed_entries_become_articles_and_empty_ones_are_rejected() -> None:
    items = list(read_path(FIXTURES / "feed.rss"))
    articles = [i for i in items if isinstance(i, dict)]
    rejected = [i for i in items if isinstance(i, Rejected)]
    assert len(articles) == 1
    assert articles[0]["title"] == "La Commission européenne présente son plan pour le climat"
    assert "von der Leyen" in articles[0]["html"]
    message = complete(articles[0], None, NOW)
    assert message["source"] == "news.example.net"
    assert message["published_at"] == "2019-12-11T08:30:00Z"
    assert [r.reason for r in rejected] == ["feed entry has no content or summary"]


def test_folders_are_read_recursively(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "one.txt").write_text("Premier article, assez long pour compter.")
    (tmp_path / "two.html").write_text("<html><body><p>Deuxième</p></body></html>")
    items = list(read_path(tmp_path))
    assert [("text" in i, "html" in i) for i in items if isinstance(i, dict)] == [
        (True, False),
        (False, True),
    ]


def test_stdin_like_documents_are_sniffed() -> None:
    assert "html" in next(iter(read_document(b"<!doctype html><p>x</p>", "stdin")))  # type: ignore[operator]
    assert "text" in next(iter(read_document(b"Un texte", "stdin")))  # type: ignore[operator]
    assert next(iter(read_document(b'{"text": "x"}\n', "stdin"))) == {"text": "x"}


def test_bad_inputs_are_rejected_with_reasons() -> None:
    items = list(read_document(b'{"text": "ok"}\n{broken\n[1]\n', "in.jsonl", "jsonl"))
    reasons = [i.reason for i in items if isinstance(i, Rejected)]
    assert reasons[0].startswith("invalid JSON")
    assert reasons[1] == "a JSON Lines article must be an object"
    assert isinstance(next(iter(read_document(b"\xff\xfe", "x"))), Rejected)
    bad = prepare({"title": "no text"}, "x.jsonl:1", None, NOW)
    assert isinstance(bad, Rejected)
    assert "an article id needs a URL or some text" in bad.reason or "schema" in bad.reason
