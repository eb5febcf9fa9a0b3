"""X (Twitter) API v2 recent search, with an app bearer token.

``GET {base}/2/tweets/search/recent`` with the expansions ``author_id``,
``referenced_tweets.id`` and ``referenced_tweets.id.author_id``: the authors
come in ``includes.users``, the tweets the results refer to (retweeted,
quoted, replied to) in ``includes.tweets``, with their authors among the users.

What a page becomes:

* the text is unescaped: X sends ``&``, ``<`` and ``>`` as ``&amp;``,
  ``&lt;`` and ``&gt;``; a long post (over 280 characters) has its whole text
  in ``note_tweet.text``, its ``text`` being cut;
* a retweet is unwrapped to the tweet it retweets, read from
  ``includes.tweets`` (whole text, its own author and metrics) and kept once
  per page however many results retweet it: the retweet adds no mention of
  its own, the original's ``share_count`` (its ``retweet_count``) carries the
  amplification. A retweet whose original is not in the answer (deleted,
  protected) is kept as it is, ``RT @user:`` text and all, with a warning;
* a quote tweet is a post of its own, naming the tweet it quotes in
  ``quoted_external_id``; a reply names its parent in ``parent_external_id``.

Cursor (:class:`~.base.RunCursor`): ``since`` is the newest id among the
search results of the previous run (retweets included, not the older tweets
they are unwrapped to), sent as ``since_id`` (exclusive, ids are unique);
``page`` is the ``next_token`` of the current run.
"""

import base64
from html import unescape

from .base import Author, Connector, ConnectorError, Page, Post, RunCursor
from .http import load_json
from .reply import NotAuthorized, Replier, ReplyRejected, SentReply
from .text import date_or_now, to_int, utcnow

EXPANSIONS = "author_id,referenced_tweets.id,referenced_tweets.id.author_id"
TWEET_FIELDS = (
    "author_id,created_at,public_metrics,lang,conversation_id,referenced_tweets,"
    "note_tweet"
)
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


def tweet_text(tweet):
    """The whole, unescaped text of a tweet (``note_tweet`` for a long post)."""
    note = tweet.get("note_tweet")
    text = (note.get("text") if note else "") or tweet.get("text") or ""
    # X escapes every "&", so one unescape gives back what was written.
    return unescape(text) if "&" in text else text


def references(tweet):
    """``{type: id}`` of a tweet's ``referenced_tweets`` (the first of each type)."""
    refs = {}
    for ref in tweet.get("referenced_tweets") or ():
        if ref.get("id"):
            refs.setdefault(ref.get("type"), str(ref["id"]))
    return refs


def parse_tweet(tweet, users, now, warnings=None):
    """A :class:`Post` from a tweet object; ``users`` maps ids to authors."""
    metrics = tweet.get("public_metrics") or {}
    author = users.get(str(tweet.get("author_id")))
    username = author.handle.lstrip("@") if author else "i"
    refs = references(tweet)
    warnings = [] if warnings is None else warnings
    return Post(
        network="x",
        external_id=str(tweet["id"]),
        content=tweet_text(tweet),
        posted_at=date_or_now(tweet.get("created_at"), now, warnings),
        url=f"https://x.com/{username}/status/{tweet['id']}",
        author=author,
        lang=tweet.get("lang") or "",
        like_count=to_int(metrics.get("like_count")),
        share_count=to_int(metrics.get("retweet_count")),
        reply_count=to_int(metrics.get("reply_count")),
        parent_external_id=refs.get("replied_to", ""),
        quoted_external_id=refs.get("quoted", ""),
        warnings=warnings,
    )


def _missing_reasons(errors):
    """``{tweet id: reason}`` of the partial errors naming a referenced tweet."""
    return {
        str(error["resource_id"]): error.get("title") or error.get("detail") or ""
        for error in errors or ()
        if error.get("resource_id") and error.get("resource_type") == "tweet"
    }


