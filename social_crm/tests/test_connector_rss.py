import os
import tempfile
import time
from datetime import datetime

from odoo.tests import tagged

from odoo.addons.social_crm.connectors import get_connector
from odoo.addons.social_crm.connectors.base import ConnectorError, ParseError
from odoo.addons.social_crm.connectors.rss import RssConnector, parse_feed

from .connector_common import ConnectorCase, fixture
from .http_server import Reply, redirect

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

    # Relative links and xml:base

    def test_fetch_resolves_relative_links_against_the_final_url(self):
        # Financial Times style: links relative to the site, and one relative
        # to the feed's own directory, served after a redirect.
        feed = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Companies</title><link>/companies</link>
<item><title>Acme shares fall after kettle recall</title>
<link>/content/1f2e3d4c-4a5b-9c8d-123456789abc</link>
<guid isPermaLink="false">1f2e3d4c-4a5b-9c8d-123456789abc</guid>
<pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate></item>
<item><title>Analysis: what went wrong at Acme</title>
<link>analysis/acme-kettles?page=1</link>
<pubDate>Tue, 05 Mar 2024 11:00:00 GMT</pubDate></item>
<item xml:base="../archive/"><title>From the archive</title><link>2019/acme.html</link>
<pubDate>Tue, 05 Mar 2024 12:00:00 GMT</pubDate></item>
</channel></rss>"""
        self.server.route("/old/feed", redirect("/feeds/ft/rss"))
        self.server.route(
            "/feeds/ft/rss",
            Reply(body=feed, headers={"Content-Type": "application/rss+xml"}),
        )
        connector = RssConnector(self.client(), query=self.server.url("/old/feed"))
        shares, analysis, archive = connector.fetch(None).posts
        self.assertEqual(
            shares.url, self.server.url("/content/1f2e3d4c-4a5b-9c8d-123456789abc")
        )
        # A non-permalink guid stays the id.
        self.assertEqual(shares.external_id, "1f2e3d4c-4a5b-9c8d-123456789abc")
        # Relative to where the feed was found, not to the URL first asked.
        expected = self.server.url("/feeds/ft/analysis/acme-kettles?page=1")
        self.assertEqual(analysis.url, expected)
        self.assertEqual(analysis.external_id, expected)
        # A relative xml:base is relative to the document's URL.
        self.assertEqual(archive.url, self.server.url("/feeds/archive/2019/acme.html"))
        self.assertEqual(shares.author.external_id, self.server.url("/companies"))
        self.assertEqual(shares.author.profile_url, self.server.url("/companies"))

    def test_xml_base_nested_on_feed_entry_and_link(self):
        atom = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://news.example.org/en/">
<title>Acme Watch</title><link href="./"/>
<entry xml:base="2024/03/"><id>tag:news.example.org,2024:1</id><title>One</title>
<link xml:base="../../archive/" href="story?id=1"/>
<author><name>Lee</name><uri>/authors/lee</uri></author>
<updated>2024-03-05T10:00:00Z</updated></entry>
<entry><id>tag:news.example.org,2024:2</id><title>Two</title>
<link href="two.html"/><updated>2024-03-05T10:00:00Z</updated></entry>
<entry xml:base="https://mirror.example.net/x/"><id>tag:news.example.org,2024:3</id>
<title>Three</title><link href="three.html"/>
<updated>2024-03-05T10:00:00Z</updated></entry>
</feed>"""
        one, two, three = parse_feed(
            atom, now=NOW, feed_url="https://feeds.example.org/acme.atom"
        )
        self.assertEqual(one.url, "https://news.example.org/en/archive/story?id=1")
        self.assertEqual(one.author.external_id, "https://news.example.org/authors/lee")
        self.assertEqual(two.url, "https://news.example.org/en/two.html")
        self.assertEqual(two.author.external_id, "https://news.example.org/en/")
        self.assertEqual(three.url, "https://mirror.example.net/x/three.html")
        rss = b"""<rss version="2.0" xml:base="https://blog.example.com/">
<channel xml:base="coffee/"><title>Coffee</title><link>.</link>
<item xml:base="2024/"><title>Grinders</title><link>grinders.html</link></item>
<item><title>Kettles</title><link xml:base="/x/">kettles.html</link></item>
</channel></rss>"""
        grinders, kettles = parse_feed(rss, now=NOW, feed_url="https://f.example/")
        self.assertEqual(
            grinders.url, "https://blog.example.com/coffee/2024/grinders.html"
        )
        self.assertEqual(kettles.url, "https://blog.example.com/x/kettles.html")
        self.assertEqual(
            grinders.author.external_id, "https://blog.example.com/coffee/"
        )

    def test_only_http_links_become_the_post_url(self):
        rss = b"""<rss version="2.0"><channel><title>t</title>
<item><title>x</title><link>javascript:alert(1)</link><guid>1</guid></item>
<item><title>y</title><link>http://example.c[om/</link><guid>2</guid></item>
</channel></rss>"""
        script, broken = parse_feed(rss, now=NOW, feed_url="https://f.example/")
        # Not a URL at all (urlsplit raises on it): no url, the feed still reads.
        self.assertEqual((script.url, broken.url), ("", ""))
        self.assertEqual((script.external_id, broken.external_id), ("1", "2"))

    # Text constructs

    def test_atom_text_constructs_by_type(self):
        atom = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Acme Watch</title>
