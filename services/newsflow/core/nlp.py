"""The enricher's core: language detection and named entities, a batch at a time.

Models are loaded once per process (lingua's detector and one spaCy pipeline per configured
language, with only the NER component), and every batch goes through `nlp.pipe`, in chunks of
bounded size: spaCy's working memory grows with the text of a batch, not with its count.
The mentions of each text are then normalised with the rules of its language.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import lingua
import spacy
from spacy.language import Language

from newsflow.core.entities import CATEGORIES, ArticleEntities, Mention, normalize_mentions
from newsflow.errors import ConfigError

UNDETERMINED = "und"
# Characters of text per `nlp.pipe` call: with French and English loaded and the language
# detector, a 50,000-character chunk keeps the process under 900 MB on long articles.
MAX_CHUNK_CHARS = 50_000
# Characters of a text that language detection reads.
DETECTION_CHARS = 1000
# Components other than NER that French and English spaCy pipelines ship; NER in these models
# has its own tok2vec, so they are not even loaded.
_NOT_NER = (
    "tok2vec",
    "morphologizer",
    "tagger",
    "parser",
    "attribute_ruler",
    "lemmatizer",
    "senter",
    "sentencizer",
    "trainable_lemmatizer",
)


@functools.cache
def load_ner_model(name: str) -> Language:
    try:
        return spacy.load(name, exclude=list(_NOT_NER))
    except OSError as exc:
        raise ConfigError(f"spaCy model {name!r} is not installed: {exc}") from exc
    except ValueError:
        # NER listens to a shared embedding layer in this model: keep that layer too.
        nlp = spacy.load(name)
        keep = {"ner", "tok2vec", "transformer"}
        nlp.select_pipes(enable=[p for p in nlp.pipe_names if p in keep])
        return nlp


@functools.cache
def _detector(languages: tuple[str, ...]) -> lingua.LanguageDetector:
    try:
        codes = [getattr(lingua.IsoCode639_1, code.upper()) for code in languages]
    except AttributeError as exc:
        raise ConfigError(f"unknown ISO 639-1 language code in {languages}") from exc
    # Low-accuracy mode (trigram models only) reads articles as well as the full models do, at
    # a tenth of the memory (about 20 MB instead of 200 MB for seven languages).
    return (
        lingua.LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
        .with_preloaded_language_models()
        .with_low_accuracy_mode()
        .build()
    )


@dataclass(frozen=True)
class Enrichment:
    language: str
    language_confidence: float
    entities: ArticleEntities
    ner_model: str | None

    def fields(self, with_mentions: bool = False) -> dict[str, Any]:
        by_label = {label: self.entities.names(label) for label in CATEGORIES}
        return {
            "language": self.language,
            "language_confidence": round(self.language_confidence, 4),
            "persons": by_label["person"],
            "locations": by_label["location"],
            "organizations": by_label["organization"],
            "misc": by_label["misc"],
            "entities": [e.as_dict(with_mentions) for e in self.entities.entities],
            "ner_model": self.ner_model,
        }


class Enricher:
    """Holds the loaded models; `enrich` takes a batch of texts and returns one result each."""

    def __init__(
        self,
        models: Mapping[str, str],
        languages: Sequence[str],
        min_confidence: float = 0.2,
        batch_size: int = 32,
        max_chunk_chars: int = MAX_CHUNK_CHARS,
    ) -> None:
        self.models = dict(models)
        self.languages = tuple(sorted(set(languages) | set(models)))
        self.min_confidence = min_confidence
        self.batch_size = batch_size
        self.max_chunk_chars = max_chunk_chars
        self.detector = _detector(self.languages)
        self.pipelines = {lang: load_ner_model(name) for lang, name in self.models.items()}

    def detect(self, texts: Sequence[str]) -> list[tuple[str, float]]:
        results: list[tuple[str, float]] = []
        # The language is settled well within the first characters (title and lead first); the
        # cost of detection grows with the length read.
        prefixes = [text[:DETECTION_CHARS] for text in texts]
        for values in self.detector.compute_language_confidence_values_in_parallel(prefixes):
            best = values[0] if values else None
            if best is None or best.value < self.min_confidence:
                results.append((UNDETERMINED, best.value if best else 0.0))
            else:
                results.append((best.language.iso_code_639_1.name.lower(), best.value))
        return results

    def enrich(
        self, texts: Sequence[str], hints: Sequence[str | None] | None = None
    ) -> list[Enrichment]:
        detected = self.detect(texts)
        if hints is not None:  # a language given at collection time wins when we have its model
            detected = [
                (h, 1.0) if h in self.pipelines else d for h, d in zip(hints, detected, strict=True)
            ]
        by_language: dict[str, list[int]] = defaultdict(list)
        for index, (language, _) in enumerate(detected):
            by_language[language].append(index)
        mentions: dict[int, list[Mention]] = {}
        for language, indices in by_language.items():
            nlp = self.pipelines.get(language)
            if nlp is None:
                continue
            for chunk in _chunks(indices, texts, self.max_chunk_chars):
                docs = nlp.pipe((texts[i] for i in chunk), batch_size=self.batch_size)
                for index, doc in zip(chunk, docs, strict=True):
                    mentions[index] = [
                        Mention(e.text, e.label_, e.start_char, e.end_char) for e in doc.ents
                    ]
        return [
            Enrichment(
                language,
                confidence,
                normalize_mentions(mentions.get(i, []), texts[i], language),
                self.models.get(language),
            )
            for i, (language, confidence) in enumerate(detected)
        ]


def _chunks(indices: Sequence[int], texts: Sequence[str], max_chars: int) -> list[list[int]]:
    """Consecutive texts, at most `max_chars` characters a chunk (a longer text alone)."""
    chunks: list[list[int]] = []
    size = 0
    for index in indices:
        if not chunks or (size + len(texts[index]) > max_chars and chunks[-1]):
            chunks.append([])
            size = 0
        chunks[-1].append(index)
        size += len(texts[index])
    return chunks
