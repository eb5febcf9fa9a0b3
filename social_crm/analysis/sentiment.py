"""Lexicon-and-rules sentiment analysis for English, Russian, Ukrainian, Bulgarian.

The approach follows VADER (Hutto & Gilbert, 2014), adapted to inflected
Slavic languages:

* **Lexicon.** Each language module (``lexicon_<lang>.py``) maps entries to a
  valence on a -4..+4 scale. An entry is a word (``"рад"``), a stem ending in
  ``*`` matched as a prefix of the token (``"ужасн*"`` covers ужасный, ужасно,
  ужасная...; the longest matching stem wins) or a phrase of such words
  (``"не работа*"``), which is tried first, longest first, and consumes its
  tokens. English entries are added to every other language, since brand talk
  mixes in English words ("bug", "refund"). Elongated words ("sooo goood")
  are retried with their letter runs shortened.
* **Lemmas.** A word no entry covers as written is looked up once more by its
  lemma (:mod:`.lemma`, simplemma's dictionaries): "боюсь" and "боится" meet
  the entry "бояться", "бісиш" meets "бісити", which no stem could cover
  without swallowing other words. Only words that start as some entry does
  are lemmatized (a lemma keeps its word's first letters nearly always, and a
  lookup costs more than the rest), and interjections listed in a module's
  ``SURFACE_ONLY`` ("класс", "топ") never match through a lemma: the lemma of
  "классе" is the school class. Measured (``tools/analysis_accuracy.py
  --no-lemmas``), macro-F1 with lemmas minus without, dev / test parts:
  Russian +0.009 / +0.010, Ukrainian +0.003 / +0.006, Bulgarian +0.010 /
  -0.003; the stems already cover most forms. English is not lemmatized
  (:data:`LEMMA_LANGUAGES`). The cost: simplemma's dictionaries load once per
  process (about 1 s of CPU for the three languages) and hold 44 MiB.
* **Negation.** A negator (not, never, no, don't, не, ни, ні, нема, няма...)
  among the three words before a sentiment word flips and dampens its valence
  (x -0.74, so "not bad" is mildly positive). A phrase containing its own
  negator ("не работает", "can't wait") is never flipped again.
* **Intensity.** A booster among the two words before multiplies the valence
  (very, очень, дуже, много: x1.3; a bit, немного, трохи, малко: x0.6-0.7).
  A word in capitals inside a text that is not all capitals is shouted (x1.5).
  Negation and boosters look back within the clause only: punctuation and
  "but"-like words close their scope.
* **Contrast.** Around the last "but" (но, але, обаче...) the words before
  count half and the words after count one and a half times.
* **Emoji and emoticons** (👍 😡 ❤️ :) :( ``)))``) add their own valence,
  unaffected by negation.
* **Exclamation marks** push a non-zero total 0.3 further from zero each, up
  to four.

**English** stands on VADER (Hutto & Gilbert, 2014; ``vaderSentiment``,
MIT), the reference for social-media text: its 7,500-word lexicon, with our
English entries over it (set for brand talk) and
``lexicon_en.VADER_OVERRIDES`` silencing what brand talk reads otherwise
("support", "please", "care"). Two engines can score it (``english=`` of
:class:`SentimentAnalyzer`):

* ``"vader_lexicon"`` (the default): VADER's words in this module's engine,
  with our negation, boosters, contrast, phrases ("doesn't work", "still
  waiting") and emoji valences;
* ``"vader"``: VADER's own engine (its negation, boosters, "but", idiom and
  punctuation rules), then ours adds the phrases, words and emoji VADER
  lacks (VADER reads an emoji through its name, so 🔥 "fire" comes out
  negative and 👍 as nothing).

Measured on the English dev parts, macro-F1: our engine and lexicon alone
0.48, ``"vader"`` 0.579, ``"vader_lexicon"`` 0.578 (on the team's 240 posts
both 0.917). They disagree on 5 % of the posts and each is right on about
half of those: VADER's rules win on idioms and questions, our tokenizer on
words glued by punctuation ("positions...ugh!", "hateful/disrespectful"),
which VADER's split on spaces never looks up. ``"vader_lexicon"`` is the
default because it is 2.3 times faster on English (CPU time: 59,000 instead
of 26,000 posts a second on the ingestion benchmark's texts), which keeps the
analysis within the ingestion's speed budget.

The total ``s`` is normalized to ``s / sqrt(s² + 15)`` in (-1, 1) (VADER's
normalization too), which grows quickly for the first sentiment words and
saturates after a few. The label is ``positive`` from
:data:`POSITIVE_THRESHOLD` (0.2) up, ``negative`` from
:data:`NEGATIVE_THRESHOLD` (-0.2) down, ``neutral`` in between: one mild word
(valence ~0.8, score ~0.2) is the least that tips a post, so that a plain
question or announcement with no sentiment word stays neutral. Checked on the
development parts: the best symmetric or asymmetric thresholds between 0.05
and 0.4 gain at most 0.01-0.03 macro-F1 on one corpus and lose on another;
what turns negatives into neutrals is a missing word, not the threshold.

:class:`SentimentResult` also says which words decided (``evidence``) and how
sure the analysis is (``confidence``, 0 when no word was known).

Other analyzers (a trained model, an external service) follow the
:class:`Analyzer` protocol and are offered to companies by the Odoo layer.
"""

