"""Words of page furniture, shared by the cleaner (lines) and the enricher (entities)."""

from __future__ import annotations

# Menu and widget labels that scrapers keep as lines of their own. Compared case-insensitively
# against whole lines (a trailing ':' or '›' ignored).
NAVIGATION = frozenset(
    {
        "rechercher",
        "recherche",
        "dernières infos",
        "dernières actualités",
        "à la une",
        "accueil",
        "menu",
        "fermer",
        "connexion",
        "se connecter",
        "s'abonner",
        "abonnement",
        "abonnez-vous",
        "newsletter",
        "partager",
        "partager sur facebook",
        "partager sur twitter",
        "imprimer",
        "envoyer",
        "commenter",
        "réagir",
        "lire la suite",
        "publicité",
        "suivez-nous",
        "retour en haut",
        "en direct",
        "vidéos",
        "vidéo",
        "photos",
        "podcasts",
        "mon compte",
        "se déconnecter",
        "s'inscrire",
        "inscription",
        "contact",
        "mentions légales",
        "search",
        "home",
        "sign in",
        "log in",
        "subscribe",
        "share",
        "print",
        "comments",
        "latest news",
        "advertisement",
        "follow us",
        "back to top",
        "skip to content",
    }
)

# Share buttons' labels, which scrapers keep as lines of their own. Not in NAVIGATION: the
# enricher reads that one to reject entities, and "Facebook" in a sentence is a company.
SHARE_LABELS = frozenset(
    {
        "tweet",
        "facebook",
        "twitter",
        "whatsapp",
        "linkedin",
        "pinterest",
        "share this",
        "share this post",
        "share this story",
        "share this article on",
        "share on facebook",
        "share on twitter",
        "partager sur instagram",
        "partager sur linkedin",
        "partager sur whatsapp",
        "teilen",
        "artikel teilen",
        "teilen sie dies mit",
        "compartir",
        "condividi",
    }
)

# Lines after which a text dump no longer belongs to the article: comment sections. (Lists of
# related or most-read articles also sit inside articles' markup on many sites: they do not end
# it; a box under one of RELATED_HEADINGS is dropped, the line model judges the others.)
END_MARKERS = frozenset(
    {
        "vos réactions",
        "commentaires",
        "réagir à cet article",
        "laisser un commentaire",
        "votre adresse e-mail ne sera pas publiée",
        "leave a comment",
        "leave a reply",
        "post a comment",
        "add a comment",
        "your email address will not be published",
        "join the conversation",
        "join the discussion",
    }
)

# The same, when a whole line is only the heading (digits and punctuation ignored: "12
# comments", "Comments (3)"); at the start of a longer line these words may be a link.
END_HEADINGS = frozenset({"comments", "comment", "commentaires", "commentaire", "réactions"})

# Lines that interrupt an article without ending it: dropped, the article goes on after them.
INLINE_MARKERS = frozenset(
    {
        "à lire aussi",
        "lire aussi",
        "a lire aussi",
        "read more",
        "pour lire la suite",
        "la suite est réservée",
        "réservé aux abonnés",
        "télécharger",
        "en savoir plus",
        # Advertising skips, paywall notices, newsletter promotions, comment and share links:
        # fixed wording that extractors leave inside articles.
        "passer la publicité",
        "skip advertisement",
        "article réservé aux abonnés",
        "cet article est réservé aux abonnés",
        "il vous reste",
        "subscribe to continue reading",
        "inscrivez-vous à la newsletter",
        "inscrivez-vous à notre newsletter",
        "abonnez-vous à la newsletter",
        "abonnez-vous à notre newsletter",
        "sign up for our newsletter",
        "sign up to our newsletter",
        "voir les contributions",
        "voir les commentaires",
        "afficher les commentaires",
        "partager cet article",
        "share this article",
        "related stories",
    }
)

# Headings of boxes of links to other articles ("Related articles", "Lesen Sie auch"), compared
# with whole lines, case, digits and punctuation aside: on both paths the heading and the
# teasers under it are dropped, and the article goes on after them.
RELATED_HEADINGS = frozenset(
    {
        "related",
        "related articles",
        "related stories",
        "related posts",
        "related news",
        "related content",
        "related coverage",
        "related links",
        "more stories",
        "more on this story",
        "you may also like",
        "you might also like",
        "you may be interested in",
        "don t miss",
        "read next",
        "also read",
        "most read",
        "most popular",
        "recommended",
        "recommended for you",
        "editor s picks",
        "trending",
        "trending now",
        "à lire aussi",
        "lire aussi",
        "à voir aussi",
        "sur le même sujet",
        "dans la même rubrique",
        "les plus lus",
        "articles similaires",
        "lesen sie auch",
        "mehr zum thema",
        "das könnte sie auch interessieren",
        "auch interessant",
        "weitere artikel",
        "meistgelesen",
        "noticias relacionadas",
        "te puede interesar",
        "lee también",
        "leggi anche",
        "articoli correlati",
        "potrebbe interessarti",
        "leia também",
        "veja também",
        "notícias relacionadas",
        "lees ook",
        "gerelateerde artikelen",
    }
)

# Labels of a post's tag list ("Tags: Politik, Wirtschaft", "Filed under: Recipes, Soups"),
# compared case-insensitively with what comes before a line's first ':'.
TAG_LABELS = frozenset(
    {
        "tags",
        "tag",
        "tagged",
        "tagged with",
        "filed under",
        "keywords",
        "mots-clés",
        "mots clés",
        "étiquettes",
        "schlagwörter",
        "schlagworte",
        "stichwörter",
        "stichworte",
        "etiquetas",
        "palabras clave",
        "etichette",
        "parole chiave",
        "trefwoorden",
        "tagi",
    }
)
