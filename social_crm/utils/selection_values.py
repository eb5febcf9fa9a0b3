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

#: Who counts as an influencer, unless the company sets its own floors
#: (``res.company.social_influencer_min_score`` / ``_min_followers``): an
#: influence score of at least this AND at least this many followers.
INFLUENCER_MIN_SCORE = 60
INFLUENCER_MIN_FOLLOWERS = 1000

#: What the influence score and its badge mean, for every field showing it.
INFLUENCE_HELP = (
    "Influence, 0 to 100: reach, engagement, activity and amplification, each "
    "relative to the accounts of the same network. The badge is green for a "
    "promoter (what they say of you is positive on average), red for a "
    "detractor (negative on average), grey for neutral."
)
INFLUENCER_HELP = (
    "An influencer has both a high influence score and a real audience: a "
    f"score of at least {INFLUENCER_MIN_SCORE} and at least "
    f"{INFLUENCER_MIN_FOLLOWERS:,} followers by default (Settings, Social CRM, "
    "Influencers). Updated when the scores are recomputed."
)
