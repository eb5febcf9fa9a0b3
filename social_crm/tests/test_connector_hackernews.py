import json
from datetime import datetime

from odoo.tests import tagged

from odoo.addons.social_crm.connectors import get_connector
from odoo.addons.social_crm.connectors.base import ParseError
from odoo.addons.social_crm.connectors.hackernews import (
    HackerNewsConnector,
    parse_search,
)

from .connector_common import ConnectorCase, fixture
from .http_server import Reply, json_reply

NOW = datetime(2024, 3, 6, 12, 0)
PATH = "/api/v1/search_by_date"


def page_reply(request):
    """Algolia's answer for the requested page."""
    name = {"0": "search_page0", "1": "search_page1"}[request.param("page")]
    return Reply(body=fixture(f"hackernews/{name}.json"))


@tagged("post_install", "-at_install")
class TestConnectorHackerNews(ConnectorCase):
    def connector(self):
        return HackerNewsConnector(
            self.client(), query="acme", base_url=self.server.base_url, page_size=2
        )

    def test_parse_story_and_comment(self):
        (comment, story), next_page = parse_search(
            fixture("hackernews/search_page0.json"), NOW
        )
        self.assertEqual(next_page, "1")
        self.assertEqual(comment.network, "hackernews")
        self.assertEqual(comment.external_id, "39612399")
        self.assertEqual(comment.url, "https://news.ycombinator.com/item?id=39612399")
        self.assertEqual(
            comment.content,
            "The Acme one is fine, but support is slow.\nMine took 3 weeks.",
        )
        self.assertEqual(comment.parent_external_id, "39612345")
        self.assertEqual(comment.posted_at, datetime(2024, 3, 5, 9, 0, 10))
        self.assertEqual(comment.author.external_id, "kettlehead")
        self.assertEqual(
            comment.author.profile_url,
            "https://news.ycombinator.com/user?id=kettlehead",
        )
        self.assertEqual(
            story.content,
            "Acme open-sources its kettle firmware\nhttps://acme.example.com/blog/firmware",
        )
        self.assertEqual((story.like_count, story.reply_count), (87, 12))
        self.assertEqual(story.parent_external_id, "")

    def test_pagination_within_a_run_then_since(self):
        self.server.route(PATH, page_reply)
        connector = self.connector()
        first = connector.fetch(None)
        self.assertEqual([p.external_id for p in first.posts], ["39612399", "39612345"])
        self.assertTrue(first.has_more)
        second = connector.fetch(first.cursor)
        self.assertEqual([p.external_id for p in second.posts], ["39600000"])
        self.assertFalse(second.has_more)
        self.assertEqual(json.loads(second.cursor), {"since": "1709629210"})
        first_request, second_request = self.server.requests_to(PATH)
        self.assertEqual(
            first_request.query,
            {
                "query": ["acme"],
                "tags": ["(story,comment)"],
                "hitsPerPage": ["2"],
                "page": ["0"],
            },
        )
        self.assertEqual(second_request.param("page"), "1")
        self.assertIsNone(second_request.param("numericFilters"))
        # The next run is bounded by the newest item seen.
        self.server.route(PATH, Reply(body=fixture("hackernews/search_empty.json")))
        empty = connector.fetch(second.cursor)
        self.assertEqual((empty.posts, empty.has_more), ([], False))
        self.assertEqual(empty.cursor, second.cursor)
        self.assertEqual(
            self.server.requests_to(PATH)[-1].param("numericFilters"),
            "created_at_i>=1709629210",
        )

    def test_errors(self):
        self.assertIs(get_connector("hackernews"), HackerNewsConnector)
        self.server.route(PATH, Reply(body=b'{"hits": [{"objectID": "1"'))
        with self.assertRaisesRegex(ParseError, "invalid JSON"):
            self.connector().fetch(None)
        self.server.route(
            PATH, Reply(status=500), json_reply({"hits": [], "nbPages": 0})
        )
        self.assertEqual(self.connector().fetch(None).posts, [])
        self.assertEqual(len(self.sleeps), 1)

    def test_comment_names_its_story(self):
        (show, ask, story), _next = parse_search(
            fixture("hackernews/search_comments.json"), NOW
        )
        self.assertEqual(
            show.thread_title, "Show HN: I benchmarked 40 electric kettles"
        )
        self.assertEqual(
            show.thread_url, "https://news.ycombinator.com/item?id=39700001"
        )
        self.assertEqual(show.thread_link_url, "https://kettles.example.org/benchmark")
        # It answers another comment, in that story.
        self.assertEqual(show.parent_external_id, "39700010")
        self.assertEqual(
            show.content, "We run Acme kettles in the office, no complaints."
        )
        # An Ask HN story has no URL of its own.
        self.assertEqual(ask.thread_title, "Ask HN: Which IoT platform do you use?")
        self.assertEqual(
            ask.thread_url, "https://news.ycombinator.com/item?id=39700002"
        )
        self.assertEqual(ask.thread_link_url, "")
        # A story is its own thread.
        self.assertEqual(
            (story.thread_title, story.thread_url, story.thread_link_url), ("", "", "")
        )
