"""Entity normalisation within one article: the enricher's pure core after spaCy.

spaCy gives mentions; a reader wants entities. Within an article, "Lavrov", "M. Lavrov" and
"Sergueï Lavrov" are one person, "Sergueï Lavrov", mentioned three times; "ministre russe des
Affaires étrangères" is a job title, not an organisation; "Rechercher" is a menu item.

The model's spans are first repaired from the analysed text: one that runs over a line break, a
bracket or a score is cut, one cut short after a connector is completed ("... la coopération
en" + "Europe"), titles, determiners and possessives are dropped and abbreviations keep their
full stops. The article is then made consistent: a name has one label, decided by its longest,
best-attested form; a surname is its person; an acronym is its expansion; and a recognised name
is a mention wherever it occurs, also where the model missed it.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from newsflow.core.entity_vocabulary import PAGE_NAMES, EntityVocabulary, entity_vocabulary
from newsflow.core.vocabulary import NAVIGATION

PERSON, LOCATION, ORGANIZATION, MISC = "person", "location", "organization", "misc"
CATEGORIES = (PERSON, LOCATION, ORGANIZATION, MISC)
# When mentions of one entity disagree and the votes tie, the more specific label wins.
_PRIORITY = {PERSON: 0, ORGANIZATION: 1, LOCATION: 2, MISC: 3}

# spaCy label schemes: French/WikiNER (PER LOC ORG MISC) and OntoNotes (English models).
LABELS = {
    "PER": PERSON,
    "PERSON": PERSON,
    "LOC": LOCATION,
    "GPE": LOCATION,
    "FAC": LOCATION,
    "ORG": ORGANIZATION,
    "NORP": MISC,
    "MISC": MISC,
    "EVENT": MISC,
    "PRODUCT": MISC,
    "WORK_OF_ART": MISC,
    "LAW": MISC,
    "LANGUAGE": MISC,
}
# Labels back to the evaluation's types.
SHORT_LABEL = {PERSON: "PER", LOCATION: "LOC", ORGANIZATION: "ORG", MISC: "MISC"}

# Punctuation that never starts or ends a name. A final full stop is handled apart: it belongs
# to abbreviations ("U.S.", "AMR Corp."), which the tokenizer keeps in one token.
_EDGE = "\"'«»“”‘’()[]{}<>,;:!?-–—/\\|*•·+=#~_ \t\r\n"
# Where one span holds several names: line breaks, brackets, spaced dashes, semicolons.
_SEPARATOR = re.compile(r"\s*\n\s*|\s*[()\[\]{};|]\s*|\s+[-–—:]+\s+|\s+[-–—]{2,}\s*")
_COMMA = re.compile(r"\s*,\s+")
_LIST_END = re.compile(r" (?:and|et|&) [A-Z]")
_WORD = re.compile(r"\S+")
# A token without letters: a number, a score, a date ("4-28", "1996-08-30", "+48").
_NUMERIC = re.compile(r"[^\w]*\d[\d\W]*")
_ACRONYM = re.compile(r"(?:[A-Z]\.){2,}|[A-Z][A-Z0-9&]{1,7}|[A-Z][a-z]?[A-Z][A-Za-z]{0,5}")
_SHORT_ACRONYM = re.compile(r"[A-Z][a-z]{1,5}")
_NEXT_WORD = re.compile(r"(\s?)([^\W\d_][\w'’-]*\.?)")
_POSSESSIVE = re.compile(r"\s?['’]s$")
_ELIDED = re.compile(r"[ldLD]['’](?=\w)")
_DANGLING_ELISION = re.compile(r"(^|-)\w['’]$")
_EXPANSION_AFTER = re.compile(r"\s*\(([^()\n]{3,150})\)")
_LINE = re.compile(r"[^\n]+")
_GLUED_SUFFIX = re.compile(r"['’]\w\w")
_WORD_AFTER = re.compile(r" ([^\W\d_]\S*)")
_WORD_BEFORE = re.compile(r"([^\W\d_]\S*) $")
_PREVIOUS_WORD = re.compile(r"(\w+['’]?)\s*$")
_SENTENCE_END = re.compile(r"[.!?:]\s*$")
# A wire dateline: a place in capitals at the start of a line, then a date, a comma or the
# agency ("LONDON 1996-08-30", "PARIS, 25 nov (AFP) -", "NICE , France").
_DATELINE = re.compile(
    r"^([A-Z][A-Z'’.-]+(?:[ -][A-Z][A-Z'’.-]+){0,3})"
    r"(?=\s?,\s?(?:[A-Za-z(]|\d\d? )|\s\(|\s\d{4}-\d\d-\d\d)",
    re.MULTILINE,
)
_INITIAL = re.compile(r"\w\.")
_MAX_REPAIR_WORDS = 4


@dataclass(frozen=True)
class Mention:
    """One span as the NER model found it, with character offsets in the analysed text."""

    text: str
    label: str
    start: int
    end: int


@dataclass
class Entity:
    name: str
    label: str
    count: int
    forms: list[str]
    # Where the entity is mentioned, with offsets into the analysed text.
    mentions: list[Mention] = field(default_factory=list)

    def as_dict(self, with_mentions: bool = False) -> dict[str, Any]:
        item: dict[str, Any] = {
            "name": self.name,
            "label": self.label,
            "count": self.count,
            "forms": self.forms,
        }
        if with_mentions:
            item["mentions"] = [
                {"start": m.start, "end": m.end, "text": m.text}
                for m in sorted(self.mentions, key=lambda m: m.start)
            ]
        return item


@dataclass
class ArticleEntities:
    entities: list[Entity]
    # The mentions that survived, trimmed and relabelled: what the normalisation is scored on.
    mentions: list[Mention] = field(default_factory=list)

    def names(self, label: str) -> list[str]:
        """The canonical names of one label, each followed by its acronym when the article links
        one to it: readers search "OSCE" as often as the name it stands for."""
        names: list[str] = []
        for entity in self.entities:
            if entity.label != label:
                continue
            names.append(entity.name)
            names.extend(f for f in entity.forms if _is_acronym(f) and f != entity.name)
        return list(dict.fromkeys(names))


def _is_acronym(form: str) -> bool:
    letters = form.replace(".", "")
    return 2 <= len(letters) <= 10 and letters.isalpha() and letters.isupper() and " " not in form


@dataclass(frozen=True)
class _Span:
    """A mention being normalised: offsets in the text, its category and where it came from."""

    start: int
    end: int
    category: str
    surface: str  # as the model wrote it, for the entity's forms
    found: bool = True  # False: an occurrence the model missed, added from the text
    honorific: bool = False  # introduced by a courtesy title: a person for sure
    weak: bool = False  # cut out of a span that held several names: its label may be another's


@functools.lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    """Key for "the same name": case, accents, full stops and hyphen/space differences ignored."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[-‐'’]", " ", stripped.replace(".", "")).split())


