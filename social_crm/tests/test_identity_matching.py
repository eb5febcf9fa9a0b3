from odoo.tests import tagged

from .common import SocialCrmCase


@tagged("post_install", "-at_install")
class TestIdentityMatching(SocialCrmCase):
    """Automatic links on strong evidence only; ambiguity leaves a note."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.alice = Partner.create(
            {
                "name": "Alice Martin",
                "website": "https://www.mastodon.social/@alice/",
                "email": "alice@example.com",
            }
        )
        cls.bob = Partner.create(
            {
                "name": "Bob Ivanov",
                "social_handles": "https://x.com/bob_iv, @bob@fosstodon.org",
            }
        )
        cls.twin_1 = Partner.create({"name": "Twin One", "email": "shared@example.com"})
        cls.twin_2 = Partner.create({"name": "Twin Two", "email": "shared@example.com"})

    def test_profile_url_on_website(self):
        author = self.author(
            "https://mastodon.social/@alice",
            handle="@alice@mastodon.social",
            profile_url="https://mastodon.social/@alice",
        )
        self.ingest(self.post("m1", author))
        identity = self.identity("https://mastodon.social/@alice")
        self.assertEqual(identity.partner_id, self.alice)
        self.assertIn("mastodon.social/@alice", identity.match_note)
        self.assertIn("Linked automatically", identity.message_ids[0].body)
        self.assertEqual(self.mention("m1").partner_id, self.alice)

    def test_profile_url_in_social_handles(self):
        author = self.author(
            "1234", network="x", handle="bob_iv", profile_url="https://x.com/bob_iv"
        )
        self.ingest(self.post("x1", author, network="x"))
        self.assertEqual(self.identity("1234", "x").partner_id, self.bob)

    def test_global_handle_in_social_handles(self):
        author = self.author("https://fosstodon.org/@bob", handle="@bob@fosstodon.org")
        self.ingest(self.post("m2", author))
        self.assertEqual(
            self.identity("https://fosstodon.org/@bob").partner_id, self.bob
        )

    def test_local_handle_alone_is_not_evidence(self):
        # "bob_iv" on Reddit is not the X account bob_iv: no link on a bare handle.
        author = self.author("t2_bob", network="reddit", handle="bob_iv")
        self.ingest(self.post("t3_1", author, network="reddit"))
        self.assertFalse(self.identity("t2_bob", "reddit").partner_id)

    def test_email_in_bio_matching_one_partner(self):
        author = self.author("carol", bio="Writer. Reach me: Alice@Example.com")
        self.ingest(self.post("m3", author))
        identity = self.identity("carol")
        self.assertEqual(identity.partner_id, self.alice)
        self.assertIn("alice@example.com", identity.match_note)

    def test_email_in_bio_matching_two_partners_is_ambiguous(self):
        author = self.author("twin", bio="contact: shared@example.com")
        self.ingest(self.post("m4", author))
        identity = self.identity("twin")
        self.assertFalse(identity.partner_id)
        self.assertIn("Ambiguous", identity.match_note)
        self.assertIn("Twin One", identity.match_note)
        to_match = self.env["social.identity"].search([("partner_id", "=", False)])
        self.assertIn(identity, to_match)

    def test_disagreeing_rules_are_ambiguous(self):
        author = self.author(
            "https://mastodon.social/@alice",
            profile_url="https://mastodon.social/@alice",
            bio="bob's account, mail shared@example.com",
        )
        self.twin_2.email = "other@example.com"
        self.ingest(self.post("m5", author))
        identity = self.identity("https://mastodon.social/@alice")
        self.assertFalse(identity.partner_id)
        self.assertIn("Ambiguous", identity.match_note)

    def test_verified_cross_link_both_ways(self):
        known = self.env["social.identity"].create(
            {
                "network": "bluesky",
                "external_id": "did:plc:dave",
                "handle": "dave.bsky.social",
                "profile_url": "https://bsky.app/profile/dave.bsky.social",
                "bio": "Also https://mastodon.social/@dave",
                "partner_id": self.bob.id,
            }
        )
        author = self.author(
            "https://mastodon.social/@dave",
            profile_url="https://mastodon.social/@dave",
            bio="Same me on https://bsky.app/profile/dave.bsky.social",
        )
        self.ingest(self.post("m6", author))
        identity = self.identity("https://mastodon.social/@dave")
        self.assertEqual(identity.partner_id, known.partner_id)
        self.assertIn("link to each other", identity.match_note)

    def test_one_way_cross_link_is_not_evidence(self):
        self.env["social.identity"].create(
            {
                "network": "bluesky",
                "external_id": "did:plc:erin",
                "profile_url": "https://bsky.app/profile/erin.bsky.social",
                "bio": "no links here",
                "partner_id": self.bob.id,
            }
        )
        author = self.author(
            "https://mastodon.social/@mallory",
            profile_url="https://mastodon.social/@mallory",
            bio="I am totally https://bsky.app/profile/erin.bsky.social",
        )
        self.ingest(self.post("m7", author))
        self.assertFalse(self.identity("https://mastodon.social/@mallory").partner_id)

    def test_known_identity_keeps_its_manual_link(self):
        author = self.author("frank", bio="alice@example.com")
        self.ingest(self.post("m8", author))
        identity = self.identity("frank")
        identity.partner_id = self.bob  # corrected by hand
        self.ingest(self.post("m9", author))
        self.assertEqual(identity.partner_id, self.bob)

    def test_manual_link_and_create_contact(self):
        author = self.author(
            "gina", name="Gina Rossi", profile_url="https://mastodon.social/@gina"
        )
        self.ingest(self.post("m10", author))
        identity = self.identity("gina").with_user(self.social_user)
        action = identity.action_create_partner()
        partner = self.env["res.partner"].browse(action["res_id"])
        self.assertEqual(partner.name, "Gina Rossi")
        self.assertEqual(partner.website, "https://mastodon.social/@gina")
        self.assertEqual(identity.partner_id, partner)
        self.assertEqual(self.mention("m10").partner_id, partner)
        with self.assertRaisesRegex(Exception, "already linked"):
            identity.action_create_partner()

    def test_merge_keeps_identities_and_mentions(self):
        author = self.author("henry", profile_url="https://mastodon.social/@henry")
        self.ingest(self.post("m11", author), self.post("m12", author))
        identity = self.identity("henry")
        identity.partner_id = self.twin_1
        wizard = self.env["base.partner.merge.automatic.wizard"].create({})
        wizard._merge((self.twin_1 | self.twin_2).ids, self.twin_2)
        self.assertFalse(self.twin_1.exists())
        self.assertEqual(identity.partner_id, self.twin_2)
        self.assertEqual(self.twin_2.social_mention_count, 2)
        self.assertEqual(self.mention("m11").partner_id, self.twin_2)

    def test_match_contact_proposes_candidates_and_why(self):
        """When nothing links on its own, Match Contact lists who and why."""
        author = self.author(
            "twin", name="Bob Ivanov", bio="contact: shared@example.com"
        )
        self.ingest(self.post("mc1", author))
        identity = self.identity("twin").with_user(self.social_user)
        self.assertFalse(identity.partner_id)
        action = identity.action_auto_match()
        self.assertEqual(action["res_model"], "social.identity.match")
        wizard = self.env["social.identity.match"].browse(action["res_id"])
        lines = {line.partner_id: line for line in wizard.line_ids}
        # the shared e-mail: strong evidence, but two contacts; the name: weak
        self.assertEqual(set(lines), {self.twin_1, self.twin_2, self.bob})
        self.assertTrue(lines[self.twin_1].strong)
        self.assertIn("shared@example.com", lines[self.twin_1].reasons)
        self.assertFalse(lines[self.bob].strong)
        self.assertIn("same name", lines[self.bob].reasons)
        self.assertEqual(wizard.line_ids[0].partner_id, self.twin_1)  # strong first
        lines[self.twin_2].action_link()
        self.assertEqual(identity.partner_id, self.twin_2)
        self.assertIn("Linked by hand", identity.message_ids[0].body)

    def test_match_contact_without_candidates(self):
        self.ingest(self.post("mc2", self.author("nobody-knows")))
        identity = self.identity("nobody-knows")
        wizard = self.env["social.identity.match"].browse(
            identity.action_auto_match()["res_id"]
        )
        self.assertFalse(wizard.line_ids)
        created = wizard.action_create_partner()
        self.assertEqual(identity.partner_id.id, created["res_id"])

    def test_match_contact_on_several_identities_notifies(self):
        self.ingest(
            self.post("mc3", self.author("one")), self.post("mc4", self.author("two"))
        )
        identities = self.identity("one") | self.identity("two")
        action = identities.action_auto_match()
        self.assertEqual(action["tag"], "display_notification")

    def test_identity_form_network_facts_read_only(self):
        arch = self.env["social.identity"].get_views([(False, "form")])["views"][
            "form"
        ]["arch"]
        for name in ("verified", "followers_count", "following_count", "post_count"):
            with self.subTest(field=name):
                self.assertIn(f'name="{name}" readonly="1"', arch)
