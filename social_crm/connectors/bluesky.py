"""Bluesky (AT Protocol) post search, with a handle and an app password.

``com.atproto.server.createSession`` (login = handle, token = app password)
gives an access and a refresh JWT; a call answered ``ExpiredToken`` refreshes
the session (``com.atproto.server.refreshSession``) once and is retried. All
calls go to one base URL (default ``https://bsky.social``, which proxies the
app view).

``app.bsky.feed.searchPosts?sort=latest`` gives the posts; their authors'
follower counts come from ``app.bsky.actor.getProfiles`` (25 actors a call).

Cursor (:class:`~.base.RunCursor`): ``since`` is the newest sort time of the
previous run (the earlier of ``createdAt``, which the client sets, and
``indexedAt``, so a post dated in the future cannot stall the cursor), sent
as ``since`` (inclusive: the boundary post comes again and is deduplicated by
the Odoo side); ``page`` is the search's ``cursor``.
"""

import re

from .base import Author, Connector, ConnectorError, HttpError, Page, Post, RunCursor
from .http import load_json
from .reply import Replier, ReplyFailed, ReplyRejected, SentReply
from .text import date_or_now, parse_date, to_int, utcnow

XRPC = "/xrpc/"
PROFILE_BATCH = 25
MAX_LIMIT = 100


def post_url(uri, handle=""):
    """``https://bsky.app/profile/{handle or did}/post/{rkey}`` of an at:// URI."""
    did, _collection, rkey = uri.removeprefix("at://").split("/", 2)
    return f"https://bsky.app/profile/{handle or did}/post/{rkey}"


def parse_profile(profile):
    """An :class:`Author` from a ``profileView*`` (basic or detailed)."""
    handle = profile.get("handle") or ""
    return Author(
        network="bluesky",
        external_id=profile["did"],
        handle=f"@{handle}" if handle else "",
        name=profile.get("displayName") or handle,
        profile_url=f"https://bsky.app/profile/{handle or profile['did']}",
        avatar_url=profile.get("avatar") or "",
        bio=profile.get("description") or "",
        followers_count=to_int(profile.get("followersCount")),
        following_count=to_int(profile.get("followsCount")),
        post_count=to_int(profile.get("postsCount")),
    )


def sort_time(post_view):
    """The earlier of ``createdAt`` and ``indexedAt`` (naive UTC), or None."""
    times = [
        parse_date((post_view.get("record") or {}).get("createdAt")),
        parse_date(post_view.get("indexedAt")),
    ]
    times = [value for value in times if value is not None]
    return min(times) if times else None


def parse_search(body, now=None):
    """``(posts, cursor)`` of a ``searchPosts`` answer (bytes or decoded).

    Posts are deduplicated on their at:// URI.
    """
    data = load_json(body)
    now = now or utcnow()
    posts = {}
    for view in data.get("posts") or []:
        uri = view.get("uri") or ""
        if not uri.startswith("at://") or uri in posts:
            continue
        record = view.get("record") or {}
        author = parse_profile(view["author"]) if view.get("author") else None
        reply = record.get("reply") or {}
        reply_parent = reply.get("parent") or {}
        # A reply names its thread's root; a post that is no reply is its own.
        root = reply.get("root") or {"uri": uri, "cid": view.get("cid")}
        warnings = []
        posts[uri] = Post(
            network="bluesky",
            external_id=uri,
            content=record.get("text") or "",
            posted_at=date_or_now(record.get("createdAt"), now, warnings),
            url=post_url(uri, author.handle.lstrip("@") if author else ""),
            author=author,
            lang=(record.get("langs") or [""])[0],
            like_count=to_int(view.get("likeCount")),
            share_count=to_int(view.get("repostCount")),
            reply_count=to_int(view.get("replyCount")),
            parent_external_id=reply_parent.get("uri") or "",
            cid=view.get("cid") or "",
            root_external_id=root.get("uri") or "",
            root_cid=root.get("cid") or "",
            warnings=warnings,
        )
    return list(posts.values()), data.get("cursor") or ""


def parse_profiles(body):
    """``{did: Author}`` of a ``getProfiles`` answer (bytes or decoded)."""
    data = load_json(body)
    return {
        profile["did"]: parse_profile(profile)
        for profile in data.get("profiles") or []
        if profile.get("did")
    }


