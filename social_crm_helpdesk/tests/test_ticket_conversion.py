from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.social_crm.tests.common import SocialCrmCase


@tagged("post_install", "-at_install")
class TestTicketConversion(SocialCrmCase):
    """Mentions into helpdesk tickets, by hand and by rules."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Rules a manager turned on must not convert the fixture's posts.
        cls.env["social.routing.rule"].search([]).active = False
        cls.helpdesk_team = cls.env["helpdesk.ticket.team"].create(
            {"name": "Social care"}
        )
        cls.source.helpdesk_team_id = cls.helpdesk_team
        cls.agent = new_test_user(
            cls.env,
            login="sc_agent",
            groups="social_crm.group_social_crm_user,helpdesk_mgmt.group_helpdesk_user",
        )
        cls.customer = cls.env["res.partner"].create({"name": "Angry Customer"})
        loud = cls.author("loud", name="Loud Voice")
        quiet = cls.author("quiet", name="Quiet Voice")
        cls.ingest(
            cls.post(
                "t1",
                loud,
                content="My Acme router died, awful, I want a refund",
                url="https://mastodon.social/@loud/1",
            ),
            cls.post("t2", quiet, content="The router died again, terrible"),
            cls.post("t3", quiet, content="Thanks Acme, great fix!"),
        )
        cls.identity("loud").write(
            {
                "partner_id": cls.customer.id,
                "influence_score": 75,
                "followers_count": 5000,
            }
        )
        cls.env["social.identity"]._recompute_influencers()

    def wizard(self, mentions, user=None, **values):
        wizard_form = Form(
            self.env["social.mention.convert"]
            .with_user(user or self.agent)
            .with_context(active_model="social.mention", active_ids=mentions.ids)
        )
        wizard_form.action = "create_ticket"
        for name, value in values.items():
            setattr(wizard_form, name, value)
        return wizard_form.save()

    def test_ticket_from_negative_influencer_is_urgent(self):
        mention = self.mention("t1")
        self.assertEqual(mention.sentiment, "negative")
        wizard = self.wizard(mention)
        self.assertEqual(wizard.helpdesk_team_id, self.helpdesk_team)
        action = wizard.action_convert()
        ticket = self.env["helpdesk.ticket"].browse(action["res_id"])
        self.assertEqual(ticket.priority, "3")
        self.assertEqual(ticket.partner_id, self.customer)
        self.assertEqual(ticket.team_id, self.helpdesk_team)
        self.assertEqual(
            ticket.channel_id,
            self.env.ref("social_crm_helpdesk.helpdesk_ticket_channel_social"),
        )
        self.assertIn("I want a refund", str(ticket.description))
        self.assertIn("https://mastodon.social/@loud/1", str(ticket.description))
        self.assertEqual((mention.state, mention.ticket_id), ("converted", ticket))
        self.assertEqual(ticket.social_mention_ids, mention)
        self.assertIn(mention.identity_id, ticket.social_identity_ids)
        self.assertIn(f'data-oe-id="{ticket.id}"', mention.message_ids[0].body)
        # the mention's form opens its ticket from a smart button
        opened = mention.action_open_ticket()
        self.assertEqual(
            (opened["res_model"], opened["res_id"]), ("helpdesk.ticket", ticket.id)
        )

    def test_priority_from_sentiment_and_influence(self):
        quiet_negative, quiet_positive = self.mention("t2"), self.mention("t3")
        self.assertEqual(quiet_negative._ticket_priority(), "2")
        self.assertEqual(quiet_positive._ticket_priority(), "0")
        # A high score with a dozen followers is no influencer (the score is
        # relative within the network): no level added.
        self.identity("quiet").write({"influence_score": 80, "followers_count": 12})
        self.env["social.identity"]._recompute_influencers()
        self.assertEqual(quiet_positive._ticket_priority(), "0")
        self.identity("quiet").followers_count = 2000
        self.env["social.identity"]._recompute_influencers()
        self.assertEqual(quiet_positive._ticket_priority(), "1")
        self.assertEqual(quiet_negative._ticket_priority(), "3")
        self.assertEqual((quiet_negative | quiet_positive)._ticket_priority(), "3")

    def test_one_ticket_per_author(self):
        mentions = self.mention("t1") | self.mention("t2") | self.mention("t3")
        self.wizard(mentions, grouping="author").action_convert()
        self.assertEqual(len(mentions.ticket_id), 2)
        self.assertEqual(self.mention("t2").ticket_id, self.mention("t3").ticket_id)

    def test_attach_to_existing_ticket(self):
        ticket = self.env["helpdesk.ticket"].create(
            {"name": "Router issue", "description": "<p>x</p>"}
        )
        wizard = self.wizard(
            self.mention("t2"), action="attach_ticket", ticket_id=ticket
        )
        wizard.action_convert()
        self.assertEqual(self.mention("t2").ticket_id, ticket)
        with self.assertRaisesRegex(UserError, "already converted"):
            self.wizard(self.mention("t2")).action_convert()

    def test_lead_and_ticket_exclude_each_other(self):
        self.mention("t2")._convert_to_tickets()
        with self.assertRaisesRegex(UserError, "already converted"):
            self.mention("t2")._convert_to_leads()

    def test_user_without_helpdesk_rights_cannot_make_tickets(self):
        wizard = self.wizard(self.mention("t2"), user=self.social_user)
        with self.assertRaisesRegex(AccessError, "create tickets"):
            wizard.action_convert()
        self.assertFalse(self.mention("t2").ticket_id)

    def test_rule_makes_tickets_at_ingestion(self):
        Rule = self.env["social.routing.rule"]
        Rule.search([]).active = False
        rule = self.env.ref("social_crm_helpdesk.routing_rule_complaint_to_ticket")
        rule.write({"active": True, "helpdesk_team_id": self.helpdesk_team.id})
        self.ingest(
            self.post(
                "t4",
                self.author("irate"),
                content="Terrible service, my router is broken and nobody answers "
                "my complaint",
            )
        )
        mention = self.mention("t4")
        self.assertEqual(mention.category_id.code, "complaint")
        self.assertTrue(mention.ticket_id)
        self.assertEqual(mention.ticket_id.team_id, self.helpdesk_team)
        self.apply_rules(mention)
        self.assertEqual(
            self.env["helpdesk.ticket"].search_count(
                [("social_mention_ids", "in", mention.ids)]
            ),
            1,
        )

    def test_rule_without_assignee_leaves_tickets_unassigned(self):
        """Bug 6: an empty *Assign to* never means the user who applies the rule."""
        Rule = self.env["social.routing.rule"]
        Rule.search([]).active = False
        self.ingest(
            self.post(
                "t5",
                self.author("irate2"),
                content="Terrible service, my router is broken and nobody answers "
                "my complaint",
            )
        )
        mention = self.mention("t5")
        rule = Rule.create(
            {
                "name": "Complaints to support, unassigned",
                "action": "create_ticket",
                "domain": "[('category_id.code', '=', 'complaint')]",
                "helpdesk_team_id": self.helpdesk_team.id,
            }
        )
        self.apply_rules(mention)
        self.assertIn(rule, mention.routed_rule_ids)
        self.assertTrue(mention.ticket_id)
        self.assertFalse(mention.ticket_id.user_id)

    def test_rule_makes_one_ticket_for_one_authors_five_posts(self):
        """Bug 6: grouping by author; the confirmation counts the tickets."""
        Rule = self.env["social.routing.rule"]
        Rule.search([]).active = False
        author = self.author("five")
        self.ingest(
            *(
                self.post(
                    f"f{i}",
                    author,
                    content=f"Terrible service, my router is broken, complaint {i}",
                )
                for i in range(5)
            )
        )
        mentions = self.env["social.mention"].search(
            [("external_id", "in", [f"f{i}" for i in range(5)])]
        )
        rule = Rule.create(
            {
                "name": "Complaints to support, per author",
                "action": "create_ticket",
                "domain": "[('category_id.code', '=', 'complaint')]",
                "helpdesk_team_id": self.helpdesk_team.id,
                "user_id": self.agent.id,
                "group_by_author": True,
            }
        )
        wizard = self.routing_wizard(mentions)
        self.assertEqual(
            [(ln.rule_id, ln.mention_count, ln.record_count) for ln in wizard.line_ids],
            [(rule, 5, 1)],
        )
        self.assertIn("1 new ticket(s)", wizard.line_ids.description)
        self.assertFalse(mentions.ticket_id, "nothing made before the confirmation")
        wizard.action_confirm()
        self.assertEqual(len(mentions.ticket_id), 1)
        self.assertEqual(mentions.ticket_id.user_id, self.agent)
        self.assertEqual(set(mentions.mapped("state")), {"converted"})

    def test_reopen_a_converted_complaint(self):
        mention = self.mention("t2")
        ticket = mention._convert_to_tickets()
        mention.with_user(self.agent).action_reset()
        self.assertEqual(mention.state, "new")
        self.assertFalse(mention.ticket_id)
        self.assertIn(f'data-oe-id="{ticket.id}"', mention.message_ids[0].body)
        self.assertIn(f'data-oe-id="{mention.id}"', ticket.message_ids[0].body)
        self.assertTrue(mention._convert_to_tickets())

    def test_report_counts_tickets(self):
        self.mention("t1")._convert_to_tickets()
        self.mention("t2")._convert_to_tickets()
        Report = self.env["social.mention.report"]
        Report.invalidate_model()
        self.env.flush_all()
        [(tickets, mentions)] = Report._read_group(
            [
                (
                    "mention_id",
                    "in",
                    (self.mention("t1") | self.mention("t2") | self.mention("t3")).ids,
                )
            ],
            aggregates=["ticket_count:sum", "nbr:sum"],
        )
        self.assertEqual((tickets, mentions), (2, 3))

    def test_summary_counts_tickets_as_well_as_leads(self):
        mention = self.mention("t1")
        self.wizard(mention).action_convert()
        domain = [("id", "=", mention.id)]
        conversions = self.env["report.social_crm.summary"]._summary_conversions(
            domain, 1
        )
        self.assertEqual(
            [(c["name"], c["count"], c["pct"]) for c in conversions],
            [("Leads", 0, 0.0), ("Tickets", 1, 100.0)],
        )


@tagged("post_install", "-at_install")
class TestTicketWizardDefaults(SocialCrmCase):
    """The wizard proposes what the mentions call for: target and team."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["helpdesk.ticket.team"].create({"name": "Care"})
        cls.agent = new_test_user(
            cls.env,
            login="sc_wizard_agent",
            groups="social_crm.group_social_crm_user,helpdesk_mgmt.group_helpdesk_user",
        )
        cls.ingest(
            cls.post("wd1", cls.author("wd_angry"), content="x"),
            cls.post("wd2", cls.author("wd_buyer"), content="y"),
        )
        codes = cls.env["social.category"].search([]).grouped("code")
        cls.mention("wd1").category_id = codes["complaint"]
        cls.mention("wd2").category_id = codes["purchase_intent"]

    def form(self, *external_ids):
        mentions = self.env["social.mention"].concat(
            *(self.mention(external_id) for external_id in external_ids)
        )
        return Form(
            self.env["social.mention.convert"]
            .with_user(self.agent)
            .with_context(active_model="social.mention", active_ids=mentions.ids)
        )

    def test_complaints_default_to_a_ticket_and_questions_to_a_lead(self):
        self.assertEqual(self.form("wd1").action, "create_ticket")
        self.assertEqual(self.form("wd2").action, "create_lead")
        # Half and half: the lead, as without the helpdesk.
        self.assertEqual(self.form("wd1", "wd2").action, "create_lead")

    def test_team_from_the_source_else_the_agents_team(self):
        self.source.helpdesk_team_id = False
        self.team.user_ids = [Command.link(self.agent.id)]
        self.assertEqual(self.form("wd1").helpdesk_team_id, self.team)
        other = self.env["helpdesk.ticket.team"].create({"name": "Other"})
        self.source.helpdesk_team_id = other
        self.assertEqual(self.form("wd1").helpdesk_team_id, other)

    def test_a_ticket_needs_a_team(self):
        self.source.helpdesk_team_id = False
        self.team.user_ids = [Command.clear()]
        self.env["helpdesk.ticket.team"].create({"name": "Second team"})
        wizard_form = self.form("wd1")
        self.assertFalse(wizard_form.helpdesk_team_id)
        with self.assertRaises(AssertionError):  # the required field, as the client
            wizard_form.save()
