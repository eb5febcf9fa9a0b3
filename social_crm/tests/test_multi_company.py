import importlib.util
import os
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import SocialCrmCase
from .http_server import LocalServerCase
from .test_source_fetch import FEED_2, ITEMS

MIGRATIONS = os.path.join(os.path.dirname(__file__), "..", "migrations")


def load_migration(version, step="pre"):
    """The module of ``migrations/<version>/<step>-migration.py``."""
    path = os.path.join(MIGRATIONS, version, f"{step}-migration.py")
    spec = importlib.util.spec_from_file_location(f"{step}_migration", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestMultiCompany(LocalServerCase, SocialCrmCase):
    """One post and one author seen by two companies, with the record rules on."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param(
            "social_crm.allowed_private_hosts", "127.0.0.1"
        )
        Source = cls.env["social.source"]
        # Sources of other tests or of the demo data must not take part.
        Source.search([]).write({"next_run": fields.Datetime.now() + timedelta(days=7)})
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Company B"})
        cls.feed_url = cls.server.url("/shared.xml")
        cls.source_a, cls.source_b = Source.create(
            [
                {
                    "name": f"Shared feed ({company.name})",
                    "connector": "rss",
                    "query": cls.feed_url,
                    "company_id": company.id,
                }
                for company in (cls.company_a, cls.company_b)
            ]
        )
        cls.user_a = new_test_user(
            cls.env,
            login="sc_mc_user_a",
            groups="social_crm.group_social_crm_user",
            company_id=cls.company_a.id,
            company_ids=[(6, 0, cls.company_a.ids)],
        )
        cls.user_b = new_test_user(
            cls.env,
            login="sc_mc_user_b",
            groups="social_crm.group_social_crm_user",
            company_id=cls.company_b.id,
            company_ids=[(6, 0, cls.company_b.ids)],
        )

    def fetch_both(self):
        self.server.route("/shared.xml", FEED_2)
        due = fields.Datetime.now() - timedelta(minutes=1)
        (self.source_a | self.source_b).write({"next_run": due, "cursor": False})
        self.env["social.source"]._cron_fetch_mentions()

    def of_feed(self, model, company):
        return self.env[model].search(
            [("network", "=", "rss"), ("company_id", "=", company.id)]
        )

    def test_two_companies_fetching_one_feed_each_get_every_mention(self):
        self.fetch_both()
        self.assertEqual(self.source_a.last_new_count, len(ITEMS))
        self.assertEqual(self.source_b.last_new_count, len(ITEMS))
        mentions_a = self.of_feed("social.mention", self.company_a).filtered(
            lambda m: m.source_id == self.source_a
        )
        mentions_b = self.of_feed("social.mention", self.company_b)
        self.assertEqual(len(mentions_a), len(ITEMS))
        self.assertEqual(len(mentions_b), len(ITEMS))
        self.assertEqual(
            sorted(mentions_a.mapped("external_id")),
            sorted(mentions_b.mapped("external_id")),
        )
        # Each company's mention has its author in that company.
        self.assertEqual(mentions_a.identity_id.company_id, self.company_a)
        self.assertEqual(mentions_b.identity_id.company_id, self.company_b)
        self.assertFalse(mentions_a.identity_id & mentions_b.identity_id)
        # Within a company a post is still stored once.
        self.fetch_both()
        self.assertEqual(self.source_a.last_new_count, 0)
        self.assertEqual(self.source_b.last_new_count, 0)
        self.assertEqual(len(self.of_feed("social.mention", self.company_b)), 3)

    def test_each_user_reads_its_mentions_and_their_authors(self):
        self.fetch_both()
        for user, company, other in (
            (self.user_a, self.company_a, self.company_b),
            (self.user_b, self.company_b, self.company_a),
        ):
            with self.subTest(user=user.login):
                Mention = self.env["social.mention"].with_user(user)
                mentions = Mention.search([("source_id.query", "=", self.feed_url)])
                self.assertEqual(len(mentions), len(ITEMS))
                self.assertEqual(mentions.company_id, company)
                # The authors open without an access error.
                authors = mentions.identity_id
                self.assertEqual(len(authors), len(ITEMS))
                authors.read(["name", "handle", "partner_id", "mention_count"])
                self.assertEqual(
                    sorted(m.mention_count for m in authors), [1] * len(ITEMS)
                )
                theirs = self.of_feed("social.mention", other)
                with self.assertRaises(AccessError):
                    theirs.with_user(user).read(["content"])
                with self.assertRaises(AccessError):
                    theirs.identity_id.with_user(user).read(["name"])

    def test_contact_matching_stays_in_the_company(self):
        partner_a = self.env["res.partner"].create(
            {
                "name": "Alice of A",
                "company_id": self.company_a.id,
                "social_handles": "@alice@mastodon.social",
            }
        )
        author = self.author(
            "https://mastodon.social/@alice",
            handle="@alice@mastodon.social",
            profile_url="https://mastodon.social/@alice",
        )
        self.ingest(self.post("mc-1", author), source=self.source_a)
        self.ingest(self.post("mc-1", author), source=self.source_b)
        identities = self.identity(author.external_id)
        self.assertEqual(len(identities), 2)
        by_company = {identity.company_id: identity for identity in identities}
        self.assertEqual(by_company[self.company_a].partner_id, partner_a)
        # Company B may not see A's contact: its identity stays unlinked.
        self.assertFalse(by_company[self.company_b].partner_id)
        shared = self.env["res.partner"].create(
            {"name": "Alice for all", "social_handles": "@alice@mastodon.social"}
        )
        by_company[self.company_b]._auto_match_partners()
        self.assertEqual(by_company[self.company_b].partner_id, shared)

    def test_influence_is_scaled_within_the_company(self):
        big = self.author("mc-big", followers_count=100_000)
        small = self.author("mc-small", followers_count=100)
        self.ingest(self.post("mc-p1", big), source=self.source_a)
        self.ingest(self.post("mc-p2", small), source=self.source_b)
        self.env["social.influence.score"]._recompute_all()
        identity_b = self.identity("mc-small")
        self.assertEqual(identity_b.company_id, self.company_b)
        # mc-small is the largest (the only) account company B knows on
        # Mastodon: full reach, whatever company A's authors are.
        self.assertEqual(identity_b.influence_reach, 100.0)
        self.assertEqual(self.identity("mc-big").influence_reach, 100.0)

    def test_migration_splits_identities_shared_by_companies(self):
        """18.0.1.1.0 gives identities a company and one copy per company."""
        author = self.author("mc-shared", followers_count=42)
        self.ingest(self.post("mc-s1", author), source=self.source_a)
        identity = self.identity("mc-shared")
        mention_a = self.mention("mc-s1")
        partner = self.env["res.partner"].create({"name": "Shared contact"})
        identity.partner_id = partner
        # The 18.0.1.0.0 state: one identity for the whole database, its
        # company unset, and company B's mention of its post attached to it.
        cr = self.env.cr
        self.env.flush_all()
        cr.execute(
            "ALTER TABLE social_identity ALTER COLUMN company_id DROP NOT NULL;"
            "UPDATE social_identity SET company_id = NULL WHERE id = %s",
            [identity.id],
        )
        cr.execute(
            """
            INSERT INTO social_mention (network, external_id, content, posted_at,
                   identity_id, partner_id, state, priority, company_id, source_id)
            SELECT network, 'mc-s2', 'A post only B watched', posted_at,
                   identity_id, partner_id, 'new', '0', %s, %s
              FROM social_mention WHERE id = %s
            RETURNING id
            """,
            [self.company_b.id, self.source_b.id, mention_a.id],
        )
        mention_b = self.env["social.mention"].browse(cr.fetchone()[0])
        self.env.invalidate_all()

        copies = load_migration("18.0.1.1.0").scope_by_company(cr)
        self.env.invalidate_all()

        self.assertEqual(copies, 1)
        self.assertEqual(identity.company_id, self.company_a)
        self.assertEqual(mention_a.identity_id, identity)
        copy = mention_b.identity_id
        self.assertNotEqual(copy, identity)
        self.assertEqual(copy.company_id, self.company_b)
        self.assertEqual(
            (copy.network, copy.external_id, copy.followers_count, copy.partner_id),
            ("mastodon", "mc-shared", 42, partner),
        )
        self.assertEqual(mention_b.partner_id, partner)
        # Run again, it finds nothing left to do.
        self.assertEqual(load_migration("18.0.1.1.0").scope_by_company(cr), 0)
