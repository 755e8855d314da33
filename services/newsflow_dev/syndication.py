"""A syndication evaluation set built from the third-party pages in ../shared/eval, and the
precision and recall of "same story" on it (`make eval`).

Stories (the originals, as published):
- article-extraction-benchmark: each page's HTML; its copies carry the page's gold body;
- news-fr-raw: each page's HTML; its copies carry what the cleaner extracts from that HTML, and
  one copy is the page's own naive text dump (a real second rendering of the same article);
- ner-en (CoNLL-2003 development split, Reuters): each document as a text dump.

Copies (positives) are put on another site: inside another real page's HTML (that page's
article paragraphs replaced) or inside another real text dump's navigation, teasers and footer,
then edited as outlets edit a dispatch: a reworded headline, the last paragraph cut (when the
article has four paragraphs or more and the last is at most a quarter of it), "read also"
teasers with other stories' titles, typographic quotes, other spacing and paragraphs run
together. A copy's source is the site whose template it wears.

Negatives are all pairs of different stories; the hard ones are counted apart:
- different articles on the same event: Reuters documents sharing three or more gold named
  entities;
- different articles of one site: the benchmark's pages from one site, and copies of different
  stories wearing one template (a few templates are shared by many copies on purpose).
Documents 192 and 193 of the Reuters file are two versions of one dispatch (same lead, body
rewritten; checked by reading) and are one story here.

Templates in which the cleaner cannot find an inserted article (checked with four probe
stories) are not used: they measure the cleaner, whose own evaluation covers them. Everything
else goes through the project's cleaner, as in the stream, and every article through
`newsflow.core.dedup.assign` in one seeded order.
"""

from __future__ import annotations

import gzip
import hashlib
import itertools
import json
import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

import lxml.html

from newsflow.core.cleaning import clean, normalize_unicode
from newsflow.core.dedup import DedupConfig, DedupState, assign
from newsflow.errors import RejectedArticle

TRANSFORMS = ("headline", "drop_last", "teasers", "quotes", "spacing")
# Reuters documents that are versions of one dispatch (by their position in the file).
SAME_DISPATCH = {"reuters:193": "reuters:192"}
_TEASERS = {
    "fr": ("Lire aussi : {}", "À lire aussi : {}", "LIRE AUSSI - {}", "Voir aussi : {}"),
    "en": ("Read more: {}", "RELATED: {}", "Also read: {}", "See also: {}"),
}
_HEADLINE_PREFIXES = {
    "fr": ("VIDÉO. ", "EN DIRECT - ", "INFO AFP - ", "Exclusif : "),
    "en": ("WATCH: ", "UPDATE - ", "Breaking: ", "EXCLUSIVE: "),
}
_WORDS = re.compile(r"\w+")


@dataclass
class Story:
    key: str
    title: str
    paragraphs: list[str]
    language: str
    original: dict[str, Any]
    site: str
    dump: str | None = None
    entities: frozenset[str] = field(default_factory=frozenset)


@dataclass
class Item:
    """One article of the stream: its raw input and the story it belongs to."""

    story: str
    kind: str  # "original", "dump" (the page's own text dump) or "copy"
    raw: dict[str, Any]
    transforms: tuple[str, ...] = ()
    template: str | None = None


# --------------------------------------------------------------------------- stories


def _page_title(page: str) -> str:
    tree = lxml.html.fromstring(page)
    for path in ("//h1", "//title"):
        found = [" ".join(e.text_content().split()) for e in tree.xpath(path)]
        found = [t for t in found if len(t.split()) >= 3]
        if found:
            return found[0]
    return ""


def _long_enough(paragraphs: list[str]) -> bool:
    return sum(len(p.split()) for p in paragraphs) >= 60


