from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time
from lxml import etree
from lxml import html as lxml_html

from odoo import fields
from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tools import mute_logger
from odoo.tools.misc import find_in_path

from ..report import social_crm_summary
from .common import SocialCrmCase
from .test_multi_company import load_migration


class SocialReportCase(SocialCrmCase):
    """A company of its own with known brand and competitor terms, and six
    mentions by four authors, posted two days ago, handled with the chatter's
    tracking on (hours after the post):

    ====  ======  =================================  ==========  ====  ==============
    post  author  text                               voice       lead  state changes
    ====  ======  =================================  ==========  ====  ==============
    v1    ann     Acme rocks                         brand       +5 h  converted +5 h
    v2    bob     Globex is better                   competitor        taken +2 h,
                                                                       replied +3 h
    v3    ann     Acme or Globex? Hard to choose     both        +5 h  converted +5 h
    v4    cid     Nothing to see here                other
    v5    dan     I pay with Acme Pay now            brand
    v6    cid     The Acmeister hates initechnology  other [1]         ignored +0.5 h
    ====  ======  =================================  ==========  ====  ==============

    Brand Terms "Acme, Acme Pay", Competitor Terms "Globex;\\nInitech";
    [1] they match whole words only.
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
        tracked = cls.env(context=dict(cls.env.context, tracking_disable=False))
        for delay, external_id, vals in (
            (timedelta(minutes=30), "v6", {"state": "ignored"}),
            (timedelta(hours=2), "v2", {"state": "in_progress"}),
            (timedelta(hours=3), "v2", {"state": "replied"}),
            (timedelta(hours=5), "v1", {"lead_id": leads[0].id, "state": "converted"}),
            (timedelta(hours=5), "v3", {"lead_id": leads[1].id, "state": "converted"}),
        ):
            with freeze_time(cls.posted + delay):
                cls.mention(external_id).with_env(tracked).write(vals)
                cls.env.cr.flush()  # the tracking, dated at the frozen time
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

        # First action: the first state change (taken), not the reply.
        row = self.Report.search([("mention_id", "=", self.mention("v2").id)])
        self.assertAlmostEqual(row.hours_to_first_action, 2.0)
        self.assertFalse(
            self.Report.search(
                [("mention_id", "=", self.mention("v4").id)]
            ).hours_to_first_action
        )

    def test_rows_and_totals_by_hand(self):
        """The measures of each row and their totals, worked out from the table.

        The same figures as when the analysis matched the regexes and read
        the tracking values at every query (this test passes on both).
        """
        expected = {
            # post: voice, brand, competitor, converted, hours to first
            # action, hours to conversion, likes (0.0: none)
            "v1": ("brand", 1, 0, True, 5.0, 5.0, 1),
            "v2": ("competitor", 0, 1, False, 2.0, 0.0, 2),
            "v3": ("both", 1, 1, True, 5.0, 5.0, 3),
            "v4": ("other", 0, 0, False, 0.0, 0.0, 4),
            "v5": ("brand", 1, 0, False, 0.0, 0.0, 5),
            "v6": ("other", 0, 0, False, 0.5, 0.0, 6),
        }
        rows = {
            row.mention_id.external_id: (
                row.voice,
                row.brand_count,
                row.competitor_count,
                row.is_converted,
                round(row.hours_to_first_action, 6),
                round(row.hours_to_conversion, 6),
                row.like_count,
            )
            for row in self.Report.search(self.domain_v)
        }
        self.assertEqual(rows, expected)
        [totals] = self.Report._read_group(
            self.domain_v,
            [],
            [
                "nbr:sum",
                "brand_count:sum",
                "competitor_count:sum",
                "converted_count:sum",
                "like_count:sum",
                "hours_to_first_action:avg",
                "hours_to_conversion:avg",
            ],
        )
        # Averages count the mentions that have one: (5 + 2 + 5 + 0.5) / 4
        # handled, (5 + 5) / 2 converted.
        self.assertEqual(totals[:5], (6, 3, 2, 2, 21))
        self.assertAlmostEqual(totals[5], 3.125)
        self.assertAlmostEqual(totals[6], 5.0)
        self.assertEqual(
            dict(self.Report._read_group(self.domain_v, ["state"], ["nbr:sum"])),
            {"new": 2, "converted": 2, "replied": 1, "ignored": 1},
        )
        self.assertEqual(
            dict(self.Report._read_group(self.domain_v, ["network"], ["nbr:sum"])),
            {"mastodon": 6},
        )

    def test_multi_company_rule(self):
        report = self.Report.with_user(self.social_user)
        self.assertFalse(report.search_count(self.domain_v))
        self.assertEqual(
            report.search_count([]),
            self.env["social.mention"].with_user(self.social_user).search_count([]),
        )


@tagged("post_install", "-at_install")
class TestStoredAnalysis(SocialReportCase):
    """What the analysis groups by is stored on the mention, and kept right."""

    def voices(self, mentions=None):
        mentions = self.mentions if mentions is None else mentions
        mentions.invalidate_recordset(["voice"])
        return {mention.external_id: mention.voice for mention in mentions}

    def first_actions(self):
        self.mentions.invalidate_recordset(["first_action_date"])
        return {
            mention.external_id: mention.first_action_date
            and mention.first_action_date - self.posted
            for mention in self.mentions
        }

    def test_stored_at_ingestion(self):
        self.assertEqual(
            self.voices(),
            {
                "v1": "brand",
                "v2": "competitor",
                "v3": "both",
                "v4": "other",
                "v5": "brand",
                "v6": "other",
            },
        )
        self.assertEqual(
            self.first_actions(),
            {
                "v1": timedelta(hours=5),
                "v2": timedelta(hours=2),
                "v3": timedelta(hours=5),
                "v4": False,
                "v5": False,
                "v6": timedelta(minutes=30),
            },
        )
        # A page of another company is matched against that company's terms.
        company_w = self.env["res.company"].create(
            {"name": "Other Co", "social_brand_terms": "Globex"}
        )
        source_w = self.source_v.copy({"company_id": company_w.id})
        self.ingest(
            self.post("w1", content="Globex is better"),
            self.post("w2", content="Acme rocks"),
            source=source_w,
        )
        mentions_w = self.env["social.mention"].search(
            [("company_id", "=", company_w.id)]
        )
        self.assertEqual(self.voices(mentions_w), {"w1": "brand", "w2": "other"})

    def test_written_through_the_orm(self):
        Mention = self.env["social.mention"].with_company(self.company_v)
        created = Mention.create(
            [
                {"network": "x", "external_id": "o1", "content": "Initech fan"},
                {"network": "x", "external_id": "o2", "content": "acme PAY!"},
                {"network": "x", "external_id": "o3", "content": "Hello"},
            ]
        )
        self.assertEqual(created.mapped("voice"), ["competitor", "brand", "other"])
        created[2].content = "Globex and Acme"
        self.assertEqual(self.voices(created)["o3"], "both")

    def test_handles_and_hashtags_of_watched_terms(self):
        """@AcmePay and #GlobexFail name the brand and the competitor."""
        Mention = self.env["social.mention"].with_company(self.company_v)
        created = Mention.create(
            [
                {"network": "x", "external_id": "h1", "content": "@AcmePay is down"},
                {"network": "x", "external_id": "h2", "content": "so #globexfail"},
                {"network": "x", "external_id": "h3", "content": "me@acmemail.com"},
                {"network": "x", "external_id": "h4", "content": "#NotAcme today"},
            ]
        )
        self.assertEqual(
            created.mapped("voice"), ["brand", "competitor", "other", "other"]
        )
        self.assertEqual(created.mapped("watched_terms")[:2], ["Acme", "Globex"])
        # ingestion's SQL agrees with the ORM
        self.ingest(self.post("h5", content="Thanks @AcmeHelp and #Globex2026"))
        self.assertEqual(
            self.voices(
                self.env["social.mention"].search([("external_id", "=", "h5")])
            ),
            {"h5": "both"},
        )

    def test_follows_the_terms(self):
        company_w = self.env["res.company"].create(
            {"name": "Other Co", "social_brand_terms": "Acme"}
        )
        self.ingest(
            self.post("w1", content="Acme rocks"),
            self.post("w2", content="The Acmeister hates initechnology"),
            source=self.source_v.copy({"company_id": company_w.id}),
        )
        other = self.env["social.mention"].search(
            [("company_id", "!=", self.company_v.id)]
        )
        self.assertTrue(other)
        before = self.voices(other)
        self.company_v.write(
            {"social_brand_terms": "Acmeister", "social_competitor_terms": "Globex"}
        )
        self.assertEqual(
            self.voices(),
            {
                "v1": "other",
                "v2": "competitor",
                "v3": "competitor",
                "v4": "other",
                "v5": "other",
                "v6": "brand",
            },
        )
        self.assertEqual(
            dict(self.Report._read_group(self.domain_v, ["voice"], ["__count"])),
            {"brand": 1, "competitor": 2, "other": 3},
        )
        self.assertEqual(self.voices(other), before, "other companies' untouched")
        # Set-based, and only what changes is written.
        self.assertEqual(self.env["social.mention"]._recompute_voice(self.company_v), 0)
        # Through the settings, as a manager writes them; then none at all.
        self.env["res.config.settings"].with_company(self.company_v).create(
            {"social_brand_terms": "Acme"}
        ).execute()
        self.assertEqual(self.voices()["v1"], "brand")
        self.company_v.write(
            {"social_brand_terms": False, "social_competitor_terms": False}
        )
        self.assertEqual(set(self.voices().values()), {"other"})

    def test_first_action_follows_the_state(self):
        v4, v5 = self.mention("v4"), self.mention("v5")
        with freeze_time(self.posted + timedelta(hours=7)):
            (v4 | v5).write({"priority": "1"})
            v5.write({"state": "new"})  # the same state: no action
        self.assertFalse(v4.first_action_date or v5.first_action_date)
        with freeze_time(self.posted + timedelta(hours=8)):
            v4.action_set_in_progress()
        with freeze_time(self.posted + timedelta(hours=9)):
            v4.action_set_replied()
            v4.action_reset()
            (v4 | v5).action_ignore()
        actions = self.first_actions()
        self.assertEqual(actions["v4"], timedelta(hours=8), "the first one stays")
        self.assertEqual(actions["v5"], timedelta(hours=9))
        self.assertEqual(actions["v2"], timedelta(hours=2))
        row = self.Report.search([("mention_id", "=", v4.id)])
        self.assertAlmostEqual(row.hours_to_first_action, 8.0)

    def test_migration_fills_old_rows(self):
        """18.0.1.2.0 stores what 18.0.1.1.0's analysis computed at each query."""
        expected_voices, expected_actions = self.voices(), self.first_actions()
        cr = self.env.cr
        load_migration("18.0.1.2.0", "pre").migrate(cr, "18.0.1.1.0")  # idempotent
        # The 18.0.1.1.0 state: no stored voice nor first action; the first
        # action known only by the state's tracking values in the chatter.
        self.env.flush_all()
        cr.execute(
            "UPDATE social_mention SET voice = NULL, first_action_date = NULL"
            " WHERE company_id = %s",
            [self.company_v.id],
        )
        self.env.invalidate_all()
        self.assertEqual(set(self.voices().values()), {False})
        load_migration("18.0.1.2.0", "post").migrate(cr, "18.0.1.1.0")
        self.assertEqual(self.voices(), expected_voices)
        self.assertEqual(self.first_actions(), expected_actions)

    def test_migration_recounts_handles_and_hashtags(self):
        """18.0.1.6.0 gives old mentions naming @AcmePay the brand's voice."""
        self.ingest(self.post("mh1", content="@AcmePay down again"))
        mention = self.env["social.mention"].search([("external_id", "=", "mh1")])
        self.env.flush_all()
        # as 18.0.1.2.0 stored it: a handle was no word of the brand
        self.env.cr.execute(
            "UPDATE social_mention SET voice = 'other' WHERE id = %s", [mention.id]
        )
        self.env.invalidate_all()
        load_migration("18.0.1.6.0", "post").migrate(self.env.cr, "18.0.1.2.0")
        self.assertEqual(self.voices(mention), {"mh1": "brand"})

    def test_counts_read_the_mentions_alone(self):
        """A count by network and sentiment joins nothing, matches no regex."""
        self.env.flush_all()
        self.env.cr.execute(
            "EXPLAIN SELECT network, sentiment, sum(nbr) FROM social_mention_report"
            " WHERE company_id IN %s GROUP BY network, sentiment",
            [(self.company_v.id,)],
        )
        plan = "\n".join(row[0] for row in self.env.cr.fetchall())
        self.assertIn("social_mention", plan)
        for other in ("social_identity", "crm_lead", "res_company", "mail_", "~*"):
            self.assertNotIn(other, plan)


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
        # first actions after 5, 2, 5 and 0.5 hours: 3 h 7.5 min on average
        self.assertEqual(values["times"]["first_action"], "3:08")
        self.assertEqual(values["times"]["first_reply"], False)
        self.assertEqual(values["conversions"][0]["name"], "Leads")
        self.assertEqual(values["conversions"][0]["count"], 2)
        self.assertEqual(
            sum(count for _name, count in values["networks"]), values["mention_count"]
        )
        self.assertEqual(
            {voice["voice"]: voice["count"] for voice in values["voices"]},
            {"brand": 2, "competitor": 1, "both": 1, "other": 2},
        )
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
        self.assertEqual(text("o_converted_0"), "2 (33.3 %)")
        self.assertEqual(text("o_first_action"), "3:08")
        # the charts: one column per week, one bar per network and per voice
        values = self.env["report.social_crm.summary"]._get_report_values(
            self.wizard.ids, action["data"]
        )
        [weeks_chart] = tree.find_class("o_chart_weeks")
        columns = weeks_chart.xpath(
            ".//*[local-name()='rect'][contains(@class, 'o_bar_')]"
        )
        self.assertEqual(
            len(columns),
            sum(
                bool(week[key])
                for week in values["weeks"]
                for key in ("positive", "neutral", "negative")
            ),
        )
        [networks_chart] = tree.find_class("o_chart_networks")
        self.assertEqual(
            len(networks_chart.xpath(".//*[local-name()='rect']")),
            len(values["networks"]),
        )
        [voices_chart] = tree.find_class("o_chart_voices")
        self.assertIn("33.3 %", voices_chart.text_content())
        self.assertEqual(text("o_new_identities"), "4")
        self.assertIn("@dan", text("o_social_crm_detractors"))
        self.assertNotIn("@dan", text("o_social_crm_influencers"))
        self.assertIn("I pay with Acme Pay now", text("o_social_crm_complaints"))
        self.assertIn("Voice Co", content.decode())

    def test_numbers_in_the_users_language(self):
        """Russian reads 16,7 % and 3:08, Latin and Cyrillic in one font."""
        self.env["res.lang"]._activate_lang("ru_RU")
        wizard = self.wizard.with_context(lang="ru_RU")
        content, __ = (
            self.env["ir.actions.report"]
            .with_context(lang="ru_RU")
            ._render_qweb_html(
                "social_crm.social_crm_summary_report_action",
                wizard.ids,
                data=wizard._report_data(),
            )
        )
        tree = lxml_html.fromstring(content)
        [negative] = tree.find_class("o_negative")
        self.assertEqual(" ".join(negative.text_content().split()), "1 (16,7 %)")
        [page] = tree.find_class("o_social_crm_summary")
        self.assertIn("DejaVu Sans", page.get("style"))

    def test_complaints_capped(self):
        """A busy month lists its newest open complaints and counts the rest."""
        self.mention("v4").category_id = self.env.ref("social_crm.category_complaint")
        with patch.object(social_crm_summary, "COMPLAINT_LIMIT", 1):
            values = self.env["report.social_crm.summary"]._get_report_values(
                self.wizard.ids, self.wizard._report_data()
            )
            content, __ = self.env["ir.actions.report"]._render_qweb_html(
                "social_crm.social_crm_summary_report_action",
                self.wizard.ids,
                data=self.wizard._report_data(),
            )
        newest = (self.mention("v4") | self.mention("v5")).sorted(
            lambda m: (m.posted_at, m.id), reverse=True
        )[:1]
        self.assertEqual(values["complaints"], newest)
        self.assertEqual(values["complaint_count"], 2)
        tree = lxml_html.fromstring(content)
        [more] = tree.find_class("o_social_crm_more_complaints")
        self.assertEqual(
            " ".join(more.text_content().split()),
            "Showing the newest 1 of 2; the others are in the inbox.",
        )


