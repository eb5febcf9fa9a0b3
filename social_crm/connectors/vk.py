"""VK (VKontakte) ``newsfeed.search``, with a user or service access token.

The token travels as the ``access_token`` parameter, as VK expects; the HTTP
layer masks it in logs and errors (it is a token-like parameter) and the
connector lists it among the request's secrets for VK's own error messages.

VK answers errors with HTTP 200 and an ``error`` object: codes 6 (too many
requests per second), 9 (flood control) and 29 (rate limit reached) raise
:class:`~.base.RateLimited`, the others :class:`~.base.ConnectorError` with
VK's message.

Cursor (:class:`~.base.RunCursor`): ``since`` is the newest post date (Unix
time) of the previous run, sent as ``start_time`` (inclusive: the boundary
post comes again and is deduplicated by the Odoo side); ``page`` is VK's
``next_from``.
"""

from .base import Author, Connector, ConnectorError, Page, Post, RateLimited, RunCursor
from .http import load_json
from .reply import NotAuthorized, Replier, ReplyRateLimited, ReplyRejected, SentReply
from .text import from_timestamp, to_int, utcnow

API_VERSION = "5.199"
RATE_LIMIT_CODES = frozenset((6, 9, 29))
#: Authorization failed, access denied, no access to the comments.
AUTH_ERROR_CODES = frozenset((5, 15, 213))
MAX_COUNT = 200


def check_error(data):
    """Raise for a VK ``error`` object (sent with HTTP 200)."""
    error = data.get("error") if isinstance(data, dict) else None
    if not error:
        return
    code = to_int(error.get("error_code"))
    message = f"VK error {code}: {error.get('error_msg') or 'unknown error'}"
    if code in RATE_LIMIT_CODES:
        raise RateLimited(message)
    raise ConnectorError(message)


def _profile_author(profile):
    owner_id = str(profile["id"])
    screen_name = profile.get("screen_name") or f"id{owner_id}"
    name = " ".join(
        part for part in (profile.get("first_name"), profile.get("last_name")) if part
    )
    return Author(
        network="vk",
        external_id=owner_id,
        handle=screen_name,
        name=name or screen_name,
        profile_url=f"https://vk.com/{screen_name}",
        avatar_url=profile.get("photo_100") or profile.get("photo_50") or "",
        followers_count=to_int(profile.get("followers_count")),
        verified=bool(profile.get("verified")),
    )


def _group_author(group):
    owner_id = f"-{group['id']}"
    screen_name = group.get("screen_name") or f"club{group['id']}"
    return Author(
        network="vk",
        external_id=owner_id,
        handle=screen_name,
        name=group.get("name") or screen_name,
        profile_url=f"https://vk.com/{screen_name}",
        avatar_url=group.get("photo_100") or group.get("photo_50") or "",
        followers_count=to_int(group.get("members_count")),
        verified=bool(group.get("verified")),
    )


def parse_newsfeed(body, now=None):
    """``(posts, next_from)`` of a ``newsfeed.search`` answer (bytes or decoded).

    Positive owner ids are users (``profiles``), negative ones communities
    (``groups``); the author is the signed ``from_id`` (else ``owner_id``).
    """
    data = load_json(body)
    check_error(data)
    now = now or utcnow()
    response = data.get("response") or {}
    authors = {str(p["id"]): _profile_author(p) for p in response.get("profiles") or []}
    authors.update(
        {f"-{g['id']}": _group_author(g) for g in response.get("groups") or []}
    )
    posts = []
    for item in response.get("items") or []:
        owner_id, post_id = item.get("owner_id"), item.get("id")
        if owner_id is None or post_id is None:
            continue
        warnings = []
        posted_at = from_timestamp(item.get("date"))
        if posted_at is None:
            warnings.append(
                f"VK post {owner_id}_{post_id} has no date: using the fetch time"
            )
            posted_at = now
        author_id = str(item.get("from_id") or owner_id)
        posts.append(
            Post(
                network="vk",
                external_id=f"{owner_id}_{post_id}",
                content=item.get("text") or "",
                posted_at=posted_at,
                url=f"https://vk.com/wall{owner_id}_{post_id}",
                author=authors.get(author_id)
                or Author(network="vk", external_id=author_id),
                like_count=to_int((item.get("likes") or {}).get("count")),
                share_count=to_int((item.get("reposts") or {}).get("count")),
                reply_count=to_int((item.get("comments") or {}).get("count")),
                warnings=warnings,
            )
        )
    return posts, response.get("next_from") or ""


class VkConnector(Connector):
    code = "vk"
    label = "VK"
    default_base_url = "https://api.vk.com"
    network = "vk"

    def fetch(self, cursor=None):
        if not self.token:
            raise ConnectorError("The VK connector needs an access token")
        state = RunCursor.load(cursor)
        params = {
            "q": self.query,
            "count": min(self.page_size, MAX_COUNT),
            "extended": 1,
            "fields": "followers_count,members_count,screen_name,photo_100,verified",
            "v": API_VERSION,
            "access_token": self.token,
        }
        if state.since:
            params["start_time"] = state.since
        if state.page:
            params["start_from"] = state.page
        response = self.http.request(
            "GET",
            f"{self.base_url}/method/newsfeed.search",
            params=params,
            secrets=(self.token,),
        )
        response.raise_for_status()
        data = response.json()
        try:
            posts, next_from = parse_newsfeed(data)
        except ConnectorError as exc:
            # VK's messages may quote the request: mask the token.
            raise type(exc)(response.redact(str(exc))) from None
        items = (data.get("response") or {}).get("items") or []
        anchors = [str(item.get("date") or "") for item in items]
        cursor, has_more = state.advance(anchors, next_from, key=int)
        return Page(posts=posts, cursor=cursor, has_more=has_more)


class VkReplier(Replier):
    """Comments a wall post with a user token (``wall`` scope).

    ``wall.createComment`` with ``owner_id``, ``post_id`` (from the mention's
    ``<owner>_<post>`` id), ``message``, ``access_token`` and ``v``. VK answers
    errors with HTTP 200 and an ``error`` object: 5 (authorization), 15 and
    213 (no access to comments) are refusals of the credentials, 6, 9 and 29
    rate limits, the others refusals of the comment.
    """

    network = "vk"
    label = "VK"
    default_base_url = VkConnector.default_base_url
    required = ("token",)
    fallback = {"token": "token"}

    def _reply(self, target, text, key):
        owner_id, _sep, post_id = target.external_id.rpartition("_")
        if not owner_id or not post_id:
            raise ReplyRejected(f"VK: {target.external_id} is not a wall post id")
        response = self._write(
            "POST",
            f"{self.base_url}/method/wall.createComment",
            data={
                "owner_id": owner_id,
                "post_id": post_id,
                "message": text,
                "access_token": self.credentials.token,
                "v": API_VERSION,
            },
        )
        data = response.json()
        error = data.get("error") if isinstance(data, dict) else None
        if error:
            code = to_int(error.get("error_code"))
            message = response.redact(error.get("error_msg") or "unknown error")
            text = f"VK error {code}: {message}"
            if code in RATE_LIMIT_CODES:
                raise ReplyRateLimited(text)
            if code in AUTH_ERROR_CODES:
                raise NotAuthorized(text, message)
            raise ReplyRejected(text, message)
        comment_id = str((data.get("response") or {}).get("comment_id") or "")
        return SentReply(
            external_id=f"{owner_id}_{post_id}_{comment_id}",
            url=f"https://vk.com/wall{owner_id}_{post_id}?reply={comment_id}",
        )
