"""Network connectors: plain Python, no Odoo import (see :mod:`.base`).

``CONNECTORS`` maps each ``social.source.connector`` code to its class, and
``REPLIERS`` each network to the class that posts replies there (see
:mod:`.reply`).
"""

from .base import (
    Author,
    Connector,
    ConnectorError,
    HttpError,
    Page,
    ParseError,
    Post,
    RateLimited,
)
from .bluesky import BlueskyConnector, BlueskyReplier
from .demo import DemoConnector
from .hackernews import HackerNewsConnector
from .http import DEFAULT_USER_AGENT, HttpClient
from .mastodon import MastodonConnector, MastodonReplier
from .reddit import RedditConnector, RedditReplier
from .reply import NoApiReplier
from .rss import RssConnector
from .vk import VkConnector, VkReplier
from .x import XConnector, XReplier

CONNECTORS = {
    connector.code: connector
    for connector in (
        RssConnector,
        MastodonConnector,
        BlueskyConnector,
        RedditConnector,
        HackerNewsConnector,
        XConnector,
        VkConnector,
        DemoConnector,
    )
}


class HackerNewsReplier(NoApiReplier):
    network = "hackernews"
    label = "Hacker News"


class RssReplier(NoApiReplier):
    network = "rss"
    label = "RSS"


REPLIERS = {
    replier.network: replier
    for replier in (
        MastodonReplier,
        BlueskyReplier,
        RedditReplier,
        XReplier,
        VkReplier,
        HackerNewsReplier,
        RssReplier,
    )
}


def get_connector(code):
    """The connector class registered under ``code``."""
    try:
        return CONNECTORS[code]
    except KeyError:
        raise ConnectorError(f"Unknown connector {code!r}") from None


__all__ = [
    "CONNECTORS",
    "REPLIERS",
    "DEFAULT_USER_AGENT",
    "Author",
    "Connector",
    "ConnectorError",
    "HttpClient",
    "HttpError",
    "Page",
    "ParseError",
    "Post",
    "RateLimited",
    "get_connector",
]
