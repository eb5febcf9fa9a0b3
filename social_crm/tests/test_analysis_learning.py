# Copyright 2026 The social_crm authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The analysis learns from the agents' corrections, per company, in the database."""

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.social_crm.analysis.sentiment import SentimentAnalyzer
from odoo.addons.social_crm.models import res_company
from odoo.addons.social_crm.models.social_mention import SYSTEM_WRITE

from .common import SocialCrmCase

#: Posts about a courier service that the lexicon calls neutral.
DELIVERIES = [
    f"{whose} {thing} from Zorblat {what}"
    for whose in ("The", "My")
    for thing in ("parcel", "order", "box", "courier", "delivery", "package")
    for what in ("arrived today", "came at noon", "is here", "was left outside")
]
NEW_POST = "Another Zorblat order this week"


@tagged("post_install", "-at_install")
class TestAnalysisLearning(SocialCrmCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Learning B"})
        cls.agent_a = new_test_user(
            cls.env,
            login="sc_learn_agent_a",
            groups="social_crm.group_social_crm_user",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )
        cls.agent_b = new_test_user(
            cls.env,
            login="sc_learn_agent_b",
            groups="social_crm.group_social_crm_user",
            company_id=cls.company_b.id,
            company_ids=[(6, 0, cls.company_b.ids)],
        )
        cls.manager_a = new_test_user(
            cls.env,
            login="sc_learn_manager_a",
            groups="social_crm.group_social_crm_manager,base.group_system",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )
        cls.source_b = cls.env["social.source"].create(
            {
                "name": "Source of B",
                "connector": "demo",
                "query": "zorblat",
                "company_id": cls.company_b.id,
            }
        )
        cls.Example = cls.env["social.analysis.example"]
        cls.categories = {c.code: c for c in cls.env["social.category"].search([])}

    def setUp(self):
        super().setUp()
        # Every test starts as a freshly started worker: no model in memory.
        res_company._MODELS.clear()
        self.addCleanup(res_company._MODELS.clear)

    def mentions(self, texts, company=None, prefix="m"):
        company = company or self.company
        return self.env["social.mention"].create(
            [
                {
                    "network": "x",
                    "external_id": f"{prefix}{company.id}-{index}",
                    "content": text,
                    "company_id": company.id,
                }
                for index, text in enumerate(texts)
            ]
        )

    def correct(self, mentions, user, sentiment):
        """What an agent does in the inbox: sets the sentiment, one by one."""
        for mention in mentions.with_user(user):
            mention.write({"sentiment": sentiment})

    def examples(self, company=None):
        return self.Example.search([("company_id", "=", (company or self.company).id)])

    # ------------------------------------------------------------- examples
    def test_correction_becomes_an_example(self):
        mention = self.mentions(["The parcel from Zorblat is here"])
        self.assertEqual(mention.sentiment, "neutral")
        self.assertFalse(mention.sentiment_manual)
        mention.with_user(self.agent_a).write({"sentiment": "negative"})
        example = self.examples()
        self.assertEqual(len(example), 1)
        self.assertRecordValues(
            example,
            [
                {
                    "company_id": self.company.id,
                    "mention_id": mention.id,
                    "text": "The parcel from Zorblat is here",
                    "lang": "en",
                    "field": "sentiment",
                    "sentiment_from": "neutral",
                    "sentiment_to": "negative",
                    "user_id": self.agent_a.id,
                    "source": "correction",
                }
            ],
        )
        self.assertTrue(example.create_date)
        self.assertTrue(mention.sentiment_manual)
        self.assertFalse(mention.category_manual)

        complaint = self.categories["complaint"]
        was = mention.category_id
        self.assertNotEqual(was, complaint)
        mention.with_user(self.agent_a).write({"category_id": complaint.id})
        category_example = self.examples() - example
        self.assertRecordValues(
            category_example,
            [
                {
                    "field": "category",
                    "category_from_id": was.id,
                    "category_to_id": complaint.id,
                    "user_id": self.agent_a.id,
                }
            ],
        )
        self.assertTrue(mention.category_manual)

    def edit_all(self, mentions, values):
        """Queries of a list edit of ``mentions`` by an agent."""
        mentions = mentions.with_user(self.agent_a)
        mentions.fetch(["content", "lang", "sentiment", "category_id", "company_id"])
        self.env.flush_all()
        before = self.env.cr.sql_log_count
        mentions.write(values)
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def test_one_create_for_a_multi_edit(self):
        """A list edit of many mentions and both fields: one example each, batched."""
        complaint = self.categories["complaint"]
        values = {"sentiment": "positive", "category_id": complaint.id}
        self.edit_all(self.mentions(DELIVERIES[:2], prefix="warm"), values)
        small = self.edit_all(self.mentions(DELIVERIES[:2], prefix="small"), values)
        large = self.edit_all(self.mentions(DELIVERIES[:12], prefix="large"), values)
        self.assertEqual(small, large, "queries per edit, not per mention")

        mentions = self.mentions(DELIVERIES[:5])
        mentions[0].with_user(self.agent_a).write({"sentiment": "positive"})
        before = self.examples()
        mentions.with_user(self.agent_a).write(values)
        made = self.examples() - before
        # the first one already was positive: its sentiment is no correction
        self.assertEqual(len(made.filtered(lambda e: e.field == "sentiment")), 4)
        self.assertEqual(len(made.filtered(lambda e: e.field == "category")), 5)
        self.assertTrue(all(mentions.mapped("sentiment_manual")))

    def test_system_writes_make_no_example(self):
        self.ingest(self.post("sys1", content="The box from Zorblat is here"))
        mention = self.mention("sys1")
        self.assertTrue(mention)
        mention.with_user(self.agent_a).with_context(**{SYSTEM_WRITE: True}).write(
            {"sentiment": "negative"}
        )
        mention.sudo().write({"sentiment": "positive"})
        mention.with_user(self.manager_a).action_reclassify()
        self.assertEqual(mention.sentiment, "neutral")
        self.assertFalse(self.examples())
        self.assertFalse(mention.sentiment_manual)

    def test_examples_security(self):
        mention_b = self.mentions(["The box from Zorblat is here"], self.company_b)
        mention_b.with_user(self.agent_b).write({"sentiment": "negative"})
        example_b = self.examples(self.company_b)
        self.assertEqual(example_b.user_id, self.agent_b)
        mention_a = self.mentions(["The order from Zorblat is here"])
        mention_a.with_user(self.agent_a).write({"sentiment": "negative"})
        example_a = self.examples()

        Example = self.Example.with_user(self.agent_a)
        self.assertEqual(Example.search([]), example_a, "only its own company's")
        with self.assertRaises(AccessError):
            example_b.with_user(self.agent_a).read(["text"])
        with self.assertRaises(AccessError):
            example_a.with_user(self.agent_a).unlink()
        with self.assertRaises(AccessError):
            Example.create(
                {"text": "made up", "field": "sentiment", "sentiment_to": "positive"}
            )
        with self.assertRaises(AccessError):
            example_b.with_user(self.manager_a).unlink()
        example_a.with_user(self.manager_a).unlink()
        self.assertFalse(example_a.exists())
        self.assertTrue(example_b.exists())

    # ------------------------------------------------------------- training
    def test_retrain_stores_the_model_and_new_mentions_use_it(self):
        self.assertEqual(SentimentAnalyzer().analyze(NEW_POST, "en").label, "neutral")
        self.correct(self.mentions(DELIVERIES), self.agent_a, "negative")
        self.assertEqual(
            self.mentions([NEW_POST], prefix="before").sentiment, "neutral"
        )

        settings = self.env["res.config.settings"].with_user(self.manager_a).create({})
        self.assertEqual(settings.social_analysis_example_count, len(DELIVERIES))
        settings.action_retrain_analysis()
        company = self.company.sudo()
        self.assertTrue(company.social_analysis_model)
        self.assertTrue(company.social_analysis_checksum)
        self.assertTrue(company.social_analysis_trained_at)
        self.assertEqual(company.social_analysis_trained_count, len(DELIVERIES))

        mention = self.mentions([NEW_POST], prefix="after")
        self.assertEqual(mention.sentiment, "negative")
        self.assertIn("zorblat", mention.analysis_evidence)
        self.assertGreater(mention.analysis_confidence, 0)

        # A worker that never trained it (a restart, another server) reads
        # the same model from the database.
        res_company._MODELS.clear()
        self.assertEqual(
            self.mentions([NEW_POST], prefix="other").sentiment, "negative"
        )

        # Retrained elsewhere (another worker, the cron): the checksum
        # changes and this worker's copy is read again.
        self.examples().unlink()
        self.correct(self.mentions(DELIVERIES, prefix="pos"), self.agent_a, "positive")
        self.company.action_retrain_analysis()
        self.assertEqual(self.mentions([NEW_POST], prefix="re").sentiment, "positive")

        # Deleting the examples and retraining forgets them.
        self.examples().unlink()
        self.company.action_retrain_analysis()
        self.assertFalse(company.social_analysis_checksum)
        self.assertEqual(
            self.mentions([NEW_POST], prefix="forgot").sentiment, "neutral"
        )

    def test_category_corrections_teach_the_category(self):
        complaint = self.categories["complaint"]
        new = self.mentions([NEW_POST], prefix="cat-before")
        self.assertNotEqual(new.category_id, complaint)
        mentions = self.mentions(DELIVERIES)
        mentions.with_user(self.agent_a).write({"category_id": complaint.id})
        self.assertEqual(
            len(self.examples().filtered(lambda e: e.field == "category")),
            len(DELIVERIES),
        )
        self.company.action_retrain_analysis()
        learned = self.mentions([NEW_POST], prefix="cat-after")
        self.assertEqual(learned.category_id, complaint)
        self.assertIn("zorblat", learned.matched_terms)
        self.assertIn("zorblat", learned.analysis_evidence)
        self.assertEqual(learned.sentiment, "neutral", "no sentiment was taught")

    def test_settings_show_the_learning(self):
        arch = self.env["res.config.settings"].get_views([(False, "form")])["views"][
            "form"
        ]["arch"]
        for name in (
            "action_retrain_analysis",
            "action_reclassify_open_mentions",
            "social_analysis_example_count",
            "social_analysis_trained_at",
        ):
            self.assertIn(name, arch)
        form = self.env["social.mention"].get_views([(False, "form")])["views"]["form"]
        self.assertIn("analysis_confidence", form["arch"])
        self.assertIn("analysis_evidence", form["arch"])

    def test_two_companies_learn_different_things(self):
        self.correct(self.mentions(DELIVERIES), self.agent_a, "negative")
        self.correct(
            self.mentions(DELIVERIES, self.company_b), self.agent_b, "positive"
        )
        (self.company | self.company_b).action_retrain_analysis()
        self.assertNotEqual(
            self.company.social_analysis_checksum,
            self.company_b.social_analysis_checksum,
        )
        self.assertEqual(self.mentions([NEW_POST], prefix="n").sentiment, "negative")
        self.assertEqual(
            self.mentions([NEW_POST], self.company_b, prefix="n").sentiment, "positive"
        )
        # Ingestion classifies by the source's company.
        self.ingest(self.post("ing-b", content=NEW_POST), source=self.source_b)
        ingested = self.env["social.mention"].search(
            [("external_id", "=", "ing-b"), ("company_id", "=", self.company_b.id)]
        )
        self.assertEqual(ingested.sentiment, "positive")

    def test_reclassify_keeps_human_labels(self):
        self.correct(self.mentions(DELIVERIES), self.agent_a, "negative")
        self.company.action_retrain_analysis()
        # Mentions made before the model: the lexicon's neutral.
        old = self.mentions(
            [NEW_POST, NEW_POST + "!", NEW_POST + " again"], prefix="old"
        )
        old.with_context(**{SYSTEM_WRITE: True}).write(
            {"sentiment": "neutral", "sentiment_score": 0.0}
        )
        human = old[0]
        human.with_user(self.agent_a).write({"sentiment": "positive"})
        old[1].write({"state": "ignored"})

        old[:2].with_user(self.manager_a).action_reclassify()
        self.assertEqual(human.sentiment, "positive", "the agent's label stays")
        self.assertEqual(old[1].sentiment, "negative", "the model's label")
        self.assertTrue(old[1].analysis_evidence)

        # From the settings: the open mentions only.
        old[1].with_context(**{SYSTEM_WRITE: True}).write({"sentiment": "neutral"})
        self.env["res.config.settings"].with_user(self.manager_a).create(
            {}
        ).action_reclassify_open_mentions()
        self.assertEqual(old[2].sentiment, "negative")
        self.assertEqual(old[1].sentiment, "neutral", "ignored: not open")
        self.assertEqual(human.sentiment, "positive")

    def test_cron_trains_each_company(self):
        self.correct(self.mentions(DELIVERIES[:3]), self.agent_a, "negative")
        self.correct(
            self.mentions(DELIVERIES[:4], self.company_b), self.agent_b, "positive"
        )
        company_c = self.env["res.company"].create({"name": "Learning C"})
        self.env.ref(
            "social_crm.ir_cron_social_retrain_analysis"
        ).method_direct_trigger()
        self.assertEqual(self.company.social_analysis_trained_count, 3)
        self.assertEqual(self.company_b.social_analysis_trained_count, 4)
        self.assertTrue(self.company_b.social_analysis_checksum)
        self.assertFalse(company_c.social_analysis_checksum)
        self.assertFalse(company_c.social_analysis_trained_at)

    def test_confidence_and_evidence_at_ingestion(self):
        self.ingest(
            self.post("ev1", content="My Acme router is broken again, refund please"),
            self.post("ev2", content="Nice weather"),
        )
        broken, plain = self.mention("ev1"), self.mention("ev2")
        self.assertGreater(broken.analysis_confidence, 0)
        self.assertLessEqual(broken.analysis_confidence, 1)
        self.assertTrue(broken.matched_terms)
        self.assertEqual(broken.analysis_evidence, broken.matched_terms)
        self.assertGreater(plain.analysis_confidence, 0)

        self.correct(self.mentions(DELIVERIES), self.agent_a, "negative")
        self.company.action_retrain_analysis()
        self.ingest(self.post("ev3", content=NEW_POST))
        learned = self.mention("ev3")
        self.assertEqual(learned.sentiment, "negative")
        self.assertIn("zorblat", learned.analysis_evidence)