import math
import re
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple, Protocol

from . import lexicon_bg, lexicon_emoji, lexicon_en, lexicon_ru, lexicon_uk
from .language import SUPPORTED_LANGUAGES, detect_language, normalize_language
from .lemma import lemma

POSITIVE = "positive"
NEUTRAL = "neutral"
NEGATIVE = "negative"

#: Scores at or above this are ``positive``.
POSITIVE_THRESHOLD = 0.2
#: Scores at or below this are ``negative``.
NEGATIVE_THRESHOLD = -0.2
#: Normalization constant: ``s / sqrt(s*s + ALPHA)``.
ALPHA = 15.0

NEGATION_FACTOR = -0.74
NEGATION_SCOPE = 3
BOOSTER_SCOPE = 2
CAPS_FACTOR = 1.5
EXCLAMATION_BOOST = 0.3
MAX_EXCLAMATIONS = 4
CONTRAST_BEFORE = 0.5
CONTRAST_AFTER = 1.5

#: Words whose valence (and role: negator, booster...) a lexicon remembers.
LOOKUP_MEMO_SIZE = 10_000
#: Token strings whose token is remembered.
_TOKEN_MEMO_SIZE = 10_000

_LEXICON_MODULES = {
    "en": lexicon_en,
    "ru": lexicon_ru,
    "uk": lexicon_uk,
    "bg": lexicon_bg,
}

# Modifiers that travel with an emoji but do not change its meaning:
# variation selectors, skin tones, and the "man/woman" zero-width suffixes.
_EMOJI_MODIFIERS_RE = re.compile("[\ufe0e\ufe0f\U0001f3fb-\U0001f3ff]|\u200d[♀♂]")
_ELONGATION_RE = re.compile(r"(\w)\1{2,}")
_EMOJI_RE = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf\u2b50\u2b55]")
_WORD_RE = re.compile(r"[^\W\d_]+")
#: The languages whose words are also looked up by lemma. Not English: its
#: few inflections are in VADER's lexicon and our stems (measured on the dev
#: parts: +0.001 macro-F1 for a dictionary loaded and a lookup per word).
LEMMA_LANGUAGES = ("ru", "uk", "bg")
#: How many first letters a word shares with an entry for its lemma to be
#: looked up.
_LEMMA_PREFIX = 2
#: VADER's compound is turned back into its valence sum; this bounds it.
_VADER_MAX = 0.9999
_EMOTICON_ALT = "|".join(
    re.escape(emoticon)
    for emoticon in sorted(lexicon_emoji.EMOTICONS, key=len, reverse=True)
)
_EMOTICON_FIRST = re.escape("".join(sorted({e[0] for e in lexicon_emoji.EMOTICONS})))
#: The kinds of token other than emoticons, each with its pattern, in the
#: order they are tried.
_TOKEN_KINDS = (
    ("smile", r"\){2,}"),
    ("frown", r"\({2,}"),
    ("emoji", r"[\U0001f300-\U0001faff\u2600-\u27bf\u2b50\u2b55]"),
    ("word", r"[^\W\d_]+(?:'[^\W\d_]+)*"),
    ("excl", r"!"),
    ("stop", r"[.,;:?…—–\n]"),
)
# A token is an emoticon not followed by a letter (group 1), else one of
# _TOKEN_KINDS (group 2). The lookaheads only save time, the regex engine
# trying every alternative at every position: a space starts no token, and
# an emoticon starts with the first character of one.
_TOKEN_RE = re.compile(
    rf"(?! )(?:(?=[{_EMOTICON_FIRST}])({_EMOTICON_ALT})(?![^\W\d_])"
    rf"|({'|'.join(pattern for _kind, pattern in _TOKEN_KINDS)}))"
)
# The kind of a group 2 token, from its text alone: the patterns have no
# lookaround, so the first to match the whole text is the one that matched
# it in its context.
_KIND_RE = re.compile(
    "|".join(rf"(?P<{kind}>{pattern})" for kind, pattern in _TOKEN_KINDS)
)


