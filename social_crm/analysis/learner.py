"""What a company's agents taught the analysis: a classifier of their corrections.

When an agent corrects a mention's sentiment or category, the correction is
kept as a labelled example of the company. This module learns from those
examples, in plain Python (no Odoo, no numpy), one classifier per *target*
(``sentiment``, ``category``):

* **Features.** A text is folded (lower case, ``ё`` as ``е``, one kind of
  apostrophe) and split into words. Each word gives its lemma
  (:func:`.lemma.lemma`, so *ужасный* and *ужасная* are one feature) and its
  character 3- to 5-grams within ``<word>``; each pair of neighbouring
  lemmas gives a bigram (*не работать*). Emoji and ``!``/``?`` are features
  too. A feature counts once per text.
* **Model.** Multinomial naive Bayes with add-``alpha`` smoothing over those
  binary features. Training counts every feature; scoring takes a word by
  its lemma when the model knows the lemma, and otherwise by the mean of its
  known n-grams, weighted :data:`NGRAM_WEIGHT` (an unseen inflection, typo or
  brand spelling still counts, as about one word, without the n-grams of
  every known word counting a second time). The evidence is divided by
  :data:`TEMPERATURE`, so that the probabilities are not the near-0-or-1 of
  naive Bayes and can be combined with the lexicon's.
  What a feature seen ``n`` times says (its log-likelihoods' spread around
  their mean) is shrunk by ``n / (n + 1)`` (:data:`SHRINKAGE`): among a few
  corrections most words are there by chance.
* **Evidence.** The words whose lemma pulled hardest towards the winning
  label (their log-likelihood ratio against the other labels) are what
  decided (words of three letters or more, folded as the text's features
  are); :meth:`Model.predict` and :func:`combine` return them.
* **Back-off.** :func:`combine` takes the lexicon's (or the category
  rules') answer as a distribution (:func:`sentiment_prior`,
  :func:`category_prior`) and multiplies it by the learned likelihoods raised
  to ``w = n / (n + k)``, ``n`` the company's own examples of that target
  (seed examples train the model but do not count). With no corrections the
  lexicon answers alone; as they accumulate the company's vocabulary takes
  over. The examples are corrections, i.e. what the lexicon got wrong, so
  the model's own label frequencies are left out of the product. ``k``
  (:data:`BACKOFF_K`), :data:`TEMPERATURE` and :data:`NGRAM_WEIGHT` were
  tuned on the development halves of ``../shared/eval`` only (corrections
  from one half of dev, accuracy on the other; see
  ``tools/analysis_learning_curve.py --tune``). Mixing the two distributions
  linearly (``w·learned + (1 − w)·lexicon``) did worse there: with the first
  version of the features, after 120 corrections, the mean accuracy over the
  corpora went from 0.53 to 0.54, against 0.64 for the product. ``k = 10``
  scored half a point more than ``k = 20`` after 100 corrections and half a
  point less after 25; 20 is kept, the more careful of the two with a
  company's first corrections.

A model is stored as compact JSON (counts, not probabilities), gzipped:
:meth:`Model.dumps` and :func:`loads`. Training is one pass of counting.
Measured on the posts of ``../shared/eval`` (this machine, 2 cores, idle):
10,000 examples train in 2.6 s; all 9,420 posts as both sentiment and category
examples (18,840) in 5.7 s, 1.6 MiB stored, read back in 3 s into 26 MiB of a
worker's memory. Scoring a post for both targets takes about 0.15 ms.
"""

import gzip
import json
import math
import re
import sys
import unicodedata
from array import array
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from .lemma import lemma

