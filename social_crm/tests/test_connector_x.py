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
ORIGINAL = "1765990000000000100"
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
        self.assertEqual(
            set(first_request.param("expansions").split(",")),
            {"author_id", "referenced_tweets.id", "referenced_tweets.id.author_id"},
        )
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

    def test_text_is_unescaped_and_long_posts_whole(self):
        """X sends "&", "<" and ">" escaped; a note tweet's text is whole."""
        posts, _next = parse_search(fixture("x/search_retweets.json"), NOW)
        by_id = {post.external_id: post for post in posts}
        quote = by_id["1766000000000000400"]
        self.assertEqual(
            quote.content,
            "Acme quiet, Globex cheap -> told you so https://t.co/q1b2c3d4e5",
        )
        long_post = by_id["1766000000000000100"]
        self.assertTrue(
            long_post.content.startswith("Long review of the Acme kettle"),
            long_post.content,
        )
        # The part after the 280 characters of "text", unescaped.
        self.assertIn("replacement seal", long_post.content)
        self.assertTrue(
            long_post.content.endswith("below 60 < the Globex one."), long_post.content
        )
        self.assertIn("the lid & handle stay cool", long_post.content)
        self.assertNotIn("&amp;", long_post.content)
        self.assertNotIn("https://t.co/n0t3tw33t1", long_post.content)

    def test_retweets_unwrapped_to_their_original_once(self):
        posts, _next = parse_search(fixture("x/search_retweets.json"), NOW)
        ids = [post.external_id for post in posts]
        # Two retweets of the original, one post for it; no post per retweet.
        self.assertEqual(
            ids,
            [
                ORIGINAL,
                "1766000000000000400",
                "1766000000000000200",
                "1766000000000000100",
            ],
        )
        original = posts[0]
        self.assertEqual(
            original.content,
            "Acme & Globex kettles, compared: Acme wins on noise, Globex on price <3 "
            "Full review in the thread, with a table of boil times and prices "
            "https://t.co/r3v13w0001",
        )
        self.assertEqual(original.author.handle, "@kettlequeen")
        self.assertEqual(original.author.followers_count, 48000)
        self.assertTrue(original.author.verified)
        self.assertEqual(original.url, f"https://x.com/kettlequeen/status/{ORIGINAL}")
        self.assertEqual(original.posted_at, datetime(2024, 3, 6, 8, 0))
        # Its own metrics: the retweets are counted in share_count.
        self.assertEqual(
            (original.like_count, original.share_count, original.reply_count),
            (310, 25, 12),
        )
        self.assertEqual(original.warnings, [])
        handles = {post.author.handle for post in posts if post.author}
        self.assertNotIn("@rtfan", handles, "the retweeter is no author of a post")

    def test_retweet_of_a_missing_original_is_kept_with_a_warning(self):
        """A deleted or protected original: the retweet stands for it."""
        posts, _next = parse_search(fixture("x/search_retweets.json"), NOW)
        (kept,) = [p for p in posts if p.external_id == "1766000000000000200"]
        self.assertEqual(
            kept.content, "RT @gonegone: Acme refund took 3 months >:( never again"
        )
        self.assertEqual(kept.author.handle, "@boosty")
        self.assertEqual(kept.url, "https://x.com/boosty/status/1766000000000000200")
        (warning,) = kept.warnings
        self.assertIn("1765980000000000000", warning)
        self.assertIn("Not Found Error", warning)
        # Without the partial error the reason is a guess.
        data = json.loads(fixture("x/search_retweets.json"))
        del data["errors"]
        posts, _next = parse_search(data, NOW)
        (kept,) = [p for p in posts if p.external_id == "1766000000000000200"]
        self.assertIn("deleted or protected", kept.warnings[0])

    def test_quote_tweet_names_the_quoted_tweet(self):
        posts, _next = parse_search(fixture("x/search_retweets.json"), NOW)
        by_id = {post.external_id: post for post in posts}
        quote = by_id["1766000000000000400"]
        self.assertEqual(quote.quoted_external_id, ORIGINAL)
        self.assertEqual(quote.parent_external_id, "")
        self.assertEqual(quote.author.handle, "@acmewatch")
        self.assertEqual((quote.like_count, quote.share_count), (9, 2))
        self.assertEqual(by_id[ORIGINAL].quoted_external_id, "")
        # A reply is no quote.
        (reply_tweet, _deal), _next = parse_search(fixture("x/search_recent.json"), NOW)
        self.assertEqual(reply_tweet.quoted_external_id, "")

    def test_fetch_asks_for_referenced_tweets_and_anchors_on_the_results(self):
        self.server.route(PATH, reply("search_retweets"))
        page = self.connector().fetch(json.dumps({"since": "1765000000000000000"}))
        self.assertEqual(len(page.posts), 4)
        self.assertFalse(page.has_more)
        # The newest result is a retweet: its id, not its older original's
        # nor the newest post's (the quote), bounds the next run.
        self.assertEqual(json.loads(page.cursor), {"since": "1766000000000000500"})
        (request,) = self.server.requests_to(PATH)
        self.assertEqual(
            set(request.param("expansions").split(",")),
            {"author_id", "referenced_tweets.id", "referenced_tweets.id.author_id"},
        )
        fields = set(request.param("tweet.fields").split(","))
        self.assertLessEqual(
            {"author_id", "referenced_tweets", "note_tweet", "public_metrics"}, fields
        )
        self.assertEqual(request.param("since_id"), "1765000000000000000")
