"""Selection values shared by several models (networks, languages, sentiment)."""

NETWORKS = [
    ("rss", "Web / RSS"),
    ("mastodon", "Mastodon"),
    ("bluesky", "Bluesky"),
    ("reddit", "Reddit"),
    ("hackernews", "Hacker News"),
    ("x", "X"),
    ("vk", "VK"),
]
NETWORK_CODES = {code for code, _label in NETWORKS}

#: The icon classes of each network (an ``<i>``'s class attribute).
NETWORK_ICONS = {
    "rss": "fa fa-lg fa-rss",
    # Font Awesome 4 has no Mastodon or Bluesky logo: static/src/scss draws them.
    "mastodon": "o_social_network_icon o_social_network_icon_mastodon",
    "bluesky": "o_social_network_icon o_social_network_icon_bluesky",
    "reddit": "fa fa-lg fa-reddit-alien",
    "hackernews": "fa fa-lg fa-hacker-news",
    # Odoo 18 draws the X logo for fa-twitter.
    "x": "fa fa-lg fa-twitter",
    "vk": "fa fa-lg fa-vk",
}

LANGUAGES = [
    ("en", "English"),
    ("ru", "Russian"),
    ("uk", "Ukrainian"),
    ("bg", "Bulgarian"),
]

SENTIMENTS = [
    ("positive", "Positive"),
    ("neutral", "Neutral"),
    ("negative", "Negative"),
]

INFLUENCE_TYPES = SENTIMENTS

#: Whose a mention is by its company's brand and competitor terms.
VOICES = [
    ("brand", "Brand"),
    ("competitor", "Competitor"),
    ("both", "Brand and competitor"),
    ("other", "Other"),
]
