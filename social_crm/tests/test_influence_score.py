import math
from datetime import datetime, time, timedelta

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import SocialCrmCase

HALF_LIFE = 30


def log_share(value, maximum):
    """100 · ln(1 + value) / ln(1 + maximum), the scale of every component."""
    return 100 * math.log1p(value) / math.log1p(maximum)


def score(reach, engagement, activity, amplification, weights=(30, 25, 25, 20)):
    """The default-weighted score, from unrounded components."""
    parts = (reach, engagement, activity, amplification)
    return sum(w * p for w, p in zip(weights, parts, strict=True)) / sum(weights)


@tagged("post_install", "-at_install")
class TestInfluenceScore(SocialCrmCase):
    """The influence formula on a small dataset, checked to the decimal.

    The day scored is D (two days ago); ``T`` is its end, D+1 00:00 UTC. Ages
    are whole numbers of half-lives (30 days), so recency weights are exact:
    30 days old weighs 0.5, 60 days 0.25, 90 days 0.125.

    Mastodon (largest account: alpha, 9,999 followers)

    ====== ========= ======================= ==== ===================== =========
    author followers mention (age: l/s/r)    sent parent                weight
    ====== ========= ======================= ==== ===================== =========
    alpha  9999      a1 (30 d: 10/5/4)       0.6                        0.5
    alpha            a2 (60 d: 0/1/0)        -0.3                       0.25
    alpha            a_late (after T)        -1   (ignored: after T)
    beta   99        b1 (30 d: 2/0/0)        -0.8 a1 (reply to alpha)   0.5
    gamma  0         c1 (90 d: 0/0/0)        0.1  a2 (reply to alpha)   0.125
    ====== ========= ======================= ==== ===================== =========

    Bluesky (largest account: delta, 999 followers)

    ====== ========= ======================= ==== =========
    delta  999       d1 (30 d: 3/0/0)        0.2  0.5
    eps    9         e1 (60 d: 0/2/1)        -0.2 0.25
    ====== ========= ======================= ==== =========
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Only this dataset: components are relative to each network's largest.
        cls.env["social.mention"].search([]).unlink()
        cls.env["social.identity"].search([]).unlink()
        cls.day = fields.Date.today() - timedelta(days=2)
        cls.as_of = datetime.combine(cls.day + timedelta(days=1), time.min)

        def ago(days):
            return cls.as_of - timedelta(days=days)

        alpha = cls.author("alpha", followers_count=9999)
        beta = cls.author("beta", followers_count=99)
        gamma = cls.author("gamma", followers_count=0)
        delta = cls.author("delta", network="bluesky", followers_count=999)
        eps = cls.author("eps", network="bluesky", followers_count=9)
        cls.ingest(
            cls.post(
                "a1",
                alpha,
                posted_at=ago(30),
                like_count=10,
                share_count=5,
                reply_count=4,
            ),
            cls.post("a2", alpha, posted_at=ago(60), share_count=1),
            cls.post(
                "a_late",
                alpha,
                posted_at=cls.now - timedelta(hours=1),
                like_count=1000,
                share_count=1000,
            ),
            cls.post(
                "b1", beta, posted_at=ago(30), like_count=2, parent_external_id="a1"
            ),
            cls.post("c1", gamma, posted_at=ago(90), parent_external_id="a2"),
            cls.post("d1", delta, network="bluesky", posted_at=ago(30), like_count=3),
            cls.post(
                "e1",
                eps,
                network="bluesky",
                posted_at=ago(60),
                share_count=2,
                reply_count=1,
            ),
        )
        sentiments = {
            ("mastodon", "a1"): 0.6,
            ("mastodon", "a2"): -0.3,
            ("mastodon", "a_late"): -1.0,
            ("mastodon", "b1"): -0.8,
            ("mastodon", "c1"): 0.1,
            ("bluesky", "d1"): 0.2,
            ("bluesky", "e1"): -0.2,
        }
        for (network, external_id), value in sentiments.items():
            cls.mention(external_id, network).sentiment_score = value
        cls.alpha = cls.identity("alpha")
        cls.beta = cls.identity("beta")
        cls.gamma = cls.identity("gamma")
        cls.delta = cls.identity("delta", "bluesky")
        cls.eps = cls.identity("eps", "bluesky")
        cls.Score = cls.env["social.influence.score"]

    def recompute(self, day=None):
        return self.Score._recompute_all(day or self.day)

    def set_params(self, **values):
        for key, value in values.items():
            self.env["ir.config_parameter"].sudo().set_param(
                f"social_crm.{key}", str(value)
            )

    def assertComponents(self, identity, expected):
        for name, value in expected.items():
            self.assertAlmostEqual(
                identity[f"influence_{name}"],
                value,
                places=6,
                msg=f"{identity.display_name}: {name}",
            )

    def test_components_and_score(self):
        self.recompute()
        # alpha has the network's largest of everything:
        #   reach ln(1+9999); engagement per mention (19 + 1) / 2 = 10;
        #   activity 0.5 + 0.25 = 0.75 (a_late is after T);
        #   amplification a1: 5 shares + max(4 reported, 1 seen) = 9,
        #                 a2: 1 share + max(0 reported, 1 seen from gamma) = 2,
        #                 P = 11; so each component is 100, and the score 100.
        #   polarity (0.5 · 0.6 + 0.25 · -0.3) / 0.75 = 0.225 / 0.75 = 0.30.
        self.assertComponents(
            self.alpha,
            {
                "reach": 100.0,
                "engagement": 100.0,
                "activity": 100.0,
                "amplification": 100.0,
                "score": 100.0,
                "polarity": 0.3,
            },
        )
        self.assertEqual(self.alpha.influence_type, "positive")

        # beta: reach 100 · ln(100) / ln(10000) = 50.0
        #       engagement 100 · ln(1 + 2) / ln(1 + 10) = 45.8157 -> 45.8
        #       activity 100 · ln(1 + 0.5) / ln(1 + 0.75) = 72.4542 -> 72.5
        #       amplification 0 (nobody replies to beta)
        #       score (30·50 + 25·45.8157 + 25·72.4542 + 20·0) / 100
        #             = 44.5675 -> 44.6; polarity -0.8 -> negative
        self.assertAlmostEqual(log_share(2, 10), 45.8157, places=4)
        self.assertAlmostEqual(log_share(0.5, 0.75), 72.4542, places=4)
        self.assertComponents(
            self.beta,
            {
                "reach": 50.0,
                "engagement": 45.8,
                "activity": 72.5,
                "amplification": 0.0,
                "score": 44.6,
                "polarity": -0.8,
            },
        )
        self.assertAlmostEqual(
            score(50.0, log_share(2, 10), log_share(0.5, 0.75), 0), 44.5675, places=4
        )
        self.assertEqual(self.beta.influence_type, "negative")

        # gamma: no followers, no engagement, replies to alpha (which counts
        # for alpha, not gamma); activity 100 · ln(1.125) / ln(1.75) = 21.0471,
        # score 25 · 21.0471 / 100 = 5.2618 -> 5.3; polarity 0.1 -> neutral.
        self.assertAlmostEqual(log_share(0.125, 0.75), 21.0471, places=4)
        self.assertComponents(
            self.gamma,
            {
                "reach": 0.0,
                "engagement": 0.0,
                "activity": 21.0,
                "amplification": 0.0,
                "score": 5.3,
                "polarity": 0.1,
            },
        )
        self.assertEqual(self.gamma.influence_type, "neutral")

        # Bluesky is scaled on its own: delta's 999 followers are its largest.
        # delta: reach 100, engagement 3 = largest, activity 0.5 = largest,
        #        amplification 0; score (30 + 25 + 25) = 80.0;
        #        polarity 0.2: at the threshold, positive.
        self.assertComponents(
            self.delta,
            {
                "reach": 100.0,
                "engagement": 100.0,
                "activity": 100.0,
                "amplification": 0.0,
                "score": 80.0,
                "polarity": 0.2,
            },
        )
        self.assertEqual(self.delta.influence_type, "positive")
        # eps: reach 100 · ln(10) / ln(1000) = 33.3333
        #      engagement (0 + 2 + 1) / 1 = 3 = delta's: 100
        #      activity 100 · ln(1.25) / ln(1.5) = 55.0340 -> 55.0
        #      amplification 2 shares + 1 reply = 3, the largest: 100
        #      score (30·33.3333 + 25·100 + 25·55.0340 + 20·100) / 100
        #            = 68.7585 -> 68.8; polarity -0.2: at -threshold, negative.
        self.assertAlmostEqual(log_share(0.25, 0.5), 55.0340, places=4)
        self.assertAlmostEqual(
            score(100 / 3, 100, log_share(0.25, 0.5), 100), 68.7585, places=4
        )
        self.assertComponents(
            self.eps,
            {
                "reach": 33.3,
                "engagement": 100.0,
                "activity": 55.0,
                "amplification": 100.0,
                "score": 68.8,
                "polarity": -0.2,
            },
        )
        self.assertEqual(self.eps.influence_type, "negative")

    def test_weights_change_the_score(self):
        # Only reach counts: the score is the reach.
        self.set_params(
            weight_reach=1,
            weight_engagement=0,
            weight_activity=0,
            weight_amplification=0,
        )
        self.recompute()
        self.assertEqual(self.beta.influence_score, 50.0)
        self.assertEqual(self.eps.influence_score, 33.3)
        self.assertEqual(self.gamma.influence_score, 0.0)
        # Weights are relative: 2/2/0/0 is reach and engagement half each.
        # beta: (50 + 45.8157) / 2 = 47.9079 -> 47.9
        self.set_params(weight_reach=2, weight_engagement=2)
        self.recompute()
        self.assertEqual(self.beta.influence_score, 47.9)
        # All at 0 (not allowed in the settings): the defaults apply.
        self.set_params(weight_reach=0, weight_engagement=0)
        self.recompute()
        self.assertEqual(self.beta.influence_score, 44.6)

    def test_half_life_and_threshold(self):
        # Half-life 60 days: a1 weighs 0.5^(30/60) = 0.7071, a2 0.5^(60/60) = 0.5;
        # alpha's polarity (0.7071 · 0.6 - 0.5 · 0.3) / 1.2071 = 0.2272 -> 0.23.
        self.set_params(half_life_days=60)
        self.recompute()
        w1, w2 = 0.5**0.5, 0.5
        expected = (w1 * 0.6 - w2 * 0.3) / (w1 + w2)
        self.assertAlmostEqual(expected, 0.2272, places=4)
        self.assertEqual(self.alpha.influence_polarity, 0.23)
        self.assertEqual(self.alpha.influence_type, "positive")
        # gamma's activity: 100 · ln(1 + 0.5^1.5) / ln(1 + 0.7071 + 0.5) = 38.2
        self.assertAlmostEqual(
            self.gamma.influence_activity,
            round(log_share(0.5**1.5, w1 + w2), 1),
            places=6,
        )
        # A threshold of 0.25 makes alpha neutral, and beta still negative.
        self.set_params(polarity_threshold=0.25)
        self.recompute()
        self.assertEqual(self.alpha.influence_type, "neutral")
        self.assertEqual(self.beta.influence_type, "negative")
        self.assertEqual(self.delta.influence_type, "neutral")

    def test_history_one_row_per_identity_per_day(self):
        counts = self.recompute()
        self.assertEqual(counts["identities"], 5)
        self.assertEqual(counts["history"], 5)
        rows = self.Score.search([("date", "=", self.day)])
        self.assertEqual(len(rows), 5)
        beta_row = rows.filtered(lambda r: r.identity_id == self.beta)
        self.assertRecordValues(
            beta_row,
            [
                {
                    "score": 44.6,
                    "reach": 50.0,
                    "engagement": 45.8,
                    "activity": 72.5,
                    "amplification": 0.0,
                    "sentiment": -0.8,
                    "network": "mastodon",
                    "company_id": self.company.id,
                }
            ],
        )
        # Same day again, after a settings change: the row is updated.
        self.set_params(
            weight_reach=1,
            weight_engagement=0,
            weight_activity=0,
            weight_amplification=0,
        )
        self.recompute()
        rows = self.Score.search([("date", "=", self.day)])
        self.assertEqual(len(rows), 5)
        self.assertEqual(beta_row.score, 50.0)
        # Unchanged values write nothing.
        self.assertEqual(self.recompute()["history"], 0)
        # Another day: a second row each.
        self.recompute(self.day + timedelta(days=1))
        self.assertEqual(
            self.Score.search_count([("identity_id", "=", self.beta.id)]), 2
        )

    def test_partner_follows_its_highest_identity(self):
        partner = self.env["res.partner"].create({"name": "Alpha and Beta"})
        (self.beta | self.eps).partner_id = partner
        self.recompute()
        # eps 68.8 (negative) beats beta 44.6 (negative).
        self.assertEqual(partner.influence_score, 68.8)
        self.assertEqual(partner.influence_type, "negative")
        self.alpha.partner_id = partner
        self.recompute()
        self.assertEqual(partner.influence_score, 100.0)
        self.assertEqual(partner.influence_type, "positive")
        history = self.Score.search([("identity_id", "=", self.alpha.id)])
        self.assertEqual(history.partner_id, partner)
        # The ORM computes the same as the SQL.
        partner._compute_influence()
        self.assertEqual(partner.influence_score, 100.0)
        self.assertEqual(partner.influence_type, "positive")

    def test_polarity_sign_gives_type(self):
        # beta turns positive once its only mention does.
        self.mention("b1").sentiment_score = 0.5
        self.recompute()
        self.assertEqual(self.beta.influence_polarity, 0.5)
        self.assertEqual(self.beta.influence_type, "positive")
        self.mention("b1").sentiment_score = 0.1
        self.recompute()
        self.assertEqual(self.beta.influence_type, "neutral")

    def test_reply_to_oneself_does_not_amplify(self):
        self.ingest(
            # alpha answers its own a2: no amplification for alpha
            self.post(
                "a_self",
                self.author("alpha", followers_count=9999),
                posted_at=self.as_of - timedelta(days=60),
                parent_external_id="a2",
            ),
            # gamma answers beta: one seen reply for beta's b1
            self.post(
                "c2",
                self.author("gamma"),
                posted_at=self.as_of - timedelta(days=60),
                parent_external_id="b1",
            ),
        )
        self.mention("a_self").sentiment_score = -0.3
        self.mention("c2").sentiment_score = 0.1
        self.recompute()
        # alpha's P stays 11 (a2 has one reply from another author, gamma);
        # beta's P = 0 shares + max(0 reported, 1 seen) = 1, so
        # beta's amplification = 100 · ln(2) / ln(12) = 27.89 -> 27.9
        # (had alpha's self-reply counted: ln(2) / ln(13) = 27.02 -> 27.0).
        self.assertAlmostEqual(log_share(1, 11), 27.894, places=3)
        self.assertEqual(self.beta.influence_amplification, 27.9)
        # alpha's activity is now 0.5 + 0.25 + 0.25 = 1.0, the largest, so
        # beta's is 100 · ln(1.5) / ln(2) = 58.496 -> 58.5.
        self.assertEqual(self.alpha.influence_activity, 100.0)
        self.assertEqual(self.beta.influence_activity, 58.5)

    def test_counts_at_the_int4_limit(self):
        """Counts are summed as floats: the largest ones do not overflow."""
        self.ingest(
            self.post(
                "viral",
                self.author("gamma"),
                posted_at=self.as_of - timedelta(days=1),
                like_count=2**31 - 1,
                share_count=2**31 - 1,
                reply_count=2**31 - 1,
            )
        )
        self.recompute()
        self.assertEqual(self.gamma.influence_engagement, 100.0)
        self.assertEqual(self.gamma.influence_amplification, 100.0)

    def test_settings(self):
        settings = self.env["res.config.settings"].create(
            {"social_crm_weight_reach": 50, "social_crm_half_life_days": 7}
        )
        settings.execute()
        params = self.Score._influence_parameters()
        self.assertEqual(params["weight_reach"], 50.0)
        self.assertEqual(params["half_life_days"], 7.0)
        self.assertEqual(params["weight_engagement"], 25.0)
        self.assertEqual(params["polarity_threshold"], 0.2)
        with self.assertRaises(ValidationError):
            self.env["res.config.settings"].create({"social_crm_weight_reach": -1})
        with self.assertRaises(ValidationError):
            self.env["res.config.settings"].create({"social_crm_polarity_threshold": 0})
        # Garbage in the parameters falls back to the defaults.
        self.set_params(half_life_days="soon", weight_activity=-4)
        params = self.Score._influence_parameters()
        self.assertEqual(params["half_life_days"], 30.0)
        self.assertEqual(params["weight_activity"], 0.0)

    def test_cron_and_button(self):
        self.env.ref(
            "social_crm.ir_cron_social_recompute_influence"
        ).method_direct_trigger()
        self.assertEqual(
            self.Score.search_count([("date", "=", fields.Date.today())]), 5
        )
        action = self.env.ref("social_crm.social_identity_action_recompute_influence")
        result = (
            action.with_user(self.social_manager)
            .with_context(active_model="social.identity", active_ids=self.alpha.ids)
            .run()
        )
        self.assertEqual(result["tag"], "display_notification")
        with self.assertRaises(AccessError):
            self.Score.with_user(self.social_user).action_recompute_influence()
