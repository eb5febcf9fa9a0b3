import random

from lxml import html as lxml_html

from odoo.tests import BaseCase, tagged

from odoo.addons.social_crm.connectors.html_clean import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    LINK_ATTRIBUTES,
    URL_ATTRIBUTES,
    sanitize_html,
)
from odoo.addons.social_crm.connectors.text import html_to_text

LINK = 'rel="nofollow noopener noreferrer" target="_blank"'

#: Attacks (input, what must be left), from the XSS filter evasion lists.
ATTACKS = [
    ('<p onclick="x()">hi<script>alert(1)</script></p>', "<p>hi</p>"),
    ('<a HREF="javascript:alert(1)" ONCLICK=1>x</a>', f"<a {LINK}>x</a>"),
    ('<a href="java&#9;script:alert(1)">x</a>', f"<a {LINK}>x</a>"),
    ('<a href="java\nscript:alert(1)">x</a>', f"<a {LINK}>x</a>"),
    ('<a href=" &#106;avascript:alert(1)">x</a>', f"<a {LINK}>x</a>"),
    ('<a href="&#x6A;ava&#x73;cript:alert(1)">x</a>', f"<a {LINK}>x</a>"),
    ('<a href="\u200bjavascript:alert(1)">x</a>', f"<a {LINK}>x</a>"),
    ('<a href="vbscript:msgbox(1)">x</a>', f"<a {LINK}>x</a>"),
    ('<a href="data:text/html,<script>alert(1)</script>">x</a>', f"<a {LINK}>x</a>"),
    ('<a href=":alert(1)">x</a>', f"<a {LINK}>x</a>"),
    ("<img src=x onerror=alert(1)>", '<img src="x">'),
    ('<img src="data:image/svg+xml;base64,PHN2Zz4=">', "<img>"),
    ('<blockquote cite="javascript:x">q</blockquote>', "<blockquote>q</blockquote>"),
    ("<svg onload=alert(1)><script>alert(1)</script></svg>after", "after"),
    ("<math><mtext><script>alert(1)</script></mtext></math>m", "m"),
    ("<style>body{display:none}</style>text", "text"),
    ("<!-- <script>alert(1)</script> -->kept", "kept"),
    ('<iframe src="https://evil.test"></iframe>t', "t"),
    ('<object data="x.swf"></object>o<embed src="x.swf">', "o"),
    ('<form action="https://evil.test"><input name=a><button>go</button></form>a', "a"),
    ('<base href="https://evil.test/">b', "b"),
    ('<meta http-equiv="refresh" content="0;url=https://evil.test">m', "m"),
    ('<link rel="stylesheet" href="https://evil.test/x.css">l', "l"),
    ('<div style="position:fixed;inset:0">s</div>', "<div>s</div>"),
    ('<p id="o_main" data-oe-model="res.users" tabindex=1>p</p>', "<p>p</p>"),
    ('<p title="&quot;><script>alert(1)</script>">t</p>', "<p title"),
    ("<noscript><p>ns</p></noscript>y", "y"),
    ("<template><img src=x onerror=alert(1)></template>z", "z"),
    ("<textarea><script>alert(1)</script></textarea>w", "w"),
    ("<?php echo 1; ?>pi", "pi"),
]

