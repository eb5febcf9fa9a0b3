"""Consumer-cycle classification of a mention by weighted keyword rules.

The rules are data: in the database they are the ``social.category.rule``
records of each ``social.category``; the defaults shipped with the module are
:data:`.default_rules.DEFAULT_RULES`. A rule is a ``(code, lang, term,
weight)`` tuple:

* ``lang`` restricts it to one language; empty (``""``, ``False``) means any.
  When the mention's language is unknown, every rule applies.
* ``term`` is a word or a phrase, matched case-insensitively on whole words
  (``ё`` = ``е``, any apostrophe = ``'``). A word ending in ``*`` matches any
  word starting with it, which covers Slavic inflection (``сломал*``:
  сломался, сломалась...). Hyphens and other punctuation separate words in
  the term as in the text, so ``"кто-нибудь знает"`` matches as a phrase.
* An exact word of a term also matches the words with the same lemma
  (:mod:`.lemma`, in the rule's language, else the text's): ``поддерживает``
  meets поддерживают, ``чи працює`` meets чи працюють, ``cancel`` meets
  canceled. Both must start with the same three letters (suppletive forms
  such as best/good or лучше/хороший stay apart), and an English word only
  meets its forms when the rule gives it in its dictionary form ("ordered"
  does not meet the noun "order").
* A one-word term after a negator (:data:`NEGATORS`, within two words) does
  not count: "ни одного сбоя", "жодних проблем", "no problems". Phrases
  holding their own negation ("не работает") are unaffected.
* ``weight`` is added to the category's score once per matching rule, however
  often the term occurs; a word of the text counts once per category and
  term length, for its heaviest rule (``цены`` meets both ``цена`` and
  ``цену`` by its lemma, and counts once).

Signals come from outside the rules too: each competitor term found adds
:data:`COMPETITOR_WEIGHT` to ``competitor_mention``, so that naming a rival
classifies a mention only when no stronger category applies; and a question
mark adds :data:`QUESTION_WEIGHT` to ``general_question``, enough to classify
a question that no rule recognises. The post's sentiment, when given, is the
third: a negative score adds up to :data:`NEGATIVE_COMPLAINT_WEIGHT` to
``complaint`` and a positive one up to :data:`POSITIVE_FEEDBACK_WEIGHT` to
``feedback_review`` (evidence ``(negative)`` / ``(positive)``), so that an
opinion no rule recognises is still a complaint or feedback, while a telling
rule (churn, PR risk, a follow-up) still wins.

Competitor terms are proper nouns that no dictionary knows, so each of their
words also matches its inflected forms by a light suffix stemmer (see
:func:`inflects`): *Мобиксе*, *Мобиксом* for Мобикс, *Тарбанку* for Тарбанк,
*Globexu*, *Globex's* for Globex, *Мобіком* for Мобіка.

The highest score wins. Equal scores go to the first category in
:data:`PRIORITY` (the most urgent one for the brand); codes of categories
added by users rank after those, alphabetically. No positive score gives
``other``.

What decided the result is in it: ``evidence`` is the tuple of the winning
category's matched terms (``"?"`` for a question mark), and ``confidence`` in
[0, 1] is the winner's share of all the positive scores, damped when the
winning score is weak (``min(1, score / CONFIDENT_SCORE)``); ``other`` with no
match has confidence 0.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .language import normalize_language
from .lemma import LEMMA_LANGUAGES, lemma
from .sentiment import fold

GENERAL_QUESTION = "general_question"
PRODUCT_QUESTION = "product_question"
PURCHASE_INTENT = "purchase_intent"
COMPETITOR_MENTION = "competitor_mention"
FEEDBACK_REVIEW = "feedback_review"
COMPLAINT = "complaint"
SUPPORT_FOLLOWUP = "support_followup"
CHURN_INTENT = "churn_intent"
PR_RISK = "pr_risk"
OTHER = "other"

#: Every built-in category code, in the consumer-cycle order.
CATEGORY_CODES = (
    GENERAL_QUESTION,
    PRODUCT_QUESTION,
    PURCHASE_INTENT,
    COMPETITOR_MENTION,
    FEEDBACK_REVIEW,
    COMPLAINT,
    SUPPORT_FOLLOWUP,
    CHURN_INTENT,
    PR_RISK,
    OTHER,
)

#: Tie-breaking order, most urgent first.
PRIORITY = (
    CHURN_INTENT,
    COMPLAINT,
    PR_RISK,
    SUPPORT_FOLLOWUP,
    PURCHASE_INTENT,
    PRODUCT_QUESTION,
    FEEDBACK_REVIEW,
    COMPETITOR_MENTION,
    GENERAL_QUESTION,
)

COMPETITOR_WEIGHT = 1.0
QUESTION_WEIGHT = 0.5
#: What the post's sentiment adds, at full strength (score -1 or +1): a
#: negative post is a complaint and a positive one feedback unless a rule
#: says more. Half of it at the sentiment thresholds, nothing for neutral.
NEGATIVE_COMPLAINT_WEIGHT = 1.0
POSITIVE_FEEDBACK_WEIGHT = 1.0
#: The sentiment score from which the post counts as negative or positive
#: here (the analyzers' own thresholds).
SENTIMENT_SIGNAL_FROM = 0.05
#: A winning score from which the result is as sure as its share makes it.
CONFIDENT_SCORE = 2.0

#: Endings a proper noun takes in en/ru/uk/bg (cases, possessive, the Slavic
#: transliterated Latin forms), longest first.
INFLECTION_SUFFIXES = tuple(
    sorted(
        {
            "'s",
            "s",
            "es",
            "u",
            "e",
            "a",
            "om",
            "em",
            "ovi",
            "ou",
            "а",
            "я",
            "у",
            "ю",
            "е",
            "є",
            "і",
            "и",
            "ы",
            "ї",
            "ой",
            "ей",
            "ом",
            "ем",
            "єм",
            "ою",
            "ею",
            "ам",
            "ям",
            "ах",
            "ях",
            "ами",
            "ями",
            "ов",
            "ев",
            "ові",
            "еві",
            "ът",
            "ят",
            "та",
            "то",
            "те",
            "ия",
        },
        key=lambda suffix: (-len(suffix), suffix),
    )
)
#: Final vowels a proper noun drops before its endings (Мобика → Мобике).
_STEM_VOWELS = "аяоеьйіиыuaoe"

#: Words that, among the two before a one-word term, deny it ("no problem",
#: "ни одного сбоя", "жодних проблем", "нито един проблем", "not impressed"
#: is a phrase of its own and unaffected).
NEGATORS = frozenset(
    {
        "not",
        "no",
        "never",
        "without",
        "zero",
        "hasn't",
        "haven't",
        "isn't",
        "wasn't",
        "don't",
        "doesn't",
        "didn't",
        "won't",
        "не",
        "ни",
        "нет",
        "без",
        "никаких",
        "никакого",
        "ні",
        "ані",
        "жоден",
        "жодна",
        "жодного",
        "жодної",
        "жодних",
        "немає",
        "нито",
        "никакви",
        "никакъв",
        "няма",
    }
)
_NEGATION_WINDOW = 2

_WORD_RE = re.compile(r"\w+(?:'\w+)*")
_TAG_RE = re.compile(r"(?:^|\W)[@#](\w+)")
_TERM_RE = re.compile(r"\w+(?:'\w+)*\*?")
_EPSILON = 1e-9
#: Words whose candidate rules a :class:`RuleSet` remembers.
_WORD_MEMO_SIZE = 50_000


@dataclass(frozen=True)
class CategoryResult:
    """The winning ``code``, the terms that made it win, and every score."""

    code: str
    matched_terms: list = field(default_factory=list)
    scores: dict = field(default_factory=dict)
    confidence: float = 0.0

    @property
    def evidence(self):
        """What decided the result: the winning category's matched terms."""
        return tuple(self.matched_terms)


