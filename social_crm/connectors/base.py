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

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime


class ConnectorError(Exception):
    """A fetch failed in a way the source should record (never holds a token)."""


class ParseError(ConnectorError):
    """A response body could not be read as the expected format."""


class HttpError(ConnectorError):
    """The network answered with an HTTP error status.

    ``status`` and the raw ``body`` are kept for the connector to inspect (e.g.
    Bluesky's ``ExpiredToken``); the message itself only holds a short,
    redacted excerpt.
    """

    def __init__(self, message, status=0, body=b""):
        super().__init__(message)
        self.status = status
        self.body = body


class TransportError(ConnectorError):
    """No answer came: the connection failed or timed out.

    ``maybe_sent`` is False only when no connection was made (refused,
    connect timeout): then the server cannot have received the request. A
    read timeout or a connection lost mid-answer leaves it True: a write
    request may have been carried out.
    """

    def __init__(self, message, maybe_sent=True):
        super().__init__(message)
        self.maybe_sent = maybe_sent


class RateLimited(ConnectorError):
    """The network asked us to slow down for longer than we are willing to wait.

    ``retry_after`` is the delay in seconds the network asked for, when known,
    so the caller can schedule the next attempt instead of blocking a worker.
    """

    def __init__(self, message, retry_after=None):
        super().__init__(message)
        self.retry_after = retry_after


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
    # The network flags the account as automated (Mastodon ``bot``).
    bot: bool = False


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
    # What a reply to this post must name (Bluesky strong refs): the post's
    # content id, and the uri and cid of its thread's root post.
    cid: str = ""
    root_external_id: str = ""
    root_cid: str = ""
    # The post this one quotes (an X quote tweet), by external id.
    quoted_external_id: str = ""
    # What a comment answers: its thread's title and page (a Hacker News
    # story, a Reddit post), and the page that thread links to, if any
    # (the story's or the link post's own URL).
    thread_title: str = ""
    thread_url: str = ""
    thread_link_url: str = ""
    # Notes on this post for the source's log, e.g. an unparseable date.
    warnings: list[str] = field(default_factory=list)


@dataclass
class Page:
    posts: list[Post]
    # The cursor to store on the source once this page is written
    # (None keeps the previous one).
    cursor: str | None = None
    # True when the network has more to give right now (the caller may ask
    # again), even when this page brought no post (all filtered out).
    has_more: bool = False
    warnings: list[str] = field(default_factory=list)


@dataclass
class RunCursor:
    """Cursor shared by the search connectors, stored as a small JSON object.

    Search APIs page from the newest result backwards, so one *run* (the
    successive ``fetch`` calls while ``has_more`` is true) walks pages with a
    network paging token while every page stays bounded by the anchor left by
    the previous run:

    * ``since``: the anchor from the previous run (newest id or time seen),
      passed to the network as its lower bound on every page of this run;
    * ``page``: the network's paging token to continue the current run;
    * ``newest``: the newest anchor seen so far in the current run, which
      becomes ``since`` once the run is complete.

    A run interrupted half-way (error, page budget) resumes where it stopped
    and still only then moves ``since`` forward, so nothing is skipped. A
    bare string (not JSON) is read as ``since``, so a cursor can be set by hand.
    """

    since: str = ""
    page: str = ""
    newest: str = ""

    @classmethod
    def load(cls, value):
        if not value:
            return cls()
        try:
            data = json.loads(value)
        except ValueError:
            return cls(since=value)
        if not isinstance(data, dict):
            return cls(since=str(data))
        return cls(
            **{key: str(data.get(key) or "") for key in ("since", "page", "newest")}
        )

    def dump(self):
        return json.dumps({k: v for k, v in asdict(self).items() if v}, sort_keys=True)

    def advance(self, anchors, next_page="", key=str):
        """Return ``(cursor, has_more)`` after a page.

        ``anchors`` are the anchors of the page's posts, ``next_page`` the
        network's token for the next page (empty when the run is complete) and
        ``key`` orders anchors (``int`` for numeric ids and timestamps).
        """
        candidates = [value for value in (self.newest, *anchors) if value]
        newest = max(candidates, key=key) if candidates else ""
        if next_page:
            return RunCursor(self.since, next_page, newest).dump(), True
        return RunCursor(since=newest or self.since).dump(), False


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
