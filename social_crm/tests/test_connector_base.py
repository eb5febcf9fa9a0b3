import json
import re
from datetime import datetime
from unittest.mock import patch

from odoo.tests import BaseCase, tagged

from odoo.addons.social_crm.connectors import CONNECTORS, get_connector, text
from odoo.addons.social_crm.connectors.base import Connector, ConnectorError, RunCursor
from odoo.addons.social_crm.connectors.text import (
    date_or_now,
    from_timestamp,
    html_to_text,
    normalize_space,
    parse_date,
    to_int,
)

NOW = datetime(2024, 3, 6, 12, 0)


class Python310Datetime(datetime):
    """``datetime`` as Python 3.10 has it: ``fromisoformat`` takes only what
    ``isoformat`` writes (no ``Z``, fractions of 3 or 6 digits only)."""

    _ISOFORMAT = re.compile(
        r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{3}|\.\d{6})?)?"
        r"(?:[+-]\d{2}:\d{2})?)?\Z"
    )

    @classmethod
    def fromisoformat(cls, value):
        if not cls._ISOFORMAT.match(value):
            raise ValueError(f"Invalid isoformat string: {value!r}")
        return super().fromisoformat(value)


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

    def test_c1_controls_read_as_windows_1252(self):
        """Windows-1252 code points read as Latin-1 (raw or ``&#146;``)."""
        self.assertEqual(html_to_text("<p>don&#146;t</p>"), "don\u2019t")
        self.assertEqual(
            html_to_text("\x93Acme\x94 \x96 don\x92t"),
            "\u201cAcme\u201d \u2013 don\u2019t",
        )
        # U+0085 is a line break to str.splitlines(): an ellipsis was meant.
        self.assertEqual(normalize_space("wait\x85what"), "wait\u2026what")
        # Undefined in windows-1252: kept.
        self.assertEqual(normalize_space("a\x81b\x9db"), "a\x81b\x9db")
        # UTF-8 read as Latin-1 ("…" as &#226;&#128;&#166;) is read as UTF-8.
        self.assertEqual(html_to_text("Wait&#226;&#128;&#166;"), "Wait\u2026")
        # Not when the whole text is no such UTF-8 (the "é" is Latin-1).
        self.assertEqual(html_to_text("caf\xe9 \xe2\x82\xac"), "caf\xe9 \xe2\u201a\xac")

    def test_svg_hidden_text_is_dropped(self):
        html = (
            '<p>Before</p><svg xmlns="http://www.w3.org/2000/svg"><title>Tip</title>'
            "<metadata><rdf:RDF><dc:title>Tree</dc:title></rdf:RDF></metadata>"
            "<text>Label</text></svg> after <svg:svg><svg:title>T</svg:title>"
            "</svg:svg><p>End</p>"
        )
        self.assertEqual(html_to_text(html), "Before\nLabel after\nEnd")
        # Only inside an SVG; its description is read, as feedparser does.
        self.assertEqual(
            html_to_text("<svg><desc>A tree</desc></svg> <metadata>Not SVG</metadata>"),
            "A tree Not SVG",
        )

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

    def test_api_dates_whatever_the_python_version(self):
        """The API date forms parse alike on Python 3.10 to 3.12.

        Whatever Python runs this test, ``datetime`` in the connectors' text
        module is replaced by one whose ``fromisoformat`` is as strict as
        3.10's, so that relying on 3.11's looser one shows here.
        """
        cases = {
            # Mastodon, Bluesky, X: UTC with a Z, milliseconds
            "2024-03-05T16:20:00.123Z": datetime(2024, 3, 5, 16, 20, 0, 123000),
            "2024-03-05T16:20:00Z": datetime(2024, 3, 5, 16, 20),
            # short and long fractions
            "2024-03-05T16:20:00.5Z": datetime(2024, 3, 5, 16, 20, 0, 500000),
            "2024-03-05T16:20:00.123456789Z": datetime(2024, 3, 5, 16, 20, 0, 123456),
            # offsets, with and without a colon
            "2024-03-05T16:20:00+05:30": datetime(2024, 3, 5, 10, 50),
            "2024-03-05T16:20:00.25-0800": datetime(2024, 3, 6, 0, 20, 0, 250000),
            # a leap second is the last second of its minute
            "2016-12-31T23:59:60Z": datetime(2016, 12, 31, 23, 59, 59),
            # no offset: taken as UTC
            "2024-03-05T16:20:00": datetime(2024, 3, 5, 16, 20),
        }
        with patch.object(text, "datetime", Python310Datetime):
            for value, expected in cases.items():
                with self.subTest(value=value):
                    self.assertEqual(text.parse_date(value), expected)
            self.assertIsNone(text.parse_date("2024-02-30T10:00:00Z"))
        warnings = []
        self.assertEqual(date_or_now("garbage", NOW, warnings), NOW)
        self.assertEqual(len(warnings), 1)
        self.assertEqual(from_timestamp(1709629210), datetime(2024, 3, 5, 9, 0, 10))
        self.assertIsNone(from_timestamp("x"))
        self.assertEqual((to_int("12"), to_int(None), to_int("x", 7)), (12, 0, 7))
