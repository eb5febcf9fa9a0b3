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

#: Font Awesome 4 icon of each network (Mastodon and Bluesky have none there).
NETWORK_ICONS = {
    "rss": "fa-rss",
    "mastodon": "fa-comments",
    "bluesky": "fa-cloud",
    "reddit": "fa-reddit-alien",
    "hackernews": "fa-hacker-news",
    "x": "fa-twitter",
    "vk": "fa-vk",
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
