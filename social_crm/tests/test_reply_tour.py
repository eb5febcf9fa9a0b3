from odoo.tests import HttpCase, new_test_user, tagged

from .http_server import LocalServerCase, json_reply

STATUS_URI = "https://mastodon.social/users/tour_angry/statuses/1"


@tagged("post_install", "-at_install")
class TestReplyTour(LocalServerCase, HttpCase):
    """An agent replies from the mention form, in real Chromium."""

    def test_agent_replies_from_the_form(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "social_crm.allowed_private_hosts", "127.0.0.1"
        )
        agent = new_test_user(
            self.env,
            login="tour_reply_agent",
            groups="social_crm.group_social_crm_user,base.group_user",
        )
        source = self.env["social.source"].create(
            {
                "name": "Tour Mastodon",
                "connector": "mastodon",
                "base_url": self.server.base_url,
                "reply_token": "tour-write-token",
            }
        )
        identity = self.env["social.identity"].create(
            {
                "network": "mastodon",
                "external_id": "https://mastodon.social/@tour_angry",
                "handle": "@tour_angry@mastodon.social",
                "name": "Angry Customer",
            }
        )
        mention = self.env["social.mention"].create(
            {
                "network": "mastodon",
                "external_id": STATUS_URI,
                "identity_id": identity.id,
                "source_id": source.id,
                "content": "My Acme router died after two days!",
            }
        )
        complaint = self.env.ref("social_crm.category_complaint")
        mention.category_id = complaint
        self.env["social.answer"].create(
            {
                "name": "Router sorry",
                "body": "Sorry {author}, a new router is on its way.",
                "category_ids": [(6, 0, complaint.ids)],
                "keywords": "router",
            }
        )
        self.server.route(
            "/api/v2/instance",
            json_reply({"configuration": {"statuses": {"max_characters": 1000}}}),
        )
        self.server.route(
            "/api/v2/search",
            json_reply({"statuses": [{"id": "77", "uri": STATUS_URI}]}),
        )
        self.server.route(
            "/api/v1/statuses",
            json_reply({"id": "78", "url": "https://acme.example/@acme/78"}),
        )
        self.start_tour(
            f"/odoo/action-social_crm.social_mention_action/{mention.id}",
            "social_crm_reply_tour",
            login=agent.login,
        )
        post = self.server.requests_to("/api/v1/statuses")
        self.assertEqual(len(post), 1)
        self.assertEqual(
            post[0].json(),
            {
                "status": "@tour_angry@mastodon.social Sorry Angry Customer, a new "
                "router is on its way today.",
                "in_reply_to_id": "77",
            },
        )
        self.assertEqual(mention.state, "replied")
        self.assertEqual(mention.social_reply_ids.url, "https://acme.example/@acme/78")
        self.assertEqual(mention.social_reply_ids.answer_id.name, "Router sorry")
