"""Mastodon (any instance: the base URL is the instance root).

The query chooses the endpoint:

* ``#tag`` (or any text without a token): the public hashtag timeline
  ``/api/v1/timelines/tag/{tag}``, no token needed;
* ``@...`` or empty: the mentions of the token's account,
  ``/api/v1/notifications?types[]=mention`` (token required; the text after
  ``@`` is informative, the token decides whose mentions they are);
* other text with a token: ``/api/v2/search?type=statuses``.

Cursor: the newest id seen, sent as ``min_id`` (ids compared as integers):
Mastodon then returns the page just above it, newest first, so successive
fetches walk forward without gaps; ``has_more`` while pages come back full.
For notifications the ``prev`` link of the ``Link`` header gives that
``min_id``. Ids are local to the instance, which is one source: the stable
external ids are the status ``uri`` and the account ``url``. A reply names
its parent by such a local id: the parent's uri is filled in when the run
saw the parent (in the same page or an earlier one), and left empty
otherwise rather than asked for, one request per reply.
"""

from functools import lru_cache
from urllib.parse import parse_qs, quote, urlsplit

from .base import Author, Connector, ConnectorError, Page, Post
from .http import load_json, parse_link_header
from .reply import Replier, ReplyRejected, SentReply
from .reply_length import reply_limit
from .text import date_or_now, html_to_text, to_int, utcnow

#: Largest page the status endpoints serve.
MAX_LIMIT = 40

#: Visibilities a reply keeps from the status it answers (public is the
#: account's default, left to it).
RESTRICTED_VISIBILITIES = frozenset(("unlisted", "private", "direct"))

#: Status uris a connector remembers for the parents of replies, at most.
MAX_KNOWN_URIS = 20_000

#: An account's note comes with each of its statuses: read it once.
_note_text = lru_cache(maxsize=4096)(html_to_text)


def parse_account(account, instance_host=""):
    """An :class:`Author` from a Mastodon account object.

    ``instance_host`` completes a local ``acct`` when the account has no URL.
    """
    acct = account.get("acct") or account.get("username") or ""
    # A local account's acct has no domain: take it from its profile URL.
    domain = urlsplit(account.get("url") or "").hostname or instance_host
    if "@" not in acct and domain:
        acct = f"{acct}@{domain}"
    fields = account.get("fields") or []
    return Author(
        network="mastodon",
        external_id=account.get("url") or acct,
        handle=f"@{acct}",
        name=account.get("display_name") or account.get("username") or acct,
        profile_url=account.get("url") or "",
        avatar_url=account.get("avatar") or "",
        bio=_note_text(account.get("note") or ""),
        followers_count=to_int(account.get("followers_count")),
        following_count=to_int(account.get("following_count")),
        post_count=to_int(account.get("statuses_count")),
        verified=any(field.get("verified_at") for field in fields),
        bot=bool(account.get("bot")),
    )


def parse_status(status, now, instance_host="", known_uris=None):
    """A :class:`Post` from a status; a reblog yields the reblogged status.

    ``known_uris`` maps the (instance-local) ids of statuses seen so far to
    their uri: a reply names its parent by such an id, while a stored post
    is known by its uri, so a parent is only named when it was seen.
    """
    status = status.get("reblog") or status
    parent_id = status.get("in_reply_to_id")
    parent = (known_uris or {}).get(str(parent_id), "") if parent_id else ""
    warnings = []
    text = html_to_text(status.get("content") or "")
    if status.get("spoiler_text"):
        text = f"{status['spoiler_text']}\n{text}".strip()
    return Post(
        network="mastodon",
        external_id=status.get("uri") or status.get("url") or "",
        content=text,
        content_html=status.get("content") or "",
        posted_at=date_or_now(status.get("created_at"), now, warnings),
        url=status.get("url") or status.get("uri") or "",
        author=parse_account(status.get("account") or {}, instance_host),
        lang=status.get("language") or "",
        like_count=to_int(status.get("favourites_count")),
        share_count=to_int(status.get("reblogs_count")),
        reply_count=to_int(status.get("replies_count")),
        parent_external_id=parent,
        warnings=warnings,
    )


def _statuses(items, now, instance_host, known_uris=None):
    # A page lists the newest first, so a parent is after its replies: every
    # uri of the page is known before any reply is read.
    known_uris = {} if known_uris is None else known_uris
    for item in items:
        for status in (item, item.get("reblog") or {}):
            if status.get("id") and status.get("uri"):
                known_uris[str(status["id"])] = status["uri"]
    posts = [parse_status(item, now, instance_host, known_uris) for item in items]
    # Several reblogs of one status in a page would repeat it.
    unique = {post.external_id: post for post in posts if post.external_id}
    return list(unique.values())


def parse_statuses(body, now=None, instance_host="", known_uris=None):
    """Posts of a status list (timelines) or of a v2 search result.

    ``body`` is the response body (bytes) or its decoded JSON;
    ``known_uris`` (see :func:`parse_status`) gets this page's statuses.
    """
    data = load_json(body)
    if isinstance(data, dict):
        data = data.get("statuses") or []
    return _statuses(data, now or utcnow(), instance_host, known_uris)


def parse_notifications(body, now=None, instance_host="", known_uris=None):
    """Posts of the ``mention`` notifications of a notification list.

    ``body`` is the response body (bytes) or its decoded JSON;
    ``known_uris`` (see :func:`parse_status`) gets this page's statuses.
    """
    data = load_json(body)
    items = [
        n["status"] for n in data if n.get("type") == "mention" and n.get("status")
    ]
    return _statuses(items, now or utcnow(), instance_host, known_uris)