#: The targets a model learns, as the mention's fields call them.
TARGETS = ("sentiment", "category")
#: Format of the serialized model.
FORMAT_VERSION = 1
#: Add-alpha smoothing of the feature counts.
ALPHA = 0.5
#: Weight of a word the model knows only by its character n-grams (a known
#: lemma weighs 1).
NGRAM_WEIGHT = 0.6
#: The summed log-likelihoods are divided by this (naive Bayes' overconfidence).
TEMPERATURE = 1.5
#: A feature seen n times says n / (n + SHRINKAGE) of what its counts say
#: (features seen once or twice in a few corrections are mostly chance).
SHRINKAGE = 1.0
#: Shortest and longest character n-gram within a word (with its boundaries).
NGRAM_MIN, NGRAM_MAX = 3, 5
#: The learned model weighs n / (n + BACKOFF_K) against the lexicon or rules.
BACKOFF_K = 20
#: Above this many distinct features, those seen in one text only are dropped
#: (they are most of a large vocabulary, and tell little).
PRUNE_ABOVE = 20_000
#: How many words of evidence a prediction returns.
EVIDENCE_WORDS = 3

_WORD_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_SYMBOL_RE = re.compile(r"[^\w\s]")
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'", "ё": "е"})


@dataclass(frozen=True)
class Example:
    """A labelled text: ``target`` is ``sentiment`` or ``category``.

    ``label`` is a sentiment (``positive``...) or a category code; ``seed``
    examples ship with the module and do not count towards the back-off.
    """

    target: str
    text: str
    lang: str
    label: str
    seed: bool = False


@lru_cache(maxsize=20_000)
def _word(word, lang):
    """The lemma feature of a folded word."""
    if word.isdigit():
        return "w0"
    if not word.isalpha():
        return "w" + word
    return "w" + lemma(word, lang)


def _grams(word):
    """The character n-gram features of a folded word (none for non-letters)."""
    if not word.isalpha():
        return set()
    padded = "<" + word + ">"
    return {
        "c" + padded[start : start + size]
        for size in range(NGRAM_MIN, NGRAM_MAX + 1)
        for start in range(len(padded) - size + 1)
    }


@dataclass
class Features:
    """What a text is made of, for the classifier.

    ``words``: ``(lemma feature, folded word)`` of each distinct word;
    ``others``: the lemma bigrams, emoji, ``!`` and ``?``, each with the
    text to show as evidence (or ``""``). Training counts all of them and
    the words' character n-grams; scoring takes a word by its lemma when the
    model knows it, else by the mean of its known n-grams (see
    :meth:`NaiveBayes.log_likelihoods`).
    """

    words: list
    others: dict
    _grams: dict = field(default_factory=dict, repr=False)

    def grams(self, word):
        """The n-gram features of one of the words (computed once)."""
        grams = self._grams.get(word)
        if grams is None:
            grams = self._grams[word] = tuple(_grams(word))
        return grams

    def all(self):
        found = set(self.others)
        for feature, word in self.words:
            found.add(feature)
            found |= _grams(word)
        return found


def features(text, lang):
    """The :class:`Features` of ``text`` in ``lang``."""
    folded = (text or "").lower().translate(_APOSTROPHES)
    lang = lang or ""
    words = {}
    others = {}
    previous = None
    for match in _WORD_RE.finditer(folded):
        surface = match.group()
        feature = _word(surface, lang)
        if feature not in words:
            words[feature] = (feature, surface)
        if previous is not None:
            others.setdefault("b" + previous + " " + feature[1:], "")
        previous = feature[1:]
    for char in set(_SYMBOL_RE.findall(folded)):
        if char in "!?":
            others["p" + char] = ""
        elif unicodedata.category(char) == "So":
            others["e" + char] = char
    return Features(list(words.values()), others)


