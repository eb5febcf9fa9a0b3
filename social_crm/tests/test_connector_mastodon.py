import json
from datetime import datetime

from odoo.tests import tagged

from odoo.addons.social_crm.connectors import get_connector
from odoo.addons.social_crm.connectors.base import ConnectorError, ParseError
from odoo.addons.social_crm.connectors.mastodon import (
    MastodonConnector,
    parse_notifications,
    parse_statuses,
)

from .connector_common import ConnectorCase, fixture
from .http_server import Reply, json_reply

NOW = datetime(2024, 3, 6, 12, 0)
TOKEN = "mastodon-user-token-123"


def payload(name):
    return json.loads(fixture(f"mastodon/{name}"))


@tagged("post_install", "-at_install")
class TestConnectorMastodon(ConnectorCase):
    def connector(self, query, token=""):
        return MastodonConnector(
            self.client(),
            query=query,
            base_url=self.server.base_url,
            token=token,
            page_size=2,
        )

    def test_parse_status_and_account(self):
        alice, carl = parse_statuses(
            payload("tag_timeline.json"), NOW, "mastodon.social"
        )
        self.assertEqual(alice.network, "mastodon")
        self.assertEqual(
            alice.external_id,
            "https://fosstodon.org/users/alice/statuses/112034567890123400",
        )
        self.assertEqual(alice.url, "https://fosstodon.org/@alice/112034567890123400")
        self.assertEqual(
            alice.content,
            "Just got my #acme kettle and it leaks already.\nSupport, @acme ?",
        )
        self.assertIn("<p>Just got my", alice.content_html)
        self.assertEqual(alice.posted_at, datetime(2024, 3, 5, 9, 12, 45))
        self.assertEqual(
            (alice.like_count, alice.share_count, alice.reply_count), (17, 5, 2)
        )
        self.assertEqual(alice.lang, "en")
        author = alice.author
        self.assertEqual(author.external_id, "https://fosstodon.org/@alice")
        self.assertEqual(author.handle, "@alice@fosstodon.org")
        self.assertEqual(author.name, "Alice Liddell")
        self.assertEqual(author.bio, "Tea person. Writes about #coffee gear.")
        self.assertEqual(
            (author.followers_count, author.following_count, author.post_count),
            (1234, 321, 4567),
        )
        self.assertTrue(author.verified)
        self.assertFalse(author.bot)
        # The reblog is unwrapped: the original status and author, url from uri.
        self.assertEqual(
            carl.external_id, "https://chaos.social/users/carl/statuses/111999"
        )
        self.assertEqual(carl.url, carl.external_id)
        self.assertEqual(
            carl.content, "kettle rant\nDer #acme Wasserkocher pfeift.\nImmer."
        )
        self.assertEqual(carl.lang, "de")
        self.assertEqual(carl.author.name, "carl")
        self.assertEqual(carl.author.handle, "@carl@chaos.social")
        self.assertTrue(carl.author.bot)
        self.assertFalse(carl.author.verified)

    def test_replies_name_the_parents_seen(self):
        """A reply's parent (a local id) becomes the parent's uri when seen."""
        (alice, _carl) = payload("tag_timeline.json")

        def status(local_id, reply_to=None):
            return {
                **alice,
                "id": local_id,
                "uri": f"https://fosstodon.org/users/alice/statuses/{local_id}",
                "in_reply_to_id": reply_to,
            }

        # Newest first: the replies come before their parent.
        page = [status("30", reply_to="10"), status("20", reply_to="999"), status("10")]
        reply, orphan, parent = parse_statuses(page, NOW, "mastodon.social")
        self.assertEqual(reply.parent_external_id, parent.external_id)
        self.assertEqual(orphan.parent_external_id, "", "parent never seen")
        self.assertEqual(parent.parent_external_id, "")

        # Across the pages of a run: the parent came in the page before.
        self.server.route(
            "/api/v1/timelines/tag/acme",
            json_reply([status("10")]),
            json_reply([status("40", reply_to="10")]),
        )
        connector = self.connector("#acme")
        connector.page_size = 1
        first = connector.fetch(None)
        (later_reply,) = connector.fetch(first.cursor).posts
        self.assertEqual(
            later_reply.parent_external_id,
            "https://fosstodon.org/users/alice/statuses/10",
        )

    def test_parse_notifications_keeps_mentions(self):
        body = fixture("mastodon/notifications.json")
        (post,) = parse_notifications(body, NOW, "mastodon.social")
        self.assertEqual(post.content, "@acme when does the new grinder ship?")
        # A local account gets the instance in its handle.
        self.assertEqual(post.author.handle, "@bob@mastodon.social")
        self.assertEqual(post.author.bio, "Local user")

    def test_hashtag_timeline_without_token(self):
        self.server.route(
            "/api/v1/timelines/tag/acme", json_reply(payload("tag_timeline.json"))
        )
        page = self.connector("#acme").fetch(None)
        self.assertEqual(len(page.posts), 2)
        self.assertEqual(page.cursor, "112034567890123459")
        self.assertTrue(page.has_more)  # a full page: there may be more
        (request,) = self.server.requests_to("/api/v1/timelines/tag/acme")
        self.assertEqual(request.query, {"limit": ["2"]})
        self.assertNotIn("Authorization", request.headers)

    def test_min_id_cursor_and_empty_page(self):
        self.server.route("/api/v1/timelines/tag/acme", json_reply([]))
        page = self.connector("acme").fetch("112034567890123459")
        self.assertEqual(page.posts, [])
        self.assertEqual(page.cursor, "112034567890123459")
        self.assertFalse(page.has_more)
        (request,) = self.server.requests
        self.assertEqual(request.param("min_id"), "112034567890123459")

    def test_cursor_compares_ids_as_integers(self):
        statuses = payload("tag_timeline.json")
        statuses[0]["id"], statuses[1]["id"] = "99", "100"
        self.server.route("/api/v1/timelines/tag/acme", json_reply(statuses))
        self.assertEqual(self.connector("#acme").fetch("98").cursor, "100")

    def test_mentions_with_token_use_link_header(self):
        url = self.server.url("/api/v1/notifications")
        link = (
            f'<{url}?max_id=34975850>; rel="next", <{url}?min_id=34975861>; rel="prev"'
        )
        self.server.route(
            "/api/v1/notifications",
            json_reply(payload("notifications.json"), headers={"Link": link}),
        )
        page = self.connector("@acme", token=TOKEN).fetch("34975800")
        self.assertEqual(
            [p.author.handle for p in page.posts], ["@bob@mastodon.social"]
        )
        self.assertEqual(page.cursor, "34975861")
        (request,) = self.server.requests
        self.assertEqual(request.headers["Authorization"], f"Bearer {TOKEN}")
        self.assertEqual(request.query["types[]"], ["mention"])
        self.assertEqual(request.param("min_id"), "34975800")

    def test_mentions_need_a_token(self):
        with self.assertRaisesRegex(ConnectorError, "access token"):
            self.connector("").fetch(None)
        self.assertEqual(self.server.requests, [])

    def test_search_with_token(self):
        self.server.route("/api/v2/search", json_reply(payload("search_v2.json")))
        page = self.connector("acme grinder", token=TOKEN).fetch(None)
        self.assertEqual(page.posts[0].content, "Acme grinder arrived, looks great")
        self.assertEqual(page.cursor, "112034567890300000")
        self.assertFalse(page.has_more)
        (request,) = self.server.requests
        self.assertEqual(request.param("q"), "acme grinder")
        self.assertEqual(request.param("type"), "statuses")
        self.assertEqual(request.headers["Authorization"], f"Bearer {TOKEN}")

    def test_errors_do_not_leak_the_token(self):
        self.server.route(
            "/api/v2/search",
            json_reply({"error": "The access token is invalid"}, status=401),
        )
        with self.assertRaises(ConnectorError) as caught:
            self.connector("acme", token=TOKEN).fetch(None)
        self.assertIn("401", str(caught.exception))
        self.assertNotIn(TOKEN, str(caught.exception))
        self.server.route(
            "/api/v1/timelines/tag/acme", Reply(body=b"<html>Bad gateway</html>")
        )
        with self.assertRaisesRegex(ParseError, "HTML"):
            self.connector("#acme").fetch(None)

    def test_registry(self):
        self.assertIs(get_connector("mastodon"), MastodonConnector)