@dataclass(frozen=True)
class SentimentResult:
    """What an analyzer returns: a ``label`` and a ``score`` in [-1, 1].

    ``confidence`` (0..1) says how sure the analyzer is: 0 when it found
    nothing to go on (a neutral by default), the score's distance from zero
    for a positive or negative label, and for a neutral one that has
    sentiment words cancelling out, half its closeness to zero. ``evidence``
    holds the words, phrases and emoji that decided, in text order.
    """

    label: str
    score: float
    confidence: float = 0.0
    evidence: tuple = ()


def _result(score, evidence):
    """Return the :class:`SentimentResult` of a normalized ``score``."""
    label = label_for(score)
    if not evidence:
        confidence = 0.0
    elif label == NEUTRAL:
        threshold = POSITIVE_THRESHOLD if score > 0 else -NEGATIVE_THRESHOLD
        confidence = 0.5 * (1 - abs(score) / threshold)
    else:
        confidence = abs(score)
    return SentimentResult(
        label, round(score, 4), round(confidence, 4), tuple(evidence)
    )


class Analyzer(Protocol):
    """The protocol of a sentiment analyzer a company may pick.

    The Odoo layer offers them by name: ``res.company``'s
    ``_get_sentiment_analyzer_classes()`` maps each name to a class (or any
    callable) that builds one, and an addon adds its own by inheriting it.

    ``analyze`` takes the post's text and its language code (``""`` when
    unknown: the analyzer detects or ignores it) and returns a
    :class:`SentimentResult` whose label is one of ``positive``, ``neutral``,
    ``negative``. Analyzers that only produce a score can use
    :func:`label_for` to share this module's thresholds.
    """

    def analyze(self, text: str, lang: str = "") -> SentimentResult: ...


def label_for(score):
    """Return the label of a normalized ``score`` (see the thresholds)."""
    if score >= POSITIVE_THRESHOLD:
        return POSITIVE
    if score <= NEGATIVE_THRESHOLD:
        return NEGATIVE
    return NEUTRAL


def fold(text):
    """Lower-case ``text`` and fold the spelling variants the lexicons ignore."""
    return (
        text.lower()
        .replace("ё", "е")
        .replace("’", "'")
        .replace("ʼ", "'")
        .replace("`", "'")
    )


# Token string -> its token, for the strings met so far (texts repeat their
# words). Tokens are folded one by one, not with the whole text: lower() may
# depend on the next letters (final sigma).
_TOKENS = {}


def _token(raw):
    """Return the token of a string of one of the :data:`_TOKEN_KINDS`."""
    token = _TOKENS.get(raw)
    if token is None:
        if len(_TOKENS) >= _TOKEN_MEMO_SIZE:
            _TOKENS.clear()
        kind = _KIND_RE.fullmatch(raw).lastgroup
        token = _TOKENS[raw] = (kind, raw, fold(raw))
    return token


def _tokenize(text):
    """Return the tokens of ``text`` as ``(kind, raw, norm)`` tuples.

    ``kind`` is ``emoticon`` or one of :data:`_TOKEN_KINDS`, ``raw`` the text
    matched and ``norm`` its :func:`fold`.
    """
    text = _EMOJI_MODIFIERS_RE.sub("", text)
    text = text.replace("’", "'").replace("ʼ", "'").replace("`", "'")
    known = _TOKENS
    return [
        ("emoticon", emoticon, fold(emoticon))
        if emoticon
        else known.get(other) or _token(other)
        for emoticon, other in _TOKEN_RE.findall(text)
    ]


