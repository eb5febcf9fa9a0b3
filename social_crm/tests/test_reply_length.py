from odoo.tests import BaseCase, tagged

from odoo.addons.social_crm.connectors.reply_length import (
    grapheme_count,
    reply_length,
    reply_limit,
    weighted_length,
)


@tagged("post_install", "-at_install")
class TestReplyLength(BaseCase):
    """Each network's count of a reply's length, and its limit."""

    def test_graphemes(self):
        # e + combining acute, thumbs up + skin tone, a ZWJ family, two flags, a.
        text = (
            "e\u0301"
            "\U0001f44d\U0001f3fd"
            "\U0001f468\u200d\U0001f469\u200d\U0001f467"
            "\U0001f1fa\U0001f1e6\U0001f1e7\U0001f1ec"
            "a"
        )
        self.assertEqual(grapheme_count(text), 6)
        self.assertEqual(reply_length("bluesky", text), 6)
        self.assertEqual(grapheme_count("\r\n"), 1)
        self.assertEqual(grapheme_count("Привіт"), 6)

    def test_url_weighting(self):
        long_url = "https://example.com/" + "x" * 100
        self.assertEqual(weighted_length("hi " + long_url), 3 + 23)
        self.assertEqual(reply_length("x", "a http://t.co b"), 4 + 23)
        self.assertEqual(reply_length("mastodon", "see https://a.example"), 4 + 23)
        # Reddit and VK count characters, URLs included.
        self.assertEqual(reply_length("reddit", "x " + long_url), 2 + len(long_url))

    def test_limits(self):
        self.assertEqual(reply_limit("x"), 280)
        self.assertEqual(reply_limit("bluesky"), 300)
        self.assertEqual(reply_limit("mastodon"), 500)
        self.assertEqual(reply_limit("mastodon", 1000), 1000)
        self.assertEqual(reply_limit("mastodon", 0), 500)
        self.assertEqual(reply_limit("mastodon", "many"), 500)
        self.assertIsNone(reply_limit("hackernews"))
        self.assertIsNone(reply_limit("rss"))