class NaiveBayes:
    """One target's classifier: labels, their text counts, feature counts.

    Scoring needs only the log-likelihoods, kept as one small ``array`` per
    feature; a model read back by :func:`loads` drops the counts (a worker
    only scores), one that :func:`train` made keeps them for :meth:`to_json`.
    """

    def __init__(self, labels, label_counts, feature_counts, own_examples, keep=True):
        self.labels = list(labels)
        self.label_counts = list(label_counts)
        #: the company's own (not seed) examples this was trained on
        self.own_examples = own_examples
        self._prepare(feature_counts)
        self.feature_counts = feature_counts if keep else None

    def _prepare(self, feature_counts):
        size = len(self.labels)
        totals = [0.0] * size
        for counts in feature_counts.values():
            for index in range(size):
                totals[index] += counts[index]
        self._vocabulary = len(feature_counts) + 1
        denominators = [math.log(total + ALPHA * self._vocabulary) for total in totals]
        table = {}
        for feature, counts in feature_counts.items():
            row = [
                math.log(count + ALPHA) - denominators[index]
                for index, count in enumerate(counts)
            ]
            # what a feature says is shrunk towards saying nothing by how
            # rarely it was seen: once, by half
            seen = sum(counts)
            mean = sum(row) / size
            factor = seen / (seen + SHRINKAGE)
            row = [mean + (value - mean) * factor for value in row]
            table[sys.intern(feature)] = array("d", row)
        self._log_likelihood = table
        texts = sum(self.label_counts)
        self._log_prior = [
            math.log((count + 1) / (texts + size)) for count in self.label_counts
        ]

    @property
    def examples(self):
        return sum(self.label_counts)

    def log_likelihoods(self, text, lang, found=None):
        """The summed feature log-likelihoods of ``text`` per label, and its words.

        A word counts by its lemma when the model knows the lemma; otherwise
        by the mean of the log-likelihoods of its known character n-grams
        (weighted :data:`NGRAM_WEIGHT`), so an unseen inflection, typo or
        brand weighs about one word. Features the model never saw are
        skipped (they tell nothing about any label).

        Returns ``(scores, known, contributions)``: ``scores`` in the order
        of :attr:`labels`, divided by :data:`TEMPERATURE`, without the labels'
        prior; ``known`` the total weight of what counted (for labels without
        examples); ``contributions`` the ``(log-likelihoods, surface word)``
        of the words, for the evidence.
        """
        found = found or features(text, lang)
        table = self._log_likelihood
        size = len(self.labels)
        scores = [0.0] * size
        known = 0.0
        contributions = []
        for feature, surface in found.words:
            likelihood = table.get(feature)
            if likelihood is None:
                rows = [table[gram] for gram in found.grams(surface) if gram in table]
                if not rows:
                    continue
                share = NGRAM_WEIGHT / len(rows)
                likelihood = tuple(
                    share * sum(column) for column in zip(*rows, strict=True)
                )
                known += NGRAM_WEIGHT
            else:
                known += 1.0
            for index in range(size):
                scores[index] += likelihood[index]
            if len(surface) >= 3:
                contributions.append((likelihood, surface))
        for feature, surface in found.others.items():
            likelihood = table.get(feature)
            if likelihood is None:
                continue
            known += 1.0
            for index in range(size):
                scores[index] += likelihood[index]
            if surface:
                contributions.append((likelihood, surface))
        return [score / TEMPERATURE for score in scores], known, contributions

    def unknown_label_score(self, known):
        """The score of a label without examples: every counted feature at 1/V."""
        return -known * math.log(self._vocabulary) / TEMPERATURE

    def distribution(self, text, lang):
        """Return ``({label: probability}, evidence words)`` for ``text``."""
        scores, _known, contributions = self.log_likelihoods(text, lang)
        scores = [
            prior + score for prior, score in zip(self._log_prior, scores, strict=True)
        ]
        probabilities = _softmax(dict(zip(self.labels, scores, strict=True)))
        best = scores.index(max(scores))
        return probabilities, self._evidence(contributions, best)

    def _evidence(self, contributions, best):
        """The words that pulled hardest towards label ``best``, strongest first."""
        size = len(self.labels)
        if size < 2:
            return []
        ranked = []
        for likelihood, surface in contributions:
            others = max(likelihood[i] for i in range(size) if i != best)
            margin = likelihood[best] - others
            if margin > 0:
                ranked.append((margin, surface))
        ranked.sort(key=lambda item: -item[0])
        words = []
        for _margin, surface in ranked:
            if surface not in words:
                words.append(surface)
            if len(words) == EVIDENCE_WORDS:
                break
        return words

    def predict(self, text, lang):
        """Return ``(label, probability, evidence words)``."""
        probabilities, evidence = self.distribution(text, lang)
        label = max(self.labels, key=probabilities.__getitem__)
        return label, probabilities[label], evidence

    def to_json(self):
        if self.feature_counts is None:
            raise ValueError("A model read back keeps no counts: train it again.")
        return {
            "labels": self.labels,
            "label_counts": self.label_counts,
            "own_examples": self.own_examples,
            # sparse: feature -> [[label index, count], ...] is longer than a
            # full row for three labels, shorter for ten categories
            "features": {
                feature: [[i, c] for i, c in enumerate(counts) if c]
                for feature, counts in self.feature_counts.items()
            },
        }

    @classmethod
    def from_json(cls, data):
        size = len(data["labels"])
        counts = {}
        for feature, pairs in data["features"].items():
            row = [0] * size
            for index, count in pairs:
                row[index] = count
            counts[feature] = row
        return cls(
            data["labels"],
            data["label_counts"],
            counts,
            data["own_examples"],
            keep=False,
        )


