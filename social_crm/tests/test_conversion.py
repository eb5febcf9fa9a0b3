from datetime import datetime, timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.social_crm.models.social_mention import (
    TITLE_EXCERPT_LENGTH,
    excerpt_at_word,
)

from .common import SocialCrmCase


@tagged("post_install", "-at_install")
class TestConversion(SocialCrmCase):
    """Mentions into leads: single, bulk, per author, attach, guards."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["crm.team"].create({"name": "Social Sales"})
        cls.source.team_id = cls.team
        cls.customer = cls.env["res.partner"].create({"name": "Known Customer"})
        ann = cls.author(
            "ann", name="Ann Lee", profile_url="https://mastodon.social/@ann"
        )
        bob = cls.author("bob", name="Bob Ray")
        cls.ingest(
            cls.post(
                "c1", ann, content="Does AcmeCloud support SSO?", url="https://m.s/1"
            ),
            cls.post("c2", ann, content="Also, what does the Router X2 cost?"),
            cls.post("c3", bob, content="Want to buy 20 Acme routers for our office"),
        )
        cls.identity("ann").partner_id = cls.customer
        cls.tag = cls.env["crm.tag"].create({"name": "social"})

    def wizard(self, mentions, **values):
        wizard_form = Form(
            self.env["social.mention.convert"]
            .with_user(self.social_user)
            .with_context(active_model="social.mention", active_ids=mentions.ids)
        )
        for name, value in values.items():
            setattr(wizard_form, name, value)
        return wizard_form.save()

    def test_single_mention_to_lead(self):
        mention = self.mention("c1")
        wizard = self.wizard(mention)
        self.assertEqual(wizard.team_id, self.team, "the source's team by default")
        action = wizard.action_convert()
        lead = self.env["crm.lead"].browse(action["res_id"])
        self.assertEqual(lead.partner_id, self.customer)
        self.assertEqual(lead.team_id, self.team)
        self.assertIn("Does AcmeCloud support SSO?", lead.name)
        self.assertIn("Does AcmeCloud support SSO?", str(lead.description))
        self.assertIn('href="https://m.s/1"', str(lead.description))
        self.assertEqual(lead.source_id.name, "Social: Mastodon")
        self.assertEqual(lead.medium_id.name, "Social")
        self.assertEqual((mention.state, mention.lead_id), ("converted", lead))
        self.assertEqual(lead.social_mention_ids, mention)
        self.assertEqual(lead.social_mention_count, 1)
        self.assertIn(mention.identity_id, lead.social_identity_ids)
        self.assertIn(f'data-oe-id="{mention.id}"', lead.message_ids[0].body)
        self.assertIn(f'data-oe-id="{lead.id}"', mention.message_ids[0].body)

    def test_bulk_one_per_mention(self):
        mentions = self.mention("c1") | self.mention("c2") | self.mention("c3")
        self.wizard(mentions, tag_ids=self.tag).action_convert()
        leads = mentions.lead_id
        self.assertEqual(len(leads), 3)
        self.assertEqual(leads.tag_ids, self.tag)

    def test_bulk_one_per_author(self):
        mentions = self.mention("c1") | self.mention("c2") | self.mention("c3")
        wizard = self.wizard(mentions, grouping="author")
        wizard.action_convert()
        self.assertEqual(len(mentions.lead_id), 2)
        ann_lead = self.mention("c1").lead_id
        self.assertEqual(self.mention("c2").lead_id, ann_lead)
        self.assertIn("Router X2", str(ann_lead.description))
        self.assertEqual(len(ann_lead.social_mention_ids), 2)

    def test_create_contact_for_unlinked_author(self):
        mention = self.mention("c3")
        wizard = self.wizard(mention, create_partner=True)
        lead = self.env["crm.lead"].browse(wizard.action_convert()["res_id"])
        self.assertEqual(lead.partner_id.name, "Bob Ray")
        self.assertEqual(mention.identity_id.partner_id, lead.partner_id)

    def test_without_contact_keeps_the_author_name(self):
        wizard = self.wizard(self.mention("c3"))
        lead = self.env["crm.lead"].browse(wizard.action_convert()["res_id"])
        self.assertFalse(lead.partner_id)
        self.assertEqual(lead.contact_name, "Bob Ray")

    def test_salesperson_from_wizard_over_source(self):
        self.source.user_id = self.social_manager
        wizard = self.wizard(self.mention("c1"))
        self.assertEqual(wizard.user_id, self.social_manager)
        wizard.user_id = self.social_user
        lead = self.env["crm.lead"].browse(wizard.action_convert()["res_id"])
        self.assertEqual(lead.user_id, self.social_user)

    def test_attach_to_existing_lead_and_duplicate_guard(self):
        open_lead = self.env["crm.lead"].create(
            {
                "name": "Existing deal",
                "partner_id": self.customer.id,
                "user_id": self.social_user.id,
            }
        )
        wizard = self.wizard(self.mention("c1"))
        self.assertEqual(wizard.duplicate_lead_ids, open_lead)
        wizard.action_use_duplicate()
        self.assertEqual((wizard.action, wizard.lead_id), ("attach_lead", open_lead))
        wizard.action_convert()
        self.assertEqual(self.mention("c1").lead_id, open_lead)
        self.assertEqual(
            self.env["crm.lead"].search_count([("partner_id", "=", self.customer.id)]),
            1,
        )

    def test_reopen_a_converted_mention(self):
        """A converted mention can be reopened by an agent: back to New, no
        longer counted as converted, the lead's link kept in both chatters."""
        mention = self.mention("c1")
        lead = mention._convert_to_leads()
        self.assertEqual(mention.state, "converted")
        mention.with_user(self.social_user).action_reset()
        self.assertEqual(mention.state, "new")
        self.assertFalse(mention.lead_id)
        self.assertFalse(mention._is_converted())
        self.assertFalse(lead.social_mention_ids)
        self.assertIn("Reopened", mention.message_ids[0].body)
        self.assertIn(f'data-oe-id="{lead.id}"', mention.message_ids[0].body)
        self.assertIn(f'data-oe-id="{mention.id}"', lead.message_ids[0].body)
        self.env.flush_all()
        report = self.env["social.mention.report"].search(
            [("mention_id", "=", mention.id)]
        )
        self.assertEqual(len(report), 1)
        self.assertEqual((report.is_converted, report.converted_count), (False, 0))
        # It may be converted again.
        again = mention._convert_to_leads()
        self.assertNotEqual(again, lead)
        self.assertEqual(mention.lead_id, again)

    def test_reopen_needs_a_social_crm_user(self):
        mention = self.mention("c2")
        mention._convert_to_leads()
        with self.assertRaises(AccessError):
            mention.with_user(self.salesman).action_reset()
        self.assertEqual(mention.state, "converted")

    def test_converting_again_is_refused(self):
        self.wizard(self.mention("c1")).action_convert()
        with self.assertRaisesRegex(UserError, "already converted"):
            self.wizard(self.mention("c1")).action_convert()

    def test_refusals_leave_nothing_half_made(self):
        orphan = self.env["social.mention"].create(
            {
                "network": "x",
                "external_id": "noauthor",
                "content": "who said this?",
                "source_id": self.source.id,
            }
        )
        good = self.mention("c3")
        leads_before = self.env["crm.lead"].search_count([])
        with self.assertRaisesRegex(UserError, "has no author"):
            self.wizard(good | orphan).action_convert()
        self.assertEqual(self.env["crm.lead"].search_count([]), leads_before)
        self.assertEqual(good.state, "new")

    def test_deleted_source_refused(self):
        mention = self.mention("c3")
        mention.source_id = False
        with self.assertRaisesRegex(UserError, "source that was deleted"):
            self.wizard(mention).action_convert()

    def test_other_company_refused(self):
        company_b = self.env["res.company"].create({"name": "B Corp"})
        mention = self.mention("c3")
        mention.company_id = company_b
        # e.g. a rule or a script working in company A reaching a mention of B
        in_a = mention.with_context(allowed_company_ids=self.company.ids)
        with self.assertRaisesRegex(UserError, "B Corp"):
            in_a._convert_to_leads()
        self.assertEqual(mention.state, "new")

    def test_user_without_crm_rights_cannot_convert(self):
        agent = new_test_user(
            self.env, login="sc_agent_nocrm", groups="social_crm.group_social_crm_user"
        )
        wizard = (
            self.env["social.mention.convert"]
            .with_user(agent)
            .with_context(
                active_model="social.mention", active_ids=self.mention("c3").ids
            )
            .create({})
        )
        with self.assertRaisesRegex(AccessError, "create leads"):
            wizard.action_convert()
        self.assertEqual(self.mention("c3").state, "new")