<entry><id>1</id><updated>2024-03-05T10:00:00Z</updated>
<title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Acme <b>kettle</b> recall
</div></title>
<content type="application/xhtml+xml"><div xmlns="http://www.w3.org/1999/xhtml">
<p>Owners <em>must</em> act.</p></div></content></entry>
<entry><id>2</id><updated>2024-03-05T10:00:00Z</updated>
<title type="html">Acme &amp;amp; Co &amp;lt;3 &lt;i&gt;kettles&lt;/i&gt;</title>
<content type="text/html">&lt;p&gt;Price: &amp;pound;20&lt;/p&gt;</content></entry>
<entry><id>3</id><updated>2024-03-05T10:00:00Z</updated>
<title type="text">a &lt; b &amp;amp; &lt;b&gt;</title>
<content src="https://news.example.org/3.pdf" type="application/pdf"/>
<summary type="text">Read the &lt;b&gt;PDF&lt;/b&gt;</summary></entry>
</feed>"""
        xhtml, html, text = parse_feed(atom, now=NOW)
        self.assertEqual(xhtml.content, "Acme kettle recall\nOwners must act.")
        self.assertEqual(xhtml.content_html, "<p>Owners <em>must</em> act.</p>")
        self.assertEqual(html.content, "Acme & Co <3 kettles\nPrice: £20")
        self.assertEqual(html.content_html, "<p>Price: &pound;20</p>")
        # Text is text: nothing in it is markup or a reference.
        self.assertEqual(text.content, "a < b &amp; <b>\nRead the <b>PDF</b>")
        self.assertEqual(text.content_html, "<p>Read the &lt;b&gt;PDF&lt;/b&gt;</p>")

    def test_xhtml_content_reads_as_a_browser_shows_it(self):
        atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"
 xmlns:h="http://www.w3.org/1999/xhtml"><title>t</title>
<entry><id>1</id><title>Blink</title><content type="xhtml">
<h:div>The &lt;blink&gt; tag &amp; <h:b>AT&amp;T</h:b> &lt;i&gt;</h:div>
</content></entry>
<entry><id>2</id><title>TypePad</title><content type="html">
<h:div>Example &lt;b&gt;Atom&lt;/b&gt;</h:div></content></entry>
<entry><id>3</id><title>SVG</title><content type="xhtml">
<h:div><h:p>Before</h:p><svg xmlns="http://www.w3.org/2000/svg">
<title>Tooltip</title><circle r="5"/></svg><h:p>After</h:p></h:div></content></entry>
</feed>"""
        blink, typepad, svg = parse_feed(atom, now=NOW)
        # XHTML text is text, before the first element too.
        self.assertEqual(blink.content, "Blink\nThe <blink> tag & AT&T <i>")
        self.assertEqual(
            blink.content_html, "The &lt;blink&gt; tag &amp; <b>AT&amp;T</b> &lt;i&gt;"
        )
        # type="html" around a div: the div holds escaped HTML.
        self.assertEqual(typepad.content, "TypePad\nExample Atom")
        self.assertEqual(typepad.content_html, "Example <b>Atom</b>")
        self.assertEqual(svg.content, "SVG\nBefore\nAfter")

    def test_dc_description_is_the_body_without_description(self):
        rss = b"""<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>t</title>
<item><guid>1</guid><title>Acme</title>
<dc:description>Kettle &lt;b&gt;recall&lt;/b&gt;</dc:description></item>
<item><guid>2</guid><description>Standard</description>
<dc:description>Module</dc:description></item>
</channel></rss>"""
        only_dc, both = parse_feed(rss, now=NOW)
        self.assertEqual(only_dc.content, "Acme\nKettle recall")
        self.assertEqual(only_dc.content_html, "Kettle <b>recall</b>")
        self.assertEqual(both.content, "Standard")

    def test_windows_1252_code_points(self):
        """Raw, as XML references and as escaped HTML references."""
        rss = """<rss version="2.0"><channel><title>t</title>
<item><guid>1</guid><title>Acme\x92s kettle</title>
<description>don&#146;t &amp;#147;boil&amp;#148; it\x85dry</description></item>
</channel></rss>""".encode()
        (post,) = parse_feed(rss, now=NOW)
        self.assertEqual(
            post.content, "Acme\u2019s kettle\ndon\u2019t \u201cboil\u201d it\u2026dry"
        )

    def test_rss_title_escaped_twice(self):
        rss = b"""<rss version="2.0"><channel><title>t</title>
<item><guid>1</guid>
<title>Acme kettle now &amp;#163;20 &amp;amp; free delivery</title></item>
<item><guid>2</guid>
<title>&lt;b&gt;Acme&lt;/b&gt; beats &amp;quot;Brand X&amp;quot;</title></item>
<item><guid>3</guid>
<title>If a &lt; b then AT&amp;T &amp;copy=2 &amp;bogus; <![CDATA[x<y]]></title></item>
</channel></rss>"""
        price, markup, literal = parse_feed(rss, now=NOW)
        self.assertEqual(price.content, "Acme kettle now £20 & free delivery")
        self.assertEqual(markup.content, 'Acme beats "Brand X"')
        self.assertEqual(literal.content, "If a < b then AT&T &copy=2 &bogus; x<y")

    # Google Alerts

    def test_google_alerts_store_the_article_and_dedup_across_alerts(self):
        article = "https://www.example-news.com/business/acme-recall?ref=rss&page=2"
        recall, forum = parse_feed(fixture("rss/google_alerts_acme.xml"), now=NOW)
        (again,) = parse_feed(fixture("rss/google_alerts_kettle_recall.xml"), now=NOW)
        self.assertEqual(recall.url, article)
        self.assertEqual(again.url, article)
        # Per-alert entry ids differ: the article is the id, one mention.
        self.assertEqual(recall.external_id, article)
        self.assertEqual(again.external_id, recall.external_id)
        self.assertEqual(recall.content.split("\n")[0], "Acme recalls 2,000 kettles")
        self.assertEqual(recall.author.name, "Google Alert - acme")
        # The ?q= form, on another Google domain.
        self.assertEqual(forum.url, "https://forum.example.net/t/acme-grinder/42")
        self.assertEqual(forum.external_id, forum.url)

    def test_google_redirect_without_an_article_is_kept(self):
        atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
