import json
import logging
from datetime import datetime

from odoo.tests import tagged

from odoo.addons.social_crm.connectors import get_connector
from odoo.addons.social_crm.connectors import http as http_module
from odoo.addons.social_crm.connectors.base import ConnectorError, RateLimited
from odoo.addons.social_crm.connectors.vk import VkConnector, parse_newsfeed

from .connector_common import ConnectorCase, fixture
from .http_server import Reply, json_reply

NOW = datetime(2024, 3, 6, 12, 0)
PATH = "/method/newsfeed.search"
TOKEN = "vk1.a.Secret_Token-Value_42"


def reply(name):
    return Reply(body=fixture(f"vk/{name}.json"))


@tagged("post_install", "-at_install")
class TestConnectorVk(ConnectorCase):
    def connector(self):
        return VkConnector(
            self.client(),
            query="acme",
            base_url=self.server.base_url,
            token=TOKEN,
            page_size=2,
        )

    def test_parse_profiles_and_groups(self):
        (user_post, group_post), next_from = parse_newsfeed(
            fixture("vk/newsfeed_search.json"), NOW
        )
        self.assertEqual(next_from, "2/-987654_77")
        self.assertEqual(user_post.external_id, "123456_4521")
        self.assertEqual(user_post.url, "https://vk.com/wall123456_4521")
        self.assertEqual(user_post.posted_at, datetime(2024, 3, 5, 14, 46, 40))
        self.assertEqual(
            (user_post.like_count, user_post.share_count, user_post.reply_count),
            (15, 2, 3),
        )
        self.assertEqual(user_post.author.external_id, "123456")
        self.assertEqual(user_post.author.name, "Иван Петров")
        self.assertEqual(user_post.author.followers_count, 340)
        self.assertEqual(group_post.external_id, "-987654_77")
        self.assertEqual(group_post.author.external_id, "-987654")
        self.assertEqual(group_post.author.name, "Кухонная техника")
        self.assertEqual(group_post.author.followers_count, 52000)
        self.assertEqual(group_post.author.profile_url, "https://vk.com/kitchen_tech")
        self.assertTrue(group_post.author.verified)

    def test_next_from_paging_and_start_time(self):
        self.server.route(PATH, reply("newsfeed_search"), reply("newsfeed_last"))
        connector = self.connector()
        first = connector.fetch("1709000000")
        self.assertTrue(first.has_more)
        second = connector.fetch(first.cursor)
        self.assertFalse(second.has_more)
        self.assertEqual(second.posts[0].author.profile_url, "https://vk.com/id555")
        self.assertEqual(json.loads(second.cursor), {"since": "1709650000"})
        first_request, second_request = self.server.requests_to(PATH)
        self.assertEqual(first_request.param("q"), "acme")
        self.assertEqual(first_request.param("v"), "5.199")
        self.assertEqual(first_request.param("extended"), "1")
        self.assertEqual(first_request.param("count"), "2")
        self.assertIn("followers_count,members_count", first_request.param("fields"))
        self.assertEqual(first_request.param("access_token"), TOKEN)
        self.assertEqual(first_request.param("start_time"), "1709000000")
        self.assertIsNone(first_request.param("start_from"))
        self.assertEqual(second_request.param("start_from"), "2/-987654_77")
        self.assertEqual(second_request.param("start_time"), "1709000000")

    def test_empty_page(self):
        self.server.route(PATH, json_reply({"response": {"items": [], "count": 0}}))
        page = self.connector().fetch(None)
        self.assertEqual((page.posts, page.has_more, page.cursor), ([], False, "{}"))

    def test_error_objects_with_http_200(self):
        self.server.route(PATH, reply("error_rate_limit"))
        with self.assertRaisesRegex(RateLimited, "Too many requests per second"):
            self.connector().fetch(None)
        self.server.route(PATH, reply("error_auth"))
        with self.assertRaisesRegex(ConnectorError, "VK error 5: User authorization"):
            self.connector().fetch(None)
        for code in (9, 29):
            with self.assertRaises(RateLimited):
                parse_newsfeed(json.dumps({"error": {"error_code": code}}).encode())

    def test_token_masked_in_errors_and_logs(self):
        echo = {"error": {"error_code": 100, "error_msg": f"bad param {TOKEN}"}}
        self.server.route(PATH, json_reply(echo))
        logger = logging.getLogger(http_module.__name__)
        with self.assertLogs(logger, logging.DEBUG) as logs:
            with self.assertRaises(ConnectorError) as caught:
                self.connector().fetch(None)
        self.assertIn("VK error 100", str(caught.exception))
        self.assertNotIn(TOKEN, str(caught.exception))
        self.assertNotIn(TOKEN, "\n".join(logs.output))
        self.assertIn("access_token=***", "\n".join(logs.output))
        self.assertIs(get_connector("vk"), VkConnector)