def _bare(word: str) -> str:
    return word.casefold().rstrip(".")


def _words(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _WORD.finditer(text, start, end)]


def _is_capitalised(word: str) -> bool:
    word = word.lstrip(_EDGE)
    return bool(word) and word[0].isupper()


# --------------------------------------------------------------------------- one span


def _pieces(
    mention: Mention, text: str, vocab: EntityVocabulary
) -> tuple[list[tuple[int, int]], bool]:
    """Cut a span where it holds several names; returns the pieces and whether it was cut at a
    separator.

    Only the first piece of a span cut at a line break, a bracket, a comma or a dash is kept:
    the model saw the rest as part of that name, not as names. A span cut at numbers ("Haitai 2
    Samsung 0") is a list of names of one kind, and every piece is kept.
    """
    start, end = mention.start, mention.end
    first_end = end
    for m in _SEPARATOR.finditer(text, start, end):
        first_end = min(first_end, m.start())
        break
    for m in _COMMA.finditer(text, start, first_end):
        following = text[m.end() : end].split(" ", 1)[0]
        listed = _LIST_END.search(text, m.end(), first_end)  # "Council on Energy, ... and Water"
        if _bare(following) not in vocab.company_suffixes and not (
            listed and LABELS.get(mention.label) == ORGANIZATION
        ):
            first_end = m.start()
            break
    pieces: list[tuple[int, int]] = []
    piece_start = start
    words = _words(text, start, first_end)
    for index, (a, b) in enumerate(words):
        if 0 < index < len(words) - 1 and _NUMERIC.fullmatch(text, a, b):
            if piece_start < a:
                pieces.append((piece_start, a))
            piece_start = b
    pieces.append((piece_start, first_end))
    return [(a, b) for a, b in pieces if a < b], first_end < end


