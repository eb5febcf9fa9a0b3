from datetime import timedelta

from lxml import etree
from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import file_open, mute_logger

from odoo.addons.social_crm.utils.selection_values import NETWORK_ICONS

from .common import SocialCrmCase


@tagged("post_install", "-at_install")
class TestMentionRecords(SocialCrmCase):
    """Dedup, constraints and the stored links between mentions and contacts."""

    def test_ingest_dedups_whoever_writes(self):
        author = self.author("ann")
        result = self.ingest(
            self.post("p1", author), self.post("p1", author), self.post("p2", author)
        )
        self.assertEqual(result["new"], 2)
        again = self.ingest(self.post("p1", author), self.post("p3", author))
        self.assertEqual((again["new"], again["duplicates"]), (1, 1))
        self.assertEqual(
            self.env["social.mention"].search_count(
                [("external_id", "in", ("p1", "p2", "p3"))]
            ),
            3,
        )
        self.assertEqual(
            self.env["social.identity"].search_count([("external_id", "=", "ann")]), 1
        )
        # The ORM path is refused by the same unique constraint.
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                self.env["social.mention"].create(
                    {
                        "network": "mastodon",
                        "external_id": "p1",
                        "content": "dup",
                    }
                )

    def test_network_icons_have_their_logo(self):
        """An icon class drawn by our stylesheet has its rule and its SVG."""
        files = self.env["ir.asset"]._get_asset_paths("web.assets_backend", {})
        (scss,) = [path for path, *_rest in files if path.endswith("social_crm.scss")]
        with file_open(scss.lstrip("/")) as stylesheet:
            rules = stylesheet.read()
        for network, classes in NETWORK_ICONS.items():
            if "o_social_network_icon" not in classes:
                self.assertRegex(classes, r"^fa fa-lg fa-[a-z-]+$")
                continue
            self.assertIn(f".o_social_network_icon_{network} {{", rules)
            with file_open(f"social_crm/static/src/img/network_{network}.svg") as svg:
                self.assertTrue(svg.read().startswith("<svg"))

    def test_same_id_on_two_networks_is_two_posts(self):
        self.ingest(self.post("42", network="x"), self.post("42", network="mastodon"))
        icons = self.env["social.mention"].search([("external_id", "=", "42")])
        self.assertEqual(
            set(icons.mapped("network_icon")),
            {
                "fa fa-lg fa-twitter",
                "o_social_network_icon o_social_network_icon_mastodon",
            },
        )
        self.assertEqual(
            len(self.env["social.mention"].search([("external_id", "=", "42")])), 2
        )

    def test_unknown_network_refused(self):
        with self.assertRaisesRegex(ValidationError, "Unknown network: myspace"):
            self.env["social.mention"].create(
                {
                    "network": "myspace",
                    "external_id": "1",
                    "content": "hello",
                }
            )

    def test_future_date_refused(self):
        with self.assertRaisesRegex(ValidationError, "more than a day ahead"):
            self.env["social.mention"].create(
                {
                    "network": "x",
                    "external_id": "f1",
                    "content": "from the future",
                    "posted_at": self.now + timedelta(days=2),
                }
            )
        # within a day of clock skew is accepted
        self.env["social.mention"].create(
            {
                "network": "x",
                "external_id": "f2",
                "content": "slightly ahead",
                "posted_at": self.now + timedelta(hours=3),
            }
        )

    def test_content_over_limit_refused(self):
        with self.assertRaisesRegex(ValidationError, "longer than"):
            self.env["social.mention"].create(
                {
                    "network": "x",
                    "external_id": "big",
                    "content": "a" * 100_001,
                }
            )

    def test_ingest_clamps_bad_values_and_keeps_the_rest(self):
        post_future = self.post("fut", posted_at=self.now + timedelta(days=30))
        post_long = self.post("long", content="b" * 200_000)
        post_bad_network = self.post("odd", network="myspace")
        post_huge = self.post(
            "huge",
            self.author("bigshot", followers_count=10**12, post_count=-5),
            like_count=10**15,
            share_count=-3,
        )
        result = self.ingest(post_future, post_long, post_bad_network, post_huge)
        self.assertEqual(result["new"], 3)
        huge = self.mention("huge")
        self.assertEqual((huge.like_count, huge.share_count), (2**31 - 1, 0))
        self.assertEqual(huge.identity_id.followers_count, 2**31 - 1)
        self.assertEqual(huge.identity_id.post_count, 0)
        self.assertLessEqual(
            self.mention("fut").posted_at, self.now + timedelta(days=1, minutes=1)
        )
        self.assertEqual(len(self.mention("long").content), 100_000)

    def test_ingest_keeps_every_character_and_value(self):
        """The bulk write (COPY) stores text and values exactly as given."""
        text = (
            "Tab\there, new\nline, back\\slash \\N \\t \"quoted\" 'single' \r end ✓ 😀"
        )
        author = self.author(
            "tricky\tid\\1",
            name="Nul\x00l Name\\N",
            bio="Line one\nline two\twith tab",
            followers_count=123456789,
            verified=True,
        )
        posted_at = self.now.replace(microsecond=0) - timedelta(minutes=7)
        self.ingest(
            self.post(
                "tricky\\id\t1",
                author,
                content=text + "\x00 cut emoji \ud83d",
                content_html="<p>a\tb\\c</p>",
                url="https://example.com/p?a=1&b=\\N",
                posted_at=posted_at,
                like_count=7,
                share_count=0,
                parent_external_id="\\N",
            )
        )
        mention = self.mention("tricky\\id\t1")
        self.assertEqual(
            mention.content,
            text + " cut emoji ?",
            "NUL dropped, a lone surrogate replaced, the rest intact",
        )
        self.assertEqual(str(mention.content_html), "<p>a\tb\\c</p>")
        self.assertEqual(mention.url, "https://example.com/p?a=1&b=\\N")
        self.assertEqual(mention.posted_at, posted_at)
        self.assertEqual((mention.like_count, mention.share_count), (7, 0))
        self.assertEqual(mention.parent_external_id, "\\N")
        identity = mention.identity_id
        self.assertEqual(identity.external_id, "tricky\tid\\1")
        self.assertEqual(identity.name, "Null Name\\N")
        self.assertEqual(identity.bio, "Line one\nline two\twith tab")
        self.assertEqual(identity.followers_count, 123456789)
        self.assertTrue(identity.verified)
        self.assertFalse(identity.avatar_url, "None stays NULL, not the text 'None'")

    def test_create_classifies_unless_given(self):
        mention = self.env["social.mention"].create(
            {
                "network": "x",
                "external_id": "c1",
                "content": "I love Acme, the best support ever!",
            }
        )
        self.assertEqual(mention.sentiment, "positive")
        self.assertEqual(mention.lang, "en")
        given = self.env["social.mention"].create(
            {
                "network": "x",
                "external_id": "c2",
                "content": "I love Acme",
                "sentiment": "negative",
                "sentiment_score": -0.5,
            }
        )
        self.assertEqual(given.sentiment, "negative")

    def test_reclassify_a_selection(self):
        mention = self.env["social.mention"].create(
            {
                "network": "x",
                "external_id": "rc1",
                "content": "I love Acme, the best support ever!",
                "sentiment": "negative",
                "sentiment_score": -0.9,
            }
        )
        self.assertEqual((mention.sentiment, mention.lang), ("negative", "en"))
        self.env.ref("social_crm.social_mention_action_reclassify").with_context(
            active_model="social.mention", active_ids=mention.ids
        ).run()
        self.assertEqual((mention.sentiment, mention.lang), ("positive", "en"))
        self.assertGreater(mention.sentiment_score, 0)

    def test_watched_terms_in_settings(self):
        settings = self.env["res.config.settings"].create(
            {"social_brand_terms": "Acme", "social_competitor_terms": "Globex, Initech"}
        )
        settings.execute()
        self.assertEqual(self.env.company.social_competitor_terms, "Globex, Initech")
        mention = self.env["social.mention"].create(
            {"network": "x", "external_id": "w1", "content": "Moved to Initech today"}
        )
        self.assertEqual(mention.category_id.code, "competitor_mention")

    def test_inflected_competitor_terms_on_ingest(self):
        """The company's competitor terms match in any inflection (ru/uk/bg/en)."""
        self.env.company.social_competitor_terms = "Мобикс, Тарбанк, Globex"
        texts = {
            "ru": "Вчера зашёл в Мобиксе, там уютно",
            "uk": "Звернувся до Тарбанку, там простіше",
            "bg": "Мобиксът отвори нов магазин",
            "en": "Globex's new ad is everywhere",
        }
        mentions = self.env["social.mention"].create(
            [
                {"network": "x", "external_id": f"inf-{lang}", "content": text}
                for lang, text in texts.items()
            ]
        )
        for mention in mentions:
            with self.subTest(content=mention.content):
                self.assertEqual(mention.category_id.code, "competitor_mention")

    def test_sentiment_decides_the_category_when_no_rule_does(self):
        """A negative post no rule recognises is a complaint, a positive one
        feedback, both on ingest and through the ORM."""
        texts = {
            "neg": "I hate how the courier left my parcel in the rain 😡",
            "pos": "Курьер оставил посылку у соседей, очень приятно было 😊",
        }
        mentions = self.env["social.mention"].create(
            [
                {"network": "x", "external_id": f"sig-{key}", "content": text}
                for key, text in texts.items()
            ]
        )
        self.assertEqual(
            mentions.mapped("category_id.code"), ["complaint", "feedback_review"]
        )
        self.assertEqual(mentions[0].matched_terms, "(negative)")

    def test_edited_category_rules_apply_at_once(self):
        """The rules are cached between writes: editing them clears the cache."""
        category = self.env.ref("social_crm.category_purchase_intent")
        self.ingest(self.post("r1", content="zorblax"))
        self.assertEqual(self.mention("r1").category_id.code, "other")
        rule = self.env["social.category.rule"].create(
            {"category_id": category.id, "term": "zorblax", "weight": 3}
        )
        self.ingest(self.post("r2", content="zorblax"))
        self.assertEqual(self.mention("r2").category_id, category)
        self.assertEqual(self.mention("r2").matched_terms, "zorblax")
        rule.term = "quuxbar"
        self.ingest(self.post("r3", content="zorblax"))
        self.assertEqual(self.mention("r3").category_id.code, "other")
        rule.term = "zorblax"
        category.active = False
        self.ingest(self.post("r4", content="zorblax"))
        self.assertEqual(self.mention("r4").category_id.code, "other")
        category.active = True
        rule.unlink()
        self.ingest(self.post("r5", content="zorblax"))
        self.assertEqual(self.mention("r5").category_id.code, "other")

    def test_content_html_is_sanitized(self):
        self.ingest(
            self.post(
                "h1",
                content="hi",
                content_html='<p onclick="x()">hi<script>alert(1)</script></p>',
            )
        )
        html = str(self.mention("h1").content_html)
        self.assertNotIn("script", html)
        self.assertNotIn("onclick", html)

    def test_partner_follows_identity(self):
        partner = self.env["res.partner"].create({"name": "Zed"})
        author = self.author("zed")
        self.ingest(self.post("z1", author))
        identity = self.identity("zed")
        self.assertFalse(self.mention("z1").partner_id)
        identity.partner_id = partner
        self.assertEqual(self.mention("z1").partner_id, partner)
        self.assertEqual(partner.social_mention_count, 1)
        self.assertEqual(partner.social_identity_count, 1)

    def test_partner_influence_from_identities(self):
        partner = self.env["res.partner"].create({"name": "Yan"})
        Identity = self.env["social.identity"]
        Identity.create(
            [
                {
                    "network": "x",
                    "external_id": "y1",
                    "partner_id": partner.id,
                    "influence_score": 30,
                    "influence_type": "positive",
                },
                {
                    "network": "vk",
                    "external_id": "y2",
                    "partner_id": partner.id,
                    "influence_score": 70,
                    "influence_type": "negative",
                },
            ]
        )
        self.assertEqual(partner.influence_score, 70)
        self.assertEqual(partner.influence_type, "negative")

    def test_state_buttons(self):
        self.ingest(self.post("s1"))
        mention = self.mention("s1").with_user(self.social_user)
        mention.action_set_in_progress()
        self.assertEqual(
            (mention.state, mention.user_id), ("in_progress", self.social_user)
        )
        mention.action_set_replied()
        self.assertEqual(mention.state, "replied")
        mention.action_reset()
        self.assertEqual(mention.state, "new")
        mention.action_ignore()
        self.assertEqual(mention.state, "ignored")

    def test_converted_only_with_what_it_was_converted_into(self):
        """A kanban drop into Converted (a bare state write) is refused."""
        self.ingest(self.post("cv1"))
        mention = self.mention("cv1").with_user(self.social_user)
        with self.assertRaisesRegex(ValidationError, "use Convert"):
            mention.write({"state": "converted"})
        lead = self.env["crm.lead"].create({"name": "From a post"})
        mention.write({"lead_id": lead.id, "state": "converted"})
        self.assertEqual(mention.state, "converted")
        # A converted complaint can still be answered.
        mention.action_set_replied()
        self.assertEqual((mention.state, mention.lead_id), ("replied", lead))

    def test_inbox_filters_combine_across_dimensions(self):
        """Filters of one group are OR-ed by the web client, groups AND-ed:
        each dimension (state, responsible, sentiment, category, influence,
        contact) has its own group, so "Complaints" + "Negative" gives the
        negative complaints."""
        arch = etree.fromstring(
            self.env["social.mention"].get_views([(False, "search")])["views"][
                "search"
            ]["arch"]
        )
        groups, current = [], []
        for node in arch:
            if node.tag == "separator":
                groups.append(current)
                current = []
            elif node.tag == "filter" and not node.get("date"):
                current.append(node.get("name"))
        groups.append(current)
        group_of = {name: i for i, group in enumerate(groups) for name in group}
        dimensions = [
            ("filter_new", "filter_open"),
            ("filter_mine", "filter_unassigned"),
            ("filter_negative", "filter_positive"),
            ("filter_complaints",),
            ("filter_influencers",),
            ("filter_no_contact",),
        ]
        for dimension in dimensions:
            self.assertEqual(len({group_of[name] for name in dimension}), 1)
        self.assertEqual(
            len({group_of[dimension[0]] for dimension in dimensions}),
            len(dimensions),
            "two dimensions share a group",
        )

    def test_inbox_offers_no_new_nor_duplicate(self):
        """No dead end: the web client gets no New (the post fields are the
        network's, read-only) and no Duplicate (a post exists once)."""
        views = (
            self.env["social.mention"]
            .with_user(self.social_user)
            .get_views([(False, "list"), (False, "kanban"), (False, "form")])
        )
        for view_type in ("list", "kanban", "form"):
            with self.subTest(view=view_type):
                arch = etree.fromstring(views["views"][view_type]["arch"])
                self.assertEqual(arch.get("create"), "0")
                if view_type != "kanban":
                    self.assertEqual(arch.get("duplicate"), "0")

    def test_smart_buttons_open_the_right_records(self):
        partner = self.env["res.partner"].create({"name": "Smart"})
        self.ingest(self.post("sb1", self.author("smart")), self.post("sb2"))
        identity = self.identity("smart")
        identity.partner_id = partner
        Mention = self.env["social.mention"]
        for action, expected in (
            (partner.action_view_social_mentions(), self.mention("sb1")),
            (identity.action_view_mentions(), self.mention("sb1")),
            (
                self.source.action_view_mentions(),
                self.mention("sb1") | self.mention("sb2"),
            ),
        ):
            self.assertEqual(action["res_model"], "social.mention")
            self.assertEqual(Mention.search(action["domain"]), expected)
            self.assertNotIn("search_default_filter_open", action["context"])
        action = partner.action_view_social_identities()
        self.assertEqual(self.env["social.identity"].search(action["domain"]), identity)
        self.assertEqual(action["context"], {"default_partner_id": partner.id})

    # ------------------------------------------------------------ the form
    def test_in_reply_to_links_the_parent_mention(self):
        self.ingest(
            self.post("par1"),
            self.post("rep1", parent_external_id="par1"),
            self.post("rep2", parent_external_id="not-fetched"),
        )
        parent, reply, orphan = (self.mention(x) for x in ("par1", "rep1", "rep2"))
        self.assertEqual(reply.parent_id, parent)
        self.assertEqual(reply.action_open_parent()["res_id"], parent.id)
        self.assertFalse(orphan.parent_id)
        with self.assertRaises(UserError):
            orphan.action_open_parent()
        # Another company's post of that id is not the parent.
        other = self.env["res.company"].create({"name": "Other Co"})
        foreign = self.env["social.mention"].create(
            {
                "network": "mastodon",
                "external_id": "x-par",
                "content": "Elsewhere",
                "company_id": other.id,
            }
        )
        reply.parent_external_id = "x-par"
        self.assertFalse(reply.parent_id)
        self.assertTrue(foreign.exists())

    def test_watched_terms_are_the_company_terms_named(self):
        self.env.company.write(
            {
                "social_brand_terms": "Acme, AcmeCloud",
                "social_competitor_terms": "Мобикс; Globex",
            }
        )
        mention = self.env["social.mention"].create(
            {
                "network": "x",
                "external_id": "wt1",
                "content": "Ушёл из Мобикса в Acme, про Globexify не слышал",
            }
        )
        self.assertEqual(mention.watched_terms, "Acme, Мобикс")
        mention.content = "Nothing watched here"
        self.assertFalse(mention.watched_terms)

    def test_analysis_fields_read_only_for_agents(self):
        """Agents correct the sentiment and category, not the score or language."""

        def readonly(user, name):
            arch = (
                self.env["social.mention"]
                .with_user(user)
                .get_views([(False, "form")])["views"]["form"]["arch"]
            )
            nodes = etree.fromstring(arch).xpath(
                f"//group[@name='analysis']/field[@name='{name}']"
            )
            self.assertEqual(len(nodes), 1, name)
            return nodes[0].get("readonly") in ("1", "True")

        self.assertTrue(readonly(self.social_user, "lang"))
        self.assertTrue(readonly(self.social_user, "sentiment_score"))
        self.assertFalse(readonly(self.social_manager, "lang"))
        self.assertTrue(readonly(self.social_manager, "sentiment_score"))

    def test_lead_smart_button(self):
        self.ingest(self.post("lsb1"))
        mention = self.mention("lsb1")
        lead = self.env["crm.lead"].create({"name": "From a post"})
        mention.lead_id = lead
        action = mention.action_open_lead()
        self.assertEqual((action["res_model"], action["res_id"]), ("crm.lead", lead.id))

    def test_author_story_across_networks(self):
        """The form tells who the author is and what they said before."""
        partner = self.env["res.partner"].create({"name": "Storyteller"})
        self.ingest(
            self.post("st1", self.author("teller"), content="Is the X2 any good?"),
            self.post("st2", self.author("teller"), content="My X2 died"),
            self.post(
                "st3",
                self.author("teller-bsky", network="bluesky"),
                network="bluesky",
                content="Still waiting on ticket 12",
            ),
            self.post("st4", self.author("stranger"), content="Unrelated"),
        )
        self.identity("teller").partner_id = partner
        self.identity("teller-bsky", network="bluesky").partner_id = partner
        current = self.mention("st2")
        self.assertEqual(
            current.story_identity_ids,
            self.identity("teller") | self.identity("teller-bsky", network="bluesky"),
        )
        # every other mention of the person, on both networks, newest first
        self.assertEqual(
            current.story_mention_ids,
            self.mention("st1") | self.mention("st3", network="bluesky"),
        )
        self.assertEqual(current.story_mention_count, 2)
        self.assertEqual(
            current.story_mention_ids,
            current.story_mention_ids.sorted("posted_at", True),
        )
        # open leads of the contact or made from their posts; won ones are done
        open_lead = self.env["crm.lead"].create(
            {"name": "X2 for the office", "partner_id": partner.id}
        )
        won_stage = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        won = self.env["crm.lead"].create(
            {"name": "Old deal", "partner_id": partner.id, "stage_id": won_stage.id}
        )
        from_post = self.env["crm.lead"].create({"name": "From st1"})
        self.mention("st1").lead_id = from_post
        current.invalidate_recordset()
        self.assertEqual(current.story_lead_ids, open_lead | from_post)
        self.assertNotIn(won, current.story_lead_ids)
        # the influence trend: now against the score recorded 30+ days ago
        identity = self.identity("teller")
        self.env["social.influence.score"].create(
            {
                "identity_id": identity.id,
                "date": self.now.date() - timedelta(days=40),
                "score": 10.0,
            }
        )
        identity.sudo().influence_score = 25.0
        current.invalidate_recordset()
        self.assertEqual(current.author_influence_trend, 15.0)
        # a stranger has no story yet
        lone = self.mention("st4")
        self.assertFalse(lone.story_mention_ids)
        self.assertEqual(lone.story_identity_ids, self.identity("stranger"))
        self.assertEqual(lone.author_influence_trend, 0.0)
        action = current.action_view_story_mentions()
        self.assertEqual(
            self.env["social.mention"].search(action["domain"]),
            self.mention("st1") | current | self.mention("st3", network="bluesky"),
        )

    def test_author_story_for_an_agent_without_sales_rights(self):
        agent = new_test_user(
            self.env, login="story_agent", groups="social_crm.group_social_crm_user"
        )
        self.ingest(
            self.post("sa1", self.author("sa")), self.post("sa2", self.author("sa"))
        )
        self.mention("sa1").lead_id = self.env["crm.lead"].create({"name": "Hidden"})
        mention = self.mention("sa2").with_user(agent)
        self.assertEqual(mention.story_mention_ids, self.mention("sa1"))
        form = mention.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertNotIn('name="story_lead_ids"', form)
        # what the form reads, as the web client reads it
        mention.web_read(
            {"story_mention_ids": {"fields": {"display_name": {}}}, "lead_id": {}}
        )

    def test_author_story_shows_only_the_leads_one_may_read(self):
        """A salesperson who sees their own leads reads the story without the
        colleague's lead made from the author's post."""
        self.ingest(
            self.post("sl1", self.author("sl")), self.post("sl2", self.author("sl"))
        )
        colleague_lead = self.env["crm.lead"].create(
            {"name": "Colleague's", "user_id": self.env.ref("base.user_admin").id}
        )
        own_lead = self.env["crm.lead"].create(
            {"name": "Mine", "user_id": self.social_user.id}
        )
        self.mention("sl1").lead_id = colleague_lead
        self.mention("sl2").lead_id = own_lead
        mention = self.mention("sl2").with_user(self.social_user)
        self.assertEqual(mention.story_lead_ids, own_lead)

    def test_author_story_shows_our_earlier_replies(self):
        self.ingest(
            self.post("rp1", self.author("rp")), self.post("rp2", self.author("rp"))
        )
        earlier = self.mention("rp1")
        sent = self.env["social.reply"].create(
            {
                "mention_id": earlier.id,
                "user_id": self.env.user.id,
                "body": "We are on it",
                "state": "sent",
                "sent_date": self.now,
            }
        )
        self.env["social.reply"].create(
            {"mention_id": earlier.id, "user_id": self.env.user.id, "body": "draft"}
        )
        self.assertEqual(self.mention("rp2").story_reply_ids, sent)
        self.assertFalse(earlier.story_reply_ids, "its own replies are in its tab")

    def test_kanban_cards_count_earlier_mentions_in_constant_queries(self):
        """The inbox's cards show how many earlier mentions each author has,
        at the same number of queries for a page of 3 cards or of 12."""
        posts = [self.post(f"kc{i}", self.author(f"kc{i % 4}")) for i in range(12)]
        self.ingest(*posts)
        partner = self.env["res.partner"].create({"name": "Two accounts"})
        self.identity("kc0").partner_id = partner
        self.identity("kc1").partner_id = partner
        Mention = self.env["social.mention"]
        spec = Mention.get_views([(False, "kanban")])["models"]["social.mention"]
        self.assertIn("author_earlier_count", spec["fields"])
        mentions = Mention.search([("external_id", "like", "kc%")])

        def read(records):
            records.invalidate_recordset()
            self.env.invalidate_all()
            return {
                row["id"]: row["author_earlier_count"]
                for row in records.web_read({"author_earlier_count": {}})
            }

        read(mentions[:3])  # warm the caches the ORM keeps
        with self.assertQueryCount(__system__=3) as _counter:
            small = read(mentions[:3])
        with self.assertQueryCount(__system__=3):
            counts = read(mentions)
        self.assertEqual(len(small), 3)
        # kc0 and kc1 share a contact: 6 posts, 5 earlier each; kc2, kc3: 3 posts
        by_author = {m.id: m.identity_id.external_id for m in mentions}
        for mention_id, count in counts.items():
            expected = 5 if by_author[mention_id] in ("kc0", "kc1") else 2
            self.assertEqual(count, expected, by_author[mention_id])

    def test_kanban_columns_follow_the_state_filter(self):
        Mention = self.env["social.mention"]
        expand = Mention._group_expand_states
        self.assertEqual(
            expand([], [("state", "in", ("new", "in_progress"))]),
            ["new", "in_progress"],
        )
        # a column that holds cards stays, whatever the filter
        self.assertEqual(
            expand(
                ["replied"], ["&", ("state", "in", ("new",)), ("network", "=", "x")]
            ),
            ["new", "replied"],
        )
        self.assertEqual(expand([], [("state", "!=", "ignored")])[-1], "replied")
        # alternatives: every column
        every = [key for key, _label in Mention._fields["state"].selection]
        self.assertEqual(
            expand([], ["|", ("state", "=", "new"), ("id", "=", 1)]), every
        )
        self.assertEqual(expand([], []), every)
        # as the web client asks it, on the inbox's default filter
        groups = Mention.web_read_group(
            [("state", "in", ("new", "in_progress"))], ["state"], ["state"]
        )["groups"]
        self.assertEqual([g["state"] for g in groups], ["new", "in_progress"])