def _proper_stem(word):
    """The stem of a proper noun's word that its inflected forms start with."""
    if len(word) > 3 and word[-1] in _STEM_VOWELS:
        return word[:-1]
    return word


def inflects(word, part):
    """Whether the folded ``word`` is ``part`` or one of its inflected forms.

    ``part`` is a folded word of a competitor term; the form is its stem (the
    word, less a final vowel for words longer than 3 letters) followed by
    nothing or one of :data:`INFLECTION_SUFFIXES`. Words of 2 letters or
    fewer only match themselves.
    """
    if word == part:
        return True
    if len(part) <= 2:
        return False
    stem = _proper_stem(part)
    if not word.startswith(stem):
        return False
    ending = word[len(stem) :]
    return ending == "" or ending in _SUFFIX_SET or ending == part[len(stem) :]


_SUFFIX_SET = frozenset(INFLECTION_SUFFIXES)


def split_words(text):
    """Return the folded words of ``text``, as rules and texts are compared."""
    return _WORD_RE.findall(fold(text or ""))


def _term_parts(term):
    """Return the words of a rule term, each keeping its trailing ``*``."""
    return tuple(_TERM_RE.findall(fold(term or "")))


_EXACT, _PREFIX, _INFLECTED = 0, 1, 2
#: The letters a word and a rule's word must share to meet by their lemma:
#: suppletive forms (best/good, лучше/хороший) stay apart.
_LEMMA_PREFIX = 3