class BlueskyConnector(Connector):
    code = "bluesky"
    label = "Bluesky"
    default_base_url = "https://bsky.social"
    network = "bluesky"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._access_jwt = ""
        self._refresh_jwt = ""

    def _xrpc(self, method, nsid, **kwargs):
        return self.http.request_json(
            method, f"{self.base_url}{XRPC}{nsid}", secrets=(self.token,), **kwargs
        )

    def _store_session(self, session):
        if not session.get("accessJwt"):
            raise ConnectorError("Bluesky did not open a session")
        self._access_jwt = session["accessJwt"]
        self._refresh_jwt = session.get("refreshJwt") or ""

    def _create_session(self):
        if not (self.login and self.token):
            raise ConnectorError(
                "The Bluesky connector needs a handle (login) "
                "and an app password (token)"
            )
        self._store_session(
            self._xrpc(
                "POST",
                "com.atproto.server.createSession",
                json={"identifier": self.login, "password": self.token},
            )
        )

    def _refresh_session(self):
        """Refresh the session, or open a new one if the refresh token expired too."""
        try:
            self._store_session(
                self._xrpc(
                    "POST",
                    "com.atproto.server.refreshSession",
                    headers={"Authorization": f"Bearer {self._refresh_jwt}"},
                )
            )
        except HttpError as exc:
            if not _expired(exc):
                raise
            self._create_session()

    def _call(self, nsid, params):
        """An authenticated GET, refreshing the session once on ``ExpiredToken``."""
        if not self._access_jwt:
            self._create_session()
        for attempt in range(2):
            try:
                return self._xrpc(
                    "GET",
                    nsid,
                    params=params,
                    headers={"Authorization": f"Bearer {self._access_jwt}"},
                )
            except HttpError as exc:
                if attempt or not _expired(exc):
                    raise
                self._refresh_session()

    def fetch(self, cursor=None):
        state = RunCursor.load(cursor)
        params = {
            "q": self.query,
            "sort": "latest",
            "limit": min(self.page_size, MAX_LIMIT),
        }
        if state.since:
            params["since"] = f"{state.since}Z"
        if state.page:
            params["cursor"] = state.page
        data = self._call("app.bsky.feed.searchPosts", params)
        posts, next_page = parse_search(data)
        warnings = self._complete_authors(posts)
        anchors = [sort_time(view) for view in data.get("posts") or []]
        anchors = [value.isoformat() for value in anchors if value is not None]
        cursor, has_more = state.advance(anchors, next_page)
        return Page(posts=posts, cursor=cursor, has_more=has_more, warnings=warnings)

    def _complete_authors(self, posts):
        """Fill follower counts from ``getProfiles``; a failure is only a warning."""
        dids = list(dict.fromkeys(p.author.external_id for p in posts if p.author))
        profiles = {}
        try:
            for start in range(0, len(dids), PROFILE_BATCH):
                batch = dids[start : start + PROFILE_BATCH]
                data = self._call("app.bsky.actor.getProfiles", {"actors": batch})
                profiles.update(parse_profiles(data))
        except ConnectorError as exc:
            return [f"Bluesky profiles unavailable, counts missing: {exc}"]
        for post in posts:
            if post.author and post.author.external_id in profiles:
                post.author = profiles[post.author.external_id]
        return []


def _expired(error):
    return error.status in (400, 401) and b"ExpiredToken" in error.body


_LINK_RE = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]", re.IGNORECASE)


def link_facets(text):
    """The link facets of ``text``: Bluesky shows a URL as a link only so.

    Facets locate their text by UTF-8 byte offsets (``byteStart`` inclusive,
    ``byteEnd`` exclusive).
    """
    facets = []
    for match in _LINK_RE.finditer(text or ""):
        start = len(text[: match.start()].encode())
        facets.append(
            {
                "index": {
                    "byteStart": start,
                    "byteEnd": start + len(match.group().encode()),
                },
                "features": [
                    {"$type": "app.bsky.richtext.facet#link", "uri": match.group()}
                ],
            }
        )
    return facets


class BlueskyReplier(Replier):
    """Replies with a handle and an app password.

    ``com.atproto.server.createSession`` opens a session (its ``did`` is the
    repository written to), then ``com.atproto.repo.createRecord`` writes an
    ``app.bsky.feed.post`` whose ``reply`` names the thread's ``root`` and the
    ``parent`` answered by strong refs (``uri`` and ``cid``). Ingestion keeps
    them; a mention stored without them has them read first with
    ``app.bsky.feed.getPosts``.
    """

    network = "bluesky"
    label = "Bluesky"
    default_base_url = BlueskyConnector.default_base_url
    required = ("login", "password")
    fallback = {"login": "login", "password": "token"}

    def _xrpc_url(self, nsid):
        return f"{self.base_url}{XRPC}{nsid}"

    def _session(self):
        session = self._call(
            "POST",
            self._xrpc_url("com.atproto.server.createSession"),
            json={
                "identifier": self.credentials.login,
                "password": self.credentials.password,
            },
        ).json()
        if not session.get("accessJwt") or not session.get("did"):
            raise ReplyFailed("Bluesky did not open a session")
        return session

    def _strong_refs(self, target, auth):
        """``(root, parent)`` strong refs of the post answered."""
        parent = {"uri": target.external_id, "cid": target.cid}
        root = {"uri": target.root_external_id, "cid": target.root_cid}
        if parent["cid"] and root["uri"] and root["cid"]:
            return root, parent
        data = self._call(
            "GET",
            self._xrpc_url("app.bsky.feed.getPosts"),
            params={"uris": target.external_id},
            headers=auth,
        ).json()
        views = data.get("posts") or []
        if not views or not views[0].get("cid"):
            raise ReplyRejected(
                f"Bluesky cannot find the post {target.external_id} (deleted?)"
            )
        view = views[0]
        parent = {"uri": view.get("uri") or target.external_id, "cid": view["cid"]}
        root = ((view.get("record") or {}).get("reply") or {}).get("root") or parent
        return {"uri": root["uri"], "cid": root["cid"]}, parent

    def _reply(self, target, text, key):
        session = self._session()
        auth = {"Authorization": f"Bearer {session['accessJwt']}"}
        root, parent = self._strong_refs(target, auth)
        record = {
            "$type": "app.bsky.feed.post",
            "text": text,
            "createdAt": utcnow().isoformat(timespec="milliseconds") + "Z",
            "reply": {"root": root, "parent": parent},
        }
        facets = link_facets(text)
        if facets:
            record["facets"] = facets
        data = self._write(
            "POST",
            self._xrpc_url("com.atproto.repo.createRecord"),
            json={
                "repo": session["did"],
                "collection": "app.bsky.feed.post",
                "record": record,
            },
            headers=auth,
        ).json()
        uri = data.get("uri") or ""
        handle = session.get("handle") or ""
        return SentReply(
            external_id=uri, url=post_url(uri, handle) if uri.count("/") >= 4 else ""
        )
