import os
import tempfile
import time
from datetime import datetime

from odoo.tests import tagged

from odoo.addons.social_crm.connectors import get_connector
from odoo.addons.social_crm.connectors.base import ConnectorError, ParseError
from odoo.addons.social_crm.connectors.rss import RssConnector, parse_feed

from .connector_common import ConnectorCase, fixture
from .http_server import Reply

NOW = datetime(2024, 3, 6, 12, 0)

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>t</title>
<item><title>&lol9;</title><guid>1</guid></item></channel></rss>
"""


def xxe(path, encoding="utf-8"):
    text = f"""<?xml version="1.0" encoding="{encoding}"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{path}">]>
<rss version="2.0"><channel><title>t</title>
<item><title>leak</title><guid>1</guid><description>&xxe;</description></item>
</channel></rss>
"""
    return text.encode(encoding)


@tagged("post_install", "-at_install")
class TestConnectorRss(ConnectorCase):
    def test_rss2_namespaces_cdata_and_authors(self):
        posts = parse_feed(fixture("rss/rss2_blog.xml"), now=NOW)
        self.assertEqual(len(posts), 3)
        review, kettles, guide = posts
        self.assertEqual(review.network, "rss")
        self.assertEqual(review.external_id, "https://blog.example.com/?p=4182")
        self.assertEqual(
            review.url, "https://blog.example.com/2024/03/acme-grinder-pro-review/"
        )
        self.assertEqual(review.posted_at, datetime(2024, 3, 5, 9, 30))
        # content:encoded (CDATA) wins over description, HTML turned to text.
        self.assertEqual(
            review.content,
            "Acme Grinder Pro review: quiet, but the burrs wore out fast\n"
            "The Acme Grinder Pro is the quietest grinder we tested.\n"
            "Sadly the burrs wore out after\n"
            "three months & support never answered.\n"
            "Would not buy again.",
        )
        self.assertNotIn("tracking", review.content)
        self.assertIn("<strong>Acme Grinder Pro</strong>", review.content_html)
        self.assertEqual(review.author.name, "Jane Roaster")
        self.assertEqual(review.warnings, [])
        # RFC 822 with a US zone name; "email (Name)" author.
        self.assertEqual(kettles.posted_at, datetime(2024, 3, 4, 13, 0))
        self.assertEqual(kettles.author.external_id, "editor@example.com")
        self.assertEqual(kettles.author.name, "Sam Editor")
        # No guid: the link is the id; no author: the feed itself.
        self.assertEqual(guide.external_id, "https://blog.example.com/brew-guide/")
        self.assertEqual(guide.author.name, "Coffee Gear Weekly")
        self.assertEqual(guide.author.external_id, "https://blog.example.com")

    def test_broken_date_falls_back_to_fetch_time_with_warning(self):
        guide = parse_feed(fixture("rss/rss2_blog.xml"), now=NOW)[2]
        self.assertEqual(guide.posted_at, NOW)
        self.assertEqual(len(guide.warnings), 1)
        self.assertIn("sometime last spring", guide.warnings[0])

    def test_atom(self):
        recall, oss, plain = parse_feed(fixture("rss/atom_news.xml"), now=NOW)
        self.assertEqual(recall.external_id, "tag:news.example.org,2024:entry-17")
        self.assertEqual(recall.url, "https://news.example.org/acme-recall")
        # published wins over updated, converted to naive UTC.
        self.assertEqual(recall.posted_at, datetime(2024, 3, 5, 10, 45, 30))
        self.assertEqual(
            recall.content,
            "Acme recalls 2,000 kettles\n"
            "Acme is recalling 2,000 kettles.\nOwners should contact support.",
        )
        self.assertIn(
            "<p>Acme is recalling <b>2,000</b> kettles.</p>", recall.content_html
        )
        self.assertNotIn("xmlns", recall.content_html)
        self.assertEqual(
            recall.author.external_id, "https://news.example.org/authors/lee"
        )
        self.assertEqual(
            oss.content, "Acme <3 open source?\nAcme published its firmware."
        )
        self.assertEqual(oss.author.name, "Acme Watch")
        self.assertEqual(oss.posted_at, datetime(2024, 3, 4, 8, 0))
        self.assertEqual(plain.content_html, "<p>Acme &lt;kettles&gt; are fine.</p>")
        self.assertEqual(plain.posted_at, NOW)
        self.assertTrue(plain.warnings)

    def test_rss1_rdf(self):
        (post,) = parse_feed(fixture("rss/rss1_rdf.xml"), now=NOW)
        self.assertEqual(post.external_id, "https://planet.example.net/posts/acme-1")
        self.assertEqual(post.author.name, "Kim")
        self.assertEqual(post.posted_at, datetime(2024, 3, 1, 18, 0))

    def test_billion_laughs_refused_fast(self):
        started = time.monotonic()
        with self.assertRaisesRegex(ParseError, "declares entities"):
            parse_feed(BILLION_LAUGHS, now=NOW)
        self.assertLess(time.monotonic() - started, 1)

    def test_xxe_refused_without_reading_the_file(self):
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as secret:
            secret.write("TOP-SECRET-CONTENT")
        self.addCleanup(os.unlink, secret.name)
        # UTF-16 hides the declaration from the byte scan: the parsed DTD is
        # checked too.
        for encoding in ("utf-8", "utf-16"):
            with self.assertRaises(ParseError) as caught:
                parse_feed(xxe(secret.name, encoding), now=NOW)
            self.assertIn("declares entities", str(caught.exception))
            self.assertNotIn("TOP-SECRET", str(caught.exception))

    def test_not_a_feed(self):
        with self.assertRaisesRegex(ParseError, "Not an RSS or Atom feed"):
            parse_feed(b"<html><body>hi</body></html>", now=NOW)
        with self.assertRaisesRegex(ParseError, "Invalid XML"):
            parse_feed(b"<rss><channel><item>", now=NOW)

    def test_fetch_and_cursor(self):
        self.server.route(
            "/feed/",
            Reply(
                body=fixture("rss/rss2_blog.xml"), headers={"Content-Type": "text/xml"}
            ),
        )
        self.assertIs(get_connector("rss"), RssConnector)
        connector = RssConnector(self.client(), query=self.server.url("/feed/"))
        page = connector.fetch(None)
        self.assertEqual(len(page.posts), 3)
        self.assertFalse(page.has_more)
        # The newest parsed date, not the fetch time of the undated entry.
        self.assertEqual(page.cursor, "2024-03-05T09:30:00")
        (request,) = self.server.requests_to("/feed/")
        self.assertIn("application/rss+xml", request.headers["Accept"])
        # Re-fetch: only the undated entry comes back, the cursor stays.
        again = connector.fetch(page.cursor)
        self.assertEqual(
            [post.external_id for post in again.posts],
            ["https://blog.example.com/brew-guide/"],
        )
        self.assertEqual(again.cursor, "2024-03-05T09:30:00")
        # An older cursor lets the newer entries through.
        older = connector.fetch("2024-03-04T20:00:00")
        self.assertEqual(len(older.posts), 2)

    def test_fetch_empty_feed_and_errors(self):
        empty = b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>'
        self.server.route("/empty", Reply(body=empty + b"</channel></rss>"))
        connector = RssConnector(self.client(), base_url=self.server.url("/empty"))
        page = connector.fetch("2024-01-01T00:00:00")
        self.assertEqual((page.posts, page.cursor), ([], "2024-01-01T00:00:00"))
        self.server.route("/gone", Reply(status=404, body=b"no such feed"))
        with self.assertRaisesRegex(ConnectorError, "404"):
            RssConnector(self.client(), query=self.server.url("/gone")).fetch()
        with self.assertRaisesRegex(ConnectorError, "feed URL"):
            RssConnector(self.client()).fetch()