<entry><id>tag:google.com,2013:googlealerts/feed:1</id><title>x</title>
<link href="https://www.google.com/url?q=javascript:alert(1)"/>
<updated>2024-03-05T10:00:00Z</updated></entry>
<entry><id>e2</id><title>y</title>
<link href="https://www.google.com.evil.example/url?url=https://a.example/"/>
<updated>2024-03-05T10:00:00Z</updated></entry></feed>"""
        script, lookalike = parse_feed(atom, now=NOW)
        self.assertEqual(script.url, "https://www.google.com/url?q=javascript:alert(1)")
        self.assertEqual(script.external_id, "tag:google.com,2013:googlealerts/feed:1")
        self.assertEqual(
            lookalike.url,
            "https://www.google.com.evil.example/url?url=https://a.example/",
        )
        self.assertEqual(lookalike.external_id, "e2")

    # guid

    def test_permalink_guid_is_the_url_without_a_link(self):
        rss = b"""<rss version="2.0"><channel><title>t</title><link>https://blog.example.com/</link>
<item><title>a</title><guid>https://blog.example.com/?p=1</guid></item>
<item><title>b</title><guid isPermaLink="true">/?p=2</guid></item>
<item><title>c</title><guid isPermaLink="false">https://blog.example.com/?p=3</guid></item>
<item><title>d</title><guid>4</guid></item>
<item><title>e</title><guid>https://blog.example.com/?p=5</guid><link>https://blog.example.com/e</link></item>
</channel></rss>"""
        posts = parse_feed(rss, now=NOW, feed_url="https://blog.example.com/feed/")
        self.assertEqual(
            [post.url for post in posts],
            [
                "https://blog.example.com/?p=1",
                "https://blog.example.com/?p=2",
                "",
                "",
                "https://blog.example.com/e",
            ],
        )
        self.assertEqual(
            [post.external_id for post in posts],
            [
                "https://blog.example.com/?p=1",
                # A relative permalink is made absolute, so it is unique.
                "https://blog.example.com/?p=2",
                "https://blog.example.com/?p=3",
                "4",
                "https://blog.example.com/?p=5",
            ],
        )

    # Encodings

    def test_whitespace_and_bom_before_the_xml_declaration(self):
        feed = '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        feed += "<title>t</title><item><guid>1</guid><title>Café</title></item>"
        feed += "</channel></rss>"
        for prefix in (b"\n", b"  \r\n\t", b"\xef\xbb\xbf", b"\xef\xbb\xbf\n\n"):
            with self.subTest(prefix=prefix):
                (post,) = parse_feed(prefix + feed.encode(), now=NOW)
                self.assertEqual(post.content, "Café")

    def test_fetch_decodes_the_http_charset(self):
        title = "Чайник Acme сломался через неделю"
        rss = """<rss version="2.0"><channel><title>Отзывы</title>
