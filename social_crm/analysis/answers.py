"""Which ready answers fit a post: ranked by category, language and words.

An answer's score for a post adds three things (weights below):

* **category**: +2 when the answer is filed under the post's category, -1
  when it is filed under others only, 0 when it has no category (it fits
  anything, a little);
* **language**: +1 when the answer is written in the post's language (it
  has that translation); -2 when it is not (it cannot be sent as it is),
  and its English text is compared;
* **words**: the post's and the answer's lemmas (title, keywords and body,
  words of three letters or more, via :mod:`.lemma`) compared as sets,
  ``4 * |common| / sqrt(|post| * |answer|)`` (a cosine of 0 to 1), plus 0.5
  per keyword lemma the post has.

Answers scoring 0 or less are not suggested. Ties go to the most used.

Plain Python: nothing here imports Odoo.
"""

import math
from dataclasses import dataclass

from .categories import split_words
from .lemma import lemmas

CATEGORY_MATCH = 2.0
CATEGORY_OTHER = -1.0
LANGUAGE_MATCH = 1.0
LANGUAGE_OTHER = -2.0
WORDS_WEIGHT = 4.0
KEYWORD_WEIGHT = 0.5
MIN_WORD_LENGTH = 3


@dataclass
class AnswerCandidate:
    key: int
    #: {language code ("en", "ru"...): (title, body)}; "en" is the fallback.
    texts: dict
    categories: frozenset = frozenset()
    keywords: str = ""
    use_count: int = 0


def lemma_set(text, lang):
    """The set of lemmas of ``text``'s words of three letters or more."""
    words = [w for w in split_words(text) if len(w) >= MIN_WORD_LENGTH]
    return set(lemmas(words, lang))


def score_answer(candidate, post_lemmas, lang, category):
    """The score of ``candidate`` for a post (see the module docstring)."""
    score = 0.0
    if category and category in candidate.categories:
        score += CATEGORY_MATCH
    elif candidate.categories:
        score += CATEGORY_OTHER
    if lang in candidate.texts:
        score += LANGUAGE_MATCH
        text_lang = lang
    else:
        score += LANGUAGE_OTHER
        text_lang = "en" if "en" in candidate.texts else next(iter(candidate.texts), "")
    title, body = candidate.texts.get(text_lang, ("", ""))
    keywords = lemma_set(candidate.keywords, text_lang)
    answer_lemmas = lemma_set(f"{title} {body}", text_lang) | keywords
    if post_lemmas and answer_lemmas:
        common = len(post_lemmas & answer_lemmas)
        score += (
            WORDS_WEIGHT * common / math.sqrt(len(post_lemmas) * len(answer_lemmas))
        )
    score += KEYWORD_WEIGHT * len(post_lemmas & keywords)
    return score


def rank_answers(text, lang, category, candidates, limit=3):
    """The keys of the best ``candidates`` for a post, best first.

    ``text`` and ``lang`` are the post's, ``category`` its category code.
    """
    post_lemmas = lemma_set(text, lang)
    scored = []
    for candidate in candidates:
        score = score_answer(candidate, post_lemmas, lang, category)
        if score > 0:
            scored.append((-score, -candidate.use_count, candidate.key))
    return [key for _score, _uses, key in sorted(scored)[:limit]]
