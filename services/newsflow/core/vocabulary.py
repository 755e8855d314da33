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

# Lines after which a text dump no longer belongs to the article (comments, reader favourites).
END_MARKERS = frozenset(
    {
        "vous aimerez aussi",
        "articles les plus lus",
        "les plus lus",
        "articles correspondants",
        "sur le même sujet",
        "sur le même thème",
        "vos réactions",
        "commentaires",
        "réagir à cet article",
        "laisser un commentaire",
        "votre adresse e-mail ne sera pas publiée",
        "en images",
        "à découvrir",
        "a découvrir",
        "pour aller plus loin",
        "pour approfondir",
        "related articles",
        "more on this story",
        "you may also like",
        "most read",
        "leave a comment",
    }
)

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
    }
)
