"""Lemmas of words in the languages the analysis ships (en, ru, uk, bg).

Lexicon entries, category patterns and watched terms are compared with the
words of a post by their lemma, so that *ужасный*, *ужасная*, *ужасно* or
*Мобиксом* meet the one entry written for them. The lemmas come from
``simplemma`` (MIT), whose dictionaries ship inside its package and cover the
four languages; it needs no network and no model download. A word simplemma
does not know is its own lemma.

Words are expected folded (lower case, ``ё`` as ``е``); a lemma is folded the
same way, so it can be looked up in the lexicons directly.

The dictionaries are read with simplemma's low-memory strategy, which keeps
each language's compressed stream and decodes a block per lookup: measured
on the 100,000 words of the evaluation corpora (``tools/analysis_accuracy.py``)
the four languages take 44 MiB instead of 259 MiB for simplemma's default
``dict`` (Russian alone: 140 MiB), for the same lemmas, at about 50,000
uncached lookups per second instead of 350,000; the answers are remembered
(:data:`LEMMA_MEMO_SIZE`), and texts repeat their words.
"""

from functools import lru_cache

import simplemma
from simplemma.strategies import DefaultStrategy

#: The languages whose lemmas are looked up; any other is returned unchanged.
LEMMA_LANGUAGES = frozenset({"en", "ru", "uk", "bg"})
#: Lemmas remembered (about 12 MiB when full).
LEMMA_MEMO_SIZE = 50_000

_LEMMATIZER = simplemma.Lemmatizer(
    cache_max_size=0, lemmatization_strategy=DefaultStrategy(low_memory=True)
)


@lru_cache(maxsize=LEMMA_MEMO_SIZE)
def lemma(word, lang):
    """Return the folded lemma of the folded ``word`` in ``lang``.

    ``word`` itself when the language is not one of :data:`LEMMA_LANGUAGES`,
    the word is not alphabetic or simplemma does not know it.
    """
    if lang not in LEMMA_LANGUAGES or not word.isalpha():
        return word
    found = _LEMMATIZER.lemmatize(word, lang=lang)
    return found.lower().replace("ё", "е") if found else word


def lemmas(words, lang):
    """Return the lemma of each word of ``words``, in order."""
    return [lemma(word, lang) for word in words]