<item><guid>1</guid><title>{}</title><description>Ужасно</description></item>
</channel></rss>"""
        # No encoding in the document: only the header tells.
        self.server.route(
            "/cp1251",
            Reply(
                body=('<?xml version="1.0"?>\n' + rss.format(title)).encode("cp1251"),
                headers={"Content-Type": "application/rss+xml; charset=windows-1251"},
            ),
        )
        # The header wins over the XML declaration (RFC 7303).
        self.server.route(
            "/koi8",
            Reply(
                body=(
                    '<?xml version="1.0" encoding="windows-1251"?>\n'
                    + rss.format(title)
                ).encode("koi8-r"),
                headers={"Content-Type": 'text/xml; charset="KOI8-R"'},
            ),
        )
        for path in ("/cp1251", "/koi8"):
            with self.subTest(path=path):
                connector = RssConnector(self.client(), query=self.server.url(path))
                (post,) = connector.fetch(None).posts
                self.assertEqual(post.content, f"{title}\nУжасно")
                self.assertEqual(post.author.name, "Отзывы")

    def test_encoding_precedence(self):
        rss = """<rss version="2.0"><channel><title>t</title>
<item><guid>1</guid><title>{}</title></item></channel></rss>"""

        def title(body, content_type=""):
            (post,) = parse_feed(body, now=NOW, content_type=content_type)
            return post.content

        cyrillic = rss.format("Чайник")
        declared = '<?xml version="1.0" encoding="windows-1251"?>' + cyrillic
        # The BOM wins over the header.
        body = b"\xef\xbb\xbf" + cyrillic.encode()
        self.assertEqual(title(body, "text/xml; charset=windows-1251"), "Чайник")
        # A charset on a type RFC 7303 does not cover is ignored.
        body = declared.encode("cp1251")
        self.assertEqual(
            title(body, "application/octet-stream; charset=koi8-r"), "Чайник"
        )
        self.assertEqual(
            title(cyrillic.encode("koi8-u"), "text/html;charset=koi8-u"), "Чайник"
        )
        japanese = rss.format("ケトルが壊れた")
        self.assertEqual(
            title(japanese.encode("shift_jis"), "application/xml; charset=Shift_JIS"),
            "ケトルが壊れた",
        )
        chinese = '<?xml version="1.0" encoding="GB2312"?>' + rss.format("水壶坏了")
        self.assertEqual(title(chinese.encode("gb2312")), "水壶坏了")
        # UTF-16 declared by the header only, without a BOM.
        body = rss.format("Чайник").encode("utf-16-le")
        self.assertEqual(title(body, "text/xml; charset=utf-16"), "Чайник")
        # A charset the bytes contradict (no NUL in an "UTF-16" body) gives way.
        self.assertEqual(title(cyrillic.encode(), "text/xml; charset=utf-16"), "Чайник")
        # An unknown charset or declaration falls back; bad bytes are replaced.
        self.assertEqual(title(cyrillic.encode(), "text/xml; charset=bogus"), "Чайник")
        body = '<?xml version="1.0" encoding="bogus"?>' + rss.format("Café")
        self.assertEqual(title(body.encode()), "Café")
        self.assertEqual(title(rss.format("Caf\xe9").encode("latin-1")), "Caf\ufffd")

    def test_entity_declarations_refused_in_any_encoding(self):
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as secret:
            secret.write("TOP-SECRET-CONTENT")
        self.addCleanup(os.unlink, secret.name)
        cases = [
            # No BOM: only the header says UTF-16.
            (xxe(secret.name, "utf-16-le"), "text/xml; charset=utf-16"),
            (xxe(secret.name, "utf-16-be"), "application/rss+xml; charset=UTF-16BE"),
            (xxe(secret.name, "utf-7"), ""),
            (xxe(secret.name, "utf-32"), ""),
            (
                BILLION_LAUGHS.decode().encode("cp1251"),
                "text/xml; charset=windows-1251",
            ),
            (b"\n\xef\xbb\xbf" + BILLION_LAUGHS, ""),
        ]
        for body, content_type in cases:
            with self.subTest(body=body[:40], content_type=content_type):
                with self.assertRaises(ParseError) as caught:
                    parse_feed(body, now=NOW, content_type=content_type)
                self.assertNotIn("TOP-SECRET", str(caught.exception))

    def test_fetch_refuses_entities_declared_in_utf16_over_http(self):
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as secret:
            secret.write("TOP-SECRET-CONTENT")
        self.addCleanup(os.unlink, secret.name)
        self.server.route(
            "/xxe",
            Reply(
                body=xxe(secret.name, "utf-16-le"),
                headers={"Content-Type": "application/xml; charset=utf-16"},
            ),
        )
        connector = RssConnector(self.client(), query=self.server.url("/xxe"))
        with self.assertRaisesRegex(ParseError, "declares entities") as caught:
            connector.fetch(None)
        self.assertNotIn("TOP-SECRET", str(caught.exception))

    # Dublin Core

    def test_dcterms_dates_and_dc_title(self):
        rss = b"""<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:dcterms="http://purl.org/dc/terms/"><channel><title>t</title>