def parse_search(body, now=None):
    """``(posts, next_token)`` of a recent-search answer (bytes or decoded).

    An answer with ``errors`` and no ``data`` nor ``meta`` is a failed
    request; ``errors`` next to data (e.g. a deleted retweeted tweet or a
    suspended author) only explain what ``includes`` lacks.
    """
    data = load_json(body)
    now = now or utcnow()
    if data.get("errors") and "data" not in data and "meta" not in data:
        error = data["errors"][0]
        detail = error.get("detail") or error.get("message") or error.get("title")
        raise ConnectorError(f"X search failed: {detail}")
    includes = data.get("includes") or {}
    users = {
        str(user["id"]): parse_user(user)
        for user in includes.get("users") or ()
        if user.get("id")
    }
    included = {
        str(tweet["id"]): tweet
        for tweet in includes.get("tweets") or ()
        if tweet.get("id")
    }
    reasons = None
    posts = {}
    for tweet in data.get("data") or ():
        if not tweet.get("id"):
            continue
        warnings = []
        if tweet.get("referenced_tweets"):
            retweeted = references(tweet).get("retweeted")
        else:
            retweeted = ""
        if retweeted:
            original = included.get(retweeted)
            if original is not None:
                tweet = original
            else:
                if reasons is None:
                    reasons = _missing_reasons(data.get("errors"))
                reason = reasons.get(retweeted) or "deleted or protected?"
                warnings.append(
                    f"X retweet {tweet['id']} of tweet {retweeted}: the original "
                    f"is not in the answer ({reason}), the retweet is kept"
                )
        post = parse_tweet(tweet, users, now, warnings)
        # Several retweets of one tweet in a page would repeat it.
        posts.setdefault(post.external_id, post)
    return list(posts.values()), (data.get("meta") or {}).get("next_token") or ""


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
            "expansions": EXPANSIONS,
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
        # The results' ids, retweets included: the originals they are
        # unwrapped to are older and would move the cursor back.
        anchors = [
            str(tweet["id"]) for tweet in data.get("data") or () if tweet.get("id")
        ]
        cursor, has_more = state.advance(anchors, next_token, key=int)
        return Page(posts=posts, cursor=cursor, has_more=has_more)


class XReplier(Replier):
    """Replies with an OAuth 2.0 user-context token (scope ``tweet.write``).

    ``POST /2/tweets`` with ``{"text", "reply": {"in_reply_to_tweet_id"}}``.
    The app-only bearer token used for searching cannot post. An expired
    token (HTTP 401, which proves nothing was posted) is refreshed once with
    the refresh token (``POST /2/oauth2/token``, the client id, and the
    client secret for a confidential client) and the reply sent again; X
    rotates refresh tokens, so the new pair is handed back in ``renewed``.
    """

    network = "x"
    label = "X"
    default_base_url = XConnector.default_base_url
    required = ("token",)

    def _tweet(self, target, text):
        return self._write(
            "POST",
            f"{self.base_url}/2/tweets",
            json={"text": text, "reply": {"in_reply_to_tweet_id": target.external_id}},
            headers={"Authorization": f"Bearer {self.credentials.token}"},
        )

    def _refresh(self):
        creds = self.credentials
        headers = {}
        if creds.client_secret:
            basic = f"{creds.client_id}:{creds.client_secret}".encode()
            headers["Authorization"] = f"Basic {base64.b64encode(basic).decode()}"
        data = self._call(
            "POST",
            f"{self.base_url}/2/oauth2/token",
            data={
                "grant_type": "refresh_token",
                "refresh_token": creds.refresh_token,
                "client_id": creds.client_id,
            },
            headers=headers,
        ).json()
        if not data.get("access_token"):
            raise NotAuthorized("X did not renew the token")
        creds.token = data["access_token"]
        self.renewed["token"] = creds.token
        if data.get("refresh_token"):
            creds.refresh_token = data["refresh_token"]
            self.renewed["refresh_token"] = creds.refresh_token

    def _reply(self, target, text, key):
        try:
            response = self._tweet(target, text)
        except NotAuthorized as exc:
            creds = self.credentials
            if exc.status != 401 or not (creds.refresh_token and creds.client_id):
                raise
            self._refresh()
            response = self._tweet(target, text)
        data = response.json()
        if data.get("errors") and not data.get("data"):
            error = data["errors"][0]
            detail = error.get("detail") or error.get("message") or ""
            raise ReplyRejected(f"X refused the reply: {detail}", detail)
        tweet_id = str((data.get("data") or {}).get("id") or "")
        return SentReply(
            external_id=tweet_id,
            url=f"https://x.com/i/status/{tweet_id}" if tweet_id else "",
        )