class Model:
    """The classifiers of one company, by target (some may be missing)."""

    def __init__(self, targets):
        self.targets = dict(targets)

    def __contains__(self, target):
        return target in self.targets

    def own_examples(self, target):
        """How many of the company's own examples ``target`` was trained on."""
        classifier = self.targets.get(target)
        return classifier.own_examples if classifier else 0

    def distribution(self, text, lang, target="sentiment"):
        """``({label: probability}, evidence)``; ``({}, [])`` if not trained."""
        classifier = self.targets.get(target)
        if classifier is None:
            return {}, []
        return classifier.distribution(text, lang)

    def predict(self, text, lang, target="sentiment"):
        """Return ``(label, probability, evidence)``, or ``(None, 0.0, [])``."""
        classifier = self.targets.get(target)
        if classifier is None:
            return None, 0.0, []
        return classifier.predict(text, lang)

    def dumps(self):
        """The model as gzipped compact JSON (bytes)."""
        data = {
            "version": FORMAT_VERSION,
            "targets": {name: nb.to_json() for name, nb in self.targets.items()},
        }
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        return gzip.compress(text.encode(), compresslevel=6, mtime=0)


def loads(data):
    """The :class:`Model` of :meth:`Model.dumps`'s bytes."""
    decoded = json.loads(gzip.decompress(data).decode())
    if decoded.get("version") != FORMAT_VERSION:
        raise ValueError(f"Unknown model format {decoded.get('version')!r}")
    return Model(
        {
            name: NaiveBayes.from_json(target)
            for name, target in decoded["targets"].items()
        }
    )


def train(examples):
    """The :class:`Model` of ``examples`` (:class:`Example` or same-shaped tuples).

    A target needs examples of at least two labels to be learned.
    """
    by_target = {}
    for example in examples:
        target, text, lang, label, seed = (
            example
            if isinstance(example, tuple) and not isinstance(example, Example)
            else (
                example.target,
                example.text,
                example.lang,
                example.label,
                example.seed,
            )
        )
        if not label or not (text or "").strip():
            continue
        by_target.setdefault(target, []).append((text, lang, label, seed))
    targets = {}
    for target, rows in by_target.items():
        labels = sorted({label for _text, _lang, label, _seed in rows})
        if len(labels) < 2:
            continue
        index_of = {label: i for i, label in enumerate(labels)}
        size = len(labels)
        label_counts = [0] * size
        per_label = [Counter() for _label in labels]
        own = 0
        for text, lang, label, seed in rows:
            index = index_of[label]
            label_counts[index] += 1
            own += not seed
            per_label[index].update(features(text, lang).all())
        vocabulary = set().union(*per_label)
        counts = {
            feature: [counter[feature] for counter in per_label]
            for feature in vocabulary
        }
        if len(counts) > PRUNE_ABOVE:  # binary counts: a row's sum is its texts
            counts = {f: row for f, row in counts.items() if sum(row) > 1}
        targets[target] = NaiveBayes(labels, label_counts, counts, own)
    return Model(targets)


