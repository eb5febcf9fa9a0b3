# Copyright 2026 The social_crm authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The Odoo-free classifier of the agents' corrections (analysis/learner.py)."""

import time

from odoo.tests import tagged
from odoo.tests.common import BaseCase

from odoo.addons.social_crm.analysis import learner
from odoo.addons.social_crm.analysis.seeds import seed_examples

#: Posts about a courier service that no lexicon word colours.
DELIVERIES = [
    f"{whose} {thing} from Zorblat {what}"
    for whose in ("The", "My")
    for thing in ("parcel", "order", "box", "courier", "delivery", "package")
    for what in ("arrived today", "came at noon", "is here")
]
CAFE = [
    "Flat white at Brewno this morning",
    "Brewno opened a new place on Main street",
    "Met a friend at Brewno after work",
    "Brewno has oat milk now",
    "Grabbed a croissant at Brewno",
    "Brewno on the corner, as every Monday",
]


def teach(label, texts, target="sentiment", lang="en"):
    return [learner.Example(target, text, lang, label) for text in texts]


@tagged("post_install", "-at_install")
class TestAnalysisLearner(BaseCase):
    def test_train_predict_round_trip(self):
        examples = teach("negative", DELIVERIES) + teach("positive", CAFE)
        model = learner.train(examples)
        label, probability, evidence = model.predict("Zorblat courier again", "en")
        self.assertEqual(label, "negative")
        self.assertGreater(probability, 0.5)
        self.assertIn("zorblat", evidence)
        self.assertEqual(model.predict("Brewno has a new cake", "en")[0], "positive")
        self.assertEqual(model.own_examples("sentiment"), len(examples))

        data = model.dumps()
        self.assertIsInstance(data, bytes)
        self.assertEqual(data[:2], b"\x1f\x8b", "gzipped")
        loaded = learner.loads(data)
        for text in ("Zorblat courier again", "Brewno has a new cake", "nothing known"):
            self.assertEqual(loaded.predict(text, "en"), model.predict(text, "en"))
        self.assertEqual(learner.train(examples).dumps(), data, "stable bytes")
        with self.assertRaises(ValueError):
            loaded.dumps()  # a worker's copy keeps no counts

    def test_targets_and_lemmas(self):
        """One model per target; inflected forms meet through their lemma."""
        examples = teach(
            "complaint",
            ["Мобикс сломался опять", "Мобикс сломался вчера"],
            "category",
            "ru",
        ) + teach(
            "feedback_review", ["Мобикс отличный", "Мобикс хороший"], "category", "ru"
        )
        model = learner.train(examples)
        self.assertIn("category", model)
        self.assertNotIn("sentiment", model)
        self.assertEqual(model.predict("сломалась", "ru", "category")[0], "complaint")
        self.assertEqual(model.predict("x", "ru")[0], None, "no sentiment model")

    def test_one_label_is_not_a_model(self):
        self.assertNotIn("sentiment", learner.train(teach("negative", DELIVERIES)))

    def test_back_off_with_few_examples(self):
        """No own examples: the lexicon's answer; many: the examples'."""
        neutral = learner.sentiment_prior(0.0)
        self.assertEqual(max(neutral, key=neutral.get), "neutral")
        text = "Another Zorblat order this week"

        seeds_only = learner.train(list(seed_examples()))
        self.assertEqual(seeds_only.own_examples("sentiment"), 0)
        label, probability, evidence, _dist = learner.combine(
            seeds_only, "sentiment", text, "en", neutral
        )
        self.assertEqual((label, evidence), ("neutral", []))
        self.assertAlmostEqual(probability, neutral["neutral"])
        self.assertEqual(
            learner.combine(None, "sentiment", text, "en", neutral)[0], "neutral"
        )

        few = learner.train(teach("negative", DELIVERIES[:1]) + list(seed_examples()))
        self.assertEqual(
            learner.combine(few, "sentiment", text, "en", neutral)[0],
            "neutral",
            "one correction does not overrule the lexicon",
        )
        many = learner.train(teach("negative", DELIVERIES) + list(seed_examples()))
        label, probability, evidence, _dist = learner.combine(
            many, "sentiment", text, "en", neutral
        )
        self.assertEqual(label, "negative")
        self.assertIn("zorblat", evidence)
        self.assertLess(learner.backoff_weight(1), learner.backoff_weight(18))
        self.assertEqual(learner.backoff_weight(0), 0.0)

    def test_category_prior(self):
        prior = learner.category_prior("complaint", 1.0, ["complaint", "other"])
        self.assertAlmostEqual(prior["complaint"], 100 / 101)
        prior = learner.category_prior("other", 0.0, ["complaint", "other", "pr_risk"])
        self.assertEqual(prior, {"other": 0.6, "complaint": 0.2, "pr_risk": 0.2})
        ten = [f"code{i}" for i in range(9)]
        prior = learner.category_prior("other", 0.0, ten)
        self.assertAlmostEqual(prior["other"], 0.25)
        self.assertAlmostEqual(sum(prior.values()), 1.0)

    def test_training_is_fast(self):
        """Ten thousand examples train in well under the issue's 10 s."""
        words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf"]
        examples = [
            learner.Example(
                "sentiment",
                f"{words[i % 7]} {words[(i // 7) % 7]} post number {i} zz{i % 113}",
                "en",
                ("positive", "neutral", "negative")[i % 3],
            )
            for i in range(10_000)
        ]
        started = time.monotonic()
        model = learner.train(examples)
        self.assertLess(time.monotonic() - started, 10)
        self.assertEqual(model.own_examples("sentiment"), 10_000)

    def test_seed_examples(self):
        seeds = seed_examples()
        self.assertTrue(all(example.seed for example in seeds))
        self.assertEqual({example.lang for example in seeds}, {"en", "ru", "uk", "bg"})
        self.assertEqual({example.target for example in seeds}, set(learner.TARGETS))
