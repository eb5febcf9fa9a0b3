import json
from datetime import datetime

from odoo.tests import BaseCase, tagged

from odoo.addons.social_crm.connectors import CONNECTORS, get_connector
from odoo.addons.social_crm.connectors.base import Connector, ConnectorError, RunCursor
from odoo.addons.social_crm.connectors.text import (
    date_or_now,
    from_timestamp,
    html_to_text,
    parse_date,
    to_int,
)

NOW = datetime(2024, 3, 6, 12, 0)


@tagged("post_install", "-at_install")
class TestConnectorBase(BaseCase):
    def test_registry(self):
        self.assertEqual(
            set(CONNECTORS),
            {"rss", "mastodon", "bluesky", "reddit", "hackernews", "x", "vk", "demo"},
        )
        for code, connector in CONNECTORS.items():
            self.assertTrue(issubclass(connector, Connector))
            self.assertEqual(connector.code, code)
            self.assertTrue(connector.label)
            if code != "demo":
                self.assertEqual(connector.network, code)
        with self.assertRaisesRegex(ConnectorError, "Unknown connector 'myspace'"):
            get_connector("myspace")

    def test_run_cursor(self):
        self.assertEqual(RunCursor.load(None), RunCursor())
        self.assertEqual(RunCursor.load("1765"), RunCursor(since="1765"))
        self.assertEqual(RunCursor.load("not json {"), RunCursor(since="not json {"))
        state = RunCursor(since="100")
        # Mid-run: the since bound stays, the newest anchor is remembered.
        cursor, has_more = state.advance(["120", "99", "1000"], "page-2", key=int)
        self.assertTrue(has_more)
        self.assertEqual(
            json.loads(cursor), {"since": "100", "page": "page-2", "newest": "1000"}
        )
        # Last page of the run: the newest anchor becomes the bound.
        cursor, has_more = RunCursor.load(cursor).advance(["150"], "", key=int)
        self.assertFalse(has_more)
        self.assertEqual(json.loads(cursor), {"since": "1000"})
        # Nothing new: the bound stays.
        self.assertEqual(state.advance([], "")[0], json.dumps({"since": "100"}))

    def test_html_to_text(self):
        self.assertEqual(html_to_text("<p>a</p><p>b<br>c</p>"), "a\nb\nc")
        self.assertEqual(html_to_text("one<p>two"), "one\ntwo")
        self.assertEqual(
            html_to_text("<style>p{}</style><script>x()</script>A &amp;  B"), "A & B"
        )
        self.assertEqual(html_to_text("plain   text"), "plain text")
        self.assertEqual(html_to_text(""), "")
        self.assertEqual(html_to_text("   "), "")

    def test_dates_and_numbers(self):
        self.assertEqual(
            parse_date("Tue, 05 Mar 2024 09:30:00 +0100"), datetime(2024, 3, 5, 8, 30)
        )
        self.assertEqual(
            parse_date("Mon, 04 Mar 2024 08:00:00 PST"), datetime(2024, 3, 4, 16, 0)
        )
        self.assertEqual(
            parse_date("2024-03-05T16:20:00.123Z"),
            datetime(2024, 3, 5, 16, 20, 0, 123000),
        )
        self.assertIsNone(parse_date("yesterday-ish"))
        self.assertIsNone(parse_date(None))
        warnings = []
        self.assertEqual(date_or_now("garbage", NOW, warnings), NOW)
        self.assertEqual(len(warnings), 1)
        self.assertEqual(from_timestamp(1709629210), datetime(2024, 3, 5, 9, 0, 10))
        self.assertIsNone(from_timestamp("x"))
        self.assertEqual((to_int("12"), to_int(None), to_int("x", 7)), (12, 0, 7))
