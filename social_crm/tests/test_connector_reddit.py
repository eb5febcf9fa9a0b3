import base64
import json
from datetime import datetime

from odoo.tests import tagged

from odoo.addons.social_crm.connectors import get_connector
from odoo.addons.social_crm.connectors.base import ConnectorError
from odoo.addons.social_crm.connectors.reddit import (
    DEFAULT_TOKEN_URL,
    RedditConnector,
    markdown_to_text,
    parse_listing,
    parse_query,
)

from .connector_common import ConnectorCase, fixture
from .http_server import Reply, json_reply

NOW = datetime(2024, 3, 6, 12, 0)
CLIENT_ID = "p-jcoLKBynTLew"
SECRET = "gko_LXELoV07ZBNUXrvWZfzE3aI"
ACCESS = json.loads(fixture("reddit/access_token.json"))["access_token"]


def reply(name):
    return Reply(body=fixture(f"reddit/{name}.json"))


@tagged("post_install", "-at_install")
class TestConnectorReddit(ConnectorCase):
    def connector(self, secret=SECRET, query="acme"):
        return RedditConnector(
            self.client(),
            query=query,
            base_url=self.server.base_url,
            login=CLIENT_ID,
            token=secret,
            page_size=2,
        )

    def test_parse_links_and_comments(self):
        (question, kettle), after = parse_listing(
            fixture("reddit/search_page1.json"), NOW
        )
        self.assertEqual(after, "t3_1b6w9aa")
        self.assertEqual(question.external_id, "t3_1b6x2yz")
        self.assertEqual(
            question.url,
            "https://www.reddit.com/r/Coffee/comments/1b6x2yz/acme_grinder_burrs_wearing_out/",
        )
        self.assertEqual(
            question.content,
            "Acme grinder burrs wearing out?\n"
            "Bought the Acme grinder last month & the burrs are already dull.",
        )
        self.assertIn('<div class="md">', question.content_html)
        self.assertEqual(question.posted_at, datetime(2024, 3, 5, 12, 0))
        self.assertEqual((question.like_count, question.reply_count), (23, 14))
        self.assertEqual(question.author.external_id, "t2_8xk2m")
        self.assertEqual(question.author.handle, "u/beanbrain")
        self.assertEqual(kettle.content, "Acme kettle, 10 years and counting")
        (comment, *_rest), _after = parse_listing(
            fixture("reddit/search_page2.json"), NOW
        )
        self.assertEqual(comment.external_id, "t1_kt0abcd")
        self.assertEqual(comment.parent_external_id, "t3_1b6x2yz")
        self.assertEqual(comment.content, "Acme support fixed mine in a week.")
        self.assertIsNone(comment.author)  # [deleted]

    def test_oauth_then_pages_until_the_last_seen_post(self):
        self.server.route("/api/v1/access_token", reply("access_token"))
        self.server.route("/search", reply("search_page1"), reply("search_page2"))
        connector = self.connector()
        first = connector.fetch(json.dumps({"since": "t3_1b5zzzz"}))
        self.assertTrue(first.has_more)
        second = connector.fetch(first.cursor)
        # Stops before the post seen by the previous run.
        self.assertEqual([p.external_id for p in second.posts], ["t1_kt0abcd"])
        self.assertFalse(second.has_more)
        self.assertEqual(json.loads(second.cursor), {"since": "t3_1b6x2yz"})
        (auth,) = self.server.requests_to("/api/v1/access_token")
        self.assertEqual(auth.method, "POST")
        self.assertEqual(auth.form(), {"grant_type": "client_credentials"})
        basic = base64.b64encode(f"{CLIENT_ID}:{SECRET}".encode()).decode()
        self.assertEqual(auth.headers["Authorization"], f"Basic {basic}")
        first_request, second_request = self.server.requests_to("/search")
        self.assertEqual(first_request.headers["Authorization"], f"Bearer {ACCESS}")
        self.assertRegex(
            first_request.headers["User-Agent"], r"^server:social_crm:18\.0"
        )
        self.assertEqual(first_request.param("q"), "acme")
        self.assertEqual(first_request.param("sort"), "new")
        self.assertEqual(first_request.param("limit"), "2")
        self.assertIsNone(first_request.param("after"))
        self.assertEqual(second_request.param("after"), "t3_1b6w9aa")

    def test_query_names_terms_and_subreddits(self):
        self.assertEqual(parse_query("acme"), (["acme"], ""))
        self.assertEqual(
            parse_query('"acme router" OR acmecloud'),
            (["acme router", "acmecloud"], ""),
        )
        self.assertEqual(parse_query("r/AcmeSupport"), ([], "AcmeSupport"))
        self.assertEqual(
            parse_query("acme acmecloud r/gadgets+smarthome /r/Coffee"),
            (["acme", "acmecloud"], "gadgets+smarthome+Coffee"),
        )

    def test_subreddit_comments_naming_the_terms(self):
        """Comments come from the subreddits' stream, filtered on the terms."""
        self.server.route("/api/v1/access_token", reply("access_token"))
        path = "/r/gadgets+BuyItForLife/comments"
        self.server.route(path, reply("comments_page1"), reply("comments_page2"))
        connector = self.connector(query="acme acmecloud r/gadgets+BuyItForLife")
        first = connector.fetch(json.dumps({"since": "t1_kv3b999"}))
        # "Go with anything that runs OpenWrt." names no term.
        self.assertEqual(
            [p.external_id for p in first.posts], ["t1_kv3c001", "t1_kv3c003"]
        )
        self.assertTrue(first.has_more)
        mesh = first.posts[0]
        self.assertEqual(
            mesh.content, "My AcmeCloud mesh drops every evening, support is useless"
        )
        self.assertEqual(mesh.parent_external_id, "t3_1b7r0ut")
        self.assertEqual(
            mesh.url,
            "https://www.reddit.com/r/gadgets/comments/1b7r0ut/"
            "what_router_do_you_all_use/kv3c001/",
        )
        self.assertEqual(mesh.author.handle, "u/routerfan")
        self.assertEqual(mesh.like_count, 12)
        second = connector.fetch(first.cursor)
        # "acmecloudy" is not the word acmecloud; the walk stops at the
        # comment the previous run saw first.
        self.assertEqual([p.external_id for p in second.posts], ["t1_kv3c005"])
        self.assertFalse(second.has_more)
        self.assertEqual(json.loads(second.cursor), {"since": "t1_kv3c001"})
        first_request, second_request = self.server.requests_to(path)
        self.assertEqual(first_request.headers["Authorization"], f"Bearer {ACCESS}")
        self.assertEqual(first_request.param("limit"), "2")
        self.assertIsNone(first_request.param("q"))
        self.assertEqual(second_request.param("after"), "t1_kv3c003")
        self.assertEqual(self.server.requests_to("/search"), [])

    def test_comments_missing_the_terms_still_move_the_cursor(self):
        self.server.route("/api/v1/access_token", reply("access_token"))
        self.server.route("/r/gadgets/comments", reply("comments_page1"))
        page = self.connector(query="zorblax r/gadgets").fetch(None)
        self.assertEqual(page.posts, [])
        self.assertTrue(page.has_more, "an empty page, the stream goes on")
        self.assertEqual(
            json.loads(page.cursor), {"newest": "t1_kv3c001", "page": "t1_kv3c003"}
        )
        # Without terms every comment of the subreddit is a mention.
        self.server.route("/r/AcmeSupport/comments", reply("comments_page1"))
        page = self.connector(query="r/AcmeSupport").fetch(None)
        self.assertEqual(len(page.posts), 3)

    def test_empty_listing(self):
        self.server.route("/api/v1/access_token", reply("access_token"))
        self.server.route(
            "/search",
            json_reply({"kind": "Listing", "data": {"after": None, "children": []}}),
        )
        page = self.connector().fetch("t3_1b6x2yz")
        self.assertEqual((page.posts, page.has_more), ([], False))
        self.assertEqual(json.loads(page.cursor), {"since": "t3_1b6x2yz"})

    def test_bad_credentials_do_not_leak(self):
        self.server.route(
            "/api/v1/access_token",
            json_reply({"message": "Unauthorized", "error": 401}, 401),
        )
        with self.assertRaises(ConnectorError) as caught:
            self.connector().fetch(None)
        self.assertIn("401", str(caught.exception))
        self.assertNotIn(SECRET, str(caught.exception))
        self.assertEqual(self.server.requests_to("/search"), [])
        with self.assertRaisesRegex(ConnectorError, "client id"):
            self.connector(secret="").fetch(None)

    def test_default_hosts(self):
        self.assertIs(get_connector("reddit"), RedditConnector)
        connector = RedditConnector(None)
        self.assertEqual(connector.base_url, "https://oauth.reddit.com")
        self.assertEqual(connector.token_url, DEFAULT_TOKEN_URL)
        self.assertEqual(
            self.connector().token_url, f"{self.server.base_url}/api/v1/access_token"
        )

    def test_content_is_the_text_of_reddit_html(self):
        """Not the Markdown source: Reddit's rendering, read as text."""
        (faq, recall), _after = parse_listing(
            fixture("reddit/comments_markdown.json"), NOW
        )
        self.assertEqual(
            faq.content, "Acme support: see the FAQ, tip #1 & only: descale monthly <3"
        )
        # raw_json=1: body_html is HTML already, its "&lt;" is text.
        self.assertEqual(
            faq.content_html,
            '<div class="md"><p><strong>Acme</strong> support: see '
            '<a href="https://acme.example.com/faq">the FAQ</a>, tip #1 &amp; '
            "only: descale monthly &lt;3</p>\n</div>",
        )
        # No body_html: a light reading of the Markdown.
        self.assertEqual(
            recall.content,
            "the seal melts\n"
            "Same here\n"
            "Acme said two weeks, it took four six\n"
            "see their page and K2-SEAL\n"
            "Snake_case_names stay, *stars* too & so does 2 * 3 * 4",
        )
        self.assertEqual(recall.content_html, "")

    def test_escaped_html_is_unescaped_once(self):
        """Without raw_json=1 Reddit escapes its HTML once more."""
        (fryer,), _after = parse_listing(fixture("reddit/search_escaped.json"), NOW)
        self.assertEqual(
            fryer.content,
            "Acme fryer and frozen fish\nFish & chips in the Acme fryer: <3 minutes",
        )
        self.assertEqual(
            fryer.content_html,
            '<!-- SC_OFF --><div class="md"><p>Fish &amp; chips in the '
            "<strong>Acme</strong> fryer: &lt;3 minutes</p>\n</div><!-- SC_ON -->",
        )

    def test_markdown_to_text(self):
        self.assertEqual(markdown_to_text(""), "")
        self.assertEqual(
            markdown_to_text("***Both*** and __strong__ _em_ ^(small) ^up >!spoiler!<"),
            "Both and strong em small up spoiler",
        )
        self.assertEqual(
            markdown_to_text(
                "\\#1 \\[not a link\\](x) ![img](https://i.redd.it/a.png)"
            ),
            "#1 [not a link](x) img",
        )
        self.assertEqual(
            markdown_to_text(
                "|Model|Price|\n|:-|-:|\n|K2|59|\n\n---\n1. one &amp;#x200B;"
            ),
            "Model Price\nK2 59\none &#x200B;",
        )

    def test_reply_counts(self):
        """A comment's num_comments is its post's: not the comment's replies."""

        def thing(kind, name, **data):
            return {"kind": kind, "data": {"name": name, "created_utc": 1.7e9, **data}}

        listing = {
            "kind": "Listing",
            "data": {
                "after": None,
                "children": [
                    thing("t3", "t3_post", title="Acme", num_comments=6707),
                    thing("t1", "t1_flat", body="a", num_comments=6707, replies=""),
                    thing("t1", "t1_bare", body="b", num_comments=6707),
                    thing(
                        "t1",
                        "t1_tree",
                        body="c",
                        num_comments=6707,
                        replies={
                            "kind": "Listing",
                            "data": {
                                "children": [
                                    thing("t1", "t1_r1", body="r1"),
                                    thing("t1", "t1_r2", body="r2"),
                                    # Three more replies, not loaded.
                                    thing("more", "t1_more", children=["x", "y", "z"]),
                                ]
                            },
                        },
                    ),
                ],
            },
        }
        posts, _after = parse_listing(json.dumps(listing).encode(), NOW)
        self.assertEqual(
            [(post.external_id, post.reply_count) for post in posts],
            [("t3_post", 6707), ("t1_flat", 0), ("t1_bare", 0), ("t1_tree", 5)],
        )

    def test_comment_names_its_post(self):
        (faq, recall), _after = parse_listing(
            fixture("reddit/comments_markdown.json"), NOW
        )
        self.assertEqual(faq.thread_title, "Acme kettle died after a year")
        self.assertEqual(
            faq.thread_url,
            "https://www.reddit.com/r/BuyItForLife/comments/1b8acme/"
            "acme_kettle_died_after_a_year/",
        )
        # A self post links to itself: no other page.
        self.assertEqual(faq.thread_link_url, "")
        # No link_permalink: the post's short URL; a link post's own link.
        self.assertEqual(recall.thread_title, "Acme recalls the K2 kettle")
        self.assertEqual(
            recall.thread_url, "https://www.reddit.com/comments/1b8recall/"
        )
        self.assertEqual(recall.thread_link_url, "https://acme.example.com/recall/k2")
        (post, _kettle), _after = parse_listing(
            fixture("reddit/search_page1.json"), NOW
        )
        self.assertEqual((post.thread_title, post.thread_url), ("", ""))

    def test_comment_without_permalink_gets_its_url_from_link_and_id(self):
        (faq, recall), _after = parse_listing(
            fixture("reddit/comments_markdown.json"), NOW
        )
        self.assertEqual(faq.url, "https://www.reddit.com/comments/1b8acme/_/kv9d001/")
        self.assertEqual(
            recall.url, "https://www.reddit.com/comments/1b8recall/_/kv9d002/"
        )
        self.assertEqual(recall.parent_external_id, "t1_kv9c999")

    def test_subreddit_comments_are_read_as_text_over_http(self):
        """The terms are matched on the text, not on the Markdown."""
        self.server.route("/api/v1/access_token", reply("access_token"))
        path = "/r/BuyItForLife/comments"
        self.server.route(path, reply("comments_markdown"))
        page = self.connector(query='"acme support" r/BuyItForLife').fetch(None)
        # "**Acme** support" in the Markdown source: only its text names the term.
        self.assertEqual([p.external_id for p in page.posts], ["t1_kv9d001"])
        (request,) = self.server.requests_to(path)
        self.assertEqual(request.param("raw_json"), "1")