def benchmark_stories(root: Path) -> list[Story]:
    truth = json.loads((root / "ground-truth.json").read_text("utf-8"))
    stories = []
    for page_id, gold in sorted(truth.items()):
        page = gzip.decompress((root / "html" / f"{page_id}.html.gz").read_bytes()).decode(
            "utf-8", errors="replace"
        )
        paragraphs = [p.strip() for p in gold["articleBody"].split("\n") if p.strip()]
        if _long_enough(paragraphs):
            stories.append(
                Story(
                    key=f"aeb:{page_id}",
                    title=_page_title(page) or paragraphs[0][:80],
                    paragraphs=paragraphs,
                    language="en",
                    original={"html": page, "url": gold["url"]},
                    site=urlsplit(gold["url"]).netloc.removeprefix("www."),
                )
            )
    return stories


def news_fr_stories(root: Path) -> list[Story]:
    expected = json.loads(
        (root / "expected" / "trafilatura" / "evaldata-fr.json").read_text("utf-8")
    )
    stories = []
    for url, entry in sorted(expected.items()):
        html_path = root / "html" / "trafilatura" / entry["file"]
        dump_path = root / "text" / "trafilatura" / (Path(entry["file"]).stem + ".txt")
        if not html_path.exists():
            continue
        page = html_path.read_text("utf-8", errors="replace")
        try:
            article = clean({"html": page, "url": url}, min_words=1)
        except RejectedArticle:
            continue
        paragraphs = [p for p in (article.lead, *article.body.split("\n\n")) if p]
        if _long_enough(paragraphs):
            stories.append(
                Story(
                    key=f"fr:{entry['file']}",
                    title=article.title or paragraphs[0][:80],
                    paragraphs=paragraphs,
                    language="fr",
                    original={"html": page, "url": url},
                    site=urlsplit(url).netloc.removeprefix("www."),
                    dump=dump_path.read_text("utf-8", errors="replace")
                    if dump_path.exists()
                    else None,
                )
            )
    return stories


_DETOKENIZE = (
    (re.compile(r" ([.,;:!?%)\]}])"), r"\1"),
    (re.compile(r"([(\[{$]) "), r"\1"),
    (re.compile(r" (n't|'s|'re|'ve|'ll|'d|'m)\b"), r"\1"),
    (re.compile(r'" (.*?) "'), r'"\1"'),
)


def _detokenize(tokens: list[str]) -> str:
    text = " ".join(tokens)
    for pattern, replacement in _DETOKENIZE:
        text = pattern.sub(replacement, text)
    return text


def reuters_stories(path: Path) -> list[Story]:
    """CoNLL-2003 documents (each followed by its -DOCSTART- line): headline, sentences."""
    stories: list[Story] = []
    sentences: list[list[str]] = []
    tokens: list[str] = []
    entities: set[str] = set()
    entity: list[str] = []

    def close_entity() -> None:
        if entity:
            entities.add(" ".join(entity))
            entity.clear()

    for line in [*path.read_text("utf-8").splitlines(), ""]:
        if line.startswith("-DOCSTART-") or not line.strip():
            close_entity()
            if tokens:
                sentences.append(tokens)
                tokens = []
            if line.startswith("-DOCSTART-") and sentences:
                stories.append(_reuters_story(len(stories), sentences, frozenset(entities)))
                sentences, entities = [], set()
            continue
        word, _, _, tag = line.split(" ")
        tokens.append(word)
        if tag.startswith("B-") or tag == "O":
            close_entity()
        if tag != "O" and tag[2:] in {"PER", "LOC", "ORG"}:
            entity.append(word)
    return [s for s in stories if _long_enough(s.paragraphs)]


def _reuters_story(index: int, sentences: list[list[str]], entities: frozenset[str]) -> Story:
    headline = _detokenize(sentences[0]).rstrip(" .").capitalize()
    body = [_detokenize(s) for s in sentences[1:]]
    dateline = body[0] if body and re.search(r"\d{4}-\d\d-\d\d$", body[0]) else None
    paragraphs = body[1:] if dateline else body
    # Short wire sentences, two to a paragraph, as agencies lay them out.
    merged = [" ".join(paragraphs[i : i + 2]) for i in range(0, len(paragraphs), 2)]
    text = "\n\n".join([headline, *([dateline] if dateline else []), *merged])
    return Story(
        key=f"reuters:{index}",
        title=headline,
        paragraphs=merged,
        language="en",
        # Each on an outlet of its own: different articles on one event usually come from
        # different outlets, which is where the detector has only the text to tell them apart.
        original={"text": text, "url": f"https://outlet{index}.example/wire"},
        site=f"outlet{index}.example",
        entities=entities,
    )


