"""Lemmas of words in the languages the analysis ships (en, ru, uk, bg).

Lexicon entries, category patterns and watched terms are compared with the
words of a post by their lemma, so that *ужасный*, *ужасная*, *ужасно* or
*Мобиксом* meet the one entry written for them. The lemmas come from
``simplemma`` (MIT), whose dictionaries ship inside its package and cover the
four languages; it needs no network and no model download. A word simplemma
does not know is its own lemma.

Words are expected folded (lower case, ``ё`` as ``е``); a lemma is folded the
same way, so it can be looked up in the lexicons directly.
"""

from functools import lru_cache

import simplemma

#: The languages whose lemmas are looked up; any other is returned unchanged.
LEMMA_LANGUAGES = frozenset({"en", "ru", "uk", "bg"})


@lru_cache(maxsize=200_000)
def lemma(word, lang):
    """Return the folded lemma of the folded ``word`` in ``lang``.

    ``word`` itself when the language is not one of :data:`LEMMA_LANGUAGES`,
    the word is not alphabetic or simplemma does not know it.
    """
    if lang not in LEMMA_LANGUAGES or not word.isalpha():
        return word
    found = simplemma.lemmatize(word, lang=lang)
    return found.lower().replace("ё", "е") if found else word


def lemmas(words, lang):
    """Return the lemma of each word of ``words``, in order."""
    return [lemma(word, lang) for word in words]