<item><guid>1</guid><dc:title>Modified only</dc:title>
<dcterms:modified>2024-03-02T08:00:00Z</dcterms:modified></item>
<item><guid>2</guid><title>Issued wins</title>
<dcterms:modified>2024-03-04T08:00:00Z</dcterms:modified>
<dcterms:issued>2024-03-01T08:00:00+02:00</dcterms:issued></item>
<item><guid>3</guid><title>Created</title>
<dcterms:created>2024-02-28T21:15:00Z</dcterms:created></item>
<item><guid>4</guid><title>A bad pubDate gives way</title><pubDate>soon</pubDate>
<dcterms:issued>2024-02-27T07:00:00Z</dcterms:issued></item>
</channel></rss>"""
        modified, issued, created, fallback = parse_feed(rss, now=NOW)
        self.assertEqual(modified.content, "Modified only")
        self.assertEqual(modified.posted_at, datetime(2024, 3, 2, 8, 0))
        self.assertEqual(issued.posted_at, datetime(2024, 3, 1, 6, 0))
        self.assertEqual(created.posted_at, datetime(2024, 2, 28, 21, 15))
        self.assertEqual(fallback.posted_at, datetime(2024, 2, 27, 7, 0))
        for post in (modified, issued, created, fallback):
            self.assertEqual(post.warnings, [])
        atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">
<title>t</title><entry><id>1</id><dc:title>Atom too</dc:title>
<dcterms:issued>2024-03-03T10:00:00Z</dcterms:issued></entry></feed>"""
        (entry,) = parse_feed(atom, now=NOW)
        self.assertEqual(entry.content, "Atom too")
        self.assertEqual(entry.posted_at, datetime(2024, 3, 3, 10, 0))

    def test_html_entities_and_bare_ampersands(self):
        # No DTD defines &eacute; or &nbsp;, and "&b=2" is no reference.
        rss = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Caf&eacute; &amp; Co</title>
<item><guid>1</guid><title>Acme&nbsp;kettle &mdash; &bogus; review</title>
<link>https://shop.example.com/?a=1&b=2</link>
<description><![CDATA[<p>Tom & Jerry&hellip;</p>]]> &amp; more</description></item>
</channel></rss>"""
        (post,) = parse_feed(rss, now=NOW)
        self.assertEqual(post.author.name, "Café & Co")
        self.assertEqual(post.url, "https://shop.example.com/?a=1&b=2")
        self.assertEqual(
            post.content, "Acme kettle — &bogus; review\nTom & Jerry…\n& more"
        )
        # Netscape's RSS 0.91 DTD (never loaded) names HTML entities too.
        rss091 = b"""<?xml version="1.0" encoding="ISO-8859-1"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
 "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Caf&eacute;</title>
<item><title>Cr&egrave;me br&ucirc;l&eacute;e</title><link>https://a.example/1</link>
<description>&lt;p&gt;D&eacute;licieux&lt;/p&gt;</description></item></channel></rss>"""
        (post,) = parse_feed(rss091, now=NOW)
        self.assertEqual(post.author.name, "Café")
        self.assertEqual(post.content, "Crème brûlée\nDélicieux")