@tagged("post_install", "-at_install")
class TestRoutingRules(SocialCrmCase):
    """Rules at ingestion, in order, once per mention, one query per rule."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["social.routing.rule"].search([]).active = False
        cls.team = cls.env["crm.team"].create(
            {"name": "Listening", "user_id": cls.social_manager.id}
        )
        Rule = cls.env["social.routing.rule"]
        cls.rule_negative = Rule.create(
            {
                "name": "Negative to user",
                "sequence": 1,
                "action": "assign",
                "domain": "[('sentiment', '=', 'negative')]",
                "user_id": cls.social_user.id,
            }
        )
        cls.rule_question = Rule.create(
            {
                "name": "Questions to leads",
                "sequence": 2,
                "action": "create_lead",
                "domain": "[('category_id.code', 'in', "
                "['product_question', 'purchase_intent'])]",
                "team_id": cls.team.id,
            }
        )
        cls.rule_urgent = Rule.create(
            {
                "name": "Everything negative urgent",
                "sequence": 3,
                "action": "set_priority",
                "domain": "[('sentiment', '=', 'negative')]",
                "priority": "2",
            }
        )

    def test_first_match_wins_unless_continue(self):
        self.ingest(
            self.post(
                "r1", self.author("r_a"), content="This is terrible, awful, I hate it"
            )
        )
        mention = self.mention("r1")
        self.assertEqual(mention.sentiment, "negative")
        self.assertEqual(mention.user_id, self.social_user)
        self.assertEqual(mention.priority, "0", "the first rule matched and stopped")
        self.assertEqual(mention.routed_rule_ids, self.rule_negative)
        self.rule_negative.continue_matching = True
        self.ingest(
            self.post("r2", self.author("r_a"), content="Awful, terrible, I hate it")
        )
        mention = self.mention("r2")
        self.assertEqual((mention.user_id, mention.priority), (self.social_user, "2"))

    def test_question_becomes_lead_at_ingestion(self):
        self.ingest(
            self.post(
                "r3",
                self.author("r_b"),
                content="Does AcmeCloud support SSO? How much does the Pro plan cost?",
            )
        )
        mention = self.mention("r3")
        self.assertIn(mention.category_id.code, ("product_question", "purchase_intent"))
        self.assertTrue(mention.lead_id)
        self.assertEqual(mention.lead_id.team_id, self.team)
        self.assertEqual(mention.state, "converted")

    def test_rule_never_acts_twice(self):
        self.ingest(
            self.post(
                "r4",
                self.author("r_c"),
                content="Does AcmeCloud support SSO? How much does the Pro plan cost?",
            )
        )
        mention = self.mention("r4")
        lead = mention.lead_id
        self.assertTrue(lead)
        self.apply_rules(mention)
        self.apply_rules(mention)
        self.assertEqual(mention.lead_id, lead)
        self.assertEqual(
            self.env["crm.lead"].search_count(
                [("social_mention_ids", "in", mention.ids)]
            ),
            1,
        )

    def test_on_demand_on_a_selection(self):
        self.rule_negative.active = False
        self.ingest(
            self.post("r5", self.author("r_d"), content="Horrible service, worst ever")
        )
        mention = self.mention("r5")
        self.assertFalse(mention.user_id)
        self.rule_negative.active = True
        self.apply_rules(mention)
        self.assertEqual(mention.user_id, self.social_user)

    def test_one_query_per_rule_not_per_mention(self):
        posts = [
            self.post(f"q{i}", self.author(f"q_{i}"), content="Nice weather")
            for i in range(9)
        ]
        self.ingest(*posts)
        Mention, Rule = self.env["social.mention"], self.env["social.routing.rule"]
        small = Mention.search([("external_id", "in", ["q0"])])
        large = Mention.search([("external_id", "in", [f"q{i}" for i in range(1, 9)])])
        Rule._route(small | large)  # warm the caches

        def queries(mentions):
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            Rule._route(mentions)
            return self.env.cr.sql_log_count - start

        self.assertEqual(queries(small), queries(large))

    def test_activity_for_team_leader(self):
        Rule = self.env["social.routing.rule"]
        Rule.search([]).active = False
        Rule.create(
            {
                "name": "Notify leader",
                "action": "activity",
                "domain": "[]",
                "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
                "team_id": self.team.id,
            }
        )
        self.ingest(self.post("r6", self.author("r_e"), content="hello"))
        activity = self.mention("r6").activity_ids
        self.assertEqual(activity.user_id, self.social_manager)

    def test_new_rule_starts_from_new_mentions(self):
        """A rule made without a condition takes the mentions not yet handled,
        not the replied ones of a selection it is applied to."""
        self.env["social.routing.rule"].search([]).active = False
        self.ingest(
            self.post("n1", self.author("n_a"), content="hello"),
            self.post("n2", self.author("n_b"), content="hello again"),
        )
        fresh, replied = self.mention("n1"), self.mention("n2")
        replied.action_set_replied()
        rule = self.env["social.routing.rule"].create(
            {"name": "Urgent", "action": "set_priority", "priority": "2"}
        )
        self.apply_rules(fresh | replied)
        self.assertEqual((fresh.priority, replied.priority), ("2", "0"))
        self.assertEqual(fresh.routed_rule_ids, rule)
        self.assertFalse(replied.routed_rule_ids)

    def test_invalid_domain_refused_when_saved(self):
        with self.assertRaisesRegex(ValidationError, "not valid"):
            self.env["social.routing.rule"].create(
                {
                    "name": "Broken",
                    "action": "set_priority",
                    "priority": "1",
                    "domain": "[('no_such_field', '=', 1)]",
                }
            )
        with self.assertRaisesRegex(ValidationError, "not valid"):
            self.env["social.routing.rule"].create(
                {
                    "name": "Broken syntax",
                    "action": "set_priority",
                    "priority": "1",
                    "domain": "[('sentiment', '=', ",
                }
            )

    def test_shipped_defaults_are_inactive(self):
        defaults = self.env.ref(
            "social_crm.routing_rule_question_to_lead"
        ) | self.env.ref("social_crm.routing_rule_influencer_notify_leader")
        self.assertFalse(any(defaults.mapped("active")))

    # ------------------------------------------------------------ preview
    def _five_complaints(self, prefix, author):
        posts = [
            self.post(
                f"{prefix}{i}",
                author,
                content=f"Terrible, awful service, my router broke again ({i})",
                posted_at=self.now - timedelta(hours=10 - i),
            )
            for i in range(5)
        ]
        return posts

    def test_preview_counts_and_shows_the_newest(self):
        """Bug 6: the rule's form says how many mentions match now, with a sample."""
        Rule = self.env["social.routing.rule"]
        Rule.search([]).active = False
        posts = self._five_complaints("pv", self.author("pv_a"))
        posts.append(self.post("pv9", self.author("pv_b"), content="Lovely, great"))
        posts.append(
            self.post(
                "pv10",
                self.author("pv_c"),
                content="Horrible, terrible, awful",
                posted_at=self.now - timedelta(minutes=5),
            )
        )
        self.ingest(*posts)
        form = Form(Rule.with_user(self.social_manager))
        form.name = "Negative ones"
        form.action = "set_priority"
        form.priority = "1"
        form.domain = "[('sentiment', '=', 'negative')]"
        expected = self.env["social.mention"].search(
            [("sentiment", "=", "negative"), ("company_id", "=", self.company.id)]
        )
        self.assertGreaterEqual(len(expected), 6)
        self.assertEqual(form.match_count, len(expected))
        self.assertEqual(len(form.match_sample_ids), 5)
        self.assertEqual(form.match_sample_ids[0], self.mention("pv10"))
        self.assertNotIn(self.mention("pv9"), form.match_sample_ids)
        rule = form.save()
        self.assertEqual(rule.match_count, len(expected))
        action = rule.action_view_matching()
        self.assertEqual(
            self.env["social.mention"].search_count(action["domain"]), len(expected)
        )
        # Once the rule routed them, they no longer wait for it.
        self.apply_rules(expected)
        rule.invalidate_recordset()
        self.assertEqual(rule.match_count, 0)

    def test_preview_survives_a_condition_being_typed(self):
        form = Form(self.env["social.routing.rule"])
        form.name = "Half typed"
        form.domain = "[('sentiment', '=', "
        self.assertEqual(form.match_count, 0)

    def test_apply_asks_first_and_counts_per_rule(self):
        """Bug 6: *Apply Routing Rules* shows what each rule takes; acts on confirm."""
        self.rule_negative.active = False
        self.rule_urgent.active = False
        self.rule_question.group_by_author = True
        self.rule_question.active = False
        ann, bob = self.author("ap_a"), self.author("ap_b")
        self.ingest(
            self.post("ap1", ann, content="Does AcmeCloud support SSO? Price?"),
            self.post("ap2", ann, content="How much does the Router X2 cost?"),
            self.post("ap3", bob, content="Does the Pro plan include SSO? Price?"),
            self.post("ap4", bob, content="Terrible, awful, horrible service"),
        )
        mentions = self.env["social.mention"].search(
            [("external_id", "in", ["ap1", "ap2", "ap3", "ap4"])]
        )
        self.assertEqual(len(mentions), 4)
        questions = mentions.filtered(
            lambda m: m.category_id.code in ("product_question", "purchase_intent")
        )
        self.assertEqual(len(questions), 3, questions.mapped("content"))
        self.assertFalse(mentions.lead_id, "the rules were off at ingestion")
        (self.rule_negative | self.rule_question | self.rule_urgent).active = True
        self.rule_negative.continue_matching = True
        # The list's action menu item opens the confirmation, acts on nothing.
        menu_action = (
            self.env.ref("social_crm.social_mention_action_apply_routing")
            .with_user(self.social_user)
            .with_context(active_model="social.mention", active_ids=mentions.ids)
            .run()
        )
        self.assertEqual(
            (menu_action["res_model"], menu_action["target"]),
            ("social.routing.apply", "new"),
        )
        self.assertEqual(menu_action["context"]["active_ids"], mentions.ids)
        wizard = self.routing_wizard(mentions, user=self.social_user)
        by_rule = {
            line.rule_id: (line.mention_count, line.record_count, line.description)
            for line in wizard.line_ids
        }
        self.assertEqual(
            set(by_rule), {self.rule_negative, self.rule_question, self.rule_urgent}
        )
        self.assertEqual(by_rule[self.rule_negative][:2], (1, 0))
        self.assertEqual(by_rule[self.rule_question][:2], (3, 2), "one per author")
        self.assertIn("2 new lead(s)", by_rule[self.rule_question][2])
        self.assertIn("3 mention(s) marked Converted", by_rule[self.rule_question][2])
        self.assertIn("unassigned", by_rule[self.rule_question][2])
        self.assertEqual(by_rule[self.rule_urgent][:2], (1, 0))
        self.assertEqual(wizard.unmatched_count, 0)
        # Nothing done before the confirmation.
        self.assertFalse(mentions.lead_id)
        self.assertFalse(mentions.routed_rule_ids)
        self.assertEqual(set(mentions.mapped("priority")), {"0"})
        self.assertFalse(mentions.user_id)
        wizard.action_confirm()
        self.assertEqual(len(questions.lead_id), 2)
        self.assertEqual(set(questions.mapped("state")), {"converted"})
        self.assertEqual(self.mention("ap4").user_id, self.social_user)
        self.assertEqual(self.mention("ap4").priority, "2")

    def test_one_lead_per_author_for_five_posts(self):
        """Bug 6: one author's five posts make one lead when the rule groups."""
        self.env["social.routing.rule"].search([]).active = False
        self.env["social.routing.rule"].create(
            {
                "name": "Negative to one lead per author",
                "action": "create_lead",
                "domain": "[('sentiment', '=', 'negative')]",
                "group_by_author": True,
                "team_id": self.team.id,
            }
        )
        self.ingest(*self._five_complaints("pa", self.author("pa_a")))
        mentions = self.env["social.mention"].search(
            [("external_id", "in", [f"pa{i}" for i in range(5)])]
        )
        self.assertEqual(len(mentions), 5)
        self.assertEqual(len(mentions.lead_id), 1)
        self.assertEqual(set(mentions.mapped("state")), {"converted"})

    def test_lead_assignment_exactly_as_the_rule_says(self):
        """An empty *Assign to* leaves the lead unassigned, even when the
        source has a salesperson and someone else applies the rules; a
        given one is used as is."""
        self.env["social.routing.rule"].search([]).active = False
        self.source.user_id = self.social_manager
        rule = self.env["social.routing.rule"].create(
            {
                "name": "Negative to leads",
                "action": "create_lead",
                "domain": "[('sentiment', '=', 'negative')]",
                "team_id": self.team.id,
            }
        )
        self.ingest(self.post("as1", self.author("as_a"), content="Awful, terrible"))
        lead = self.mention("as1").lead_id
        self.assertTrue(lead)
        self.assertFalse(lead.user_id)
        self.assertEqual(lead.team_id, self.team)
        rule.user_id = self.salesman
        self.ingest(self.post("as2", self.author("as_b"), content="Horrible, awful"))
        self.assertEqual(self.mention("as2").lead_id.user_id, self.salesman)
        rule.user_id = False
        rule.active = False
        self.ingest(self.post("as3", self.author("as_c"), content="Awful, horrible"))
        rule.active = True
        self.apply_rules(self.mention("as3"), user=self.social_user)
        self.assertTrue(self.mention("as3").lead_id)
        self.assertFalse(self.mention("as3").lead_id.user_id)


