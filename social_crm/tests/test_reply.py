"""Replying from Odoo: each network's request, refusals, and the reply's states.

Every test ingests a network's recorded payload (``tests/fixtures/<network>``)
through the one ingestion path, replies to a mention it made with the
composer (``social.mention.reply``) as a Social CRM user, and checks the
requests the local server recorded: path, body fields, auth header.
"""

import base64
from datetime import timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.social_crm.connectors import (
    bluesky,
    hackernews,
    mastodon,
    reddit,
    vk,
    x,
)
from odoo.addons.social_crm.connectors.base import Page

from .common import SocialCrmCase
from .connector_common import fixture
from .http_server import LocalServerCase, Reply, json_reply

STATUSES = "/api/v1/statuses"
SEARCH = "/api/v2/search"
INSTANCE = "/api/v2/instance"
MASTODON_URI = "https://mastodon.social/users/bob/statuses/112034567890200000"
WRITE_TOKEN = "write-token-0123456789"
PERMALINK = "/r/gadgets/comments/1b6x2yz/_/new0001/"


class ReplyCase(LocalServerCase, SocialCrmCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("social_crm.allowed_private_hosts", "127.0.0.1")
        params.set_param("social_crm.reply_timeout", "1")

    def make_source(self, connector, **values):
        return self.env["social.source"].create(
            {
                "name": f"{connector} source",
                "connector": connector,
                "query": "acme",
                "base_url": self.server.base_url,
                **values,
            }
        )

    def ingest_posts(self, source, posts):
        self.env["social.mention"]._ingest_page(source, Page(posts=posts))

    def composer(self, mention, **values):
        return (
            self.env["social.mention.reply"]
            .with_user(self.social_user)
            .create({"mention_id": mention.id, **values})
        )

    def only_request(self, path):
        requests = self.server.requests_to(path)
        self.assertEqual(len(requests), 1, f"one request to {path}")
        return requests[0]

    def chatter_bodies(self, record):
        return " ".join(str(m.body) for m in record.message_ids)


@tagged("post_install", "-at_install")
class TestReplyNetworks(ReplyCase):
    """The exact request of a reply on each network."""

    def mastodon_mention(self, **source_values):
        source = self.make_source("mastodon", **source_values)
        self.ingest_posts(
            source, mastodon.parse_notifications(fixture("mastodon/notifications.json"))
        )
        return self.mention(MASTODON_URI)

    def route_mastodon(self, *status_replies):
        self.server.route(
            INSTANCE,
            json_reply({"configuration": {"statuses": {"max_characters": 1000}}}),
        )
        self.server.route(
            SEARCH, json_reply({"statuses": [{"id": "109999", "uri": MASTODON_URI}]})
        )
        self.server.route(
            STATUSES,
            *status_replies
            or (
                json_reply(
                    {
                        "id": "110001",
                        "uri": "https://acme.example/users/acme/statuses/110001",
                        "url": "https://acme.example/@acme/110001",
                    }
                ),
            ),
        )

    def test_mastodon(self):
        mention = self.mastodon_mention(reply_token=WRITE_TOKEN)
        partner = self.env["res.partner"].create({"name": "Bob"})
        mention.identity_id.partner_id = partner
        self.route_mastodon()
        seen = []

        def record_state(request):
            # The reply is in the database as "sending" while the request runs.
            self.env.cr.execute("SELECT state FROM social_reply")
            seen.extend(row[0] for row in self.env.cr.fetchall())
            return json_reply(
                {
                    "id": "110001",
                    "uri": "https://acme.example/users/acme/statuses/110001",
                    "url": "https://acme.example/@acme/110001",
                }
            )

        self.server.route(STATUSES, record_state)
        wizard = self.composer(mention)
        # The instance's limit, and the author's handle to start with.
        self.assertEqual(wizard.char_limit, 1000)
        self.assertEqual(wizard.body, "@bob@mastodon.social ")
        wizard.body += "Sorry about the router, we are on it."
        self.assertEqual(wizard.count_display, f"{len(wizard.body)} / 1000")
        wizard.action_send()

        search = self.only_request(SEARCH)
        self.assertEqual(search.param("q"), MASTODON_URI)
        self.assertEqual(search.param("resolve"), "true")
        self.assertEqual(search.param("type"), "statuses")
        post = self.only_request(STATUSES)
        self.assertEqual(post.method, "POST")
        self.assertEqual(
            post.json(),
            {
                "status": "@bob@mastodon.social Sorry about the router, we are on it.",
                "in_reply_to_id": "109999",
            },
        )
        self.assertEqual(post.headers["Authorization"], f"Bearer {WRITE_TOKEN}")
        self.assertTrue(
            post.headers["Idempotency-Key"].endswith(f"-reply-{wizard.reply_id.id}")
        )
        self.assertEqual(seen, ["sending"])

        reply = wizard.reply_id
        self.assertEqual(reply.state, "sent")
        self.assertEqual(reply.user_id, self.social_user)
        self.assertEqual(
            reply.external_id, "https://acme.example/users/acme/statuses/110001"
        )
        self.assertEqual(reply.url, "https://acme.example/@acme/110001")
        self.assertEqual(mention.state, "replied")
        self.assertTrue(mention.first_reply_date)
        self.assertEqual(mention.first_reply_date, reply.sent_date)
        self.assertIn("https://acme.example/@acme/110001", self.chatter_bodies(mention))
        self.assertIn("Sorry about the router", self.chatter_bodies(mention))
        self.assertIn("https://acme.example/@acme/110001", self.chatter_bodies(partner))

    def test_bluesky(self):
        source = self.make_source(
            "bluesky", login="acme.example.com", token="abcd-efgh-ijkl-mnop"
        )
        posts, _cursor = bluesky.parse_search(fixture("bluesky/search_posts.json"))
        self.ingest_posts(source, posts)
        root_uri = (
            "at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/3kmxyz2abcd2k"
        )
        grumpy = self.mention(
            "at://did:plc:kettlehater00000000000/app.bsky.feed.post/3kmxaaa1111",
            "bluesky",
        )
        quiet = self.mention(root_uri, "bluesky")
        # Ingestion kept the strong refs: a reply's root, a post its own.
        self.assertEqual(
            (grumpy.post_cid, grumpy.root_external_id, grumpy.root_cid),
            ("bafyreib2", root_uri, "bafyreia6"),
        )
        self.assertEqual(quiet.root_external_id, root_uri)
        self.assertEqual(quiet.root_cid, quiet.post_cid)
        self.server.route(
            "/xrpc/com.atproto.server.createSession",
            Reply(body=fixture("bluesky/create_session.json")),
        )
        created = "at://did:plc:acmebrand0000000000000/app.bsky.feed.post/3lreply"
        self.server.route(
            "/xrpc/com.atproto.repo.createRecord",
            json_reply({"uri": created, "cid": "bafyreply"}),
        )
        wizard = self.composer(grumpy)
        self.assertEqual(wizard.body, "")  # Bluesky notifies without a handle
        self.assertEqual(wizard.char_limit, 300)
        wizard.body = "Sorry! 🫖 Send us a DM"
        wizard.action_send()

        session = self.only_request("/xrpc/com.atproto.server.createSession")
        self.assertEqual(
            session.json(),
            {"identifier": "acme.example.com", "password": "abcd-efgh-ijkl-mnop"},
        )
        create = self.only_request("/xrpc/com.atproto.repo.createRecord")
        self.assertEqual(
            create.headers["Authorization"],
            "Bearer eyJ0eXAiOiJhdCtqd3QiLCJhbGciOiJFUzI1NksifQ.access-one.sig",
        )
        body = create.json()
        self.assertEqual(body["repo"], "did:plc:acmebrand0000000000000")
        self.assertEqual(body["collection"], "app.bsky.feed.post")
        record = body["record"]
        self.assertEqual(record["$type"], "app.bsky.feed.post")
        self.assertEqual(record["text"], "Sorry! 🫖 Send us a DM")
        self.assertTrue(record["createdAt"].endswith("Z"))
        self.assertEqual(
            record["reply"],
            {
                "root": {"uri": root_uri, "cid": "bafyreia6"},
                "parent": {"uri": grumpy.external_id, "cid": "bafyreib2"},
            },
        )
        self.assertEqual(wizard.reply_id.state, "sent")
        self.assertEqual(
            wizard.reply_id.url,
            "https://bsky.app/profile/acme.example.com/post/3lreply",
        )
        self.assertEqual(grumpy.state, "replied")

    def test_reddit(self):
        source = self.make_source(
            "reddit",
            login="app-client-id",
            token="app-client-secret",
            reply_login="acme_support",
            reply_password="hunter2-password",
        )
        posts, _after = reddit.parse_listing(fixture("reddit/comments_page1.json"))
        self.ingest_posts(source, posts)
        mention = self.mention("t1_kv3c001", "reddit")
        self.server.route(
            "/api/v1/access_token",
            json_reply({"access_token": "user-token-abcdef", "scope": "submit"}),
        )
        self.server.route(
            "/api/comment",
            json_reply(
                {
                    "json": {
                        "errors": [],
                        "data": {
                            "things": [
                                {
                                    "kind": "t1",
                                    "data": {
                                        "name": "t1_new0001",
                                        "permalink": PERMALINK,
                                    },
                                }
                            ]
                        },
                    }
                }
            ),
        )
        wizard = self.composer(mention, body="Thanks, we are looking into it.")
        self.assertEqual(wizard.char_limit, 10000)
        wizard.action_send()

        token = self.only_request("/api/v1/access_token")
        self.assertEqual(
            token.form(),
            {
                "grant_type": "password",
                "username": "acme_support",
                "password": "hunter2-password",
            },
        )
        basic = base64.b64encode(b"app-client-id:app-client-secret").decode()
        self.assertEqual(token.headers["Authorization"], f"Basic {basic}")
        comment = self.only_request("/api/comment")
        self.assertEqual(
            comment.form(),
            {
                "thing_id": "t1_kv3c001",
                "text": "Thanks, we are looking into it.",
                "api_type": "json",
            },
        )
        self.assertEqual(comment.headers["Authorization"], "Bearer user-token-abcdef")
        self.assertEqual(wizard.reply_id.external_id, "t1_new0001")
        self.assertEqual(
            wizard.reply_id.url,
            "https://www.reddit.com/r/gadgets/comments/1b6x2yz/_/new0001/",
        )

    def test_reddit_refresh_token(self):
        source = self.make_source(
            "reddit",
            login="app-client-id",
            token="app-client-secret",
            reply_refresh_token="refresh-abcdef",
        )
        posts, _after = reddit.parse_listing(fixture("reddit/comments_page1.json"))
        self.ingest_posts(source, posts)
        self.server.route(
            "/api/v1/access_token", json_reply({"access_token": "tok-1234"})
        )
        self.server.route(
            "/api/comment", json_reply({"json": {"errors": [], "data": {"things": []}}})
        )
        self.composer(self.mention("t1_kv3c002", "reddit"), body="Hi").action_send()
        self.assertEqual(
            self.only_request("/api/v1/access_token").form(),
            {"grant_type": "refresh_token", "refresh_token": "refresh-abcdef"},
        )

    def x_mention(self, **values):
        source = self.make_source("x", token="app-only-bearer", **values)
        posts, _next = x.parse_search(fixture("x/search_recent.json"))
        self.ingest_posts(source, posts)
        return source, self.mention("1765035123456789012", "x")

    def test_x(self):
        _source, mention = self.x_mention(reply_token="user-context-token")
        self.server.route(
            "/2/tweets", json_reply({"data": {"id": "1800000000000000001"}}, status=201)
        )
        wizard = self.composer(mention)
        self.assertEqual(wizard.body, "")  # X adds the reply's handle itself
        wizard.body = (
            "We are sorry, see https://acme.example/status/router-outage-details"
        )
        self.assertEqual(wizard.char_count, len("We are sorry, see ") + 23)
        wizard.action_send()
        post = self.only_request("/2/tweets")
        self.assertEqual(
            post.json(),
            {
                "text": "We are sorry, see https://acme.example/status/router-outage-details",
                "reply": {"in_reply_to_tweet_id": "1765035123456789012"},
            },
        )
        # The user-context token, never the app-only one used for reading.
        self.assertEqual(post.headers["Authorization"], "Bearer user-context-token")
        self.assertEqual(wizard.reply_id.external_id, "1800000000000000001")
        self.assertEqual(
            wizard.reply_id.url, "https://x.com/i/status/1800000000000000001"
        )

    def test_x_refresh_once_on_401(self):
        source, mention = self.x_mention(
            reply_token="expired-token",
            reply_refresh_token="refresh-one",
            reply_client_id="client-id-x",
        )
        self.server.route(
            "/2/tweets",
            json_reply({"title": "Unauthorized", "status": 401}, status=401),
            json_reply({"data": {"id": "1800000000000000002"}}, status=201),
        )
        self.server.route(
            "/2/oauth2/token",
            json_reply({"access_token": "fresh-token", "refresh_token": "refresh-two"}),
        )
        wizard = self.composer(mention, body="Sorry!")
        wizard.action_send()
        first, second = self.server.requests_to("/2/tweets")
        self.assertEqual(first.headers["Authorization"], "Bearer expired-token")
        self.assertEqual(second.headers["Authorization"], "Bearer fresh-token")
        self.assertEqual(
            self.only_request("/2/oauth2/token").form(),
            {
                "grant_type": "refresh_token",
                "refresh_token": "refresh-one",
                "client_id": "client-id-x",
            },
        )
        self.assertEqual(wizard.reply_id.state, "sent")
        # X rotates refresh tokens: the new pair is kept.
        self.assertEqual(
            (source.reply_token, source.reply_refresh_token),
            ("fresh-token", "refresh-two"),
        )

    def test_vk(self):
        source = self.make_source("vk", token="vk-user-token-123456")
        posts, _next = vk.parse_newsfeed(fixture("vk/newsfeed_search.json"))
        self.ingest_posts(source, posts)
        mention = self.mention("-987654_77", "vk")
        self.server.route(
            "/method/wall.createComment", json_reply({"response": {"comment_id": 55}})
        )
        self.composer(mention, body="Спасибо, разбираемся!").action_send()
        comment = self.only_request("/method/wall.createComment")
        self.assertEqual(
            comment.form(),
            {
                "owner_id": "-987654",
                "post_id": "77",
                "message": "Спасибо, разбираемся!",
                "access_token": "vk-user-token-123456",
                "v": vk.API_VERSION,
            },
        )
        reply = mention.social_reply_ids
        self.assertEqual(reply.state, "sent")
        self.assertEqual(reply.url, "https://vk.com/wall-987654_77?reply=55")

    def test_demo_feed_is_logged_by_hand(self):
        self.ingest(self.post("demo-1", self.author("demo_author")))
        mention = self.mention("demo-1")
        self.assertEqual(mention.source_id.connector, "demo")
        wizard = self.composer(mention, body="Thanks!")
        self.assertFalse(wizard.has_api)
        self.assertFalse(wizard.missing_credentials)
        wizard.action_send()
        self.assertEqual(wizard.reply_id.posted_by_hand, True)
        self.assertEqual(mention.state, "replied")
        self.assertFalse(self.server.requests)

    def test_hackernews_is_logged_by_hand(self):
        source = self.make_source("hackernews")
        posts, _next = hackernews.parse_search(
            fixture("hackernews/search_comments.json")
        )
        self.ingest_posts(source, posts)
        mention = self.env["social.mention"].search(
            [("source_id", "=", source.id)], limit=1
        )
        wizard = self.composer(mention, body="Thanks for the report, fixed in 2.1.")
        self.assertFalse(wizard.has_api)
        self.assertFalse(wizard.missing_credentials)
        self.assertEqual(wizard.action_open_post()["url"], mention.url)
        wizard.action_send()
        self.assertFalse(self.server.requests)
        reply = wizard.reply_id
        self.assertEqual((reply.state, reply.posted_by_hand), ("sent", True))
        self.assertEqual(mention.state, "replied")
        self.assertIn("Thanks for the report", self.chatter_bodies(mention))


@tagged("post_install", "-at_install")
class TestReplyRefusals(ReplyCase):
    """What is refused before sending, and how failures leave the reply."""

    def setUp(self):
        super().setUp()
        self.source = self.make_source("mastodon", reply_token=WRITE_TOKEN)
        self.ingest_posts(
            self.source,
            mastodon.parse_notifications(fixture("mastodon/notifications.json")),
        )
        self.target = self.mention(MASTODON_URI)
        self.server.route(INSTANCE, json_reply({}))
        self.server.route(
            SEARCH, json_reply({"statuses": [{"id": "109999", "uri": MASTODON_URI}]})
        )

    def send(self, body="Sorry about that", **values):
        wizard = self.composer(self.target, body=body, **values)
        wizard.action_send()
        return wizard

    def test_no_credentials(self):
        self.source.reply_token = False
        wizard = self.composer(self.target, body="Hello")
        self.assertIn("Posting Token", wizard.missing_credentials)
        self.assertIn(self.source.name, wizard.missing_credentials)
        with self.assertRaisesRegex(UserError, "Posting Token"):
            wizard.action_send()
        self.assertFalse(self.server.requests_to(STATUSES))
        self.assertFalse(self.target.social_reply_ids)

    def test_too_long(self):
        wizard = self.composer(self.target, body="a" * 501)
        self.assertEqual(wizard.char_limit, 500)  # the instance did not say
        self.assertTrue(wizard.too_long)
        self.assertEqual(wizard.count_display, "501 / 500")
        with self.assertRaisesRegex(UserError, "501"):
            wizard.action_send()
        self.assertFalse(self.server.requests_to(STATUSES))

    def test_401_without_write_scope(self):
        self.server.route(
            STATUSES,
            json_reply(
                {"error": "This action is outside the authorized scopes"}, status=403
            ),
        )
        wizard = self.send()
        reply = wizard.reply_id
        self.assertEqual(reply.state, "failed")
        self.assertIn("refused to post with these credentials", reply.error)
        self.assertIn("outside the authorized scopes", reply.error)
        self.assertNotIn(WRITE_TOKEN, reply.error)
        self.assertEqual(self.target.state, "new")
        self.assertFalse(self.target.first_reply_date)
        # The composer stays open with the reason.
        self.assertEqual(wizard.reply_error, reply.error)

    def test_401_invalid_token(self):
        self.server.route(
            STATUSES, json_reply({"error": "The access token is invalid"}, status=401)
        )
        self.assertEqual(self.send().reply_id.state, "failed")
        self.assertEqual(len(self.server.requests_to(STATUSES)), 1)

    def test_422(self):
        self.server.route(
            STATUSES,
            json_reply(
                {"error": "Validation failed: Text character limit of 500 exceeded"},
                status=422,
            ),
        )
        reply = self.send().reply_id
        self.assertEqual(reply.state, "failed")
        self.assertIn("refused the reply", reply.error)
        self.assertIn("Validation failed", reply.error)

    def test_429_retry_after(self):
        self.server.route(STATUSES, Reply(status=429, headers={"Retry-After": "120"}))
        reply = self.send().reply_id
        self.assertEqual(reply.state, "failed")
        self.assertIn("120 seconds", reply.error)
        self.assertEqual(len(self.server.requests_to(STATUSES)), 1)

    def test_timeout_is_unknown_and_not_resent(self):
        self.server.route(STATUSES, Reply(delay=3, body=b"{}"))
        wizard = self.send()
        reply = wizard.reply_id
        self.assertEqual(reply.state, "unknown")
        self.assertIn("may have been posted", reply.error)
        self.assertEqual(self.target.state, "new")
        self.assertEqual(len(self.server.requests_to(STATUSES)), 1)
        # A new composer warns, and refuses until the agent has checked.
        again = self.composer(self.target, body="Sorry about that")
        self.assertEqual(again.pending_reply_id, reply)
        with self.assertRaisesRegex(UserError, "may have been posted"):
            again.action_send()
        self.assertEqual(len(self.server.requests_to(STATUSES)), 1)
        # Checked and not there: the old one is failed, the new one sent.
        self.server.route(
            STATUSES, json_reply({"id": "2", "url": "https://a.example/2"})
        )
        again.checked_pending = True
        again.action_send()
        self.assertEqual(reply.state, "failed")
        self.assertEqual(again.reply_id.state, "sent")
        self.assertEqual(len(self.server.requests_to(STATUSES)), 2)

    def test_checked_once_for_one_reply(self):
        """Ticking "I checked" covers the reply checked, not the next one:
        the same composer sent again (a replayed request) refuses."""
        self.server.route(STATUSES, Reply(delay=3, body=b"{}"))
        first = self.send().reply_id
        wizard = self.composer(self.target, body="Sorry", checked_pending=True)
        wizard.action_send()  # times out too
        self.assertEqual(first.state, "failed")
        self.assertEqual(wizard.reply_id.state, "unknown")
        self.assertFalse(wizard.checked_pending)
        with self.assertRaisesRegex(UserError, "may have been posted"):
            wizard.action_send()
        self.assertEqual(len(self.server.requests_to(STATUSES)), 2)

    def test_unknown_marked_posted(self):
        self.server.route(STATUSES, Reply(status=502, body=b"Bad gateway"))
        reply = self.send().reply_id
        self.assertEqual(reply.state, "unknown")
        self.assertEqual(len(self.server.requests_to(STATUSES)), 1)
        reply.with_user(self.social_user).action_mark_posted()
        self.assertEqual(reply.state, "sent")
        self.assertEqual(self.target.state, "replied")

    def test_failed_body_offered_again(self):
        self.server.route(STATUSES, json_reply({"error": "boom"}, status=422))
        self.send(body="My careful answer")
        self.assertEqual(self.composer(self.target).body, "My careful answer")

    def test_answer_fills_placeholders(self):
        answer = self.env["social.answer"].create(
            {
                "name": "Sorry",
                "body": "Hello {author}, {agent} from {company} here.",
            }
        )
        self.server.route(STATUSES, json_reply({"id": "3"}))
        wizard = self.composer(self.target, answer_id=answer.id)
        author = self.target.identity_id.name
        self.assertEqual(
            wizard.body,
            f"@bob@mastodon.social Hello {author}, {self.social_user.name} from "
            f"{self.target.company_id.name} here.",
        )
        wizard.action_send()
        self.assertEqual(answer.use_count, 1)
        self.assertTrue(answer.last_used)
        self.assertEqual(wizard.reply_id.answer_id, answer)

    def test_posting_fields_for_managers_only(self):
        source = self.source.with_user(self.social_user)
        for name in ("reply_token", "reply_password", "reply_client_secret"):
            with self.assertRaises(AccessError):
                source.read([name])
        self.assertEqual(
            self.source.with_user(self.social_manager).reply_token, WRITE_TOKEN
        )


@tagged("post_install", "-at_install")
class TestReplyAccess(ReplyCase):
    """Only Social CRM users reply; replies stay in their company."""

    def setUp(self):
        super().setUp()
        self.source = self.make_source("mastodon", reply_token=WRITE_TOKEN)
        self.ingest_posts(
            self.source,
            mastodon.parse_notifications(fixture("mastodon/notifications.json")),
        )
        self.target = self.mention(MASTODON_URI)

    def test_salesman_cannot_reply(self):
        for model in ("social.reply", "social.answer", "social.mention.reply"):
            with self.assertRaises(AccessError):
                self.env[model].with_user(self.salesman).search([])
        with self.assertRaises(AccessError):
            self.env["social.mention.reply"].with_user(self.salesman).create(
                {"mention_id": self.target.id, "body": "hi"}
            )

    def test_answers_edited_by_managers(self):
        answer = (
            self.env["social.answer"]
            .with_user(self.social_manager)
            .create({"name": "Thanks", "body": "Thank you {author}!"})
        )
        self.assertEqual(answer.with_user(self.social_user).body, "Thank you {author}!")
        with self.assertRaises(AccessError):
            answer.with_user(self.social_user).write({"body": "changed"})
        with self.assertRaises(AccessError):
            self.env["social.answer"].with_user(self.social_user).create(
                {"name": "x", "body": "y"}
            )

    def test_replies_stay_in_their_company(self):
        company_b = self.env["res.company"].create({"name": "Reply Company B"})
        source_b = self.make_source("mastodon", company_id=company_b.id)
        self.ingest_posts(
            source_b,
            mastodon.parse_notifications(fixture("mastodon/notifications.json")),
        )
        mention_b = self.env["social.mention"].search(
            [("source_id", "=", source_b.id), ("external_id", "=", MASTODON_URI)]
        )
        reply_b = self.env["social.reply"].create(
            {"mention_id": mention_b.id, "body": "B's reply"}
        )
        self.assertEqual(reply_b.company_id, company_b)
        replies = self.env["social.reply"].with_user(self.social_user).search([])
        self.assertNotIn(reply_b, replies)

    def test_tokens_never_logged(self):
        self.server.route(INSTANCE, json_reply({}))
        self.server.route(
            SEARCH, json_reply({"statuses": [{"id": "109999", "uri": MASTODON_URI}]})
        )
        self.server.route(
            STATUSES,
            json_reply({"error": f"Token {WRITE_TOKEN} is revoked"}, status=401),
        )
        with self.assertLogs("odoo.addons.social_crm", level="DEBUG") as logs:
            wizard = self.composer(self.target, body="hello")
            wizard.action_send()
        self.assertEqual(wizard.reply_id.state, "failed")
        self.assertTrue(logs.output)
        for line in logs.output:
            self.assertNotIn(WRITE_TOKEN, line)
        self.assertNotIn(WRITE_TOKEN, wizard.reply_id.error)


@tagged("post_install", "-at_install")
class TestFirstReplyReport(ReplyCase):
    def test_first_response_time_and_reply_rate(self):
        source = self.make_source("mastodon", reply_token=WRITE_TOKEN)
        self.ingest_posts(
            source, mastodon.parse_notifications(fixture("mastodon/notifications.json"))
        )
        mention = self.mention(MASTODON_URI)
        self.ingest_posts(source, [self.post("not-replied", self.author("quiet"))])
        other = self.mention("not-replied")
        self.assertTrue(other)
        self.server.route(INSTANCE, json_reply({}))
        self.server.route(
            SEARCH, json_reply({"statuses": [{"id": "9", "uri": MASTODON_URI}]})
        )
        self.server.route(STATUSES, json_reply({"id": "10"}))
        self.composer(mention, body="Sorry").action_send()
        # Posted 3 hours before the reply: the first response time.
        mention.posted_at = mention.first_reply_date - timedelta(hours=3)
        # A later reply does not move the first one.
        first = mention.first_reply_date
        self.composer(mention, body="Update: fixed").action_send()
        self.assertEqual(mention.first_reply_date, first)
        self.env.flush_all()
        Report = self.env["social.mention.report"]
        row = Report.search([("mention_id", "=", mention.id)])
        self.assertAlmostEqual(row.hours_to_first_reply, 3.0)
        self.assertEqual(row.odoo_reply_count, 1)
        other_row = Report.search([("mention_id", "=", other.id)])
        self.assertFalse(other_row.hours_to_first_reply)
        self.assertEqual(other_row.odoo_reply_count, 0)
        totals = Report.read_group(
            [("mention_id", "in", (mention + other).ids)],
            ["odoo_reply_count:sum", "nbr:sum"],
            [],
        )[0]
        self.assertEqual((totals["odoo_reply_count"], totals["nbr"]), (1, 2))