# --------------------------------------------------------------------------- templates


@dataclass(frozen=True)
class DumpTemplate:
    name: str
    site: str
    before: list[str]
    after: list[str]

    def render(self, title: str, paragraphs: list[str]) -> dict[str, str]:
        return {"text": "\n\n".join([*self.before, title, *paragraphs, *self.after])}


@dataclass(frozen=True)
class HtmlTemplate:
    name: str
    site: str
    page: str

    def render(self, title: str, paragraphs: list[str]) -> dict[str, str]:
        tree = lxml.html.fromstring(self.page)
        container = max(
            tree.iter(), key=lambda e: sum(1 for c in e if isinstance(c.tag, str) and c.tag == "p")
        )
        old = [c for c in container if isinstance(c.tag, str) and c.tag == "p"]
        position = container.index(old[0]) if old else len(container)
        for element in old:
            container.remove(element)
        heading = lxml.html.Element("h1")
        heading.text = title
        new = [heading]
        for paragraph in paragraphs:
            element = lxml.html.Element("p")
            element.text = paragraph
            new.append(element)
        for offset, element in enumerate(new):
            container.insert(position + offset, element)
        for element in [*tree.xpath("//h1")[1:], *tree.xpath("//title")]:
            element.text = title
        return {"html": lxml.html.tostring(tree, encoding="unicode")}


Template = DumpTemplate | HtmlTemplate


def _line_key(line: str) -> str:
    return " ".join(_WORDS.findall(line.casefold()))


def dump_templates(stories: list[Story]) -> list[DumpTemplate]:
    """Real text dumps with their article lines taken out: navigation, teasers, footers. The
    article inside a dump is located with the text the cleaner extracts from the page's HTML."""
    templates = []
    for story in stories:
        if story.dump is None:
            continue
        content = " ".join(_line_key(p) for p in story.paragraphs)
        lines = [normalize_unicode(line) for line in story.dump.split("\n") if line.strip()]
        flags = [len(_line_key(x).split()) >= 4 and _line_key(x) in content for x in lines]
        if any(flags):
            first = flags.index(True)
            last = len(flags) - 1 - flags[::-1].index(True)
            templates.append(DumpTemplate(story.key, story.site, lines[:first], lines[last + 1 :]))
    return templates


def _shingle_set(text: str) -> set[tuple[str, ...]]:
    words = _WORDS.findall(text.casefold())
    return {tuple(words[i : i + 3]) for i in range(max(len(words) - 2, 1))}


def works(template: Template, probes: list[Story]) -> bool:
    """The cleaner finds an article inserted in this template: at least 80 % of its text, and
    its output is at least 80 % that text."""
    for probe in probes:
        try:
            article = clean(template.render(probe.title, probe.paragraphs), min_words=1)
        except RejectedArticle:
            return False
        got = _shingle_set("\n".join(p for p in (article.lead, article.body) if p))
        want = _shingle_set("\n".join(probe.paragraphs))
        if len(got & want) < 0.8 * len(want) or len(got & want) < 0.8 * len(got):
            return False
    return True


# --------------------------------------------------------------------------- edits


