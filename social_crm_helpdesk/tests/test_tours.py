from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestHelpdeskTours(HttpCase):
    def test_agent_turns_negative_mention_into_ticket(self):
        agent = new_test_user(
            self.env,
            login="tour_support",
            groups="social_crm.group_social_crm_user,helpdesk_mgmt.group_helpdesk_user",
        )
        identity = self.env["social.identity"].create(
            {
                "network": "x",
                "external_id": "tour-x-1",
                "handle": "tour_irate",
                "name": "Irate Customer",
            }
        )
        team = self.env["helpdesk.ticket.team"].create({"name": "Billing care"})
        source = self.env["social.source"].create(
            {"name": "Tour source", "connector": "demo", "helpdesk_team_id": team.id}
        )
        self.env["social.mention"].create(
            {
                "network": "x",
                "external_id": "tour-ticket-1",
                "identity_id": identity.id,
                "source_id": source.id,
                "content": "Acme charged me twice and support ignores me. Awful.",
                "category_id": self.env.ref("social_crm.category_complaint").id,
            }
        )
        self.start_tour("/odoo", "social_crm_helpdesk_ticket_tour", login=agent.login)
        mention = self.env["social.mention"].search(
            [("external_id", "=", "tour-ticket-1")]
        )
        self.assertTrue(mention.ticket_id)
        self.assertEqual(mention.ticket_id.team_id, team)
        self.assertEqual(mention.ticket_id.priority, "2")