class _Word(NamedTuple):
    """What a :class:`_Lexicon` knows of one folded word."""

    #: A "but"-like word: closes the scope of negators and boosters.
    contrast: bool
    negator: bool
    #: The booster's factor, ``None`` for a word that is not a booster.
    booster: float | None
    #: The valence of the word on its own (:meth:`_Lexicon.lookup`).
    valence: float
    #: Positions in :attr:`_Lexicon.phrases` of the phrases that may start
    #: with the word, in order.
    phrases: tuple


class _Lexicon:
    """The entries of one or more language modules, indexed for lookup."""

    def __init__(self, modules, lang=""):
        #: The language whose lemmas are looked up ("": none).
        self.lang = lang
        self.exact = {}
        self.stems = {}
        phrases = {}
        self.negators = set()
        self.negator_suffixes = set()
        self.boosters = {}
        self.contrast = set()
        #: Entries never reached through a lemma (the modules' SURFACE_ONLY).
        self.surface_only = set()
        #: Prefixes of superlatives written as one word (Ukrainian "най"):
        #: "найнебезпечніший" finds "небезпечн*".
        self.superlative_prefixes = set()
        for module in modules:
            for term, valence in module.WORDS.items():
                parts = tuple(fold(term).split())
                if len(parts) > 1:
                    phrases[parts] = valence
                elif parts[0].endswith("*"):
                    self.stems[parts[0][:-1]] = valence
                else:
                    self.exact[parts[0]] = valence
            self.negators |= {fold(word) for word in module.NEGATORS}
            suffix = getattr(module, "NEGATOR_SUFFIX", "")
            if suffix:
                self.negator_suffixes.add(suffix)
            self.boosters.update(
                (fold(word), factor) for word, factor in module.BOOSTERS.items()
            )
            self.contrast |= {fold(word) for word in module.CONTRAST}
            self.surface_only |= {
                fold(word) for word in getattr(module, "SURFACE_ONLY", ())
            }
            prefix = getattr(module, "SUPERLATIVE_PREFIX", "")
            if prefix:
                self.superlative_prefixes.add(prefix)
        self.phrases = sorted(phrases.items(), key=lambda item: -len(item[0]))
        #: The first letters of the words and stems: see :meth:`_lookup`.
        self.prefixes = {
            entry[:_LEMMA_PREFIX] for entry in (*self.exact, *self.stems) if entry
        }
        #: The :class:`_Word` of the words met so far, see :meth:`word`.
        self.known = {}
        self.min_stem = min(map(len, self.stems), default=1)
        # Phrases by their first word, or the stem of a ``*`` first word, so a
        # token only tries the phrases that can start with it (in order).
        self.phrases_by_word = {}
        self.phrases_by_stem = {}
        for position, (parts, _valence) in enumerate(self.phrases):
            first = parts[0]
            if first.endswith("*"):
                self.phrases_by_stem.setdefault(first[:-1], []).append(position)
            else:
                self.phrases_by_word.setdefault(first, []).append(position)
        self.phrase_stem_lengths = sorted(set(map(len, self.phrases_by_stem)))

    def is_negator(self, word):
        return word in self.negators or any(
            word.endswith(suffix) for suffix in self.negator_suffixes
        )

    def word(self, word):
        """Return the :class:`_Word` of a folded word.

        Answers are remembered (up to :data:`LOOKUP_MEMO_SIZE` words, then
        forgotten at once): texts repeat their vocabulary.
        """
        known = self.known.get(word)
        if known is None:
            if len(self.known) >= LOOKUP_MEMO_SIZE:
                self.known.clear()
            known = self.known[word] = self._describe(word)
        return known

    def _describe(self, word):
        """Return the :class:`_Word` of ``word``, as :meth:`word` remembers it."""
        positions = list(self.phrases_by_word.get(word, ()))
        for length in self.phrase_stem_lengths:
            if length > len(word):
                break
            positions += self.phrases_by_stem.get(word[:length], ())
        return _Word(
            contrast=word in self.contrast,
            negator=self.is_negator(word),
            booster=self.boosters.get(word),
            valence=self._lookup(word),
            phrases=tuple(sorted(positions)),
        )

    def lookup(self, word):
        """Return the valence of a single word, 0 when it has none.

        Remembered with the rest of :meth:`word`.
        """
        return self.word(word).valence

    def _lookup(self, word):
        candidates = dict.fromkeys(
            (word, _ELONGATION_RE.sub(r"\1\1", word), _ELONGATION_RE.sub(r"\1", word))
        )
        for prefix in self.superlative_prefixes:
            if word.startswith(prefix) and len(word) > len(prefix) + 3:
                candidates[word[len(prefix) :]] = None
        for candidate in candidates:
            valence = self._entry(candidate)
            if valence is not None:
                return valence
        # Only then the lemma ("боюсь" finds "бояться"), and only for a word
        # that starts as an entry does: a lemma keeps its word's first
        # letters nearly always, and looking one up costs more than the rest.
        if self.lang and word[:_LEMMA_PREFIX] in self.prefixes:
            base = lemma(word, self.lang)
            if base not in candidates and base not in self.surface_only:
                valence = self._entry(base)
                if valence is not None:
                    return valence
        return 0.0

    def _entry(self, word):
        """Return the valence of the entry ``word`` is or starts with, or None."""
        if word in self.exact:
            return self.exact[word]
        for end in range(len(word), self.min_stem - 1, -1):
            valence = self.stems.get(word[:end])
            if valence is not None:
                return valence
        return None

    def match_phrase(self, tokens, start):
        """Return ``(length, valence, negatable)`` of the phrase at ``start``."""
        for position in self.word(tokens[start][2]).phrases:
            parts, valence = self.phrases[position]
            end = start + len(parts)
            if end > len(tokens):
                continue
            window = tokens[start:end]
            if all(
                kind == "word" and _matches(part, norm)
                for part, (kind, _raw, norm) in zip(parts, window, strict=True)
            ):
                negatable = not any(self.word(norm).negator for _k, _r, norm in window)
                return len(parts), valence, negatable
        return None