def _rule_lemma(part, lang):
    """The lemma by which a rule's exact word also matches, or ``None``.

    Words of languages without lemmas have none; in English only a word
    written in its dictionary form has one ("cancel" meets "cancelled", but
    "ordered" does not meet the noun "order"): its inflection is light and
    its lemmas mix parts of speech.
    """
    if lang not in LEMMA_LANGUAGES:
        return None
    found = lemma(part, lang)
    if lang == "en" and found != part:
        return None
    return found


def _meet_by_lemma(word, word_lemma, part, part_lemma):
    """Whether a text's word meets a rule's word by their lemmas."""
    return (
        part_lemma is not None
        and word_lemma == part_lemma
        and word[:_LEMMA_PREFIX] == part[:_LEMMA_PREFIX]
    )


def _compile_parts(parts, inflected=False, lang=""):
    """Return ``((word or stem, mode[, lemma]), ...)`` for the words of a term.

    The mode is ``_PREFIX`` for a ``*`` word, else ``_INFLECTED`` for the
    words of a competitor term, else ``_EXACT``; an exact word carries its
    lemma in ``lang`` when that language has lemmas.
    """
    compiled = []
    for part in parts:
        if part.endswith("*"):
            compiled.append((part[:-1], _PREFIX))
        elif inflected:
            compiled.append((part, _INFLECTED))
        else:
            compiled.append((part, _EXACT, _rule_lemma(part, lang)))
    return tuple(compiled)


class _Lemmas:
    """The lemmas of a text's words, looked up when a phrase asks for one."""

    __slots__ = ("words", "lang", "known")

    def __init__(self, words, lang):
        self.words = words
        self.lang = lang
        self.known = {}

    def __getitem__(self, index):
        found = self.known.get(index)
        if found is None:
            found = self.known[index] = lemma(self.words[index], self.lang)
        return found


def _matches_at(words, start, compiled, lemmas=None):
    """Whether the words from ``words[start]`` on match a compiled term.

    An exact word of the term also matches a word of the text with the same
    lemma (``lemmas``: the text's, ``compiled``'s third items: the term's).
    """
    if start + len(compiled) > len(words):
        return False
    for offset, (part, mode, *part_lemma) in enumerate(compiled):
        word = words[start + offset]
        if mode == _EXACT:
            if word != part and not (
                lemmas
                and _meet_by_lemma(word, lemmas[start + offset], part, part_lemma[0])
            ):
                return False
        elif mode == _PREFIX:
            if not word.startswith(part):
                return False
        elif not inflects(word, part):
            return False
    return True


def _rank(code):
    if code in PRIORITY:
        return (0, PRIORITY.index(code), code)
    return (1, 0, code)


