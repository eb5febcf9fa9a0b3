"""Reddit, with an app-only OAuth token (client credentials).

The source's login is the app's client id and its token the client secret:
``POST https://www.reddit.com/api/v1/access_token`` (HTTP basic auth,
``grant_type=client_credentials``) gives a bearer token for the API at
``https://oauth.reddit.com``. A base URL other than the default serves both
the token and the API paths (tests, proxies).

The query chooses what is read:

* search terms (``acme``, ``"acme router" OR acmecloud``): the site-wide
  search ``GET /search?sort=new&type=link``, a ``Listing`` of ``t3`` posts;
* ``r/<subreddit>`` (several joined with ``+``), alone or after terms: the
  subreddits' newest comments, ``GET /r/<subreddits>/comments``, a
  ``Listing`` of ``t1`` comments. Reddit's API cannot search comments, so
  this is how comments reach the CRM (bots watch comment streams the same
  way): every comment of a brand's own subreddit (``r/AcmeSupport``), or
  those naming one of the terms, as whole words in any case
  (``acme acmecloud r/gadgets+smarthome``). Pages whose comments all miss
  the terms come back empty while the stream goes on.

Cursor (:class:`~.base.RunCursor`): Reddit has no "newer than" filter on
these listings, so ``since`` is the fullname of the newest thing of the
previous run and the pages (``after``) are walked until it shows up. If it
was deleted the run walks on to the end of the listing (Reddit stops at
about 1,000 things); the Odoo side deduplicates what comes again.
"""

import base64
import re
from urllib.parse import quote, urlsplit

from .base import Author, Connector, ConnectorError, Page, Post, RunCursor
from .http import VERSION, load_json
from .text import from_timestamp, html_to_text, to_int, utcnow

DEFAULT_API_URL = "https://oauth.reddit.com"
DEFAULT_TOKEN_URL = "https://www.reddit.com/api/v1/access_token"
WEB_URL = "https://www.reddit.com"
# Reddit asks for <platform>:<app id>:<version> (by ...).
USER_AGENT = f"server:social_crm:{VERSION} (+https://github.com/social-crm/social_crm)"
MAX_LIMIT = 100
# "r/name" or "/r/a+b": the subreddits whose comments are watched.
_SUBREDDITS_RE = re.compile(r"(?:^|\s)/?r/([A-Za-z0-9_]+(?:\+[A-Za-z0-9_]+)*)")
# A term: a quoted phrase or a word; OR/AND are search syntax, not terms.
_TERM_RE = re.compile(r'"([^"]+)"|(\S+)')
_OPERATORS = frozenset(("OR", "AND", "NOT"))


def parse_query(query):
    """``(terms, subreddits)`` of a source's query (see the module docstring).

    ``subreddits`` is "" for a site-wide search, else the ``+``-joined names.
    """
    query = query or ""
    names = []
    for match in _SUBREDDITS_RE.finditer(query):
        names += match.group(1).split("+")
    text = _SUBREDDITS_RE.sub(" ", query)
    terms = [
        quoted or word
        for quoted, word in _TERM_RE.findall(text)
        if (quoted or word) not in _OPERATORS
    ]
    return terms, "+".join(dict.fromkeys(names))


def terms_matcher(terms):
    """A predicate telling whether a text names one of ``terms`` (all: none)."""
    if not terms:
        return lambda _text: True
    pattern = re.compile(
        "|".join(rf"(?<!\w){re.escape(term)}(?!\w)" for term in terms), re.IGNORECASE
    )
    return lambda text: bool(pattern.search(text or ""))


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


def parse_listing(body, now=None, stop_at="", keep=None):
    """``(posts, after)`` of a ``Listing`` (bytes or decoded).

    Reading stops at the fullname ``stop_at`` (excluded), and ``after`` is
    then "" since the rest was seen by an earlier run. ``keep``, a predicate
    on the text, drops the things it refuses.
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
        post = parse_thing(thing, now)
        if keep is None or keep(post.content):
            posts.append(post)
    return posts, listing.get("after") or ""


def newest_fullname(body):
    """The fullname of the first (newest) thing of a ``Listing``, or ""."""
    for thing in (load_json(body).get("data") or {}).get("children") or []:
        name = (thing.get("data") or {}).get("name")
        if name:
            return name
    return ""


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
        terms, subreddits = parse_query(self.query)
        params = {"limit": min(self.page_size, MAX_LIMIT), "raw_json": 1}
        if subreddits:
            path = f"/r/{quote(subreddits, safe='+')}/comments"
            keep = terms_matcher(terms)
        else:
            path = "/search"
            params.update({"q": self.query, "sort": "new", "type": "link"})
            keep = None
        if state.page:
            params["after"] = state.page
        data = self.http.get_json(
            f"{self.base_url}{path}",
            params=params,
            headers={
                "Authorization": f"Bearer {self._access_token}",
                "User-Agent": USER_AGENT,
            },
            token_host=urlsplit(self.base_url).hostname,
        )
        posts, after = parse_listing(data, stop_at=state.since, keep=keep)
        # Newest first: the first thing of the run's first page is the newest,
        # kept or not (a comment missing the terms still marks where to stop).
        newest = newest_fullname(data) if not state.newest else ""
        if newest == state.since:
            newest = ""
        cursor, has_more = state.advance([newest] if newest else [], after)
        return Page(posts=posts, cursor=cursor, has_more=has_more)
