"""The cleaner's pure core: raw articles (text dumps or HTML) to their main text."""

from newsflow.core.cleaning.article import CleanArticle, as_is, clean
from newsflow.core.cleaning.text import normalize_unicode, word_count

__all__ = ["CleanArticle", "as_is", "clean", "normalize_unicode", "word_count"]