class RuleSet:
    """Rules and competitor terms prepared once for classifying many texts.

    Each rule is indexed by its first word (or the stem of a ``*`` word), so a
    text only tries the rules whose first word it contains, in their original
    order: :meth:`classify` gives exactly what :func:`classify` gives with the
    same rules, without comparing every rule with every text.
    """

    def __init__(self, rules, competitor_terms=()):
        # (code, normalized lang, term, weight, parts), rules first, in order.
        self.entries = [
            (code, normalize_language(rule_lang), term, weight, _term_parts(term))
            for code, rule_lang, term, weight in rules
        ]
        first_competitor = len(self.entries)
        self.entries += [
            (COMPETITOR_MENTION, "", term, COMPETITOR_WEIGHT, _term_parts(term))
            for term in competitor_terms
        ]
        self.exact = {}
        # {lemma: [(position, lang)]}: the entries whose first word (exact)
        # has that lemma in that language (every lemma language for an
        # entry of any language).
        self.by_lemma = {}
        self.stems = {}
        # {proper stem: [(position, first word)]} of the competitor terms.
        self.proper = {}
        for position, entry in enumerate(self.entries):
            parts = entry[4]
            if not parts:
                continue
            first = parts[0]
            if first.endswith("*"):
                self.stems.setdefault(first[:-1], []).append(position)
            elif position >= first_competitor:
                self.proper.setdefault(_proper_stem(first), []).append(
                    (position, first)
                )
            else:
                self.exact.setdefault(first, []).append(position)
                rule_lang = entry[1]
                for lemma_lang in (rule_lang,) if rule_lang else LEMMA_LANGUAGES:
                    first_lemma = _rule_lemma(first, lemma_lang)
                    if first_lemma is not None:
                        self.by_lemma.setdefault(first_lemma, []).append(
                            (position, lemma_lang)
                        )
        self.stem_lengths = sorted({len(stem) for stem in self.stems})
        self.proper_lengths = sorted({len(stem) for stem in self.proper})
        self.first_competitor = first_competitor
        # {(position, lang): the words after the first of the entry's term,
        # compiled with their lemmas in the entry's language, else ``lang``}.
        self._rests = {}
        # {lang: {word: _starting_with(word, lang)}} for the words met so far.
        self._starting = {}

    def _starting_with(self, word, lang):
        """``((position, rest), ...)``: the entries that may start at ``word``.

        They are the entries whose first word (or stem) is ``word`` and whose
        language is ``lang``, any, or anything when ``lang`` is unknown, in
        their order; ``rest`` is the :func:`_compile_parts` of the words of
        the term after the first. Answers are remembered per language (up to
        ``_WORD_MEMO_SIZE`` words, then forgotten at once): texts repeat their
        vocabulary.
        """
        known = self._starting.setdefault(lang, {})
        starting = known.get(word)
        if starting is None:
            positions = list(self.exact.get(word, ()))
            if lang in LEMMA_LANGUAGES:
                word_lemma = lemma(word, lang)
                positions += [
                    position
                    for position, lemma_lang in self.by_lemma.get(word_lemma, ())
                    if lemma_lang == lang
                    and _meet_by_lemma(
                        word,
                        word_lemma,
                        self.entries[position][4][0],
                        word_lemma,
                    )
                ]
            for length in self.stem_lengths:
                if length > len(word):
                    break
                positions += self.stems.get(word[:length], ())
            for length in self.proper_lengths:
                if length > len(word):
                    break
                positions += [
                    position
                    for position, first in self.proper.get(word[:length], ())
                    if inflects(word, first)
                ]
            starting = []
            for position in sorted(set(positions)):
                rule_lang = self.entries[position][1]
                if not (lang and rule_lang and rule_lang != lang):
                    starting.append((position, self._rest(position, lang)))
            if len(known) >= _WORD_MEMO_SIZE:
                known.clear()
            starting = known[word] = tuple(starting)
        return starting

    def _rest(self, position, lang):
        """The compiled words after the first of an entry's term."""
        rule_lang = self.entries[position][1] or lang
        key = (position, rule_lang)
        rest = self._rests.get(key)
        if rest is None:
            rest = self._rests[key] = _compile_parts(
                self.entries[position][4][1:],
                inflected=position >= self.first_competitor,
                lang=rule_lang,
            )
        return rest

    def _matching(self, words, lang):
        """The positions of the entries for ``lang`` that ``words`` contain.

        An entry is tried where its first word (or stem) is: a one-word term
        is then found; a phrase needs its next words there too.
        """
        found = {}
        known = self._starting.setdefault(lang, {})
        lemmas = _Lemmas(words, lang) if lang in LEMMA_LANGUAGES else None
        for index, word in enumerate(words):
            starting = known.get(word)
            if starting is None:
                starting = self._starting_with(word, lang)
            for position, rest in starting:
                if position in found:
                    continue
                if rest:
                    if _matches_at(words, index + 1, rest, lemmas):
                        found[position] = index
                elif position >= self.first_competitor or not NEGATORS.intersection(
                    words[max(0, index - _NEGATION_WINDOW) : index]
                ):
                    found[position] = index
        return found

    def classify(self, text, lang, sentiment=None):
        """The :class:`CategoryResult` of ``text`` (see :func:`classify`)."""
        lang = normalize_language(lang)
        words = split_words(text)
        scores = {}
        matched = {}
        # Words of the text count once per category and term length, for
        # the heaviest rule: "цены" meets both "цена" and "цену" by their
        # lemma ("Globex" and "Globex Mesh" both count).
        heaviest = {}
        for position, index in sorted(self._matching(words, lang).items()):
            code, _lang, term, weight, parts = self.entries[position]
            key = (code, index, len(parts))
            if key not in heaviest or weight > heaviest[key][0]:
                heaviest[key] = (weight, position, term)
        for (code, _index, _length), (weight, _position, term) in sorted(
            heaviest.items(), key=lambda item: item[1][1]
        ):
            scores[code] = scores.get(code, 0.0) + weight
            matched.setdefault(code, []).append(term)
        if "?" in (text or ""):
            scores[GENERAL_QUESTION] = scores.get(GENERAL_QUESTION, 0.0) + (
                QUESTION_WEIGHT
            )
            matched.setdefault(GENERAL_QUESTION, []).append("?")
        signal = _sentiment_signal(sentiment)
        if signal:
            code, weight, evidence = signal
            scores[code] = scores.get(code, 0.0) + weight
            matched.setdefault(code, []).append(evidence)
        scores = {code: round(score, 6) for code, score in scores.items()}
        positive = {code: score for code, score in scores.items() if score > 0}
        if not positive:
            return CategoryResult(OTHER, [], scores, 0.0)
        if len(positive) == 1:
            (code,) = positive
        else:
            best = max(positive.values())
            code = min(
                (code for code, score in positive.items() if score >= best - _EPSILON),
                key=_rank,
            )
        best = positive[code]
        confidence = best / sum(positive.values()) * min(1.0, best / CONFIDENT_SCORE)
        return CategoryResult(code, matched[code], scores, round(confidence, 3))


