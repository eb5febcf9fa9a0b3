import json

from odoo.tests import tagged

from odoo.addons.social_crm.tests.common import SocialCrmCase
from odoo.addons.social_crm.tests.http_server import LocalServerCase, Reply

PAGE = {
    "posts": [
        {
            "id": 901,
            "text": "My Acme router died, still waiting for a refund",
            "created": "2026-11-30T10:00:00Z",
            "url": "https://plaza.example/p/901",
            "likes": 4,
            "author": {"id": "u7", "handle": "@ann", "name": "Ann", "followers": 70},
        },
        {
            "id": 902,
            "text": "Acme support sorted it in ten minutes, thank you!",
            "created": "2026-11-30T11:00:00Z",
            "author": {"id": "u8", "handle": "@bob", "name": "Bob", "followers": 5},
        },
    ],
    "next": None,
}


@tagged("post_install", "-at_install")
class TestNetworkFromAnotherAddon(LocalServerCase, SocialCrmCase):
    """A network added by inheritance and selection_add, fetched for real."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param(
            "social_crm.allowed_private_hosts", "127.0.0.1"
        )

    def test_sources_offer_the_network(self):
        Source = self.env["social.source"]
        self.assertIn(("plaza", "Plaza"), Source._selection_connector())
        self.assertIn("plaza", self.env["social.mention"]._network_codes())
        source = Source.create({"name": "Plaza", "connector": "plaza", "query": "x"})
        self.assertEqual(source.base_url_placeholder, "Default: https://plaza.example")

    def test_fetch_from_the_new_network(self):
        self.server.route(
            "/api/search",
            Reply(
                body=json.dumps(PAGE).encode(),
                headers={"Content-Type": "application/json"},
            ),
        )
        source = self.env["social.source"].create(
            {
                "name": "Plaza search",
                "connector": "plaza",
                "query": "acme",
                "base_url": self.server.base_url,
            }
        )
        source.action_fetch_now()
        mentions = self.env["social.mention"].search([("source_id", "=", source.id)])
        self.assertEqual(
            sorted(mentions.mapped("external_id")), ["901", "902"], source.last_error
        )
        self.assertEqual(set(mentions.mapped("network")), {"plaza"})
        self.assertEqual(
            sorted(mentions.identity_id.mapped("handle")), ["@ann", "@bob"]
        )
        self.assertEqual(set(mentions.identity_id.mapped("network")), {"plaza"})
        complaint = mentions.filtered(lambda m: m.external_id == "901")
        # analysed as any mention: a complaint about a dead router
        self.assertEqual(complaint.category_id.code, "complaint")
        self.assertEqual(complaint.sentiment, "negative")
        [request] = self.server.requests
        self.assertEqual((request.path, request.param("q")), ("/api/search", "acme"))


@tagged("post_install", "-at_install")
class TestAnalyzerFromAnotherAddon(SocialCrmCase):
    """A sentiment analyzer added by inheriting res.company, picked per company."""

    def test_company_picks_the_added_analyzer(self):
        company = self.env.company
        self.assertIn(
            ("stars", "Plaza stars"), company._selection_social_sentiment_analyzer()
        )
        text = "Acme router ★★★★★"
        self.assertEqual(
            company._social_sentiment_analyzer().analyze(text).label, "neutral"
        )
        company.social_sentiment_analyzer = "stars"
        result = company._social_sentiment_analyzer().analyze(text)
        self.assertEqual((result.label, result.evidence), ("positive", ("★★★★★",)))

    def test_an_analyzer_no_longer_installed_falls_back_to_the_lexicon(self):
        company = self.env.company
        self.env.cr.execute(
            "UPDATE res_company SET social_sentiment_analyzer = 'gone' WHERE id = %s",
            [company.id],
        )
        company.invalidate_recordset(["social_sentiment_analyzer"])
        with self.assertLogs("odoo.addons.social_crm.models.res_company", "WARNING"):
            analyzer = company._social_sentiment_analyzer()
        self.assertEqual(analyzer.analyze("Terrible, awful service").label, "negative")
