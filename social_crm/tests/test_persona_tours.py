from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPersonaTours(HttpCase):
    """Tours of issue 12: reopening, the influence badge."""

    def test_agent_reopens_a_converted_mention(self):
        agent = new_test_user(
            self.env,
            login="tour_reopen_agent",
            groups="social_crm.group_social_crm_user,sales_team.group_sale_salesman",
        )
        identity = self.env["social.identity"].create(
            {"network": "x", "external_id": "tour-reopen", "handle": "reopen_me"}
        )
        source = self.env["social.source"].create(
            {"name": "Reopen tour source", "connector": "demo"}
        )
        mention = self.env["social.mention"].create(
            {
                "network": "x",
                "external_id": "tour-reopen-1",
                "identity_id": identity.id,
                "source_id": source.id,
                "content": "Just saying hi to Acme, nothing to sell me.",
            }
        )
        lead = self.env["crm.lead"].create({"name": "Reopen tour lead"})
        mention._attach_to_lead(lead)
        self.start_tour(
            f"/odoo/action-social_crm.social_mention_action/{mention.id}",
            "social_crm_reopen_tour",
            login=agent.login,
        )
        self.assertEqual(mention.state, "new")
        self.assertFalse(mention.lead_id)

    def test_influence_reads_one_way(self):
        manager = new_test_user(
            self.env,
            login="tour_badge_manager",
            groups="social_crm.group_social_crm_manager",
        )
        self.env["social.identity"].create(
            [
                {
                    "network": "mastodon",
                    "external_id": f"tour-{handle}",
                    "handle": handle,
                    "influence_score": score,
                    "influence_type": kind,
                }
                for handle, score, kind in (
                    ("badge_promoter", 72.5, "positive"),
                    ("badge_detractor", 64, "negative"),
                )
            ]
        )
        self.start_tour(
            "/odoo/action-social_crm.social_identity_action",
            "social_crm_influence_badge_tour",
            login=manager.login,
        )
