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

What a thing becomes: ``content`` is the readable text of Reddit's own
rendering (``body_html``, ``selftext_html``), kept as HTML in
``content_html``; the Markdown source (``body``, ``selftext``) is read, as
plain text, only when that rendering is missing. A comment names its post
(``thread_title``, ``thread_url``, and ``thread_link_url`` when the post links
elsewhere) and gets its URL from ``link_id`` and ``id`` when the listing
gives no ``permalink``.

Counts: ``like_count`` is the ``score``; ``reply_count`` a post's
``num_comments`` and a comment's direct replies when the thing carries them
(``replies``, a ``Listing`` in comment trees; see :func:`count_replies`), else
0: a comment's ``num_comments`` counts its post's comments.

Cursor (:class:`~.base.RunCursor`): Reddit has no "newer than" filter on
these listings, so ``since`` is the fullname of the newest thing of the
previous run and the pages (``after``) are walked until it shows up. If it
was deleted the run walks on to the end of the listing (Reddit stops at
about 1,000 things); the Odoo side deduplicates what comes again.
"""

import base64
import re
from html import unescape
from urllib.parse import quote, urlsplit

from .base import Author, Connector, ConnectorError, Page, Post, RunCursor
from .http import VERSION, load_json
from .reply import NotAuthorized, Replier, ReplyRateLimited, ReplyRejected, SentReply
from .text import from_timestamp, html_to_text, normalize_space, to_int, utcnow

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


# Light Markdown to text, for things without Reddit's HTML rendering.
_MD_CODE_FENCE_RE = re.compile(r"^\s*(?:```|~~~).*$", re.MULTILINE)
# Headings ("#title" too, as Reddit reads it), quotes and list markers.
_MD_BLOCK_RE = re.compile(
    r"^[ \t]*(?:#{1,6}[ \t]*|>+[ \t]?|[*+-][ \t]+|\d+\.[ \t]+)+", re.MULTILINE
)
_MD_RULE_RE = re.compile(r"^[ \t]*(?:[*_-][ \t]*){3,}$", re.MULTILINE)
_MD_TABLE_RULE_RE = re.compile(r"^[ \t]*\|?(?:[ \t]*:?-+:?[ \t]*\|)+.*$", re.MULTILINE)
_MD_TABLE_ROW_RE = re.compile(r"^[ \t]*\|.*$", re.MULTILINE)
_MD_IMAGE_LINK_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
# Stars and tildes mark words inside words too, underscores only whole ones.
_MD_EMPHASIS_RE = re.compile(
    r"(\*\*|~~|\*)(?=[^\s*~])(.+?)(?<=[^\s*~])\1"
    r"|(?<!\w)(__|_)(?=[^\s_])(.+?)(?<=[^\s_])\3(?!\w)",
    re.DOTALL,
)
_MD_SPOILER_RE = re.compile(r">!(.+?)!<", re.DOTALL)
_MD_CODE_RE = re.compile(r"`([^`]*)`")
_MD_SUPERSCRIPT_RE = re.compile(r"\^\(([^)]*)\)|\^(?=\S)")
_MD_ESCAPABLE = "\\`*_{}[]()#+-.!|~>^&<"
_MD_ESCAPE_RE = re.compile(r"\\([" + re.escape(_MD_ESCAPABLE) + "])")
# Escaped characters wait in the private use area while the markup goes.
_MD_HIDDEN = 0xE000
_MD_RESTORE = {_MD_HIDDEN + ord(char): char for char in _MD_ESCAPABLE}


def _hide_escaped(match):
    return chr(_MD_HIDDEN + ord(match.group(1)))


def _emphasized(match):
    return match.group(2) if match.group(1) else match.group(4)


def _table_row(match):
    return " ".join(cell.strip() for cell in match.group(0).split("|"))


def markdown_to_text(markdown):
    """The readable text of Reddit Markdown, lightly: markup and escapes go.

    Only for things without ``body_html``/``selftext_html``: links and images
    keep their text; emphasis, headings, quotes, list markers, rules, code
    marks, spoilers, superscripts and table rules lose their marks; backslash escapes
    (``\\#1``) give their character and entities (``&amp;``) are decoded.
    """
    if not markdown:
        return ""
    text = markdown
    if "\\" in text:
        text = _MD_ESCAPE_RE.sub(_hide_escaped, text)
    text = _MD_CODE_FENCE_RE.sub("", text)
    text = _MD_RULE_RE.sub("", text)
    if "|" in text:
        text = _MD_TABLE_RULE_RE.sub("", text)
        text = _MD_TABLE_ROW_RE.sub(_table_row, text)
    text = _MD_BLOCK_RE.sub("", text)
    text = _MD_IMAGE_LINK_RE.sub(r"\1", text)
    text = _MD_SPOILER_RE.sub(r"\1", text)
    text = _MD_CODE_RE.sub(r"\1", text)
    # Nested emphasis (***bold italic***) takes more than one pass.
    for _pass in range(3):
        text, count = _MD_EMPHASIS_RE.subn(_emphasized, text)
        if not count:
            break
    text = _MD_SUPERSCRIPT_RE.sub(r"\1", text)
    text = text.translate(_MD_RESTORE)
    return normalize_space(unescape(text) if "&" in text else text)


def rendered_html(value):
    """Reddit's ``body_html``/``selftext_html`` as HTML.

    Without ``raw_json=1`` Reddit escapes it once more (``&lt;div
    class="md"&gt;``): that layer is removed. With it (as this connector
    asks), it is HTML already, whose ``&lt;`` must stay escaped text.
    """
    value = value or ""
    if value.lstrip().startswith("&lt;"):
        return unescape(value)
    return value


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


def _web_url(permalink):
    return f"{WEB_URL}{permalink}" if permalink.startswith("/") else permalink


def _base36(fullname):
    """The id of a fullname (``t3_1b6x2yz`` -> ``1b6x2yz``)."""
    return fullname.partition("_")[2] if fullname[:1] == "t" else fullname


def count_replies(thing):
    """How many replies a thing has, as far as the listing tells.

    A post: its ``num_comments``. A comment: the children of its ``replies``
    listing, a ``more`` stub counting for the replies it names; 0 when
    ``replies`` is absent or "" (listings of comments never give them).
    """
    data = thing.get("data") or {}
    if thing.get("kind") == "t3":
        return to_int(data.get("num_comments"))
    replies = data.get("replies")
    if not isinstance(replies, dict):
        return 0
    count = 0
    for child in (replies.get("data") or {}).get("children") or []:
        if child.get("kind") == "more":
            count += len((child.get("data") or {}).get("children") or ())
        else:
            count += 1
    return count


def parse_thing(thing, now):
    """A :class:`Post` from a ``t3`` (link) or ``t1`` (comment) thing."""
    kind, data = thing.get("kind"), thing.get("data") or {}
    name = data["name"]
    thread = {}
    if kind == "t3":
        html = rendered_html(data.get("selftext_html"))
        text = html_to_text(html) if html else markdown_to_text(data.get("selftext"))
        content = "\n".join(part for part in (data.get("title"), text) if part)
        parent = ""
        fallback_url = f"{WEB_URL}/comments/{data.get('id') or _base36(name)}/"
    else:
        html = rendered_html(data.get("body_html"))
        content = html_to_text(html) if html else markdown_to_text(data.get("body"))
        parent = data.get("parent_id") or ""
        link = _base36(data.get("link_id") or "")
        comment = data.get("id") or _base36(name)
        fallback_url = f"{WEB_URL}/comments/{link}/_/{comment}/" if link else ""
        thread_url = _web_url(data.get("link_permalink") or "")
        if not thread_url and link:
            thread_url = f"{WEB_URL}/comments/{link}/"
        link_url = data.get("link_url") or ""
        if link and f"/comments/{link}/" in link_url:
            link_url = ""  # a self post's link_url is the post itself
        thread = {
            "thread_title": data.get("link_title") or "",
            "thread_url": thread_url,
            "thread_link_url": link_url,
        }
    warnings = []
    posted_at = from_timestamp(data.get("created_utc"))
    if posted_at is None:
        warnings.append(f"Reddit post {name} has no date: using the fetch time")
        posted_at = now
    # Inbox items have no permalink but their "context" (with ?context=3).
    permalink = data.get("permalink") or (data.get("context") or "").partition("?")[0]
    return Post(
        network="reddit",
        external_id=name,
        content=content,
        content_html=html,
        posted_at=posted_at,
        url=_web_url(permalink) if permalink else fallback_url,
        author=_author(data),
        like_count=to_int(data.get("score")),
        reply_count=count_replies(thing),
        parent_external_id=parent,
        warnings=warnings,
        **thread,
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


class RedditReplier(Replier):
    """Replies as a Reddit user: user-context OAuth, not the app-only token.

    A script app's client id and secret (HTTP basic auth) with the account's
    username and password (``grant_type=password``), or a refresh token of
    that account (``grant_type=refresh_token``), give a token with the
    ``submit`` scope; ``POST /api/comment`` (``thing_id`` = the fullname,
    ``text``, ``api_type=json``) posts the comment. Reddit reports refusals
    inside HTTP 200 answers (``json.errors``): ``RATELIMIT`` waits, the
    others refuse.
    """

    network = "reddit"
    label = "Reddit"
    default_base_url = DEFAULT_API_URL
    required = ("client_id", "client_secret")
    fallback = {"client_id": "login", "client_secret": "token"}

    def missing_credentials(self):
        missing = super().missing_credentials()
        if not self.credentials.refresh_token:
            missing += [
                name
                for name in ("login", "password")
                if not getattr(self.credentials, name)
            ]
        return missing

    @property
    def token_url(self):
        if self.base_url == DEFAULT_API_URL:
            return DEFAULT_TOKEN_URL
        return f"{self.base_url}/api/v1/access_token"

    def _user_token(self):
        creds = self.credentials
        if creds.refresh_token:
            form = {"grant_type": "refresh_token", "refresh_token": creds.refresh_token}
        else:
            form = {
                "grant_type": "password",
                "username": creds.login,
                "password": creds.password,
            }
        basic = base64.b64encode(
            f"{creds.client_id}:{creds.client_secret}".encode()
        ).decode()
        data = self._call(
            "POST",
            self.token_url,
            data=form,
            headers={"Authorization": f"Basic {basic}", "User-Agent": USER_AGENT},
        ).json()
        if not data.get("access_token"):
            # Reddit answers a wrong password with HTTP 200 and an error.
            raise NotAuthorized(
                f"Reddit refused the account: {data.get('error') or 'no token'}",
                str(data.get("error") or ""),
            )
        return data["access_token"]

    def _reply(self, target, text, key):
        token = self._user_token()
        data = self._write(
            "POST",
            f"{self.base_url}/api/comment",
            data={"thing_id": target.external_id, "text": text, "api_type": "json"},
            headers={"Authorization": f"Bearer {token}", "User-Agent": USER_AGENT},
            token_host=urlsplit(self.base_url).hostname,
        ).json()
        answer = (data or {}).get("json") or {}
        errors = answer.get("errors") or []
        if errors:
            code, message = (list(errors[0]) + ["", ""])[:2]
            if code == "RATELIMIT":
                raise ReplyRateLimited(f"Reddit is rate limiting: {message}")
            raise ReplyRejected(f"Reddit refused the comment: {message}", message)
        things = (answer.get("data") or {}).get("things") or []
        comment = (things[0].get("data") or {}) if things else {}
        permalink = comment.get("permalink") or ""
        return SentReply(
            external_id=comment.get("name") or "",
            url=_web_url(permalink) if permalink else "",
        )
