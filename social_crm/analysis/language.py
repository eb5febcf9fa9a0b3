"""Language identification for the four languages social_crm analyses.

The analyzers only need to tell English, Russian, Ukrainian and Bulgarian
apart, so a full language identifier would be overkill. The decision is:

1. A usable ``hint`` wins: the network's or the author's language, given as
   ``en``, ``en_US``, ``uk-UA``, ``rus``..., is normalized and returned when it
   is one of :data:`SUPPORTED_LANGUAGES`.
2. Otherwise the script decides, once links, ``@handles`` and e-mail
   addresses are left out (a Russian tweet addressed to ``@someone`` is not
   English): more Latin letters than Cyrillic ones means ``en`` (every
   Latin-script text is treated as English).
3. Cyrillic text is scored per language by the letters that only one of the
   three languages uses (Ukrainian ``і ї є ґ`` and the apostrophe inside a
   word, ``м'ясо``; Russian ``ы э ё``; Bulgarian ``ъ`` inside a word), by
   letters one language lacks (Bulgarian writes ``ь`` only before ``о``, so
   ``ь`` elsewhere and the reflexive ending ``-ся``/``-сь`` point to Russian
   or Ukrainian), by Bulgarian's separate reflexive ``се``/``си`` and its
   short adjectives in ``-ен`` (``страхотен``, ``чудесен``), and by frequent
   function words of each language. The highest score wins.
4. Cyrillic text with no such evidence goes to the language whose own
   sentiment-lexicon words it uses (``"Прикро"``: Ukrainian, ``"Нищо"``:
   Bulgarian); with none either (``"Супер!"``, ``"Ура"``) it is ``ru``, the
   most common of the three on the networks. A text with no
   letter at all (``"👍 123"``) is ``""`` and callers fall back to
   language-independent behaviour.
"""

import re
from functools import cache

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
# What is not the author's language: links, @handles, e-mail addresses.
_NOT_PROSE_RE = re.compile(r"https?://\S+|www\.\S+|\S+@\S+|@\w+")
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
# Ukrainian's apostrophe before a iotated vowel (м'ясо, п'ять, з'їв).
_UK_APOSTROPHE_RE = re.compile(r"[\u0400-\u04ff]['’ʼ][яюєї]")
_UK_APOSTROPHE_WEIGHT = 2.0
# Bulgarian writes the soft sign only in "ьо": anywhere else it is Russian or
# Ukrainian, as is the reflexive ending -ся/-сь (Bulgarian: a separate "се").
_SOFT_SIGN_RE = re.compile(r"ь(?!о)")
_REFLEXIVE_RE = re.compile(r"[\u0400-\u04ff]{2}(?:ся|сь)\b")
_EAST_SLAVIC_WEIGHT = 1.0
# Ukrainian text nearly always shows its own letters too: the east-Slavic
# points go mostly to Russian.
_UK_SHARE = 0.25
# Ukrainian third person -еться (хочеться; Russian: хочется).
_UK_ENDING_RE = re.compile(r"еться\b")
_UK_ENDING_WEIGHT = 2.0
# Bulgarian short adjectives: страхотен, чудесен, уникален.
_BG_ADJECTIVE_RE = re.compile(r"[\u0400-\u04ff]{3}[^аеиоуъюяьй]ен\b")
_BG_ADJECTIVE_WEIGHT = 0.75

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
        "кто": 1.5,
        "чтобы": 2.0,
        "тоже": 1.5,
        "будет": 1.5,
        "надо": 1.5,
        "сегодня": 1.5,
        "вот": 1.5,
        "ладно": 1.5,
        "тебя": 1.0,
        "еще": 1.0,
        "все": 0.5,
        "она": 0.5,
        "ты": 1.0,
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
        "щоб": 2.0,
        "щось": 2.0,
        "чи": 1.0,
        "бо": 1.0,
        "треба": 1.5,
        "зараз": 1.5,
        "тут": 0.5,
        "шо": 2.0,
        "з": 1.5,
        "цей": 2.0,
        "ця": 1.5,
        "його": 1.5,
        "вона": 1.5,
        "хтось": 2.0,
        "якось": 2.0,
        "який": 1.5,
        "яка": 1.0,
        "яке": 1.0,
        "ти": 0.5,
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
        "се": 1.0,
        "си": 1.0,
        "аз": 2.0,
        "тя": 1.5,
        "ние": 1.5,
        "нещо": 2.0,
        "някой": 2.0,
        "кой": 1.5,
        "кога": 2.0,
        "къде": 2.0,
        "сега": 1.5,
        "днес": 1.5,
        "ама": 1.5,
        "обаче": 2.0,
        "защото": 2.0,
        "трябва": 2.0,
        "всички": 2.0,
        "мен": 1.0,
        "ме": 1.0,
        "ти": 0.5,
        "голям": 1.5,
        "малко": 1.0,
        "само": 1.0,
        "става": 1.0,
        "нямам": 2.0,
        "повече": 2.0,
        "филм": 1.5,
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
    scores["uk"] += _UK_APOSTROPHE_WEIGHT * len(_UK_APOSTROPHE_RE.findall(lowered))
    east = len(_SOFT_SIGN_RE.findall(lowered)) + len(_REFLEXIVE_RE.findall(lowered))
    scores["ru"] += _EAST_SLAVIC_WEIGHT * east
    scores["uk"] += _EAST_SLAVIC_WEIGHT * east * _UK_SHARE
    scores["bg"] += _BG_ADJECTIVE_WEIGHT * len(_BG_ADJECTIVE_RE.findall(lowered))
    scores["uk"] += _UK_ENDING_WEIGHT * len(_UK_ENDING_RE.findall(lowered))
    for word in _WORD_RE.findall(lowered):
        for lang, weight in _STOPWORD_WEIGHTS.get(word, ()):
            scores[lang] += weight
    return scores


