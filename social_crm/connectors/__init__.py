"""Network connectors: plain Python, no Odoo import (see :mod:`.base`).

``CONNECTORS`` maps each ``social.source.connector`` code to its class.
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
from .bluesky import BlueskyConnector
from .demo import DemoConnector
from .hackernews import HackerNewsConnector
from .http import DEFAULT_USER_AGENT, HttpClient
from .mastodon import MastodonConnector
from .reddit import RedditConnector
from .rss import RssConnector
from .vk import VkConnector
from .x import XConnector

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


def get_connector(code):
    """The connector class registered under ``code``."""
    try:
        return CONNECTORS[code]
    except KeyError:
        raise ConnectorError(f"Unknown connector {code!r}") from None


__all__ = [
    "CONNECTORS",
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