def _headline(title: str, language: str, rng: random.Random) -> str:
    words = title.split()
    choice = rng.randrange(3)
    if choice == 0:
        return rng.choice(_HEADLINE_PREFIXES[language]) + title
    if choice == 1 and len(words) > 5:
        return " ".join(words[: max(4, len(words) * 2 // 3)])
    return title.rstrip(".") + " | " + rng.choice(("AFP", "Reuters", "Belga", "ATS"))


def _quotes(text: str) -> str:
    text = re.sub(r'"([^"]+)"', lambda m: "« " + m.group(1) + " »", text)
    return text.replace("'", "’")


def _spacing(paragraphs: list[str], rng: random.Random) -> list[str]:
    out = [p.replace(" ", "  ", 2).replace(" :", "\u00a0:").replace(", ", " ,") for p in paragraphs]
    if len(out) >= 3:  # two paragraphs run together, as a careless re-layout does
        index = rng.randrange(len(out) - 1)
        out[index : index + 2] = [out[index] + " " + out[index + 1]]
    return out


def can_drop_last(paragraphs: list[str]) -> bool:
    words = [len(p.split()) for p in paragraphs]
    return len(words) >= 4 and words[-1] <= 0.25 * sum(words)


def edited(
    story: Story, transforms: tuple[str, ...], teasers: list[str], rng: random.Random
) -> tuple[str, list[str]]:
    title, paragraphs = story.title, list(story.paragraphs)
    if "headline" in transforms:
        title = _headline(title, story.language, rng)
    if "drop_last" in transforms:
        paragraphs = paragraphs[:-1]
    for teaser in teasers:
        line = rng.choice(_TEASERS[story.language]).format(teaser)
        paragraphs.insert(rng.randrange(1, len(paragraphs) + 1), line)
    if "quotes" in transforms:
        title, paragraphs = _quotes(title), [_quotes(p) for p in paragraphs]
    if "spacing" in transforms:
        paragraphs = _spacing(paragraphs, rng)
    return title, paragraphs


# --------------------------------------------------------------------------- the set


@dataclass
class SyndicationSet:
    items: list[Item]
    stories: dict[str, Story]
    templates: int


def build(data: Path, *, copies: int = 2, seed: int = 11, templates: int = 6) -> SyndicationSet:
    rng = random.Random(seed)
    bench = benchmark_stories(data / "article-extraction-benchmark")
    french = news_fr_stories(data / "news-fr-raw")
    reuters = reuters_stories(data / "ner-en" / "eng.testa")
    stories = [*bench, *french, *reuters]
    probes = [bench[0], bench[len(bench) // 2], reuters[0], reuters[len(reuters) // 2]]
    dumps = [t for t in dump_templates(french) if works(t, probes)]
    htmls = [
        t
        for t in (HtmlTemplate(s.key, s.site, s.original["html"]) for s in [*bench, *french])
        if works(t, probes)
    ]
    # A few templates shared by many copies: different stories in one site's furniture.
    rng.shuffle(dumps)
    rng.shuffle(htmls)
    pool: list[Template] = [*dumps[:templates], *htmls[:templates]]
    titles = [s.title for s in stories]
    items: list[Item] = []
    for story in stories:
        items.append(Item(story.key, "original", story.original))
        if story.dump is not None:
            # The same page at its print address: another id, as on a second outlet.
            url = story.original["url"] + "?output=print"
            items.append(Item(story.key, "dump", {"text": story.dump, "url": url}))
        for number in range(copies):
            chosen = [t for t in TRANSFORMS if rng.random() < 0.5]
            if "drop_last" in chosen and not can_drop_last(story.paragraphs):
                chosen.remove("drop_last")
            teasers = rng.sample(titles, 2) if "teasers" in chosen else []
            title, paragraphs = edited(story, tuple(chosen), teasers, rng)
            template = rng.choice([t for t in pool if t.name != story.key])
            digest = hashlib.sha256(f"{story.key}/{number}".encode()).hexdigest()[:16]
            raw = {**template.render(title, paragraphs), "url": f"https://{template.site}/{digest}"}
            items.append(Item(story.key, "copy", raw, tuple(chosen), template.name))
    return SyndicationSet(items, {s.key: s for s in stories}, len(pool))


def cleaned(items: list[Item]) -> list[dict[str, Any] | None]:
    out: list[dict[str, Any] | None] = []
    for item in items:
        try:
            out.append(clean(item.raw, min_words=1).to_message("2026-01-01T00:00:00Z"))
        except RejectedArticle:
            out.append(None)
    return out


# --------------------------------------------------------------------------- scores


@dataclass(frozen=True)
class PairScore:
    true_positives: int
    predicted: int
    actual: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.actual if self.actual else 1.0


@dataclass
class SyndicationReport:
    articles: int
    stories: int
    rejected: int
    pairs: PairScore
    hard_negatives: dict[str, tuple[int, int]]  # kind -> (pairs, wrongly merged)
    copies_found: dict[str, tuple[int, int]]  # transform or kind -> (found, copies)
    state_bytes: int


def _pairs(groups: dict[str, list[int]]) -> int:
    return sum(len(g) * (len(g) - 1) // 2 for g in groups.values())


def score(
    built: SyndicationSet,
    messages: list[dict[str, Any] | None],
    config: DedupConfig,
    order_seed: int = 7,
) -> SyndicationReport:
    items = built.items
    truth = [SAME_DISPATCH.get(item.story, item.story) for item in items]
    order = [i for i, m in enumerate(messages) if m is not None]
    random.Random(order_seed).shuffle(order)  # a copy may arrive before its original
    state = DedupState.in_memory()
    predicted: dict[int, str] = {}
    for step, index in enumerate(order):
        # One article a second: the whole set is well inside the time window.
        stamp = f"2026-01-01T{step // 3600:02d}:{step // 60 % 60:02d}:{step % 60:02d}Z"
        message = {**cast(dict[str, Any], messages[index]), "cleaned_at": stamp}
        predicted[index] = assign(message, state, config).story_id
    by_predicted: defaultdict[str, list[int]] = defaultdict(list)
    by_truth: defaultdict[str, list[int]] = defaultdict(list)
    for index, story in predicted.items():
        by_predicted[story].append(index)
        by_truth[truth[index]].append(index)
    tp = sum(
        n * (n - 1) // 2
        for members in by_predicted.values()
        for n in Counter(truth[i] for i in members).values()
    )

    def same(i: int, j: int) -> bool:
        return predicted[i] == predicted[j]

    hard = {
        kind: (len(pairs), sum(same(i, j) for i, j in pairs))
        for kind, pairs in _hard_negatives(built, truth, set(predicted)).items()
    }
    found: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0])
    originals = {truth[i]: i for i in predicted if items[i].kind == "original"}
    for index in predicted:
        item = items[index]
        original = originals.get(truth[index])
        if item.kind == "original" or original is None:
            continue
        hit = same(index, original)
        labels = [item.kind] if item.kind == "dump" else ["all copies", *item.transforms]
        if item.kind == "copy":
            labels.append("in HTML" if "html" in item.raw else "in a text dump")
        for label in labels:
            found[label][0] += hit
            found[label][1] += 1
    return SyndicationReport(
        articles=len(predicted),
        stories=len(by_truth),
        rejected=len(items) - len(predicted),
        pairs=PairScore(tp, _pairs(by_predicted), _pairs(by_truth)),
        hard_negatives=hard,
        copies_found={k: (v[0], v[1]) for k, v in found.items()},
        state_bytes=sum(
            len(k) + len(v)
            for table in (state.articles, state.bands, state.hashes)
            for k, v in table.items()
        ),
    )


def _hard_negatives(
    built: SyndicationSet, truth: list[str], kept: set[int]
) -> dict[str, list[tuple[int, int]]]:
    items = built.items
    by_site: defaultdict[str, list[int]] = defaultdict(list)
    by_template: defaultdict[str, list[int]] = defaultdict(list)
    reuters = []
    for index in sorted(kept):
        item = items[index]
        story = built.stories[item.story]
        if item.kind == "original" and not item.story.startswith("reuters:"):
            by_site[story.site].append(index)
        if item.template:
            by_template[item.template].append(index)
        if item.story.startswith("reuters:"):
            reuters.append(index)

    def different(groups: dict[str, list[int]]) -> list[tuple[int, int]]:
        return [
            (i, j)
            for members in groups.values()
            for i, j in itertools.combinations(members, 2)
            if truth[i] != truth[j]
        ]

    same_event = [
        (i, j)
        for i, j in itertools.combinations(reuters, 2)
        if truth[i] != truth[j]
        and len(built.stories[items[i].story].entities & built.stories[items[j].story].entities)
        >= 3
    ]
    return {
        "same event (Reuters, 3+ shared entities)": same_event,
        "same site (benchmark pages of one site)": different(by_site),
        "same template (copies in one site's furniture)": different(by_template),
    }