def _sentiment_signal(score):
    """``(code, weight, evidence)`` that a sentiment ``score`` adds, or None.

    From :data:`SENTIMENT_SIGNAL_FROM` on, half the weight, growing with the
    score to the full weight at -1 or +1.
    """
    if score is None or abs(score) < SENTIMENT_SIGNAL_FROM:
        return None
    strength = 0.5 + 0.5 * min(1.0, abs(score))
    if score < 0:
        return COMPLAINT, NEGATIVE_COMPLAINT_WEIGHT * strength, "(negative)"
    return FEEDBACK_REVIEW, POSITIVE_FEEDBACK_WEIGHT * strength, "(positive)"


def find_terms(text, terms):
    """The ``terms`` that ``text`` names, in their order, each once.

    Terms are watched names (a brand, a competitor, their products): whole
    words, case-insensitive, each word in any inflection (:func:`inflects`),
    as competitor terms match in :class:`RuleSet`; a term also starts a
    handle or a hashtag (``@AcmePay``, ``#AcmeFail`` for Acme), as the share
    of voice counts them.
    """
    words = split_words(text)
    tags = _TAG_RE.findall(fold(text or ""))
    found = []
    for term in terms:
        parts = _term_parts(term)
        compiled = _compile_parts(parts, inflected=True)
        if not compiled:
            continue
        if any(_matches_at(words, start, compiled) for start in range(len(words))) or (
            len(parts) == 1 and any(tag.startswith(parts[0]) for tag in tags)
        ):
            found.append(term)
    return found


@lru_cache(maxsize=16)
def _cached_rule_set(rules, competitor_terms):
    return RuleSet(rules, competitor_terms)


def compile_rules(rules, competitor_terms=()):
    """A :class:`RuleSet` of ``rules`` and ``competitor_terms``.

    The last few rule sets are kept, so calling :func:`classify` over and
    over with the same rules prepares them once.
    """
    try:
        key = (
            tuple(tuple(rule) for rule in rules),
            tuple(competitor_terms or ()),
        )
        hash(key)
    except TypeError:
        return RuleSet(rules, competitor_terms or ())
    return _cached_rule_set(*key)


def classify(text, lang, rules, competitor_terms=(), sentiment=None):
    """Return the :class:`CategoryResult` of ``text`` (see module docstring).

    :param text: the mention's text
    :param lang: its language code (normalized; ``""`` when unknown)
    :param rules: iterable of ``(code, lang, term, weight)``, or a
        :class:`RuleSet` (then ``competitor_terms`` are those it was made with)
    :param competitor_terms: names of competitors and their products
    :param sentiment: the text's sentiment score in [-1, 1], if known
    """
    if not isinstance(rules, RuleSet):
        rules = compile_rules(rules, competitor_terms)
    return rules.classify(text, lang, sentiment)
