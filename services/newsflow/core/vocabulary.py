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
        # The comment forms of blog engines in other languages.
        "schreibe einen kommentar",
        "hinterlasse einen kommentar",
        "kommentar verfassen",
        "kommentar hinterlassen",
        "gib hier deinen kommentar ein",
        "deine e-mail-adresse wird nicht veröffentlicht",
        "ihre e-mail-adresse wird nicht veröffentlicht",
        "deja un comentario",
        "deja una respuesta",
        "tu dirección de correo electrónico no será publicada",
        "lascia un commento",
        "il tuo indirizzo email non sarà pubblicato",
        "deixe um comentário",
        "deixe uma resposta",
        "o seu endereço de email não será publicado",
        "laat een reactie achter",
        "je e-mailadres wordt niet gepubliceerd",
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

# Links to the previous or next post that blog and news themes put under an article, alone or
# before that post's headline ("Article suivant Les Tunisiens rapatriés ...", "Previous Post:
# Free scooter training", "Older Post"): compared with a line's start, case and accents aside.
POST_NAVIGATION = frozenset(
    {
        "next article",
        "previous article",
        "next post",
        "previous post",
        "next story",
        "previous story",
        "next entry",
        "previous entry",
        "older post",
        "newer post",
        "older posts",
        "newer posts",
        "article suivant",
        "article précédent",
        "billet suivant",
        "billet précédent",
        "nächster artikel",
        "vorheriger artikel",
        "nächster beitrag",
        "vorheriger beitrag",
        "artículo siguiente",
        "artículo anterior",
        "siguiente artículo",
        "entrada siguiente",
        "entrada anterior",
        "articolo successivo",
        "articolo precedente",
        "post successivo",
        "post precedente",
        "próximo artigo",
        "artigo anterior",
        "próximo post",
        "post anterior",
        "volgend artikel",
        "vorig artikel",
    }
)

# The wording of copyright and syndication notices ("© 2024 Agence X. All rights reserved.",
# "Tous droits réservés Euronews", "ⓒ 연합뉴스, 무단 전재 및 재배포 금지"): found anywhere in a
# line, case and spaces aside, with their accents or without them.
RIGHTS_NOTICES = frozenset(
    {
        "all rights reserved",
        "this material may not be published",
        "tous droits réservés",
        "alle rechte vorbehalten",
        "todos los derechos reservados",
        "tutti i diritti riservati",
        "todos os direitos reservados",
        "alle rechten voorbehouden",
        "alla rättigheter förbehållna",
        "alle rettigheder forbeholdes",
        "alle rettigheter forbeholdt",
        "kaikki oikeudet pidätetään",
        "wszelkie prawa zastrzeżone",
        "všechna práva vyhrazena",
        "minden jog fenntartva",
        "toate drepturile rezervate",
        "tüm hakları saklıdır",
        "все права защищены",
        "усі права захищені",
        "όλα τα δικαιώματα διατηρούνται",
        "جميع الحقوق محفوظة",
        "כל הזכויות שמורות",
        "सर्वाधिकार सुरक्षित",
        "版权所有",
        "版權所有",
        "無断転載",
        "무단전재",
        "무단 전재",
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
