"""Language identification for the four languages social_crm analyses.

The analyzers only need to tell English, Russian, Ukrainian and Bulgarian
apart, so a full language identifier would be overkill. The decision is:

1. A usable ``hint`` wins: the network's or the author's language, given as
   ``en``, ``en_US``, ``uk-UA``, ``rus``..., is normalized and returned when it
   is one of :data:`SUPPORTED_LANGUAGES`.
2. Otherwise the script decides: more Latin letters than Cyrillic ones means
   ``en`` (every Latin-script text is treated as English).
3. Cyrillic text is scored per language by the letters that only one of the
   three languages uses (Ukrainian ``і ї є ґ``; Russian ``ы э ё``; Bulgarian
   ``ъ`` inside a word) and by frequent function words of each language. The
   highest score wins; with no evidence at all (``"Супер!"``) the result is
   ``""`` and callers fall back to language-independent behaviour.
"""

import re

SUPPORTED_LANGUAGES = ("en", "ru", "uk", "bg")

# ISO 639-2 and common non-standard spellings met in network metadata.
_HINT_ALIASES = {
    "eng": "en",
    "rus": "ru",
    "ukr": "uk",
    "ua": "uk",
    "bul": "bg",
}

_WORD_RE = re.compile(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)*")
_CODE_SEPARATOR_RE = re.compile(r"[-_@.]")

_LATIN_RE = re.compile(r"[a-zA-Z]")
_CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")

# Letters (lower case) that mark one language among ru/uk/bg, with a weight
# per occurrence. Bulgarian ``ъ`` counts only inside a word (Russian uses it
# rarely and only as a separator, which the word-middle rule cannot tell apart,
# hence its lower weight).
_LETTERS = {
    "uk": {"і": 2.0, "ї": 3.0, "є": 2.0, "ґ": 3.0},
    "ru": {"ы": 2.0, "э": 2.0, "ё": 3.0},
}
_BG_HARD_SIGN_RE = re.compile(r"[\u0400-\u04ff]ъ[\u0400-\u04ff]")
_BG_HARD_SIGN_WEIGHT = 1.5

# Function words that are frequent in one language and rare in the others.
# Words shared by all three (``не``, ``и``, ``на``) carry no information and
# are left out; ``ще`` is Bulgarian "will" but also Ukrainian "still", so it
# is weighted lower for Bulgarian and the Ukrainian letters usually settle it.
_STOPWORDS = {
    "ru": {
        "что": 2.0,
        "это": 2.0,
        "как": 1.0,
        "очень": 2.0,
        "меня": 1.5,
        "мне": 1.0,
        "был": 1.0,
        "было": 1.0,
        "уже": 1.0,
        "только": 1.5,
        "есть": 1.0,
        "нет": 1.0,
        "его": 1.0,
        "они": 1.0,
        "или": 1.0,
        "если": 1.5,
        "когда": 1.5,
        "почему": 1.5,
        "спасибо": 1.5,
        "можно": 1.0,
        "где": 1.0,
    },
    "uk": {
        "що": 2.0,
        "це": 2.0,
        "як": 1.0,
        "дуже": 2.0,
        "мене": 1.5,
        "мені": 1.0,
        "вже": 1.5,
        "та": 0.5,
        "або": 1.5,
        "коли": 1.5,
        "чому": 1.5,
        "дякую": 2.0,
        "де": 0.5,
        "й": 1.0,
        "ще": 0.5,
    },
    "bg": {
        "ще": 1.0,
        "са": 2.0,
        "във": 2.0,
        "съм": 2.0,
        "това": 2.0,
        "тази": 1.5,
        "този": 1.5,
        "какво": 2.0,
        "защо": 2.0,
        "много": 1.0,
        "има": 1.0,
        "няма": 2.0,
        "беше": 1.5,
        "вече": 1.5,
        "още": 1.5,
        "които": 1.5,
        "който": 1.5,
        "благодаря": 2.0,
        "е": 0.5,
        "ли": 1.0,
        "но": 0.5,
        "от": 0.5,
        "със": 1.5,
    },
}


def _stopword_weights():
    """Return ``{word: ((lang, weight), ...)}`` of :data:`_STOPWORDS`."""
    weights = {}
    for lang, words in _STOPWORDS.items():
        for word, weight in words.items():
            weights.setdefault(word, []).append((lang, weight))
    return {word: tuple(pairs) for word, pairs in weights.items()}


# The weights of each stop word, so that a word is looked up once.
_STOPWORD_WEIGHTS = _stopword_weights()

# Code -> normalize_language(code), for the codes met so far (a handful).
_NORMALIZED = {}
_NORMALIZED_MEMO_SIZE = 1000


def normalize_language(code):
    """Return the supported language a locale-like ``code`` names, or ``""``.

    ``"en_US"``, ``"uk-UA"``, ``"RU"`` and ``"bul"`` map to ``en``, ``uk``,
    ``ru`` and ``bg``; anything else (``"de"``, ``False``) maps to ``""``.
    """
    if not code or not isinstance(code, str):
        return ""
    normalized = _NORMALIZED.get(code)
    if normalized is None:
        base = _CODE_SEPARATOR_RE.split(code.strip().lower(), maxsplit=1)[0]
        base = _HINT_ALIASES.get(base, base)
        normalized = base if base in SUPPORTED_LANGUAGES else ""
        if len(_NORMALIZED) >= _NORMALIZED_MEMO_SIZE:
            _NORMALIZED.clear()
        _NORMALIZED[code] = normalized
    return normalized


def _cyrillic_scores(text):
    lowered = text.lower()
    scores = dict.fromkeys(("ru", "uk", "bg"), 0.0)
    for lang, letters in _LETTERS.items():
        scores[lang] += sum(
            weight * lowered.count(letter) for letter, weight in letters.items()
        )
    scores["bg"] += _BG_HARD_SIGN_WEIGHT * len(_BG_HARD_SIGN_RE.findall(lowered))
    for word in _WORD_RE.findall(lowered):
        for lang, weight in _STOPWORD_WEIGHTS.get(word, ()):
            scores[lang] += weight
    return scores


def detect_language(text, hint=""):
    """Return ``en``, ``ru``, ``uk``, ``bg`` or ``""`` for ``text``.

    See the module docstring for the decision order.
    """
    hinted = normalize_language(hint)
    if hinted:
        return hinted
    text = text or ""
    latin = len(_LATIN_RE.findall(text))
    cyrillic = len(_CYRILLIC_RE.findall(text))
    if not latin and not cyrillic:
        return ""
    if latin > cyrillic:
        return "en"
    scores = _cyrillic_scores(text)
    best = max(scores.values())
    if best <= 0:
        return ""
    # max() keeps the first of equal scores: on a tie Ukrainian and Bulgarian
    # win, their evidence being more specific than the Russian function words.
    return max(("uk", "bg", "ru"), key=scores.get)