@cache
def _own_words():
    """Return ``{lang: (words, stems)}``: each Slavic lexicon's own entries.

    An entry (a single word or a ``*`` stem of ``lexicon_<lang>.py``, a
    negator or a booster) is a language's own when neither of the other two
    lexicons has it.
    """
    # Imported here: the lexicons are data, and only short texts need them.
    from . import lexicon_bg, lexicon_ru, lexicon_uk

    entries = {}
    for lang, module in (("ru", lexicon_ru), ("uk", lexicon_uk), ("bg", lexicon_bg)):
        words = set(module.NEGATORS) | set(module.BOOSTERS)
        words |= {term for term in module.WORDS if " " not in term}
        entries[lang] = {word.lower().replace("ё", "е") for word in words}
    own = {}
    for lang, words in entries.items():
        others = set().union(*(entries[other] for other in entries if other != lang))
        mine = words - others
        own[lang] = (
            {word for word in mine if not word.endswith("*")},
            tuple(sorted(word[:-1] for word in mine if word.endswith("*"))),
        )
    return own


def _lexicon_vote(text):
    """Return the one language whose own lexicon words ``text`` uses, or ``""``.

    The last resort for a short Cyrillic text with no other evidence
    (``"Прикро"``: Ukrainian, ``"Нищо"``: Bulgarian).
    """
    votes = dict.fromkeys(("ru", "uk", "bg"), 0)
    for word in _WORD_RE.findall(text.lower().replace("ё", "е")):
        for lang, (words, stems) in _own_words().items():
            if word in words or word.startswith(stems):
                votes[lang] += 1
    best = max(votes.values())
    winners = [lang for lang, count in votes.items() if count == best]
    return winners[0] if best and len(winners) == 1 else ""


def detect_language(text, hint=""):
    """Return ``en``, ``ru``, ``uk``, ``bg``, or ``""`` for a text without letters.

    See the module docstring for the decision order.
    """
    hinted = normalize_language(hint)
    if hinted:
        return hinted
    text = _NOT_PROSE_RE.sub(" ", text or "")
    latin = len(_LATIN_RE.findall(text))
    cyrillic = len(_CYRILLIC_RE.findall(text))
    if not latin and not cyrillic:
        return ""
    if latin > cyrillic:
        return "en"
    scores = _cyrillic_scores(text)
    if max(scores.values()) <= 0:
        return _lexicon_vote(text) or "ru"
    # max() keeps the first of equal scores: on a tie Ukrainian and Bulgarian
    # win, their evidence being more specific than the Russian function words
    # (and Russian gets the east-Slavic letters' points Ukrainian gets too).
    return max(("uk", "bg", "ru"), key=scores.get)
