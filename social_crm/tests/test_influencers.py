import importlib.util
from datetime import timedelta
from pathlib import Path

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import SocialCrmCase


def load_migration(version, name="post-migration"):
    path = Path(__file__).parents[1] / "migrations" / version / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"social_crm_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestInfluencers(SocialCrmCase):
    """Who is an influencer, and when an author was first and last seen."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["social.routing.rule"].search([]).active = False
        cls.company.write(
            {"social_influencer_min_score": 60, "social_influencer_min_followers": 1000}
        )

    def identities(self, *rows):
        """Identities of (external id, score, followers)."""
        self.ingest(
            *(
                self.post(f"p_{ext}", self.author(ext, followers_count=followers))
                for ext, _score, followers in rows
            )
        )
        for ext, score, _followers in rows:
            self.identity(ext).influence_score = score
        return [self.identity(ext) for ext, *_rest in rows]

    def test_an_influencer_has_the_score_and_the_reach(self):
        """Issue 12: a high score with 12 or 58 followers is no influencer."""
        small, niche, big, low = self.identities(
            ("tiny", 89.7, 12),
            ("niche", 69.1, 58),
            ("big", 66.0, 2280),
            ("low", 40, 9000),
        )
        changed = self.env["social.identity"]._recompute_influencers()
        self.assertGreaterEqual(changed, 1)
        self.assertEqual(
            [i.is_influencer for i in (small, niche, big, low)],
            [False, False, True, False],
        )
        self.assertEqual(
            self.env["social.identity"]._recompute_influencers(),
            0,
            "only flags that change are written",
        )
        mentions = self.env["social.mention"].search(
            [
                ("identity_id.is_influencer", "=", True),
                ("identity_id", "in", [small.id, niche.id, big.id, low.id]),
            ]
        )
        self.assertEqual(mentions.identity_id, big)

    def test_the_recomputation_sets_the_flag(self):
        self.ingest(
            self.post(
                "r_big",
                self.author("r_big", followers_count=50_000_000),
                like_count=10**8,
                share_count=10**8,
                reply_count=10**8,
            ),
            self.post("r_small", self.author("r_small", followers_count=3)),
        )
        self.env["social.influence.score"]._recompute_all()
        identities = self.env["social.identity"].search([])
        expected = {
            identity: identity.influence_score >= 60
            and identity.followers_count >= 1000
            for identity in identities
        }
        self.assertEqual(
            {identity: identity.is_influencer for identity in identities}, expected
        )
        self.assertIn(True, expected.values())
        self.assertTrue(self.identity("r_big").is_influencer)
        self.assertFalse(self.identity("r_small").is_influencer)

    def test_company_floors_apply_at_once(self):
        (niche,) = self.identities(("floor", 75, 300))
        self.env["social.identity"]._recompute_influencers()
        self.assertFalse(niche.is_influencer)
        self.company.social_influencer_min_followers = 100
        self.assertTrue(niche.is_influencer)
        self.company.social_influencer_min_score = 80
        self.assertFalse(niche.is_influencer)
        with self.assertRaises(ValidationError):
            self.company.social_influencer_min_score = 120

    def test_first_and_last_seen_are_the_posts_dates(self):
        """Issue 12: not the time of the fetch."""
        author = self.author("seen")
        five, two, ten, today = (self.now - timedelta(days=d) for d in (5, 2, 10, 0))
        self.ingest(
            self.post("s1", author, posted_at=two),
            self.post("s2", author, posted_at=five),
        )
        identity = self.identity("seen")
        self.assertEqual((identity.first_seen, identity.last_seen), (five, two))
        # An older post read later moves the first date back, not the last.
        self.ingest(self.post("s3", author, posted_at=ten))
        identity.invalidate_recordset()
        self.assertEqual((identity.first_seen, identity.last_seen), (ten, two))
        self.ingest(self.post("s4", author, posted_at=today))
        identity.invalidate_recordset()
        self.assertEqual((identity.first_seen, identity.last_seen), (ten, today))

    def test_migration_takes_seen_from_the_posts(self):
        author = self.author("old")
        first, last = self.now - timedelta(days=7), self.now - timedelta(days=3)
        self.ingest(
            self.post("o1", author, posted_at=first),
            self.post("o2", author, posted_at=last),
        )
        identity = self.identity("old")
        fetched = self.now + timedelta(minutes=1)
        self.env.cr.execute(
            "UPDATE social_identity SET first_seen = %s, last_seen = %s WHERE id = %s",
            [fetched, fetched, identity.id],
        )
        migration = load_migration("18.0.1.4.0")
        self.assertGreaterEqual(migration.fill_seen_from_posts(self.env.cr), 1)
        identity.invalidate_recordset()
        self.assertEqual((identity.first_seen, identity.last_seen), (first, last))