@tagged("post_install", "-at_install")
class TestConversionForEveryUser(SocialCrmCase):
    """Leads show where the user looks for them; no e-mail address needed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ingest(
            cls.post("ev1", cls.author("eve"), content="Want to buy Acme routers"),
            cls.post("ev2", cls.author("ivy"), content="Price of the Router X2?"),
        )
        cls.use_lead = cls.env.ref("crm.group_use_lead")

    def convert_as(self, user, external_id):
        mention = self.mention(external_id)
        wizard = Form(
            self.env["social.mention.convert"]
            .with_user(user)
            .with_context(active_model="social.mention", active_ids=mention.ids)
        ).save()
        wizard.action_convert()
        return mention

    def seller(self, login, leads):
        user = new_test_user(
            self.env,
            login=login,
            email=False,
            groups="social_crm.group_social_crm_user,sales_team.group_sale_salesman",
        )
        # Demo data may turn CRM's Leads setting on for every internal user.
        self.use_lead.write(
            {"users": [Command.link(user.id) if leads else Command.unlink(user.id)]}
        )
        self.assertEqual(user.has_group("crm.group_use_lead"), leads)
        return user

    def test_an_opportunity_without_the_leads_setting(self):
        mention = self.convert_as(self.seller("sc_no_leads", False), "ev1")
        self.assertEqual(mention.lead_id.type, "opportunity")
        self.assertEqual(mention.state, "converted")

    def test_a_lead_with_the_leads_setting(self):
        mention = self.convert_as(self.seller("sc_leads", True), "ev1")
        self.assertEqual(mention.lead_id.type, "lead")

    def test_a_user_without_email_converts(self):
        user = self.seller("sc_no_email", False)
        self.assertFalse(user.email)
        mention = self.convert_as(user, "ev2")
        lead = mention.lead_id
        self.assertTrue(lead)
        self.assertIn(f'data-oe-id="{lead.id}"', mention.message_ids[0].body)
        self.assertEqual(mention.message_ids[0].author_id, user.partner_id)
        self.assertIn(f'data-oe-id="{mention.id}"', lead.message_ids[0].body)


@tagged("post_install", "-at_install")
class TestConversionTexts(SocialCrmCase):
    """What a salesperson reads on a lead made from a post."""

    def test_description_names_the_author_and_the_date_in_the_users_zone(self):
        author = self.author(
            "https://mastodon.social/@kim",
            name="Kim Lee",
            handle="@kim@mastodon.social",
            profile_url="https://mastodon.social/@kim",
        )
        self.ingest(
            self.post(
                "tx1",
                author,
                content="Where can I buy the Acme Router X2?",
                url="https://mastodon.social/@kim/1",
                posted_at=datetime(2026, 11, 10, 12, 27, 48, 175855),
            )
        )
        mention = self.mention("tx1")
        user = self.social_user
        user.write({"tz": "Europe/Moscow", "lang": "en_US"})
        lead = mention.with_user(user)._convert_to_leads()
        description = str(lead.description)
        self.assertIn("Where can I buy the Acme Router X2?", description)
        self.assertIn('href="https://mastodon.social/@kim"', description)
        self.assertIn("Kim Lee (@kim@mastodon.social)</a> on Mastodon", description)
        # 12:27 UTC is 15:27 in Moscow, written as the user's language does.
        self.assertIn("Nov 10, 2026, 3:27:48", description)
        self.assertNotIn("2026-11-10 12:27:48", description)
        self.assertIn('href="https://mastodon.social/@kim/1"', description)

    def test_titles_are_cut_at_a_word(self):
        self.assertEqual(excerpt_at_word("short text"), "short text")
        text = "My Acme router died after two days and support never answered me"
        self.assertEqual(
            excerpt_at_word(text),
            "My Acme router died after two days and support never…",
        )
        self.assertLessEqual(len(excerpt_at_word(text)), TITLE_EXCERPT_LENGTH)
        self.assertEqual(excerpt_at_word("x" * 80), "x" * 59 + "…")
        self.ingest(self.post("tx2", self.author("tx_author"), content=text))
        lead = self.mention("tx2")._convert_to_leads()
        self.assertTrue(lead.name.endswith("support never…"), lead.name)