def _symbol_valence(kind, raw):
    """Return the valence of an emoji, emoticon or bracket run (else 0)."""
    if kind == "emoji":
        return lexicon_emoji.EMOJI.get(raw, 0.0)
    if kind == "emoticon":
        return lexicon_emoji.EMOTICONS.get(raw, 0.0)
    if kind in ("smile", "frown"):
        base = (
            lexicon_emoji.BRACKET_SMILE
            if kind == "smile"
            else lexicon_emoji.BRACKET_FROWN
        )
        factor = 1 + lexicon_emoji.BRACKET_STEP * (len(raw) - 2)
        return base * min(factor, lexicon_emoji.BRACKET_MAX_FACTOR)
    return 0.0


def _shorten(word, known):
    """Return ``word`` with its letter runs shortened if VADER knows it so."""
    for candidate in (
        _ELONGATION_RE.sub(r"\1\1", word),
        _ELONGATION_RE.sub(r"\1", word),
    ):
        if candidate.lower() in known:
            return candidate
    return word


def _matches(part, word):
    if part.endswith("*"):
        return word.startswith(part[:-1])
    return word == part


class _VaderWords:
    """VADER's lexicon as a lexicon module, for ``english="vader_lexicon"``.

    Its single words (not its emoticons: emoji and emoticons are ours), under
    :data:`lexicon_en.VADER_OVERRIDES`; ``lexicon_en`` comes after it and wins.
    """

    NEGATORS = ()
    BOOSTERS = {}
    CONTRAST = ()

    def __init__(self):
        from vaderSentiment import vaderSentiment

        analyzer = vaderSentiment.SentimentIntensityAnalyzer()
        self.WORDS = {
            word: valence
            for word, valence in analyzer.lexicon.items()
            if word.replace("'", "").isalpha() and "*" not in word
        }
        self.WORDS.update(lexicon_en.VADER_OVERRIDES)


