"""How names are written, per language: what surrounds a name in a text without being part of it.

The entity normalisation (`newsflow.core.entities`) reads these words; a language without its
own vocabulary gets the rules that hold in every language and none that don't.
"""

from __future__ import annotations

from dataclasses import dataclass

# Capitalised page furniture that a model takes for a name ("Petites Annonces" a place, "Privacy
# Policy" an organisation), compared case-insensitively with the whole name.
PAGE_NAMES = frozenset(
    {
        "petites annonces",
        "annonces légales",
        "galeries photo",
        "galerie photo",
        "conditions générales d'utilisation",
        "conditions générales de vente",
        "politique de confidentialité",
        "gestion des cookies",
        "plan du site",
        "nous contacter",
        "contactez-nous",
        "qui sommes-nous",
        "terms of service",
        "term of service",
        "terms of use",
        "terms and conditions",
        "privacy policy",
        "cookie policy",
        "contact us",
        "about us",
        "site map",
    }
)


@dataclass(frozen=True)
class EntityVocabulary:
    """How names are written in one language: what surrounds a name without being part of it.

    Every word is compared case-folded, without a final full stop.
    """

    # Courtesy titles: never part of a name, and a sure sign that what follows is a person.
    honorifics: frozenset[str]
    # Titles that spaCy sometimes takes into a person's span ("President Clinton").
    person_titles: frozenset[str]
    # Determiners dropped from the start of a name when written in lower case ("la Russie").
    articles: frozenset[str]
    # A capitalised determiner dropped when two more words follow ("The Supreme Court"); the
    # shorter names keep it ("The Hague", "The Times").
    capitalised_articles: frozenset[str]
    # Lower-case prepositions dropped from the start of a place or organisation ("de France").
    prepositions: frozenset[str]
    # Words that join the parts of a name but never end one ("Organisation pour la ... en").
    connectors: frozenset[str]
    # Lower-case words that make a span a job title rather than a name.
    role_nouns: frozenset[str]
    # Nouns of inhabitants ("un Belfortain"): endings, and the words that introduce them.
    demonym_endings: tuple[str, ...] = ()
    demonym_determiners: frozenset[str] = frozenset()
    # Endings that make a noun of inhabitants even after a bare article ("l'Uruguayen").
    person_demonym_endings: tuple[str, ...] = ()
    # English possessive "'s" after a name.
    possessive: bool = False
    # Lower-case words after a name that are not part of it ("PAP news agency").
    lowercase_tail_dropped: bool = False
    # Company suffixes: a comma before one does not separate two names ("Bear Stearns, Inc.").
    company_suffixes: frozenset[str] = frozenset()
    # French writes titles in lower case ("le président Macron"): a capitalised one is a name
    # ("Saint Exupéry").
    titles_in_lower_case: bool = False
    # Prepositions after which a single word is a place ("in Arbil", "à Vignot").
    place_prepositions: frozenset[str] = frozenset()
    # Words after which a name is used as a place ("in Milan", "à Alep").
    place_context: frozenset[str] = frozenset()


_FR_ROLE_NOUNS = frozenset(
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
        "entraîneur",
        "capitaine",
        "délégué",
        "déléguée",
    }
)
_EN_ROLE_NOUNS = frozenset(
    {
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
        "coach",
        "captain",
        "manager",
    }
)

# Words of royalty and religion are part of how a name is written ("Queen Elizabeth", "pape
# François"): never stripped from a person's name.
_ROYAL = frozenset({"roi", "reine", "prince", "princesse", "pape", "émir", "king", "queen", "pope"})

FRENCH = EntityVocabulary(
    honorifics=frozenset(
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
            "monsieur",
            "madame",
            "mademoiselle",
            "messieurs",
            "mesdames",
        }
    ),
    person_titles=frozenset(
        {
            "président",
            "présidente",
            "ministre",
            "général",
            "maire",
            "docteur",
            "maître",
            "professeur",
            "saint",
            "sainte",
            "abbé",
            "père",
            "sœur",
            "frère",
            "premier",
            "première",
        }
    )
    | (_FR_ROLE_NOUNS - _ROYAL),
    articles=frozenset({"le", "la", "les", "l'", "l’", "un", "une"}),
    capitalised_articles=frozenset(),
    prepositions=frozenset({"de", "d'", "d’", "du", "des", "à", "au", "aux", "en", "près"}),
    connectors=frozenset(
        {
            "de",
            "d'",
            "d’",
            "du",
            "des",
            "la",
            "le",
            "les",
            "l'",
            "l’",
            "et",
            "en",
            "pour",
            "sur",
            "sous",
            "à",
            "au",
            "aux",
        }
    ),
    role_nouns=_FR_ROLE_NOUNS,
    demonym_endings=("ain", "ains", "ais", "ois", "ien", "iens", "éen", "éens", "ayen", "ayens"),
    demonym_determiners=frozenset(
        {"un", "une", "ce", "cet", "cette", "ces", "des", "les", "jeune", "jeunes"}
    ),
    person_demonym_endings=("ien", "iens", "éen", "éens", "ayen", "ayens"),
    titles_in_lower_case=True,
    place_prepositions=frozenset({"à", "dans"}),
    place_context=frozenset({"à", "dans", "vers", "depuis", "en"}),
)

ENGLISH = EntityVocabulary(
    honorifics=frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "lady"}),
    person_titles=frozenset(
        {
            "president",
            "vice-president",
            "gen",
            "general",
            "senator",
            "sen",
            "rep",
            "gov",
            "governor",
            "judge",
            "justice",
            "chancellor",
            "minister",
            "premier",
            "secretary",
            "pope",
            "archbishop",
            "bishop",
            "cardinal",
            "rev",
            "reverend",
            "father",
            "captain",
            "capt",
            "col",
            "colonel",
            "lt",
            "sgt",
            "sergeant",
            "coach",
            "mayor",
            "ambassador",
            "commissioner",
            "prosecutor",
            "detective",
            "inspector",
            "officer",
            "chairman",
            "chief",
            "prime",
        }
    )
    | (_EN_ROLE_NOUNS - _ROYAL),
    articles=frozenset({"the", "a", "an"}),
    capitalised_articles=frozenset({"the"}),
    prepositions=frozenset({"of", "in", "at", "from", "to", "for"}),
    connectors=frozenset({"of", "the", "and", "for", "in", "on", "de", "&", "at", "du", "la"}),
    role_nouns=_EN_ROLE_NOUNS,
    possessive=True,
    lowercase_tail_dropped=True,
    place_prepositions=frozenset({"in", "near"}),
    place_context=frozenset({"in", "at", "from", "near", "into", "outside", "across", "to"}),
    company_suffixes=frozenset(
        {"inc", "ltd", "co", "corp", "llc", "plc", "lp", "llp", "sa", "ag", "nv", "jr", "sr"}
    ),
)

# Languages without vocabulary of their own: the rules that hold in both, none that don't.
OTHER = EntityVocabulary(
    honorifics=frozenset({"mr", "mrs", "ms", "dr", "mme", "mlle"}),
    person_titles=frozenset(),
    articles=frozenset(),
    capitalised_articles=frozenset(),
    prepositions=frozenset(),
    connectors=frozenset(),
    role_nouns=_FR_ROLE_NOUNS | _EN_ROLE_NOUNS,
)

ENTITY_VOCABULARIES = {"fr": FRENCH, "en": ENGLISH}


def entity_vocabulary(language: str) -> EntityVocabulary:
    return ENTITY_VOCABULARIES.get(language, OTHER)