def _softmax(scores):
    top = max(scores.values())
    exps = {label: math.exp(score - top) for label, score in scores.items()}
    total = sum(exps.values())
    return {label: value / total for label, value in exps.items()}


def combine(model, target, text, lang, prior, k=BACKOFF_K, found=None):
    """The lexicon's or rules' ``prior`` distribution, corrected by ``model``.

    A product of experts: the score of a label is ``log prior(label) + w ×
    LL(label)``, ``LL`` the model's summed feature log-likelihoods (its own
    label frequencies left out: the examples are corrections, so they tell
    what the lexicon misses, not how often each label occurs) and ``w =
    n / (n + k)`` (:func:`backoff_weight`). With no model or no examples of
    the company this is the prior's answer. Labels only one side knows are
    kept; a label without examples scores as a class that saw none.

    ``found``: the text's :func:`features`, when the caller computed them
    for another target already.

    Returns ``(label, probability, evidence words, distribution)``; the
    evidence is the model's words that pulled towards the answer (none when
    the model has no weight).
    """
    classifier = model.targets.get(target) if model is not None else None
    weight = backoff_weight(classifier.own_examples, k) if classifier else 0.0
    labels = list(prior)
    if not weight:
        best = max(labels, key=prior.__getitem__)
        return best, prior[best], [], dict(prior)
    labels += [label for label in classifier.labels if label not in prior]
    scores, known, contributions = classifier.log_likelihoods(text, lang, found)
    learned = dict(zip(classifier.labels, scores, strict=True))
    unknown = classifier.unknown_label_score(known)
    combined = _softmax(
        {
            label: math.log(max(prior.get(label, 0.0), 1e-9))
            + weight * learned.get(label, unknown)
            for label in labels
        }
    )
    best = max(labels, key=combined.__getitem__)
    evidence = []
    if best in learned:
        evidence = classifier._evidence(contributions, classifier.labels.index(best))
    return best, combined[best], evidence, combined


def backoff_weight(own_examples, k=BACKOFF_K):
    """The learned model's weight after ``own_examples`` of the company's."""
    return own_examples / (own_examples + k) if own_examples > 0 else 0.0


#: Steepness of the lexicon score's distribution (see :func:`sentiment_prior`).
SENTIMENT_STEEPNESS = 10.0


def sentiment_prior(score, positive=0.2, negative=-0.2):
    """The lexicon's score in [-1, 1] as a distribution over the three labels.

    A softmax of ``positive: a·(s − positive)``, ``negative: a·(negative − s)``,
    ``neutral: 0``: the label the thresholds give is the most probable, and
    more so the farther the score is from them.
    """
    logits = {
        "positive": SENTIMENT_STEEPNESS * (score - positive),
        "neutral": 0.0,
        "negative": SENTIMENT_STEEPNESS * (negative - score),
    }
    top = max(logits.values())
    exps = {label: math.exp(value - top) for label, value in logits.items()}
    total = sum(exps.values())
    return {label: value / total for label, value in exps.items()}


def category_prior(code, confidence, codes):
    """The rules' answer as a distribution over ``codes``.

    The winning code is ``3 + 97 × confidence`` times as likely as each of
    the others: ``other`` without any matched term (confidence 0) is the
    rules having no evidence, and leads only by 3 to 1 (0.25 against 0.08
    each among ten categories), so that the company's examples can overrule
    it; a confident match (1) leads by 100 to 1.
    """
    codes = list(dict.fromkeys([code, *codes]))
    odds = _category_odds(confidence)
    total = odds + len(codes) - 1
    return {c: (odds if c == code else 1) / total for c in codes}


def _category_odds(confidence):
    return 3 + 97 * max(0.0, min(1.0, confidence or 0.0))


def category_probability(code, confidence, codes):
    """The probability :func:`category_prior` gives the rules' own answer.

    Without building the distribution: what a company without a model shows.
    """
    odds = _category_odds(confidence)
    return odds / (odds + len(set(codes) | {code}) - 1)