def _max_id(ids):
    ids = [to_int(value, None) for value in ids]
    ids = [value for value in ids if value is not None]
    return str(max(ids)) if ids else None


class MastodonConnector(Connector):
    code = "mastodon"
    label = "Mastodon"
    default_base_url = "https://mastodon.social"
    network = "mastodon"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Status id -> uri of what this run saw, for the parents of replies
        # (pages walk forward in time, so parents come before replies).
        self._known_uris = {}

    @property
    def known_uris(self):
        if len(self._known_uris) > MAX_KNOWN_URIS:
            self._known_uris.clear()
        return self._known_uris

    @property
    def instance_host(self):
        return urlsplit(self.base_url).hostname or ""

    def fetch(self, cursor=None):
        query = self.query
        limit = min(self.page_size, MAX_LIMIT)
        params = {"limit": limit}
        if cursor:
            params["min_id"] = cursor
        if query.startswith("@") or not query:
            return self._fetch_mentions(params, cursor)
        if query.startswith("#") or not self.token:
            tag = quote(query.lstrip("#").strip(), safe="")
            url = f"{self.base_url}/api/v1/timelines/tag/{tag}"
            data = self.http.get_json(url, params=params)
        else:
            params.update(type="statuses", q=query, resolve="false")
            data = self.http.get_json(
                f"{self.base_url}/api/v2/search", params=params, headers=self._auth()
            )
            data = data.get("statuses") or []
        posts = parse_statuses(data, utcnow(), self.instance_host, self.known_uris)
        newest = _max_id(item.get("id") for item in data) or cursor
        return Page(posts=posts, cursor=newest, has_more=len(data) >= limit)

    def _auth(self):
        return {"Authorization": f"Bearer {self.token}"}

    def _fetch_mentions(self, params, cursor):
        if not self.token:
            raise ConnectorError(
                "Mastodon mentions need an access token; "
                "use a #hashtag query to follow a public tag"
            )
        params = {**params, "types[]": "mention"}
        response = self.http.request(
            "GET",
            f"{self.base_url}/api/v1/notifications",
            params=params,
            headers=self._auth(),
        )
        response.raise_for_status()
        data = response.json()
        prev = parse_link_header(response.headers.get("Link")).get("prev", "")
        newest = (parse_qs(urlsplit(prev).query).get("min_id") or [None])[0]
        newest = newest or _max_id(item.get("id") for item in data) or cursor
        posts = parse_notifications(data, utcnow(), self.instance_host, self.known_uris)
        return Page(posts=posts, cursor=newest, has_more=len(data) >= params["limit"])


class MastodonReplier(Replier):
    """Replies as the posting account, on that account's instance.

    The mention knows the status by its ``uri``: the instance finds its local
    id with ``GET /api/v2/search?q=<uri>&resolve=true&type=statuses``, then
    ``POST /api/v1/statuses`` with ``in_reply_to_id`` posts the reply (token
    with the ``write:statuses`` scope). The ``Idempotency-Key`` header makes
    the instance ignore a second identical request. The instance's length
    limit comes from ``/api/v2/instance``.
    """

    network = "mastodon"
    label = "Mastodon"
    default_base_url = MastodonConnector.default_base_url
    required = ("token",)
    fallback = {"token": "token"}

    def _auth(self):
        return {"Authorization": f"Bearer {self.credentials.token}"}

    def instance_limit(self):
        """``configuration.statuses.max_characters`` of the instance, or None."""
        try:
            data = self._call("GET", f"{self.base_url}/api/v2/instance").json()
        except ConnectorError:
            return None
        configuration = data.get("configuration") if isinstance(data, dict) else None
        statuses = (configuration or {}).get("statuses") or {}
        limit = statuses.get("max_characters")
        return limit if isinstance(limit, int) and limit > 0 else None

    def limit(self):
        """The instance's limit, 500 when it does not say."""
        return reply_limit(self.network, self.instance_limit())

    def resolve(self, uri):
        """The posting instance's status of ``uri``: ``(local id, visibility)``."""
        data = self._call(
            "GET",
            f"{self.base_url}/api/v2/search",
            params={"q": uri, "resolve": "true", "type": "statuses", "limit": 1},
            headers=self._auth(),
        ).json()
        for status in (data or {}).get("statuses") or []:
            if status.get("id"):
                return str(status["id"]), status.get("visibility") or ""
        raise ReplyRejected(
            f"Mastodon: {self.base_url} cannot find the post {uri} "
            "(deleted, or not visible to the posting account)"
        )

    def _reply(self, target, text, key):
        status_id, visibility = self.resolve(target.external_id)
        headers = self._auth()
        if key:
            headers["Idempotency-Key"] = key
        status = {"status": text, "in_reply_to_id": status_id}
        # As Mastodon's own clients do: a reply to a restricted post is no
        # more public than it (a reply to a direct message stays direct).
        if visibility in RESTRICTED_VISIBILITIES:
            status["visibility"] = visibility
        data = self._write(
            "POST",
            f"{self.base_url}/api/v1/statuses",
            json=status,
            headers=headers,
        ).json()
        return SentReply(
            external_id=data.get("uri") or str(data.get("id") or ""),
            url=data.get("url") or data.get("uri") or "",
        )