#: Formatting that posts use and that must survive.
KEPT = [
    (
        '<p>Got my <a href="https://m.test/tags/acme" class="mention hashtag" '
        'rel="tag">#<span>acme</span></a> router</p><p>Love it</p>',
        f'<p>Got my <a href="https://m.test/tags/acme" class="mention hashtag" {LINK}>'
        "#<span>acme</span></a> router</p><p>Love it</p>",
    ),
    (
        '<span class="invisible">https://</span>',
        '<span class="invisible">https://</span>',
    ),
    ('<div class="md"><p>reddit</p></div>', '<div class="md"><p>reddit</p></div>'),
    ("<p>a<br>b</p>", "<p>a<br>b</p>"),
    (
        "<p>Acme &lt;kettles&gt; &amp; more</p>",
        "<p>Acme &lt;kettles&gt; &amp; more</p>",
    ),
    (
        "<table><tr><td colspan=2 onmouseover=x>c</td></tr></table>",
        '<table><tr><td colspan="2">c</td></tr></table>',
    ),
    (
        '<a href="mailto:sales@acme.test">m</a>',
        f'<a href="mailto:sales@acme.test" {LINK}>m</a>',
    ),
    ('<a href="/tags/acme">r</a>', f'<a href="/tags/acme" {LINK}>r</a>'),
    (
        '<a href="https://ok.test/a:b">ok</a>',
        f'<a href="https://ok.test/a:b" {LINK}>ok</a>',
    ),
    (
        '<img src="https://cdn.test/a.png" alt="A">',
        '<img src="https://cdn.test/a.png" alt="A">',
    ),
    # Unknown elements are unwrapped, their text and tails kept in order.
    ("<x-card>one <b>two</b> three</x-card> four", "one <b>two</b> three four"),
    (
        "<font color=red>f</font> tail<center>c<i>i</i></center>end",
        "f tailc<i>i</i>end",
    ),
    ("<html><body><p>full document</p></body></html>", "<p>full document</p>"),
    ("plain text", "plain text"),
    ("", ""),
    ("   ", ""),
    ("<script>only</script>", ""),
]


@tagged("post_install", "-at_install")
class TestHtmlClean(BaseCase):
    """The allow-list sanitizer of the ingestion path."""

    def assertSafe(self, output):
        """Every element, attribute and URL of ``output`` is on the allow-lists."""
        if not output:
            return
        root = lxml_html.fragment_fromstring(output, create_parent="div")
        for element in root.iterdescendants():
            self.assertIsInstance(element.tag, str, output)
            self.assertIn(element.tag, ALLOWED_TAGS, output)
            allowed = ALLOWED_ATTRIBUTES.get(element.tag, ALLOWED_ATTRIBUTES["*"])
            for name, value in element.attrib.items():
                if element.tag == "a" and name in LINK_ATTRIBUTES:
                    self.assertEqual(value, LINK_ATTRIBUTES[name])
                    continue
                self.assertIn(name, allowed, output)
                if name in URL_ATTRIBUTES:
                    compact = "".join(ch for ch in value if ch > " ").lower()
                    self.assertFalse(
                        compact.startswith(("javascript:", "vbscript:", "data:")),
                        output,
                    )

    def test_attacks_are_removed(self):
        for attack, expected in ATTACKS:
            with self.subTest(attack=attack):
                output = sanitize_html(attack)
                self.assertSafe(output)
                self.assertTrue(output.startswith(expected), output)
                self.assertNotRegex(output.lower(), r"\son\w+=")

    def test_formatting_is_kept(self):
        for source, expected in KEPT:
            with self.subTest(source=source):
                self.assertEqual(sanitize_html(source), expected)

    def test_half_an_emoji_loses_nothing_else(self):
        """A lone surrogate (a truncated emoji) becomes "?", the rest stays."""
        html = "<p>Acme \ud83d</p><p>second <b>para</b></p>"
        self.assertEqual(sanitize_html(html), "<p>Acme ?</p><p>second <b>para</b></p>")
        self.assertEqual(html_to_text(html), "Acme ?\nsecond para")

    def test_title_value_is_escaped(self):
        output = sanitize_html('<p title="&quot;><script>alert(1)</script>">t</p>')
        self.assertEqual(
            output, "<p title='\"&gt;&lt;script&gt;alert(1)&lt;/script&gt;'>t</p>"
        )

    def test_random_mixtures_stay_safe_and_stable(self):
        """Pieces of attacks and formatting, shuffled, nested and cut anywhere."""
        pieces = [attack for attack, _ in ATTACKS] + [source for source, _ in KEPT]
        pieces += [
            "<p>",
            "</p>",
            "<a href='",
            "javascript:",
            "'>",
            "<div>",
            "<!--",
            "-->",
        ]
        generator = random.Random(4242)
        for _round in range(400):
            text = "".join(
                generator.choice(pieces) for _ in range(generator.randint(1, 8))
            )
            text = text[: generator.randint(0, len(text))]
            with self.subTest(text=text):
                output = sanitize_html(text)
                self.assertSafe(output)
                # Sanitizing what is already clean changes nothing.
                self.assertEqual(sanitize_html(output), output)