def _strip_edges(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _EDGE:
        start += 1
    while start < end:
        last = text[end - 1]
        if last in _EDGE:
            end -= 1
        elif last == "." and (end - 1 == start or not text[end - 2].isalnum()):
            end -= 1  # " ." : punctuation, not an abbreviation
            while end > start and text[end - 1] == ".":
                end -= 1  # "Rome...": an ellipsis
        else:
            break
    return start, end


def _sentence_initial(text: str, start: int) -> bool:
    before = text[max(0, start - 3) : start]
    return start == 0 or "\n" in before or bool(_SENTENCE_END.search(before))


def _numbered_name(text: str, end: int, category: str) -> bool:
    """ "Interstate 95", "France 2": a short number ends a place or an organisation's name,
    unless a score follows or the line goes on with another name, as in a results table.
    """
    number = text[:end].rsplit(" ", 1)[-1]
    if category not in (LOCATION, ORGANIZATION) or not (number.isdigit() and len(number) <= 3):
        return False
    after = text[end : end + 20].lstrip(" \t")[:1]
    return not after.isdigit() and not after.isupper()


def _trim(
    text: str, start: int, end: int, category: str, vocab: EntityVocabulary, table: bool = False
) -> tuple[int, int, bool]:
    """Strip what surrounds a name: punctuation, titles, determiners, numbers, possessives.

    Returns the new offsets and whether a courtesy title introduced the name.
    """
    honorific = False
    while True:
        start, end = _strip_edges(text, start, end)
        words = _words(text, start, end)
        if not words:
            return start, start, honorific
        first = text[words[0][0] : words[0][1]]
        last = text[words[-1][0] : words[-1][1]]
        several = len(words) > 1
        second = text[words[1][0] : words[1][1]] if several else ""
        if several and _bare(first) in vocab.honorifics:
            honorific = True
            start = words[1][0]
            continue
        if (
            several
            and _bare(first) in vocab.person_titles
            and (category == PERSON or honorific)
            and (_is_capitalised(second) or _bare(second) in vocab.person_titles)
            and (
                first.islower() or not vocab.titles_in_lower_case or _sentence_initial(text, start)
            )
        ):
            # "President Clinton", "Prime Minister John Major", "saint Honoré", "Premier
            # ministre Andrej Babiš" at the start of a sentence; not "Saint Exupéry".
            start = words[1][0]
            continue
        if several and first in vocab.articles:  # lower case only: "La Haye" keeps its article
            start = words[1][0]
            continue
        if len(words) > 2 and first.casefold() in vocab.capitalised_articles:
            start = words[1][0]
            continue
        if several and category != PERSON and first in vocab.prepositions:
            start = words[1][0]
            continue
        if (
            _ELIDED.match(first)
            and text[start + 2].isupper()
            and (category != PERSON or first[0] in "lL")
        ):
            start += 2  # "l'OSCE", "d'Arc-et-Senans"; a person keeps it: "d'Alembert"
            continue
        if vocab.possessive and (m := _POSSESSIVE.search(text, start, end)):
            end = m.start()
            continue
        if (
            several
            and _NUMERIC.fullmatch(last)
            and (table or not _numbered_name(text, end, category))
        ):
            end = words[-1][0]
            continue
        if several and _NUMERIC.fullmatch(first):
            start = words[1][0]
            continue
        if (
            several
            and vocab.lowercase_tail_dropped
            and last.isalpha()
            and last.islower()
            and last not in vocab.connectors
        ):
            end = words[-1][0]  # "PAP news agency", "Jiangsu province"
            continue
        return start, end, honorific


def _repair(text: str, start: int, end: int, vocab: EntityVocabulary) -> tuple[int, int]:
    """Complete a name the model cut after a connector ("... la coopération en" + "Europe").

    The following words of the same line are taken while they are connectors, up to a
    capitalised word; without one, the dangling connectors are dropped instead.
    """
    words = _words(text, start, end)
    if len(words) < 2 or not vocab.connectors:
        return start, end

    def dangling(word: str) -> bool:
        return word.casefold() in vocab.connectors or bool(_DANGLING_ELISION.search(word))

    if not dangling(text[words[-1][0] : words[-1][1]]):
        return start, end
    position = end
    for _ in range(_MAX_REPAIR_WORDS):
        glued = text[position - 1] in "'’"
        m = _NEXT_WORD.match(text, position)
        if m is None or m.group(1) != ("" if glued else " "):
            break
        word = m.group(2).rstrip(".")
        position = m.start(2) + len(word)
        if word[0].isupper():
            return start, position
        if not dangling(word):
            break
    while len(words) > 1 and dangling(text[words[-1][0] : words[-1][1]]):
        words.pop()
    return start, words[-1][1]


def _is_demonym(text: str, start: int, end: int, vocab: EntityVocabulary) -> bool:
    """ "un Belfortain", "l'Uruguayen": an inhabitant, neither a place nor a person's name."""
    word = text[start:end].casefold()
    if not vocab.demonym_endings or " " in word or not word.endswith(vocab.demonym_endings):
        return False
    previous = _PREVIOUS_WORD.search(text, max(0, start - 30), start)
    if previous is None:
        return False
    determiner = previous.group(1)
    if not determiner.islower():  # "Les Républicains" is a party, "Un Belfortain" a man
        if not _sentence_initial(text, previous.start(1)):
            return False
        determiner = determiner.casefold()
    if determiner in vocab.demonym_determiners:
        return True
    # After a bare article only the endings of people: "l'Uruguayen"; not "l'Ornain" (a river)
    # or "le Vendômois" (a region).
    return determiner in vocab.articles and word.endswith(vocab.person_demonym_endings)


def _name_shaped(name: str) -> bool:
    """Two capitalised words or more, not a line of capitals: "Sami Aboudi", not "ATHLETICS"."""
    words = name.split()
    return len(words) >= 2 and not name.isupper() and sum(map(_is_capitalised, words)) >= 2


def is_junk(text: str, vocab: EntityVocabulary | None = None) -> bool:
    """Not a name: menu words, numbers, initials, lower-case phrases such as job titles."""
    vocab = vocab or entity_vocabulary("")
    if len(text) < 2 or not any(c.isalpha() for c in text):
        return True
    if "\n" in text or text.casefold() in NAVIGATION or text.casefold() in PAGE_NAMES:
        return True
    if not any(c.isupper() for c in text):
        return True
    words = text.split()
    first = words[0]
    if len(words) == 1 and (
        _INITIAL.fullmatch(first) or _bare(first) in vocab.honorifics or first in vocab.articles
    ):
        return True  # an initial ("K."), a title or a determiner alone
    if first.casefold() in vocab.role_nouns and (
        words[1][:1].islower() if len(words) > 1 else vocab.titles_in_lower_case
    ):
        # "Premier ministre", "Ministre de la Culture", "Président" alone are job titles; in
        # English a capitalised one alone is a surname too ("King", "Major").
        return True
    if first[:1].islower() and not any(c.isupper() for c in first):  # "eBay", "iPhone" stay
        # "rue de la Paix", "place Ferrer", "de Gaulle" are names; "porte-parole de la Maison
        # Blanche" is a job title.
        return first.casefold() in vocab.role_nouns
    return False


def _spans(mentions: Iterable[Mention], text: str, vocab: EntityVocabulary) -> list[_Span]:
    spans: list[_Span] = []
    for mention in mentions:
        category = LABELS.get(mention.label)
        if category is None:
            continue
        pieces, cut = _pieces(mention, text, vocab)
        table = len(pieces) > 1  # names between scores: a number after them is a score too
        for a, b in pieces:
            piece_start, piece_end = a, b = _strip_edges(text, a, b)
            a, b = _repair(text, a, b, vocab)
            a, b, honorific = _trim(text, a, b, category, vocab, table)
            if a >= b:
                continue
            a, b = _repair(text, a, b, vocab)
            if is_junk(text[a:b], vocab) or _is_demonym(text, a, b, vocab):
                continue
            surface = text[piece_start:piece_end] if cut else mention.text.strip(_EDGE)
            spans.append(
                _Span(a, b, PERSON if honorific else category, surface, True, honorific, cut)
            )
    return _without_overlaps(spans)


def _without_overlaps(spans: Iterable[_Span]) -> list[_Span]:
    """One name per stretch of text: of overlapping spans, the longest (then the model's) stays."""
    taken = _Intervals()
    kept = [
        span
        for span in sorted(spans, key=lambda s: (s.start - s.end, not s.found, s.start))
        if taken.add(span.start, span.end)
    ]
    return sorted(kept, key=lambda s: s.start)


class _Intervals:
    """Disjoint [start, end) intervals; `add` refuses one that overlaps those already in."""

    def __init__(self, intervals: Iterable[tuple[int, int]] = ()) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        for a, b in intervals:
            self.add(a, b)

    def add(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self.starts, start)
        if (i and self.ends[i - 1] > start) or (i < len(self.starts) and self.starts[i] < end):
            return False
        self.starts.insert(i, start)
        self.ends.insert(i, end)
        return True


# --------------------------------------------------------------------------- article rules


def _datelines(spans: list[_Span], text: str) -> list[_Span]:
    """A place in capitals that opens a line before a date, a comma or the agency is a place."""
    by_offsets = {(s.start, s.end): s for s in spans}
    added: list[_Span] = []
    for m in _DATELINE.finditer(text):
        a, b = m.span(1)
        if not any(c.isalpha() for c in text[a:b]) or len(text[a:b]) < 3:
            continue
        existing = by_offsets.get((a, b))
        if existing is not None:
            by_offsets[(a, b)] = replace(existing, category=LOCATION)
        else:
            added.append(_Span(a, b, LOCATION, text[a:b]))
    return _without_overlaps([*by_offsets.values(), *added])


def _people_inside(spans: list[_Span], text: str) -> list[_Span]:
    """An organisation or place span ending in a person's full name is that person.

    "ministre des Transports Élisabeth Borne ... Mme Borne": the model's "Transports Élisabeth
    Borne" is the person "Élisabeth Borne". A person is known from a multi-word name labelled
    person, or from a surname that a courtesy title or the person label vouches for.
    """
    people = {_fold(text[s.start : s.end]) for s in spans if s.category == PERSON}
    full_names = {name for name in people if " " in name}
    surnames = {name for name in people if " " not in name}
    surnames |= {_fold(text[s.start : s.end]).split()[-1] for s in spans if s.honorific}
    result: list[_Span] = []
    for span in spans:
        words = _words(text, span.start, span.end)
        if (
            span.category in (LOCATION, ORGANIZATION)
            and len(words) >= 3
            and _fold(text[span.start : span.end]) not in people
        ):
            tail = None
            for k in range(len(words) - 1, 1, -1):
                a = words[len(words) - k][0]
                if _fold(text[a : span.end]) in full_names:
                    tail = a
                    break
            if tail is None and _fold(text[words[-1][0] : words[-1][1]]) in surnames:
                given = text[words[-2][0] : words[-2][1]]
                if given[0].isupper() and given[0].isalpha():
                    tail = words[-2][0]
            if tail is not None:
                span = replace(span, start=tail, category=PERSON, surface=text[tail : span.end])
        result.append(span)
    return result


def _initials(words: Sequence[str], skip: frozenset[str]) -> str:
    letters = []
    for word in words:
        word = re.sub(r"^\w['’]", "", word)
        if word and word.casefold() not in skip:
            letters.append(_fold(word[0]))
    return "".join(letters)


def _expands(acronym: str, expansion: str, skip: frozenset[str]) -> bool:
    """Whether the initials of the expansion's words (with or without its connectors) spell
    the acronym: "OSCE" and "Organisation pour la sécurité et la coopération en Europe".
    """
    letters = _fold(acronym).replace(" ", "")
    words = expansion.split()
    if len(letters) < 2 or len(words) < 2 or len(words) > 3 * len(letters):
        return False
    return letters in (_initials(words, skip), _initials(words, frozenset()))


def _acronyms(
    spans: list[_Span], text: str, vocab: EntityVocabulary
) -> tuple[list[_Span], list[tuple[str, str]]]:
    """Link acronyms to their expansion in the article; an expansion beside its acronym in
    brackets is a mention even where the model saw only part of it ("Ccas (Centre communal
    d'aide sociale)").
    """
    skip = vocab.connectors | vocab.articles | vocab.prepositions
    links: list[tuple[str, str]] = []
    added: list[_Span] = []
    for span in spans:
        acronym = text[span.start : span.end]
        # Beside its expansion, a short capitalised word can be an acronym too ("Sdis").
        if not (_ACRONYM.fullmatch(acronym) or _SHORT_ACRONYM.fullmatch(acronym)):
            continue
        candidates: list[tuple[int, int]] = []
        after = _EXPANSION_AFTER.match(text, span.end)
        if after:
            candidates.append(after.span(1))
        if text[max(0, span.start - 2) : span.start].strip() == "(":
            line_start = text.rfind("\n", 0, span.start) + 1
            words = _words(text, line_start, text.rfind("(", line_start, span.start))
            candidates.extend(
                (words[-k][0], words[-1][1])
                for k in range(2, min(len(words), 3 * len(acronym)) + 1)
            )
        for a, b in candidates:
            expansion = text[a:b]
            if _expands(acronym, expansion, skip):
                a, b, _ = _trim(text, a, b, ORGANIZATION, vocab)
                expansion = text[a:b]
                # The model's label counts if it saw the whole expansion, else the acronym's.
                whole = [s for s in spans if (s.start, s.end) == (a, b)]
                category = whole[0].category if whole else span.category
                added.append(_Span(a, b, category, expansion, found=bool(whole)))
                links.append((_fold(acronym), _fold(expansion)))
                break
    spans = _without_overlaps([*spans, *added])
    # Anywhere in the article: an acronym and a multi-word name whose initials it spells.
    names = {_fold(text[s.start : s.end]): text[s.start : s.end] for s in spans}
    acronyms = [
        key
        for key, name in names.items()
        if _ACRONYM.fullmatch(name) and sum(c.isupper() for c in name) >= 2
    ]
    persons = {_fold(text[s.start : s.end]) for s in spans if s.category == PERSON}
    for key in acronyms:
        letters = key.replace(" ", "")
        if len(letters) < 3:  # "PS": too many names start with the same two letters
            continue
        expansions = [
            other_key
            for other_key, other in names.items()
            if other_key != key
            and " " in other_key
            and other_key not in persons
            and other_key[0] == letters[0]
            and _expands(names[key], other, skip)
        ]
        if len(expansions) == 1:
            links.append((key, expansions[0]))
    return spans, links


# --------------------------------------------------------------------------- consistency


def _vote(categories: Iterable[str]) -> str:
    votes = Counter(categories)
    return min(votes, key=lambda c: (-votes[c], _PRIORITY[c]))


class _Groups:
    """Union-find over name keys: the names that are one entity in the article."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


def _best_form(forms: Counter[str]) -> str:
    """The longest, best-attested form: most words, then most mentions."""
    return max(forms, key=lambda f: (len(f.split()), forms[f], f))


def _after_place_word(text: str, span: _Span, vocab: EntityVocabulary) -> bool:
    """ "in Arbil", "à Vignot": one word after a preposition of place."""
    if " " in text[span.start : span.end]:
        return False
    before = _WORD_BEFORE.search(text, max(0, span.start - 12), span.start)
    return before is not None and before.group(1) in vocab.place_prepositions


def _in_place_context(text: str, span: _Span, vocab: EntityVocabulary) -> bool:
    """After a preposition of place ("in Milan", "à Alep"), or a dateline."""
    before = _WORD_BEFORE.search(text, max(0, span.start - 12), span.start)
    if before is not None and before.group(1).casefold() in vocab.place_context:
        return True
    return bool(_DATELINE.match(text, text.rfind("\n", 0, span.start) + 1))


def _label(
    spans: list[_Span], text: str, vocab: EntityVocabulary, alias: dict[str, str] | None = None
) -> str | None:
    """The label of the longest, best-attested form decides for the whole entity.

    The model's spans vote, the pieces of a cut span only when nothing else does, the
    catch-all label only against nothing else. None when the deciding votes tie: each mention
    then keeps the model's label.
    """
    voters = [s for s in spans if s.found and not s.weak] or [s for s in spans if s.found]
    voters = voters or spans
    if any(s.honorific for s in voters):
        return PERSON
    voters = [s for s in voters if s.category != MISC] or voters
    # An acronym votes with its expansion: "PNF" and "parquet national financier" are one form.
    alias = alias or {}
    keys = [_fold(text[s.start : s.end]) for s in voters]
    keys = [alias.get(key, key) for key in keys]
    best = _best_form(Counter(keys))
    votes = Counter(
        LOCATION if _after_place_word(text, s, vocab) else s.category
        for s, key in zip(voters, keys, strict=True)
        if key == best
    ).most_common()
    if len(votes) > 1 and votes[0][1] == votes[1][1]:
        return None
    return votes[0][0]


def _caps_lines(text: str) -> list[tuple[int, int]]:
    """Lines written in capitals (headlines, datelines), where names are in capitals too."""
    lines = []
    for m in _LINE.finditer(text):
        line = m.group()
        if not any(c.islower() for c in line) and sum(c.isupper() for c in line) >= 3:
            lines.append(m.span())
    return lines


def _matches(text: str, form: str) -> Iterable[tuple[int, int]]:
    """Whole-word occurrences (str.find: a regular expression per name costs more than NER)."""
    a = text.find(form)
    while a >= 0:
        b = a + len(form)
        before = text[a - 1] if a else " "
        after = text[b : b + 3]
        if not (before.isalnum() or before in "_'’.-") and not (
            after[:1].isalnum() or after[:1] in "_-" or _GLUED_SUFFIX.match(after)
        ):
            yield a, b
        a = text.find(form, a + 1)


def _inside_longer_name(text: str, a: int, b: int, vocab: EntityVocabulary) -> bool:
    """A capitalised word right before or after: the name is part of another one."""
    after = _WORD_AFTER.match(text, b)
    if after and after.group(1)[0].isupper():
        return True
    before = _WORD_BEFORE.search(text, max(0, a - 40), a)
    if before is None or not before.group(1)[0].isupper() or before.group(1)[-1] in '.,;:!?)»"':
        return False
    word = _bare(before.group(1))
    if word in vocab.honorifics or word in vocab.person_titles:
        return False
    # A capitalised word that starts the line or the sentence is not part of the name.
    preceding = text[max(0, before.start() - 3) : before.start()]
    return not (before.start() == 0 or "\n" in preceding or _SENTENCE_END.search(preceding))


def _occurrences(
    text: str, form: str, caps_lines: Sequence[tuple[int, int]], vocab: EntityVocabulary
) -> list[tuple[int, int]]:
    """Where a recognised name occurs as a name, also in lines of capitals ("DUBLIN")."""
    found = [(a, b) for a, b in _matches(text, form) if not _inside_longer_name(text, a, b, vocab)]
    if len(form) >= 3 and not form.isupper() and caps_lines:
        found.extend(
            (a, b)
            for a, b in _matches(text, form.upper())
            if any(x <= a and b <= y for x, y in caps_lines)
        )
    return found


def _surnames(items: list[_Span], text: str, owners: Counter[str]) -> set[str]:
    """The surname of a person named in full: "Macron" for "Emmanuel Macron"."""
    found = set()
    for span in items:
        words = text[span.start : span.end].split()
        if len(words) >= 2 and owners[words[-1]] == 1:
            surname = words[-1]
            if len(surname) >= 3 and surname[0].isupper() and not surname.isupper():
                found.add(surname)
    return found


def normalize_mentions(
    mentions: Sequence[Mention], text: str, language: str = ""
) -> ArticleEntities:
    """Mentions of one article to its entities with canonical names and mention counts.

    `text` is the text the model analysed (the mentions' offsets point into it), `language` its
    ISO 639-1 code, which selects the vocabulary of titles, determiners and connectors.
    """
    vocab = entity_vocabulary(language)
    spans = _spans(mentions, text, vocab)
    spans = _datelines(spans, text)
    spans = _people_inside(spans, text)
    spans, links = _acronyms(spans, text, vocab)
    # A piece cut out of a longer span stays if the article names it elsewhere or if it looks
    # like a name of its own ("Sami Aboudi"); "ATHLETICS" from "ATHLETICS - HARRISON" goes.
    keys = {id(s): _fold(text[s.start : s.end]) for s in spans}
    attested = {keys[id(s)] for s in spans if not s.weak}
    spans = [
        s
        for s in spans
        if not s.weak or keys[id(s)] in attested or _name_shaped(text[s.start : s.end])
    ]

    groups = _Groups()
    by_key: dict[str, list[_Span]] = defaultdict(list)
    for span in spans:
        by_key[keys[id(span)]].append(span)
        groups.find(keys[id(span)])
    alias: dict[str, str] = {}
    for a, b in links:
        if a in by_key and b in by_key:
            groups.union(b, a)
            alias[a] = b

    # A one-word name that is the surname (or the given name) of exactly one person of the
    # article is that person: "Lavrov" -> "Sergueï Lavrov", whatever label the model gave the
    # short form. A place is never pulled into a person's name: a word the model only saw as
    # a place joins a person as its surname alone, and only if the article never uses it as a
    # place ("in Milan"): "Modi" joins "Narendra Modi", "Milan" stays beside "Milan Rapajic".
    labels = {key: _label(items, text, vocab) for key, items in by_key.items()}
    people = [k for k in by_key if " " in k and labels[k] == PERSON]
    for key in [k for k in by_key if " " not in k]:
        items = by_key[key]
        place = all(s.category == LOCATION and not s.honorific for s in items)
        owners = [p for p in people if key == p.split()[-1] or (key == p.split()[0] and not place)]
        if len(owners) == 1 and not (
            place and any(_in_place_context(text, s, vocab) for s in items)
        ):
            groups.union(owners[0], key)

    merged: dict[str, list[str]] = defaultdict(list)
    for key in by_key:
        merged[groups.find(key)].append(key)

    # Every occurrence of a recognised name is a mention, with the entity's one label; a
    # person's surname too, when no other name of the article ends with it.
    surname_owners = Counter(
        name.split()[-1] for name in {text[s.start : s.end] for s in spans} if " " in name
    )
    taken = _Intervals((s.start, s.end) for s in spans)
    caps = _caps_lines(text)
    final: list[tuple[str, list[_Span]]] = []
    for members in merged.values():
        items = [s for key in members for s in by_key[key]]
        decided = labels[members[0]] if len(members) == 1 else _label(items, text, vocab, alias)
        if decided is not None:
            # A one-word name that the model also read as a nationality or a catch-all is
            # not searched for: "Rwandan", "Dutch".
            hesitant = {
                text[s.start : s.end] for s in items if s.category == MISC and " " not in s.surface
            }
            forms = {text[s.start : s.end] for s in items} - hesitant
            if decided == PERSON:
                forms |= _surnames(items, text, surname_owners)
            added = [
                _Span(a, b, decided, form, found=False)
                for form in sorted(forms, key=len, reverse=True)
                if not is_junk(form, vocab)
                for a, b in _occurrences(text, form, caps, vocab)
                if taken.add(a, b)
            ]
            items = [replace(s, category=decided) for s in [*items, *added]]
        final.append((decided or _vote(s.category for s in items), items))

    entities: list[Entity] = []
    final_mentions: list[Mention] = []
    for label, items in final:
        names = Counter(text[s.start : s.end] for s in items if s.found)
        name = _best_form(names) if names else text[items[0].start : items[0].end]
        kept = sorted(
            (
                Mention(text[s.start : s.end], SHORT_LABEL[s.category], s.start, s.end)
                for s in items
            ),
            key=lambda m: m.start,
        )
        entities.append(Entity(name, label, len(items), sorted({s.surface for s in items}), kept))
        final_mentions.extend(kept)
    entities.sort(key=lambda e: (-e.count, _PRIORITY[e.label], e.name))
    final_mentions.sort(key=lambda m: m.start)
    return ArticleEntities(entities, final_mentions)
