from datetime import timedelta

from lxml import html as lxml_html

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger
from odoo.tools.misc import find_in_path

from .common import SocialCrmCase


class SocialReportCase(SocialCrmCase):
    """A company of its own with known brand and competitor terms, and six
    mentions by four authors:

    ====  ======  ===================================  ==========  ==========
    post  author  text                                 voice       lead
    ====  ======  ===================================  ==========  ==========
    v1    ann     Acme rocks                           brand       lead, +5 h
    v2    bob     Globex is better                     competitor
    v3    ann     Acme or Globex? Hard to choose       both        lead, +5 h
    v4    cid     Nothing to see here                  other
    v5    dan     I pay with Acme Pay now              brand
    v6    cid     The Acmeister hates initechnology    other (not whole words)
    ====  ======  ===================================  ==========  ==========
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_v = cls.env["res.company"].create(
            {
                "name": "Voice Co",
                "social_brand_terms": "Acme, Acme Pay",
                "social_competitor_terms": "Globex;\nInitech",
            }
        )
        cls.env.user.company_ids |= cls.company_v
        cls.source_v = cls.env["social.source"].create(
            {
                "name": "Voice source",
                "connector": "demo",
                "company_id": cls.company_v.id,
            }
        )
        cls.posted = cls.now - timedelta(days=2)
        ann, bob, cid, dan = (cls.author(name) for name in ("ann", "bob", "cid", "dan"))
        texts = [
            ("v1", ann, "Acme rocks"),
            ("v2", bob, "Globex is better"),
            ("v3", ann, "Acme or Globex? Hard to choose"),
            ("v4", cid, "Nothing to see here"),
            ("v5", dan, "I pay with Acme Pay now"),
            ("v6", cid, "The Acmeister hates initechnology"),
        ]
        cls.ingest(
            *(
                cls.post(
                    external_id,
                    author,
                    content=text,
                    posted_at=cls.posted,
                    like_count=index,
                )
                for index, (external_id, author, text) in enumerate(texts, 1)
            ),
            source=cls.source_v,
        )
        cls.mentions = cls.env["social.mention"].search(
            [("company_id", "=", cls.company_v.id)]
        )
        leads = cls.env["crm.lead"].create(
            [
                {"name": "From v1", "company_id": cls.company_v.id},
                {"name": "From v3", "company_id": cls.company_v.id},
            ]
        )
        cls.mention("v1").write({"lead_id": leads[0].id, "state": "converted"})
        cls.mention("v3").write({"lead_id": leads[1].id, "state": "converted"})
        leads.flush_recordset()
        cls.env.cr.execute(
            "UPDATE crm_lead SET create_date = %s WHERE id = ANY(%s)",
            [cls.posted + timedelta(hours=5), leads.ids],
        )
        leads.invalidate_recordset(["create_date"])
        cls.Report = cls.env["social.mention.report"]
        cls.domain_v = [("company_id", "=", cls.company_v.id)]


@tagged("post_install", "-at_install")
class TestMentionReport(SocialReportCase):
    def test_totals_match_the_mentions(self):
        Mention = self.env["social.mention"]
        self.assertEqual(self.Report.search_count(self.domain_v), 6)
        self.assertEqual(
            self.Report.search_count([]),
            Mention.search_count([]),
            "one report row per mention",
        )
        for network, sentiment, nbr, likes in self.Report._read_group(
            self.domain_v, ["network", "sentiment"], ["nbr:sum", "like_count:sum"]
        ):
            domain = self.domain_v + [
                ("network", "=", network),
                ("sentiment", "=", sentiment),
            ]
            self.assertEqual(nbr, Mention.search_count(domain))
            self.assertEqual(likes, sum(Mention.search(domain).mapped("like_count")))
        for category, nbr in self.Report._read_group(
            self.domain_v, ["category_id"], ["nbr:sum"]
        ):
            self.assertEqual(
                nbr,
                Mention.search_count(
                    self.domain_v + [("category_id", "=", category.id)]
                ),
            )
        by_day = self.Report._read_group(self.domain_v, ["date:day"], ["nbr:sum"])
        self.assertEqual([nbr for _day, nbr in by_day], [6])

    def test_share_of_voice(self):
        voices = dict(self.Report._read_group(self.domain_v, ["voice"], ["__count"]))
        self.assertEqual(voices, {"brand": 2, "competitor": 1, "both": 1, "other": 2})
        row = self.Report.search(
            self.domain_v + [("mention_id", "=", self.mention("v6").id)]
        )
        self.assertEqual(row.voice, "other", "terms match whole words only")
        [(brand, competitor)] = self.Report._read_group(
            self.domain_v, [], ["brand_count:sum", "competitor_count:sum"]
        )
        # brand 2 + both 1 = 3, competitor 1 + both 1 = 2: the brand's share of
        # voice is 3 / (3 + 2) = 60 %.
        self.assertEqual((brand, competitor), (3, 2))
        self.assertEqual(round(100 * brand / (brand + competitor)), 60)

    def test_conversion_rate_and_delays(self):
        Mention = self.env["social.mention"]
        [(converted, total, to_conversion)] = self.Report._read_group(
            self.domain_v,
            [],
            ["converted_count:sum", "nbr:sum", "hours_to_conversion:avg"],
        )
        self.assertEqual(
            converted, Mention.search_count(self.domain_v + [("lead_id", "!=", False)])
        )
        self.assertEqual((converted, total), (2, 6))
        self.assertAlmostEqual(100 * converted / total, 33.33, places=2)
        self.assertAlmostEqual(to_conversion, 5.0)
        self.assertEqual(
            self.Report.search_count(self.domain_v + [("is_converted", "=", True)]), 2
        )

        # First action: the first state change, 2 hours after the post.
        mention = self.mention("v2").with_context(tracking_disable=False)
        mention.action_set_in_progress()
        mention.action_set_replied()
        mention.flush_recordset()
        self.env.cr.flush()  # runs the tracking
        self.env.cr.execute(
            """
            UPDATE mail_message SET date = %s + (id - min_id) * interval '1 hour'
              FROM (SELECT min(id) AS min_id FROM mail_message
                     WHERE model = 'social.mention' AND res_id = %s) AS earliest
             WHERE model = 'social.mention' AND res_id = %s
            """,
            [self.posted + timedelta(hours=2), mention.id, mention.id],
        )
        row = self.Report.search([("mention_id", "=", mention.id)])
        self.assertAlmostEqual(row.hours_to_first_action, 2.0)
        self.assertFalse(
            self.Report.search(
                [("mention_id", "=", self.mention("v4").id)]
            ).hours_to_first_action
        )

    def test_multi_company_rule(self):
        report = self.Report.with_user(self.social_user)
        self.assertFalse(report.search_count(self.domain_v))
        self.assertEqual(
            report.search_count([]),
            self.env["social.mention"].with_user(self.social_user).search_count([]),
        )


@tagged("post_install", "-at_install")
class TestSummaryReport(SocialReportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # dan speaks against the brand: a detractor; ann and bob for it.
        for external_id, score in (
            ("v1", 0.6),
            ("v2", 0.4),
            ("v3", 0.5),
            ("v4", 0.0),
            ("v5", -0.7),
            ("v6", 0.0),
        ):
            cls.mention(external_id).write(
                {
                    "sentiment_score": score,
                    "sentiment": "negative"
                    if score <= -0.2
                    else "positive"
                    if score >= 0.2
                    else "neutral",
                }
            )
        complaint = cls.env.ref("social_crm.category_complaint")
        cls.mention("v5").category_id = complaint
        cls.mention("v6").write({"category_id": complaint.id, "state": "ignored"})
        cls.env["social.influence.score"]._recompute_all()
        cls.wizard = cls.env["social.crm.summary.wizard"].create(
            {
                "date_from": fields.Date.today() - timedelta(days=7),
                "date_to": fields.Date.today(),
                "company_id": cls.company_v.id,
            }
        )

    def test_figures(self):
        Mention = self.env["social.mention"]
        values = self.env["report.social_crm.summary"]._get_report_values(
            self.wizard.ids, self.wizard._report_data()
        )
        total = Mention.search_count(self.domain_v)
        negative = Mention.search_count(
            self.domain_v + [("sentiment", "=", "negative")]
        )
        self.assertEqual((values["mention_count"], values["negative_count"]), (6, 1))
        self.assertEqual(values["mention_count"], total)
        self.assertEqual(values["negative_count"], negative)
        self.assertEqual(values["negative_pct"], 16.7)
        self.assertEqual(values["converted_count"], 2)
        self.assertEqual(values["conversion_pct"], 33.3)
        self.assertEqual(values["new_identity_count"], 4)
        self.assertEqual(sum(week["total"] for week in values["weeks"]), 6)
        self.assertEqual(sum(c["count"] for c in values["categories"]), 6)
        self.assertEqual(
            [line["identity"].handle for line in values["detractors"]], ["@dan"]
        )
        self.assertEqual(
            {line["identity"].handle for line in values["influencers"]},
            {"@ann", "@bob", "@cid"},
        )
        self.assertEqual(values["complaints"], self.mention("v5"))
        # An earlier period holds nothing.
        empty = self.env["report.social_crm.summary"]._get_report_values(
            [],
            {
                "date_from": "2001-01-01",
                "date_to": "2001-12-31",
                "company_id": self.company_v.id,
            },
        )
        self.assertEqual((empty["mention_count"], empty["negative_pct"]), (0, 0.0))

    def test_html(self):
        action = self.wizard.action_print()
        if action["type"] != "ir.actions.report":  # the layout configurator first
            action = action["context"]["report_action"]
        self.assertEqual(action["report_name"], "social_crm.summary")
        content, kind = self.env["ir.actions.report"]._render_qweb_html(
            "social_crm.social_crm_summary_report_action",
            self.wizard.ids,
            data=action["data"],
        )
        self.assertEqual(kind, "html")
        tree = lxml_html.fromstring(content)

        def text(css_class):
            [cell] = tree.find_class(css_class)
            return " ".join(cell.text_content().split())

        self.assertEqual(text("o_mention_count"), "6")
        self.assertEqual(text("o_negative"), "1 (16.7 %)")
        self.assertEqual(text("o_converted"), "2 (33.3 %)")
        self.assertEqual(text("o_new_identities"), "4")
        self.assertIn("@dan", text("o_social_crm_detractors"))
        self.assertNotIn("@dan", text("o_social_crm_influencers"))
        self.assertIn("I pay with Acme Pay now", text("o_social_crm_complaints"))
        self.assertIn("Voice Co", content.decode())


@tagged("post_install", "-at_install")
class TestSummaryPdf(HttpCase):
    """The summary as a real PDF, through wkhtmltopdf and the test server."""

    def test_pdf(self):
        if not find_in_path("wkhtmltopdf"):
            self.skipTest("wkhtmltopdf is not installed")
        self.env["ir.config_parameter"].sudo().set_param("report.url", self.base_url())
        wizard = self.env["social.crm.summary.wizard"].create({})
        # An unpatched wkhtmltopdf warns that it ignores the header and footer
        # switches: the environment's, not the report's.
        with mute_logger("odoo.addons.base.models.ir_actions_report"):
            content, kind = (
                self.env["ir.actions.report"]
                .with_context(force_report_rendering=True)
                ._render_qweb_pdf(
                    "social_crm.social_crm_summary_report_action",
                    wizard.ids,
                    data=wizard._report_data(),
                )
            )
        self.assertEqual(kind, "pdf")
        self.assertTrue(content.startswith(b"%PDF"))
