"""Reddit search, with an app-only OAuth token (client credentials).

The source's login is the app's client id and its token the client secret:
``POST https://www.reddit.com/api/v1/access_token`` (HTTP basic auth,
``grant_type=client_credentials``) gives a bearer token for
``GET https://oauth.reddit.com/search?sort=new``, a ``Listing`` of ``t3``
(link) and ``t1`` (comment) things. A base URL other than the default serves
both the token and the API paths (tests, proxies).

Cursor (:class:`~.base.RunCursor`): Reddit has no "newer than" filter on
search, so ``since`` is the fullname of the newest post of the previous run
and the pages (``after``) are walked until that post shows up. If it was
deleted the run walks on to the end of the listing (Reddit stops at about
1,000 results); the Odoo side deduplicates what comes again.
"""

import base64
from urllib.parse import urlsplit

from .base import Author, Connector, ConnectorError, Page, Post, RunCursor
from .http import VERSION, load_json
from .text import from_timestamp, html_to_text, to_int, utcnow

DEFAULT_API_URL = "https://oauth.reddit.com"
DEFAULT_TOKEN_URL = "https://www.reddit.com/api/v1/access_token"
WEB_URL = "https://www.reddit.com"
# Reddit asks for <platform>:<app id>:<version> (by ...).
USER_AGENT = f"server:social_crm:{VERSION} (+https://github.com/social-crm/social_crm)"
MAX_LIMIT = 100


def _author(data):
    username = data.get("author") or ""
    if not username or username == "[deleted]":
        return None
    return Author(
        network="reddit",
        external_id=data.get("author_fullname") or username,
        handle=f"u/{username}",
        name=username,
        profile_url=f"{WEB_URL}/user/{username}",
    )


def parse_thing(thing, now):
    """A :class:`Post` from a ``t3`` (link) or ``t1`` (comment) thing."""
    kind, data = thing.get("kind"), thing.get("data") or {}
    if kind == "t3":
        html = data.get("selftext_html") or ""
        text = data.get("selftext") or html_to_text(html)
        content = "\n".join(part for part in (data.get("title"), text) if part)
        parent = ""
    else:
        html = data.get("body_html") or ""
        content = data.get("body") or html_to_text(html)
        parent = data.get("parent_id") or ""
    warnings = []
    posted_at = from_timestamp(data.get("created_utc"))
    if posted_at is None:
        warnings.append(
            f"Reddit post {data.get('name')} has no date: using the fetch time"
        )
        posted_at = now
    permalink = data.get("permalink") or ""
    return Post(
        network="reddit",
        external_id=data["name"],
        content=content,
        content_html=html,
        posted_at=posted_at,
        url=f"{WEB_URL}{permalink}" if permalink.startswith("/") else permalink,
        author=_author(data),
        like_count=to_int(data.get("score")),
        reply_count=to_int(data.get("num_comments")),
        parent_external_id=parent,
        warnings=warnings,
    )


def parse_listing(body, now=None, stop_at=""):
    """``(posts, after)`` of a ``Listing`` (bytes or decoded).

    Reading stops at the fullname ``stop_at`` (excluded), and ``after`` is
    then "" since the rest was seen by an earlier run.
    """
    data = load_json(body)
    now = now or utcnow()
    listing = data.get("data") or {}
    posts = []
    for thing in listing.get("children") or []:
        if thing.get("kind") not in ("t1", "t3") or not (thing.get("data") or {}).get(
            "name"
        ):
            continue
        if stop_at and thing["data"]["name"] == stop_at:
            return posts, ""
        posts.append(parse_thing(thing, now))
    return posts, listing.get("after") or ""


class RedditConnector(Connector):
    code = "reddit"
    label = "Reddit"
    default_base_url = DEFAULT_API_URL
    network = "reddit"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._access_token = ""

    @property
    def token_url(self):
        if self.base_url == DEFAULT_API_URL:
            return DEFAULT_TOKEN_URL
        return f"{self.base_url}/api/v1/access_token"

    def _authenticate(self):
        if not (self.login and self.token):
            raise ConnectorError(
                "The Reddit connector needs the app's client id (login) "
                "and secret (token)"
            )
        basic = base64.b64encode(f"{self.login}:{self.token}".encode()).decode()
        data = self.http.request_json(
            "POST",
            self.token_url,
            data={"grant_type": "client_credentials"},
            headers={"Authorization": f"Basic {basic}", "User-Agent": USER_AGENT},
            secrets=(self.token,),
        )
        if not data.get("access_token"):
            raise ConnectorError(
                f"Reddit refused the app credentials: {data.get('error')}"
            )
        return data["access_token"]

    def fetch(self, cursor=None):
        state = RunCursor.load(cursor)
        if not self._access_token:
            self._access_token = self._authenticate()
        params = {
            "q": self.query,
            "sort": "new",
            "limit": min(self.page_size, MAX_LIMIT),
            "type": "link",
            "raw_json": 1,
        }
        if state.page:
            params["after"] = state.page
        data = self.http.get_json(
            f"{self.base_url}/search",
            params=params,
            headers={
                "Authorization": f"Bearer {self._access_token}",
                "User-Agent": USER_AGENT,
            },
            token_host=urlsplit(self.base_url).hostname,
        )
        posts, after = parse_listing(data, stop_at=state.since)
        # Newest first: the first post of the run's first page is the newest.
        anchors = [posts[0].external_id] if posts and not state.newest else []
        cursor, has_more = state.advance(anchors, after)
        return Page(posts=posts, cursor=cursor, has_more=has_more)