@cache
def _lexicon(lang, lemmas=True, vader_words=True):
    """Compile the lexicon for ``lang`` (``""``: every language at once).

    ``lemmas``: whether words are also looked up by their lemma in ``lang``;
    ``vader_words``: whether English stands on VADER's lexicon.
    """
    if lang in _LEXICON_MODULES:
        # English first so that the language's own entries win on a clash.
        modules = dict.fromkeys((lexicon_en, _LEXICON_MODULES[lang]))
        if vader_words and lang == "en":
            modules = [_VaderWords(), lexicon_en]
    else:
        modules = [_LEXICON_MODULES[code] for code in SUPPORTED_LANGUAGES]
    return _Lexicon(modules, lang if lemmas and lang in LEMMA_LANGUAGES else "")


@cache
def _vader():
    """The VADER analyzer, built once (it reads its lexicon files)."""
    # Imported here: only English needs it, and loading it reads two files.
    from vaderSentiment import vaderSentiment

    # Our boosters VADER lacks ("a bit slow"), at VADER's own step. Its
    # booster table is a module global: this adds to it for the process.
    for word, factor in lexicon_en.BOOSTERS.items():
        vaderSentiment.BOOSTER_DICT.setdefault(
            word, vaderSentiment.B_INCR if factor > 1 else vaderSentiment.B_DECR
        )

    class Vader(vaderSentiment.SentimentIntensityAnalyzer):
        """VADER without its emoji step: our caller has removed the emoji.

        ``polarity_scores`` first rebuilds the text character by character
        to spell emoji out; this is the rest of it, unchanged (vaderSentiment
        3.3.2, MIT).
        """

        def polarity_scores(self, text):
            sentitext = vaderSentiment.SentiText(text)
            sentiments = []
            items = sentitext.words_and_emoticons
            for i, item in enumerate(items):
                lowered = item.lower()
                if lowered in vaderSentiment.BOOSTER_DICT or (
                    lowered == "kind"
                    and i < len(items) - 1
                    and items[i + 1].lower() == "of"
                ):
                    sentiments.append(0)
                    continue
                sentiments = self.sentiment_valence(0, sentitext, item, i, sentiments)
            sentiments = self._but_check(items, sentiments)
            return self.score_valence(sentiments, text)

    vader = Vader()
    # Our English words win over VADER's: they were set for brand talk.
    vader.lexicon.update(
        (term, valence)
        for term, valence in lexicon_en.WORDS.items()
        if " " not in term and "*" not in term
    )
    vader.lexicon.update(lexicon_en.VADER_OVERRIDES)
    return vader


