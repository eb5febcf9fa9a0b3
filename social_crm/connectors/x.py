"""X (Twitter) API v2 recent search, with an app bearer token.

``GET {base}/2/tweets/search/recent`` with ``expansions=author_id`` so the
authors come in ``includes.users``. Cursor (:class:`~.base.RunCursor`):
``since`` is the newest tweet id of the previous run, sent as ``since_id``
(exclusive, ids are unique); ``page`` is the ``next_token`` of the current run.
"""

from .base import Author, Connector, ConnectorError, Page, Post, RunCursor
from .http import load_json
from .text import date_or_now, to_int, utcnow

TWEET_FIELDS = "created_at,public_metrics,lang,conversation_id,referenced_tweets"
USER_FIELDS = "public_metrics,verified,description,profile_image_url,username,name"
MIN_RESULTS, MAX_RESULTS = 10, 100


def parse_user(user):
    """An :class:`Author` from an X user object."""
    metrics = user.get("public_metrics") or {}
    username = user.get("username") or ""
    return Author(
        network="x",
        external_id=str(user["id"]),
        handle=f"@{username}" if username else "",
        name=user.get("name") or username,
        profile_url=f"https://x.com/{username}" if username else "",
        avatar_url=user.get("profile_image_url") or "",
        bio=user.get("description") or "",
        followers_count=to_int(metrics.get("followers_count")),
        following_count=to_int(metrics.get("following_count")),
        post_count=to_int(metrics.get("tweet_count")),
        verified=bool(user.get("verified")),
    )


def parse_search(body, now=None):
    """``(posts, next_token)`` of a recent-search answer (bytes or decoded).

    An answer with ``errors`` and no ``data`` nor ``meta`` is a failed
    request; ``errors`` next to data (e.g. a suspended author) are ignored.
    """
    data = load_json(body)
    now = now or utcnow()
    if data.get("errors") and "data" not in data and "meta" not in data:
        error = data["errors"][0]
        detail = error.get("detail") or error.get("message") or error.get("title")
        raise ConnectorError(f"X search failed: {detail}")
    users = {
        str(user["id"]): parse_user(user)
        for user in (data.get("includes") or {}).get("users") or []
        if user.get("id")
    }
    posts = []
    for tweet in data.get("data") or []:
        metrics = tweet.get("public_metrics") or {}
        author = users.get(str(tweet.get("author_id")))
        username = author.handle.lstrip("@") if author else "i"
        replied = [
            ref["id"]
            for ref in tweet.get("referenced_tweets") or []
            if ref.get("type") == "replied_to"
        ]
        warnings = []
        posts.append(
            Post(
                network="x",
                external_id=str(tweet["id"]),
                content=tweet.get("text") or "",
                posted_at=date_or_now(tweet.get("created_at"), now, warnings),
                url=f"https://x.com/{username}/status/{tweet['id']}",
                author=author,
                lang=tweet.get("lang") or "",
                like_count=to_int(metrics.get("like_count")),
                share_count=to_int(metrics.get("retweet_count")),
                reply_count=to_int(metrics.get("reply_count")),
                parent_external_id=str(replied[0]) if replied else "",
                warnings=warnings,
            )
        )
    return posts, (data.get("meta") or {}).get("next_token") or ""


class XConnector(Connector):
    code = "x"
    label = "X (Twitter)"
    default_base_url = "https://api.x.com"
    network = "x"

    def fetch(self, cursor=None):
        if not self.token:
            raise ConnectorError("The X connector needs an app bearer token")
        state = RunCursor.load(cursor)
        params = {
            "query": self.query,
            "max_results": max(MIN_RESULTS, min(self.page_size, MAX_RESULTS)),
            "expansions": "author_id",
            "tweet.fields": TWEET_FIELDS,
            "user.fields": USER_FIELDS,
        }
        if state.since:
            params["since_id"] = state.since
        if state.page:
            params["next_token"] = state.page
        data = self.http.get_json(
            f"{self.base_url}/2/tweets/search/recent",
            params=params,
            headers={"Authorization": f"Bearer {self.token}"},
        )
        posts, next_token = parse_search(data)
        anchors = [post.external_id for post in posts]
        cursor, has_more = state.advance(anchors, next_token, key=int)
        return Page(posts=posts, cursor=cursor, has_more=has_more)
