from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestSocialCrmTours(HttpCase):
    """Browser tours: the paths users walk, in real Chromium."""

    def test_agent_inbox_to_contact(self):
        agent = new_test_user(
            self.env,
            login="tour_agent",
            password="tour_agent_pw",
            groups="social_crm.group_social_crm_user,base.group_user",
        )
        partner = self.env["res.partner"].create({"name": "Tour Customer"})
        identity = self.env["social.identity"].create(
            {
                "network": "mastodon",
                "external_id": "https://mastodon.social/@tour_angry",
                "handle": "@tour_angry",
                "name": "Angry Customer",
                "partner_id": partner.id,
            }
        )
        self.env["social.mention"].create(
            {
                "network": "mastodon",
                "external_id": "tour-1",
                "identity_id": identity.id,
                "content": "My Acme router died after two days, terrible support, "
                "I want a refund!",
            }
        )
        self.start_tour("/odoo", "social_crm_agent_tour", login=agent.login)
        mention = self.env["social.mention"].search([("external_id", "=", "tour-1")])
        self.assertEqual(mention.state, "in_progress")
        self.assertEqual(mention.user_id, agent)