class SentimentAnalyzer:
    """The default analyzer (see the module docstring).

    ``english`` picks the English engine: ``"vader_lexicon"`` (default:
    VADER's lexicon in this module's engine), ``"vader"`` (VADER's engine) or
    ``"lexicon"`` (this module's engine and lexicon only), see the module
    docstring;
    ``lemmas`` whether words are also looked up by their lemma. Both exist to
    measure the alternatives (``tools/analysis_accuracy.py``).
    """

    def __init__(self, english="vader_lexicon", lemmas=True):
        self.english = english
        self.lemmas = lemmas

    def analyze(self, text, lang=""):
        """Return the :class:`SentimentResult` of ``text`` in ``lang``.

        ``lang`` is normalized (``"uk_UA"`` -> ``"uk"``); when it is empty or
        unsupported the language is detected, and when that fails the
        lexicons of all four languages are used together.
        """
        text = text or ""
        lang = normalize_language(lang) or detect_language(text)
        lexicon = _lexicon(lang, self.lemmas, self.english == "vader_lexicon")
        tokens = _tokenize(text)
        evidence = []
        if lang == "en" and self.english == "vader":
            total = self._vader_total(text, tokens, lexicon, evidence)
        else:
            total = self._total(tokens, lexicon, evidence)
        score = total / math.sqrt(total * total + ALPHA)
        return _result(score, evidence)

    def _vader_total(self, text, tokens, lexicon, evidence):
        """VADER's valence sum of ``text`` plus what only our lexicons know.

        VADER scores the words and emoticons of its lexicon with its own
        rules (negation, boosters, "but", capitals, punctuation). Our engine
        then adds, over the same text, the brand-talk entries VADER lacks (our
        phrases such as "doesn't work", "still waiting", and words VADER does
        not know such as "refund", "outage") and the emoji (our valences:
        VADER reads an emoji through its description, which makes 🔥 "fire"
        negative and 👍 nothing).
        """
        vader = _vader()
        known = vader.lexicon
        words = _EMOJI_RE.sub(" ", text)
        elongated = _ELONGATION_RE.search(words)
        if elongated:
            words = _WORD_RE.sub(lambda match: _shorten(match[0], known), words)
        total = 0.0
        # VADER scores nothing in a text none of whose words it knows (most
        # posts): do not ask it then.
        if (
            elongated
            or any(norm in known for _kind, _raw, norm in tokens)
            or not known.keys().isdisjoint(words.lower().split())
        ):
            compound = vader.polarity_scores(words.strip())["compound"]
            compound = max(-_VADER_MAX, min(_VADER_MAX, compound))
            total = compound * math.sqrt(ALPHA / (1 - compound * compound))
        if total:
            evidence += [
                raw
                for kind, raw, norm in tokens
                if kind in ("word", "emoticon") and known.get(norm)
            ]
        extra = self._total(tokens, lexicon, evidence, skip=known, exclaim=not total)
        return total + extra

    @staticmethod
    def _caps_matter(tokens):
        """Whether words in capitals are stressed among ``tokens``."""
        words = shouting = 0
        for kind, raw, _norm in tokens:
            if kind == "word":
                words += 1
                if len(raw) > 1 and raw.isupper():
                    shouting += 1
        # Capitals stress a word only against a background of lower case.
        return 0 < shouting < words

    def _total(self, tokens, lexicon, evidence, skip=(), exclaim=True):
        """Return the valence sum of ``tokens``; add its words to ``evidence``.

        Words and emoticons in ``skip`` (VADER's lexicon) are left to VADER
        unless a phrase of ours starts with them; ``exclaim``: whether
        exclamation marks push the total.
        """
        caps_matter = self._caps_matter(tokens)
        known = lexicon.known
        valences = []
        contrast_at = -1
        exclamations = 0
        resume = 0  # the index after the last phrase found
        for index, (kind, raw, norm) in enumerate(tokens):
            if index < resume:
                continue
            length = 1
            if kind == "word":
                word = known.get(norm) or lexicon.word(norm)
                if word.contrast:
                    contrast_at = index
                phrase = word.phrases and lexicon.match_phrase(tokens, index)
                if phrase:
                    length, valence, negatable = phrase
                    resume = index + length
                elif norm in skip:
                    continue
                elif word.booster is None and not word.negator:
                    valence, negatable = word.valence, True
                else:
                    continue
                if valence:
                    if caps_matter and len(raw) > 1 and raw.isupper():
                        valence *= CAPS_FACTOR
                    valence = self._modify(tokens, index, valence, negatable, lexicon)
            elif kind == "excl":
                exclamations += 1
                continue
            elif norm in skip:
                continue
            else:
                valence = _symbol_valence(kind, raw)
            if valence:
                valences.append((index, valence))
                evidence.append(" ".join(t[1] for t in tokens[index : index + length]))
        total = sum(
            valence * self._contrast_weight(position, contrast_at)
            for position, valence in valences
        )
        if total and exclamations and exclaim:
            boost = EXCLAMATION_BOOST * min(exclamations, MAX_EXCLAMATIONS)
            total += math.copysign(boost, total)
        return total

    @staticmethod
    def _contrast_weight(position, contrast_at):
        if contrast_at < 0:
            return 1.0
        return CONTRAST_BEFORE if position < contrast_at else CONTRAST_AFTER

    @staticmethod
    def _modify(tokens, index, valence, negatable, lexicon):
        """Apply the negators and boosters found before ``tokens[index]``."""
        negated = False
        distance = 0
        for position in range(index - 1, -1, -1):
            kind, _raw, norm = tokens[position]
            if kind != "word":
                if kind in ("stop", "excl") or norm in lexicon.contrast:
                    break
                continue
            word = lexicon.word(norm)
            if word.contrast:
                break
            distance += 1
            if distance > NEGATION_SCOPE:
                break
            if word.negator:
                negated = True
            elif distance <= BOOSTER_SCOPE and word.booster is not None:
                valence *= word.booster
        if negated and negatable:
            valence *= NEGATION_FACTOR
        return valence
