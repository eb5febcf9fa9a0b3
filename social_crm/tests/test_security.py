from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import SocialCrmCase


@tagged("post_install", "-at_install")
class TestSecurity(SocialCrmCase):
    """Access per group, token secrecy and multi-company isolation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ingest(cls.post("sec1", cls.author("sec_author")))
        cls.mention_a = cls.mention("sec1")
        cls.company_b = cls.env["res.company"].create({"name": "Company B"})
        cls.source_b = cls.env["social.source"].create(
            {
                "name": "B source",
                "connector": "demo",
                "company_id": cls.company_b.id,
            }
        )
        cls.ingest(cls.post("sec2", cls.author("sec_author_b")), source=cls.source_b)
        cls.mention_b = cls.mention("sec2")

    def test_salesman_without_group_sees_nothing(self):
        for model in (
            "social.mention",
            "social.identity",
            "social.source",
            "social.influence.score",
        ):
            with self.assertRaises(AccessError):
                self.env[model].with_user(self.salesman).search([])
        with self.assertRaises(AccessError):
            self.mention_a.with_user(self.salesman).read(["content"])

    def test_user_handles_mentions_but_not_sources(self):
        mention = self.mention_a.with_user(self.social_user)
        mention.write({"state": "in_progress"})
        identity = mention.identity_id
        partner = self.env["res.partner"].create({"name": "Linked by user"})
        identity.write({"partner_id": partner.id})
        self.assertEqual(mention.partner_id, partner)
        with self.assertRaises(AccessError):
            self.source.with_user(self.social_user).write({"query": "other"})
        with self.assertRaises(AccessError):
            mention.unlink()
        with self.assertRaises(AccessError):
            self.env["social.source"].with_user(self.social_user).create({"name": "x"})

    def test_user_cannot_read_tokens(self):
        source = self.source.with_user(self.social_user)
        self.assertEqual(source.name, "Test source")
        self.assertNotIn("token", source.fields_get())
        with self.assertRaises(AccessError):
            source.read(["token"])
        with self.assertRaises(AccessError):
            source.search([("token", "=", "s3cr3t-token")])

    def test_manager_reads_and_configures(self):
        source = self.source.with_user(self.social_manager)
        self.assertEqual(source.token, "s3cr3t-token")
        source.write({"query": "acme OR globex"})
        self.mention_a.with_user(self.social_manager).unlink()
        self.assertFalse(self.mention_a.exists())

    def test_manager_implies_user(self):
        self.assertTrue(
            self.social_manager.has_group("social_crm.group_social_crm_user")
        )
        self.assertFalse(self.salesman.has_group("social_crm.group_social_crm_user"))

    def test_multi_company_isolation(self):
        user_a = self.social_user
        self.assertIn(
            self.mention_a, self.env["social.mention"].with_user(user_a).search([])
        )
        self.assertNotIn(
            self.mention_b, self.env["social.mention"].with_user(user_a).search([])
        )
        self.assertNotIn(
            self.source_b, self.env["social.source"].with_user(user_a).search([])
        )
        self.assertNotIn(
            self.mention_b.identity_id,
            self.env["social.identity"].with_user(user_a).search([]),
        )
        with self.assertRaises(AccessError):
            self.mention_b.with_user(user_a).read(["content"])
        user_b = new_test_user(
            self.env,
            login="sc_user_b",
            groups="social_crm.group_social_crm_user",
            company_id=self.company_b.id,
            company_ids=[(6, 0, self.company_b.ids)],
        )
        self.assertEqual(
            self.env["social.mention"].with_user(user_b).search([]), self.mention_b
        )
