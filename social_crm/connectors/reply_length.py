"""How long a reply is, and how long it may be, on each network.

Each network counts a post's length its own way, and the reply composer
checks the text against that count before anything is sent:

* **X** counts code points of the NFC-normalized text, each URL weighing 23
  whatever its length (X shortens every link to a t.co link of that size);
  280 at most.
* **Bluesky** counts graphemes (what a reader sees as one character: a letter
  and its combining accents, an emoji with its skin tone or a ZWJ family, a
  flag made of two regional indicators); 300 at most.
* **Mastodon** counts code points, each URL weighing 23 as well; the limit is
  the instance's (``configuration.statuses.max_characters`` of
  ``/api/v2/instance``), 500 when the instance does not say.
* **Reddit** comments take 10,000 characters, **VK** comments 16,384 (their
  documented limits); Hacker News and RSS have no posting API and no limit
  here.

Plain Python: nothing here imports Odoo.
"""

import re
import unicodedata

#: The weight of one URL on the networks that shorten links.
URL_WEIGHT = 23

#: The default limit of each network (``None``: no limit known).
LIMITS = {
    "x": 280,
    "bluesky": 300,
    "mastodon": 500,
    "reddit": 10000,
    "vk": 16384,
    "hackernews": None,
    "rss": None,
}

# What X and Mastodon take for a URL: an http(s) link up to the next space.
_URL_RE = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_ZWJ = "\u200d"
_REGIONAL = range(0x1F1E6, 0x1F200)
_SKIN_TONES = range(0x1F3FB, 0x1F400)
_TAGS = range(0xE0020, 0xE0080)


def _extends(char):
    """Whether ``char`` joins the grapheme before it (it is never one alone)."""
    code = ord(char)
    return (
        unicodedata.category(char) in ("Mn", "Me", "Mc")
        or 0xFE00 <= code <= 0xFE0F
        or code in _SKIN_TONES
        or code in _TAGS
        or char == _ZWJ
    )


def grapheme_count(text):
    """The number of user-perceived characters (extended graphemes) of ``text``.

    Covers what a post holds in practice: combining marks, variation
    selectors, emoji modifiers and tag sequences, ZWJ sequences, flag pairs
    and CR LF.
    """
    count = 0
    previous = ""
    pending_regional = False
    for char in text:
        code = ord(char)
        crlf = previous == "\r" and char == "\n"
        if count and (_extends(char) or previous == _ZWJ or crlf):
            previous = char
            continue
        if code in _REGIONAL:
            if pending_regional:
                pending_regional = False
                previous = char
                continue
            pending_regional = True
        else:
            pending_regional = False
        count += 1
        previous = char
    return count


def weighted_length(text, url_weight=URL_WEIGHT):
    """Code points of the NFC text, each URL counted as ``url_weight``."""
    text = unicodedata.normalize("NFC", text or "")
    urls = _URL_RE.findall(text)
    return len(_URL_RE.sub("", text)) + url_weight * len(urls)


def reply_length(network, text):
    """The length of ``text`` as ``network`` counts it."""
    if network == "bluesky":
        return grapheme_count(unicodedata.normalize("NFC", text or ""))
    if network in ("x", "mastodon"):
        return weighted_length(text)
    return len(text or "")


def reply_limit(network, instance_limit=None):
    """The most a reply on ``network`` may hold (``None``: no limit).

    ``instance_limit`` is what a Mastodon instance announces; a missing or
    unusable value falls back to the network's default.
    """
    if network == "mastodon" and isinstance(instance_limit, int) and instance_limit > 0:
        return instance_limit
    return LIMITS.get(network)
