"""Entity normalisation within one article: the enricher's pure core after spaCy.

spaCy gives mentions; a reader wants entities. Within an article, "Lavrov", "M. Lavrov" and
"Sergueï Lavrov" are one person, "Sergueï Lavrov", mentioned three times; "ministre russe des
Affaires étrangères" is a job title, not an organisation; "Rechercher" is a menu item.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

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

HONORIFICS = frozenset(
    {
        "m",
        "mm",
        "mme",
        "mmes",
        "mlle",
        "mlles",
        "me",
        "mgr",
        "dr",
        "pr",
        "pr.",
        "sr",
        "st",
        "mr",
        "mrs",
        "ms",
        "miss",
        "sir",
        "dame",
        "lord",
        "monsieur",
        "madame",
        "mademoiselle",
    }
)
LEADING_ARTICLES = frozenset({"le", "la", "les", "l'", "the", "un", "une", "a", "an"})
# Job titles: a span that starts with one of these is a role, not an organisation or a place.
ROLE_NOUNS = frozenset(
    {
        "ministre",
        "ministres",
        "président",
        "présidente",
        "vice-président",
        "vice-présidente",
        "premier",
        "première",
        "porte-parole",
        "secrétaire",
        "sous-secrétaire",
        "directeur",
        "directrice",
        "chef",
        "cheffe",
        "maire",
        "adjoint",
        "adjointe",
        "député",
        "députée",
        "sénateur",
        "sénatrice",
        "ambassadeur",
        "ambassadrice",
        "général",
        "commissaire",
        "préfet",
        "préfète",
        "gouverneur",
        "roi",
        "reine",
        "prince",
        "princesse",
        "pape",
        "juge",
        "procureur",
        "procureure",
        "avocat",
        "avocate",
        "conseiller",
        "conseillère",
        "patron",
        "patronne",
        "responsable",
        "haut-commissaire",
        "diplomate",
        "chancelier",
        "chancelière",
        "émir",
        "minister",
        "president",
        "vice-president",
        "secretary",
        "director",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "chief",
        "mayor",
        "senator",
        "ambassador",
        "governor",
        "king",
        "queen",
        "prime",
        "chancellor",
        "head",
        "chairman",
        "chairwoman",
        "ceo",
    }
)
_EDGE_PUNCT = "\"'«»“”‘’()[]{}<>,;:.!?-–—/\\|*•· "
_TOKEN_SPLIT = re.compile(r"[\s]+")


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
        return [e.name for e in self.entities if e.label == label]


def _fold(text: str) -> str:
    """Key for "the same name": case, accents and hyphen/space differences ignored."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[-‐'’.]", " ", stripped).split())


def _trim(mention: Mention) -> Mention | None:
    """Strip edge punctuation, honorifics and leading articles; None when nothing is left."""
    text, start = mention.text, mention.start
    while True:
        stripped = text.lstrip(_EDGE_PUNCT)
        start += len(text) - len(stripped)
        text = stripped.rstrip(_EDGE_PUNCT)
        words = text.split(" ", 1)
        first = words[0].casefold().rstrip(".")
        # Only a lower-case article is grammar ("la Russie"); a capitalised one belongs to the
        # name ("La Haye", "Le Mans", "The Guardian").
        if len(words) == 2 and (first in HONORIFICS or words[0] in LEADING_ARTICLES):
            cut = len(words[0]) + 1
            text, start = text[cut:], start + cut
            continue
        if text[:2] == "l'" and len(text) > 2 and text[2].isupper():
            text, start = text[2:], start + 2
            continue
        break
    if not text:
        return None
    return Mention(text, mention.label, start, start + len(text))


def is_junk(text: str) -> bool:
    """Not a name: menu words, numbers, lower-case phrases such as job titles."""
    if len(text) < 2 or not any(c.isalpha() for c in text):
        return True
    if "\n" in text or text.casefold() in NAVIGATION:
        return True
    words = _TOKEN_SPLIT.split(text)
    first = words[0]
    if not any(c.isupper() for c in text):
        return True
    if first[:1].islower() and not any(c.isupper() for c in first):  # "eBay", "iPhone" stay
        # "rue de la Paix", "place Ferrer", "de Gaulle" are names; "ministre russe des Affaires
        # étrangères", "porte-parole de la Maison Blanche" are job titles.
        return first.casefold() in ROLE_NOUNS
    return False


def normalize_mentions(mentions: list[Mention]) -> ArticleEntities:
    """Mentions of one article to its entities with canonical names and mention counts."""
    groups: dict[str, list[tuple[Mention, str]]] = defaultdict(list)
    surfaces: dict[Mention, str] = {}
    for mention in mentions:
        category = LABELS.get(mention.label)
        if category is None or "\n" in mention.text:
            continue
        trimmed = _trim(mention)
        if trimmed is None or is_junk(trimmed.text):
            continue
        surfaces[trimmed] = mention.text.strip(_EDGE_PUNCT) or trimmed.text
        groups[_fold(trimmed.text)].append((trimmed, category))

    # A one-word mention that is the surname (or given name) of exactly one multi-word person
    # is that person: "Lavrov" -> "Sergueï Lavrov", whatever label the model gave the short form.
    people = [key for key, items in groups.items() if " " in key and _label_of(items) == PERSON]
    for key in [k for k in groups if " " not in k]:
        owners = [p for p in people if key in (p.split()[-1], p.split()[0])]
        if len(owners) == 1:
            groups[owners[0]].extend(groups.pop(key))

    entities: list[Entity] = []
    final_mentions: list[Mention] = []
    for items in groups.values():
        label = _label_of(items)
        names = Counter(m.text for m, _ in items)
        name = max(names, key=lambda n: (len(n.split()), names[n], n))
        forms = sorted({surfaces[m] for m, _ in items})
        kept = [Mention(m.text, SHORT_LABEL[label], m.start, m.end) for m, _ in items]
        entities.append(Entity(name, label, len(items), forms, kept))
        final_mentions.extend(kept)
    entities.sort(key=lambda e: (-e.count, _PRIORITY[e.label], e.name))
    final_mentions.sort(key=lambda m: m.start)
    return ArticleEntities(entities, final_mentions)


def _label_of(items: list[tuple[Mention, str]]) -> str:
    votes = Counter(category for _, category in items)
    return min(votes, key=lambda c: (-votes[c], _PRIORITY[c]))
