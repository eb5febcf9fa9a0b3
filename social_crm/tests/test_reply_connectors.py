"""The repliers without Odoo: errors typed by reason, and posted at most once."""

import socket

from odoo.tests import tagged

from odoo.addons.social_crm.connectors import REPLIERS
from odoo.addons.social_crm.connectors.bluesky import BlueskyReplier
from odoo.addons.social_crm.connectors.mastodon import MastodonReplier
from odoo.addons.social_crm.connectors.reddit import RedditReplier
from odoo.addons.social_crm.connectors.reply import (
    MissingCredentials,
    NotAuthorized,
    ReplyCredentials,
    ReplyFailed,
    ReplyNotSupported,
    ReplyRateLimited,
    ReplyRejected,
    ReplyTarget,
    ReplyTooLong,
    ReplyUncertain,
)
from odoo.addons.social_crm.connectors.vk import VkReplier
from odoo.addons.social_crm.connectors.x import XReplier

from .connector_common import ConnectorCase, fixture
from .http_server import Reply, json_reply

URI = "https://mastodon.social/users/bob/statuses/1"
TOKEN = "secret-token-0123456789"


@tagged("post_install", "-at_install")
class TestReplyConnectors(ConnectorCase):
    def replier(self, cls, base_url=None, **credentials):
        http = self.client(retries=0, max_retry_after=0, read_timeout=0.5)
        credentials.setdefault("base_url", base_url or self.server.base_url)
        return cls(http, ReplyCredentials(**credentials))

    def mastodon(self):
        self.server.route(
            "/api/v2/search", json_reply({"statuses": [{"id": "9", "uri": URI}]})
        )
        return self.replier(MastodonReplier, token=TOKEN)

    def target(self, network="mastodon", external_id=URI, **values):
        return ReplyTarget(network=network, external_id=external_id, **values)

    def test_missing_credentials(self):
        expected = {
            "mastodon": ["token"],
            "bluesky": ["login", "password"],
            "reddit": ["client_id", "client_secret", "login", "password"],
            "x": ["token"],
            "vk": ["token"],
            "hackernews": [],
            "rss": [],
        }
        for network, missing in expected.items():
            replier = self.replier(REPLIERS[network])
            self.assertEqual(replier.missing_credentials(), missing, network)
        # A refresh token stands for Reddit's username and password.
        reddit = self.replier(
            RedditReplier, client_id="id", client_secret="secret", refresh_token="r"
        )
        self.assertEqual(reddit.missing_credentials(), [])
        with self.assertRaises(MissingCredentials) as caught:
            self.replier(MastodonReplier).reply(self.target(), "hi", limit=500)
        self.assertEqual(caught.exception.missing, ("token",))
        self.assertFalse(self.server.requests)

    def test_no_api(self):
        with self.assertRaises(ReplyNotSupported):
            self.replier(REPLIERS["hackernews"]).reply(
                self.target("hackernews", "123"), "hi"
            )

    def test_too_long_in_graphemes(self):
        replier = self.replier(BlueskyReplier, login="a", password="b")
        # 300 flags of two code points each are 300 graphemes: allowed.
        replier.check("\U0001f1fa\U0001f1e6" * 300)
        with self.assertRaises(ReplyTooLong) as caught:
            replier.reply(
                self.target("bluesky", "at://x"), "\U0001f1fa\U0001f1e6" * 301
            )
        self.assertEqual((caught.exception.length, caught.exception.limit), (301, 300))
        self.assertFalse(self.server.requests)

    def test_instance_limit(self):
        self.server.route(
            "/api/v2/instance",
            json_reply({"configuration": {"statuses": {"max_characters": 5000}}}),
        )
        self.assertEqual(self.mastodon().limit(), 5000)
        self.server.route("/api/v2/instance", Reply(status=404))
        self.assertEqual(self.mastodon().limit(), 500)

    def test_connection_refused_posted_nothing(self):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        replier = self.replier(
            MastodonReplier, base_url=f"http://127.0.0.1:{port}", token=TOKEN
        )
        with self.assertRaises(ReplyFailed) as caught:
            replier._write("POST", f"http://127.0.0.1:{port}/api/v1/statuses", json={})
        self.assertFalse(caught.exception.maybe_posted)

    def test_read_timeout_may_have_posted(self):
        self.server.route("/api/v1/statuses", Reply(delay=2))
        with self.assertRaises(ReplyUncertain) as caught:
            self.mastodon().reply(self.target(), "hello", limit=500)
        self.assertTrue(caught.exception.maybe_posted)
        self.assertEqual(len(self.server.requests_to("/api/v1/statuses")), 1)

    def test_server_error_on_write_is_uncertain_and_not_retried(self):
        self.server.route("/api/v1/statuses", Reply(status=500, body=b"oops"))
        with self.assertRaises(ReplyUncertain):
            self.mastodon().reply(self.target(), "hello", limit=500)
        self.assertEqual(len(self.server.requests_to("/api/v1/statuses")), 1)

    def test_server_error_before_write_posted_nothing(self):
        self.server.route("/api/v2/search", Reply(status=500))
        replier = self.replier(MastodonReplier, token=TOKEN)
        with self.assertRaises(ReplyFailed) as caught:
            replier.reply(self.target(), "hello", limit=500)
        self.assertFalse(caught.exception.maybe_posted)
        self.assertFalse(self.server.requests_to("/api/v1/statuses"))

    def test_unresolvable_status(self):
        self.server.route("/api/v2/search", json_reply({"statuses": []}))
        with self.assertRaises(ReplyRejected):
            self.replier(MastodonReplier, token=TOKEN).reply(
                self.target(), "hello", limit=500
            )
        self.assertFalse(self.server.requests_to("/api/v1/statuses"))

    def test_rate_limited_with_retry_after(self):
        self.server.route(
            "/api/v1/statuses", Reply(status=429, headers={"Retry-After": "120"})
        )
        with self.assertRaises(ReplyRateLimited) as caught:
            self.mastodon().reply(self.target(), "hello", limit=500)
        self.assertEqual(caught.exception.retry_after, 120)
        self.assertEqual(self.sleeps, [])  # no waiting, no second attempt
        self.assertEqual(len(self.server.requests_to("/api/v1/statuses")), 1)

    def test_unauthorized_masks_the_token(self):
        self.server.route(
            "/api/v1/statuses",
            json_reply({"error": f"The access token {TOKEN} is invalid"}, status=401),
        )
        with self.assertRaises(NotAuthorized) as caught:
            self.mastodon().reply(self.target(), "hello", limit=500)
        self.assertEqual(caught.exception.status, 401)
        self.assertNotIn(TOKEN, str(caught.exception))
        self.assertNotIn(TOKEN, caught.exception.detail)

    def test_x_forbidden_is_not_refreshed(self):
        self.server.route(
            "/2/tweets",
            json_reply({"title": "Forbidden", "detail": "Not permitted"}, status=403),
        )
        replier = self.replier(
            XReplier, token=TOKEN, refresh_token="refresh", client_id="client"
        )
        with self.assertRaises(NotAuthorized):
            replier.reply(self.target("x", "1"), "hello")
        self.assertFalse(self.server.requests_to("/2/oauth2/token"))
        self.assertEqual(len(self.server.requests_to("/2/tweets")), 1)

    def test_x_401_without_refresh_token(self):
        self.server.route(
            "/2/tweets", json_reply({"title": "Unauthorized"}, status=401)
        )
        with self.assertRaises(NotAuthorized):
            self.replier(XReplier, token=TOKEN).reply(self.target("x", "1"), "hello")
        self.assertEqual(len(self.server.requests_to("/2/tweets")), 1)

    def test_x_confidential_client_refresh(self):
        self.server.route(
            "/2/tweets",
            json_reply({"title": "Unauthorized"}, status=401),
            json_reply({"data": {"id": "5"}}, status=201),
        )
        self.server.route("/2/oauth2/token", json_reply({"access_token": "new-token"}))
        replier = self.replier(
            XReplier,
            token=TOKEN,
            refresh_token="refresh",
            client_id="client",
            client_secret="client-secret",
        )
        self.assertEqual(replier.reply(self.target("x", "1"), "hi").external_id, "5")
        token = self.server.requests_to("/2/oauth2/token")[0]
        self.assertTrue(token.headers["Authorization"].startswith("Basic "))
        self.assertEqual(replier.renewed, {"token": "new-token"})

    def reddit(self, token_answer):
        self.server.route("/api/v1/access_token", json_reply(token_answer))
        return self.replier(
            RedditReplier,
            client_id="id",
            client_secret="secret",
            login="user",
            password="password-123",
        )

    def test_reddit_wrong_password(self):
        replier = self.reddit({"error": "invalid_grant"})
        with self.assertRaises(NotAuthorized):
            replier.reply(self.target("reddit", "t1_a"), "hi")
        self.assertFalse(self.server.requests_to("/api/comment"))

    def test_reddit_errors_in_200(self):
        replier = self.reddit({"access_token": "tok-12345"})
        self.server.route(
            "/api/comment",
            json_reply(
                {
                    "json": {
                        "errors": [
                            ["RATELIMIT", "you are doing that too much", "ratelimit"]
                        ]
                    }
                }
            ),
            json_reply(
                {"json": {"errors": [["DELETED_COMMENT", "deleted", "parent"]]}}
            ),
        )
        with self.assertRaises(ReplyRateLimited):
            replier.reply(self.target("reddit", "t1_a"), "hi")
        with self.assertRaises(ReplyRejected):
            replier.reply(self.target("reddit", "t1_a"), "hi")

    def test_vk_errors(self):
        replier = self.replier(VkReplier, token=TOKEN)
        self.server.route(
            "/method/wall.createComment",
            json_reply({"error": {"error_code": 15, "error_msg": "Access denied"}}),
            json_reply({"error": {"error_code": 9, "error_msg": "Flood control"}}),
            json_reply(
                {"error": {"error_code": 100, "error_msg": f"bad token {TOKEN}"}}
            ),
        )
        target = self.target("vk", "-1_2")
        with self.assertRaises(NotAuthorized):
            replier.reply(target, "hi")
        with self.assertRaises(ReplyRateLimited):
            replier.reply(target, "hi")
        with self.assertRaises(ReplyRejected) as caught:
            replier.reply(target, "hi")
        self.assertNotIn(TOKEN, str(caught.exception))

    def test_bluesky_refs_read_when_not_stored(self):
        self.server.route(
            "/xrpc/com.atproto.server.createSession",
            Reply(body=fixture("bluesky/create_session.json")),
        )
        self.server.route(
            "/xrpc/app.bsky.feed.getPosts",
            json_reply(
                {
                    "posts": [
                        {
                            "uri": "at://did:plc:b/app.bsky.feed.post/2",
                            "cid": "cid-2",
                            "record": {
                                "reply": {
                                    "root": {
                                        "uri": "at://did:plc:a/app.bsky.feed.post/1",
                                        "cid": "cid-1",
                                    }
                                }
                            },
                        }
                    ]
                }
            ),
        )
        self.server.route(
            "/xrpc/com.atproto.repo.createRecord",
            json_reply({"uri": "at://did:plc:acme/app.bsky.feed.post/3", "cid": "c3"}),
        )
        replier = self.replier(BlueskyReplier, login="acme.example.com", password="pw")
        replier.reply(
            self.target("bluesky", "at://did:plc:b/app.bsky.feed.post/2"), "hi"
        )
        get = self.server.requests_to("/xrpc/app.bsky.feed.getPosts")[0]
        self.assertEqual(get.param("uris"), "at://did:plc:b/app.bsky.feed.post/2")
        record = self.server.requests_to("/xrpc/com.atproto.repo.createRecord")[0]
        self.assertEqual(
            record.json()["record"]["reply"],
            {
                "root": {"uri": "at://did:plc:a/app.bsky.feed.post/1", "cid": "cid-1"},
                "parent": {
                    "uri": "at://did:plc:b/app.bsky.feed.post/2",
                    "cid": "cid-2",
                },
            },
        )

    def test_mastodon_reply_keeps_a_restricted_visibility(self):
        for visibility, expected in (
            ("direct", "direct"),
            ("private", "private"),
            ("public", None),
        ):
            with self.subTest(visibility=visibility):
                self.server.reset()
                self.server.route(
                    "/api/v2/search",
                    json_reply(
                        {
                            "statuses": [
                                {"id": "9", "uri": URI, "visibility": visibility}
                            ]
                        }
                    ),
                )
                self.server.route("/api/v1/statuses", json_reply({"id": "10"}))
                replier = self.replier(MastodonReplier, token=TOKEN)
                replier.reply(self.target(), "@bob@mastodon.social hi", limit=500)
                body = self.server.requests_to("/api/v1/statuses")[0].json()
                self.assertEqual(body.get("visibility"), expected)

    def test_bluesky_links_are_facets(self):
        self.server.route(
            "/xrpc/com.atproto.server.createSession",
            Reply(body=fixture("bluesky/create_session.json")),
        )
        self.server.route(
            "/xrpc/com.atproto.repo.createRecord",
            json_reply({"uri": "at://did:plc:acme/app.bsky.feed.post/3", "cid": "c3"}),
        )
        replier = self.replier(BlueskyReplier, login="acme.example.com", password="pw")
        text = "Привет 🫖 see https://acme.example/help?id=1. Thanks"
        replier.reply(
            self.target(
                "bluesky",
                "at://did:plc:b/app.bsky.feed.post/2",
                cid="c2",
                root_external_id="at://did:plc:b/app.bsky.feed.post/2",
                root_cid="c2",
            ),
            text,
        )
        record = self.server.requests_to("/xrpc/com.atproto.repo.createRecord")[0]
        facets = record.json()["record"]["facets"]
        # "Привет 🫖 see " is 22 bytes in UTF-8; the final dot is not the link's.
        self.assertEqual(
            facets,
            [
                {
                    "index": {"byteStart": 22, "byteEnd": 52},
                    "features": [
                        {
                            "$type": "app.bsky.richtext.facet#link",
                            "uri": "https://acme.example/help?id=1",
                        }
                    ],
                }
            ],
        )
        # Refs stored at ingestion: no getPosts.
        self.assertFalse(self.server.requests_to("/xrpc/app.bsky.feed.getPosts"))
