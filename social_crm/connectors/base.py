"""Normalized shapes shared by every connector, and the connector interface.

This package imports nothing from Odoo: a connector turns a network's HTTP
responses into a :class:`Page` of :class:`Post` records with their
:class:`Author`, and the Odoo layer (``social.source`` and the ingestion
service on ``social.mention``) writes them.

Every connector has two halves:

* ``fetch(cursor)`` does the I/O through the shared :class:`~.http.HttpClient`
  and returns a :class:`Page`;
* a module-level ``parse_*`` function per response shape, a pure function of
  the response bytes, so that parsing is tested on bytes alone.
"""

from dataclasses import dataclass, field
from datetime import datetime


class ConnectorError(Exception):
    """A fetch failed in a way the source should record (never holds a token)."""


class ParseError(ConnectorError):
    """A response body could not be read as the expected format."""


@dataclass
class Author:
    network: str
    external_id: str
    handle: str = ""
    name: str = ""
    profile_url: str = ""
    avatar_url: str = ""
    bio: str = ""
    followers_count: int = 0
    following_count: int = 0
    post_count: int = 0
    verified: bool = False


@dataclass
class Post:
    network: str
    external_id: str
    content: str
    posted_at: datetime  # naive UTC
    url: str = ""
    content_html: str = ""
    author: Author | None = None
    lang: str = ""
    like_count: int = 0
    share_count: int = 0
    reply_count: int = 0
    parent_external_id: str = ""
    # Notes on this post for the source's log, e.g. an unparseable date.
    warnings: list[str] = field(default_factory=list)


@dataclass
class Page:
    posts: list[Post]
    # The cursor to store on the source once this page is written
    # (None keeps the previous one).
    cursor: str | None = None
    # True when the network has more to give right now (the caller may ask again).
    has_more: bool = False
    warnings: list[str] = field(default_factory=list)


class Connector:
    """Base class: one subclass per network, registered in ``CONNECTORS``."""

    #: technical key stored in ``social.source.connector``
    code = ""
    #: human label
    label = ""
    #: default API or feed root
    default_base_url = ""
    #: ``social.identity.network`` value of what it brings
    network = ""

    def __init__(self, http, query="", base_url="", login="", token="", page_size=100):
        self.http = http
        self.query = (query or "").strip()
        self.base_url = (base_url or self.default_base_url).rstrip("/")
        self.login = login or ""
        self.token = token or ""
        self.page_size = page_size

    def fetch(self, cursor=None):
        """Return the next :class:`Page` after ``cursor`` (a string or None)."""
        raise NotImplementedError