def render_summary_pdf(case):
    """The demo period's summary as a real PDF: ``(content, kind)``, rendered
    by wkhtmltopdf through the test server of the HttpCase ``case``."""
    env = case.env
    env["ir.config_parameter"].sudo().set_param("report.url", case.base_url())
    wizard = env["social.crm.summary.wizard"].create({})
    # An unpatched wkhtmltopdf warns that it ignores the header and footer
    # switches: the environment's, not the report's.
    with mute_logger("odoo.addons.base.models.ir_actions_report"):
        return (
            env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(
                "social_crm.social_crm_summary_report_action",
                wizard.ids,
                data=wizard._report_data(),
            )
        )


@tagged("post_install", "-at_install")
class TestSummaryPdf(HttpCase):
    """The summary as a real PDF, through wkhtmltopdf and the test server."""

    def test_pdf(self):
        if not find_in_path("wkhtmltopdf"):
            self.skipTest("wkhtmltopdf is not installed")
        content, kind = render_summary_pdf(self)
        self.assertEqual(kind, "pdf")
        self.assertTrue(content.startswith(b"%PDF"))


@tagged("post_install", "-at_install")
class TestReportViews(TransactionCase):
    def test_times_in_hours_and_minutes(self):
        """Response times read 8:30, not 8.5 (nor 520.1 for three weeks)."""
        Report = self.env["social.mention.report"]
        for view_type in ("pivot", "list"):
            arch = etree.fromstring(
                Report.get_views([(False, view_type)])["views"][view_type]["arch"]
            )
            for name in (
                "hours_to_first_action",
                "hours_to_first_reply",
                "hours_to_conversion",
            ):
                with self.subTest(view=view_type, field=name):
                    (node,) = arch.xpath(f"//field[@name='{name}']")
                    self.assertEqual(node.get("widget"), "float_time")
