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

    def test_manager_previews_and_applies_a_routing_rule(self):
        """Issue 12: preview, confirmation, tickets to the rule's assignee."""
        manager = new_test_user(
            self.env,
            login="tour_routing_manager",
            groups="social_crm.group_social_crm_manager,helpdesk_mgmt.group_helpdesk_manager",
        )
        agent = new_test_user(
            self.env,
            login="tour_billing_agent",
            name="Tour Billing Agent",
            groups="social_crm.group_social_crm_user,helpdesk_mgmt.group_helpdesk_user",
        )
        self.env["social.routing.rule"].search([]).active = False
        team = self.env["helpdesk.ticket.team"].create({"name": "Billing care"})
        source = self.env["social.source"].create(
            {"name": "Routing tour source", "connector": "demo"}
        )
        identity = self.env["social.identity"].create(
            {
                "network": "x",
                "external_id": "tour-routing-author",
                "handle": "tour_twice",
                "name": "Charged Twice",
            }
        )
        complaint = self.env.ref("social_crm.category_complaint")
        mentions = self.env["social.mention"].create(
            [
                {
                    "network": "x",
                    "external_id": f"tour-routing-{number}",
                    "identity_id": identity.id,
                    "source_id": source.id,
                    "content": content,
                    "sentiment": "negative",
                    "category_id": complaint.id,
                }
                for number, content in (
                    (1, "Acme charged me twice this month. Awful."),
                    (2, "Day five, still no refund from Acme for the double charge."),
                )
            ]
        )
        rule = self.env["social.routing.rule"].create(
            {
                "name": "Double charges to billing",
                "action": "create_ticket",
                "domain": "[('state', '=', 'new'), ('identity_id.handle', '=', "
                "'tour_twice')]",
                "helpdesk_team_id": team.id,
                "group_by_author": True,
            }
        )
        self.start_tour(
            f"/odoo/action-social_crm.social_routing_rule_action/{rule.id}",
            "social_crm_helpdesk_routing_tour",
            login=manager.login,
        )
        self.assertEqual(rule.user_id, agent)
        self.assertEqual(len(mentions.ticket_id), 1)
        self.assertEqual(mentions.ticket_id.user_id, agent)
        self.assertEqual(mentions.ticket_id.team_id, team)
        self.assertEqual(set(mentions.mapped("state")), {"converted"})
