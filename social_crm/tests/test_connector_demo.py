import json
import os
import tempfile
from datetime import datetime, timedelta

from odoo.tests import tagged

from odoo.addons.social_crm.connectors import get_connector
from odoo.addons.social_crm.connectors.base import ConnectorError, ParseError
from odoo.addons.social_crm.connectors.demo import (
    DEMO_DATASET,
    DemoConnector,
    parse_demo,
)

from .connector_common import FIXTURES, ConnectorCase, fixture

NOW = datetime(2024, 3, 6, 12, 0)
DATASET = os.path.join(FIXTURES, "demo", "mentions.json")


@tagged("post_install", "-at_install")
class TestConnectorDemo(ConnectorCase):
    def test_parse_demo(self):
        first, second, third = parse_demo(fixture("demo/mentions.json"), NOW)
        self.assertEqual(first.external_id, "demo-0001")
        self.assertEqual(first.network, "mastodon")
        self.assertEqual(first.posted_at, NOW - timedelta(hours=3.5))
        self.assertEqual(first.content, "My #acme kettle\nleaks already.")
        self.assertEqual((first.like_count, first.share_count), (17, 5))
        self.assertEqual(first.author.external_id, "demo-author-alice")
        self.assertEqual(first.author.followers_count, 1234)
        self.assertTrue(first.author.verified)
        # Each post keeps its own network, authors are shared.
        self.assertEqual(second.network, "hackernews")
        self.assertEqual(second.author.network, "hackernews")
        self.assertIs(third.author, first.author)
        self.assertEqual(third.parent_external_id, "demo-0001")

    def test_unknown_author_and_invalid_dataset(self):
        body = json.dumps(
            {"authors": [], "posts": [{"id": "p1", "network": "x", "author": "nobody"}]}
        ).encode()
        (post,) = parse_demo(body, NOW)
        self.assertIsNone(post.author)
        self.assertIn("nobody", post.warnings[0])
        with self.assertRaisesRegex(ParseError, "Invalid demo dataset"):
            parse_demo(b'{"posts": [{"network": "x"}]}', NOW)
        with self.assertRaises(ParseError):
            parse_demo(b"not json", NOW)

    def test_fetch_pages_through_the_dataset(self):
        connector = DemoConnector(None, base_url=DATASET, page_size=2)
        page = connector.fetch(None)
        self.assertEqual(
            [p.external_id for p in page.posts], ["demo-0001", "demo-0002"]
        )
        self.assertEqual((page.cursor, page.has_more), ("2", True))
        page = connector.fetch(page.cursor)
        self.assertEqual([p.external_id for p in page.posts], ["demo-0003"])
        self.assertEqual((page.cursor, page.has_more), ("3", False))
        page = connector.fetch(page.cursor)
        self.assertEqual((page.posts, page.cursor, page.has_more), ([], "3", False))
        # Offline: the local server saw nothing.
        self.assertEqual(self.server.requests, [])

    def test_bundled_dataset(self):
        self.assertIs(get_connector("demo"), DemoConnector)
        self.assertTrue(os.path.isfile(DEMO_DATASET))
        page = DemoConnector(None, page_size=1000).fetch(None)
        self.assertTrue(page.posts)
        self.assertFalse(page.has_more)
        networks = {post.network for post in page.posts}
        self.assertTrue(
            networks
            <= {"rss", "mastodon", "bluesky", "reddit", "hackernews", "x", "vk"}
        )
        self.assertTrue(all(post.author for post in page.posts))

    def test_refuses_urls_and_missing_files(self):
        with self.assertRaisesRegex(ConnectorError, "local file"):
            DemoConnector(None, base_url="https://example.com/data.json").fetch(None)
        missing = os.path.join(FIXTURES, "demo", "missing.json")
        with self.assertRaisesRegex(ConnectorError, "Cannot read"):
            DemoConnector(None, base_url=missing).fetch(None)

    def test_reads_no_file_outside_the_addon(self):
        """A manager's base URL cannot make the server read any file."""
        with tempfile.TemporaryDirectory() as tmp:
            outside = os.path.join(tmp, "mentions.json")
            with open(outside, "w", encoding="utf-8") as handle:
                json.dump({"authors": [], "posts": []}, handle)
            escaping = os.path.join(FIXTURES, "..", "..", "..", "..", "etc.json")
            for path in (outside, escaping, "/etc/passwd", "/etc/hostname"):
                with self.assertRaisesRegex(ConnectorError, "only reads the JSON"):
                    DemoConnector(None, base_url=path).fetch(None)
        # A symbolic link inside the addon pointing out of it is refused too.
        link = os.path.join(FIXTURES, "demo", "link_out.json")
        try:
            os.symlink("/etc/hostname", link)
        except OSError:
            self.skipTest("cannot create a symbolic link here")
        try:
            with self.assertRaisesRegex(ConnectorError, "only reads the JSON"):
                DemoConnector(None, base_url=link).fetch(None)
        finally:
            os.unlink(link)
