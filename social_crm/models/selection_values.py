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
