import json
from datetime import datetime

from odoo.tests import tagged

from odoo.addons.social_crm.connectors import get_connector
from odoo.addons.social_crm.connectors.base import ConnectorError, RateLimited
from odoo.addons.social_crm.connectors.x import XConnector, parse_search

from .connector_common import ConnectorCase, fixture
from .http_server import Reply

NOW = datetime(2024, 3, 6, 12, 0)
PATH = "/2/tweets/search/recent"
TOKEN = "AAAAAAAAAAAAAAAAAAAAAbearer%2Ftoken"


def reply(name, **kwargs):
    return Reply(body=fixture(f"x/{name}.json"), **kwargs)


@tagged("post_install", "-at_install")
class TestConnectorX(ConnectorCase):
    def connector(self, token=TOKEN):
        return XConnector(
            self.client(),
            query="acme -is:retweet",
            base_url=self.server.base_url,
            token=token,
            page_size=10,
        )

    def test_parse_tweets_and_users(self):
        (reply_tweet, deal), next_token = parse_search(
            fixture("x/search_recent.json"), NOW
        )
        self.assertEqual(next_token, "b26v89c19zqg8o3fr5qevgxs9t3x4fvw6xsbfbiqt1hp")
        self.assertEqual(reply_tweet.external_id, "1765035123456789012")
        self.assertEqual(
            reply_tweet.url, "https://x.com/devperson/status/1765035123456789012"
        )
        self.assertEqual(reply_tweet.posted_at, datetime(2024, 3, 5, 15, 2, 11))
        self.assertEqual(reply_tweet.parent_external_id, "1765034098177654784")
        self.assertEqual(
            (reply_tweet.like_count, reply_tweet.share_count, reply_tweet.reply_count),
            (42, 11, 7),
        )
        self.assertEqual(reply_tweet.author.external_id, "2244994945")
        self.assertEqual(reply_tweet.author.handle, "@devperson")
        self.assertEqual(
            (reply_tweet.author.followers_count, reply_tweet.author.post_count),
            (530, 8800),
        )
        self.assertTrue(deal.author.verified)
        self.assertEqual(deal.parent_external_id, "")

    def test_next_token_within_a_run_then_since_id(self):
        self.server.route(PATH, reply("search_recent"), reply("search_last"))
        connector = self.connector()
        first = connector.fetch(json.dumps({"since": "1764000000000000000"}))
        self.assertTrue(first.has_more)
        second = connector.fetch(first.cursor)
        self.assertFalse(second.has_more)
        self.assertEqual(json.loads(second.cursor), {"since": "1765035123456789012"})
        first_request, second_request = self.server.requests_to(PATH)
        self.assertEqual(first_request.headers["Authorization"], f"Bearer {TOKEN}")
        self.assertEqual(first_request.param("query"), "acme -is:retweet")
        self.assertEqual(first_request.param("max_results"), "10")
        self.assertEqual(first_request.param("expansions"), "author_id")
        self.assertIn("public_metrics", first_request.param("tweet.fields"))
        self.assertIn("username", first_request.param("user.fields"))
        self.assertEqual(first_request.param("since_id"), "1764000000000000000")
        self.assertIsNone(first_request.param("next_token"))
        self.assertEqual(second_request.param("since_id"), "1764000000000000000")
        self.assertEqual(
            second_request.param("next_token"),
            "b26v89c19zqg8o3fr5qevgxs9t3x4fvw6xsbfbiqt1hp",
        )

    def test_empty_page_keeps_cursor(self):
        self.server.route(PATH, reply("search_empty"))
        page = self.connector().fetch("1765035123456789012")
        self.assertEqual((page.posts, page.has_more), ([], False))
        self.assertEqual(json.loads(page.cursor), {"since": "1765035123456789012"})

    def test_rate_limit_reset_and_errors(self):
        self.server.route(
            PATH,
            Reply(status=429, headers={"x-rate-limit-reset": "9999999999"}),
        )
        with self.assertRaises(RateLimited) as caught:
            self.connector().fetch(None)
        self.assertGreater(caught.exception.retry_after, 60)
        self.assertEqual(self.sleeps, [])
        self.server.route(PATH, reply("error_invalid_query", status=400))
        with self.assertRaises(ConnectorError) as caught:
            self.connector().fetch(None)
        self.assertIn("400", str(caught.exception))
        self.assertNotIn(TOKEN, str(caught.exception))
        with self.assertRaisesRegex(ConnectorError, "Ambiguous use of or"):
            parse_search(fixture("x/error_invalid_query.json"))
        with self.assertRaisesRegex(ConnectorError, "bearer token"):
            self.connector(token="").fetch(None)
        self.assertIs(get_connector("x"), XConnector)
