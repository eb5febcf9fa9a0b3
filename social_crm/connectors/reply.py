"""Replying on a network: what every network's replier shares.

A replier posts one reply to one post with the *posting* credentials of a
source (an account allowed to write, which reading often does not need),
through the shared :class:`~.http.HttpClient`, so the SSRF and token rules of
reading hold for writing too. Each network's module has its replier
(``MastodonReplier``...); this module holds their common shapes:

* :class:`ReplyTarget`: what is known of the post answered (from the mention);
* :class:`ReplyCredentials`: the posting credentials;
* :class:`SentReply`: what the network answered;
* the errors, one type per reason, so that the Odoo layer words each for the
  agent (in their language) and knows whether the reply may exist anyway.

A reply is posted at most once per call: the client given to a replier must
not retry (``retries=0``), and every failure of the write request that does
not prove the network refused it (no answer, a read timeout, a 5xx from a
gateway) is :class:`ReplyUncertain`: the reply may exist, the agent checks
before sending again. Requests made before the write (a session, a token,
resolving the post) fail as plain :class:`ReplyFailed`: nothing was posted.

Plain Python: nothing here imports Odoo.
"""

from dataclasses import dataclass

from .base import ConnectorError, HttpError, RateLimited, TransportError
from .reply_length import reply_length, reply_limit


@dataclass
class ReplyTarget:
    """The post a reply answers, as the mention stored it."""

    network: str
    external_id: str
    url: str = ""
    # Bluesky: the post's cid and its thread root's uri and cid.
    cid: str = ""
    root_external_id: str = ""
    root_cid: str = ""


@dataclass
class ReplyCredentials:
    """A source's posting credentials (which ones a network needs: its replier)."""

    base_url: str = ""
    login: str = ""
    password: str = ""
    token: str = ""
    refresh_token: str = ""
    client_id: str = ""
    client_secret: str = ""

    def secrets(self):
        return tuple(
            value
            for value in (
                self.password,
                self.token,
                self.refresh_token,
                self.client_secret,
            )
            if value
        )


@dataclass
class SentReply:
    """The reply as the network stored it."""

    external_id: str
    url: str = ""


class ReplyError(ConnectorError):
    """A reply was not posted (or may not have been: see ``maybe_posted``).

    ``detail`` is the network's own explanation, when it gave one.
    """

    #: True when the network may have posted the reply in spite of the error.
    maybe_posted = False

    def __init__(self, message, detail=""):
        super().__init__(message)
        self.detail = detail


class ReplyFailed(ReplyError):
    """Nothing was posted: the network could not be reached before the write."""


class MissingCredentials(ReplyError):
    """The source lacks the posting credentials named in ``missing``."""

    def __init__(self, message, missing=()):
        super().__init__(message)
        self.missing = tuple(missing)


class ReplyNotSupported(ReplyError):
    """The network has no posting API (Hacker News, RSS)."""


class ReplyTooLong(ReplyError):
    def __init__(self, message, length=0, limit=0):
        super().__init__(message)
        self.length = length
        self.limit = limit


class NotAuthorized(ReplyError):
    """HTTP 401/403: the credentials are wrong, expired or lack write access."""

    def __init__(self, message, detail="", status=0):
        super().__init__(message, detail)
        self.status = status


class ReplyRejected(ReplyError):
    """The network refused the reply itself (400, 422, a deleted post...)."""


class ReplyRateLimited(ReplyError):
    """The network asks to wait ``retry_after`` seconds (None: unknown)."""

    def __init__(self, message, retry_after=None):
        super().__init__(message)
        self.retry_after = retry_after


class ReplyUncertain(ReplyError):
    """The write request got no clear answer: the reply may have been posted."""

    maybe_posted = True


class Replier:
    """Posts replies on one network; one subclass per network."""

    network = ""
    label = ""
    default_base_url = ""
    #: The credentials this network needs (attribute names of ReplyCredentials).
    required = ()
    #: Posting credentials that default to the reading ones when empty:
    #: ``{posting attribute: reading attribute ("login" or "token")}``.
    fallback = {}

    def __init__(self, http, credentials):
        self.http = http
        self.credentials = credentials
        self.base_url = (credentials.base_url or self.default_base_url).rstrip("/")
        #: Credentials the network renewed on the way (an OAuth refresh), to be
        #: stored whatever became of the reply: the old ones may be void.
        self.renewed = {}

    # Public API

    def missing_credentials(self):
        """The attribute names of the credentials still to be set."""
        return [name for name in self.required if not getattr(self.credentials, name)]

    def limit(self):
        """The longest reply the network takes (``None``: no limit known)."""
        return reply_limit(self.network)

    def check(self, text, limit=None):
        """Refuse a reply that cannot be sent: credentials, empty, too long."""
        missing = self.missing_credentials()
        if missing:
            raise MissingCredentials(
                f"{self.label}: the source has no {', '.join(missing)} to post with",
                missing,
            )
        if not (text or "").strip():
            raise ReplyRejected(f"{self.label}: the reply is empty")
        limit = self.limit() if limit is None else limit
        length = reply_length(self.network, text)
        if limit is not None and length > limit:
            raise ReplyTooLong(
                f"{self.label}: the reply is {length} characters long, "
                f"the limit is {limit}",
                length=length,
                limit=limit,
            )

    def reply(self, target, text, key="", limit=None):
        """Post ``text`` in reply to ``target``; return a :class:`SentReply`.

        ``key`` identifies this reply (for networks that deduplicate writes,
        Mastodon's ``Idempotency-Key``); ``limit`` is the length limit
        already known (else :meth:`limit`).
        """
        self.check(text, limit)
        return self._reply(target, text, key)

    # For the subclasses

    def _reply(self, target, text, key):
        raise NotImplementedError

    def _secrets(self):
        return self.credentials.secrets()

    def _call(self, method, url, secrets=(), **kwargs):
        """A request made before the write: its failure posted nothing."""
        secrets = (*self._secrets(), *secrets)
        try:
            response = self.http.request(method, url, secrets=secrets, **kwargs)
        except RateLimited as exc:
            raise ReplyRateLimited(str(exc), exc.retry_after) from None
        except ConnectorError as exc:
            raise ReplyFailed(f"{self.label}: {exc}") from None
        self._raise_for_status(response)
        return response

    def _write(self, method, url, secrets=(), **kwargs):
        """The write request itself: unclear outcomes are :class:`ReplyUncertain`."""
        secrets = (*self._secrets(), *secrets)
        try:
            response = self.http.request(method, url, secrets=secrets, **kwargs)
        except RateLimited as exc:
            raise ReplyRateLimited(str(exc), exc.retry_after) from None
        except TransportError as exc:
            error = ReplyUncertain if exc.maybe_sent else ReplyFailed
            raise error(f"{self.label}: {exc}") from None
        except HttpError as exc:
            # A 5xx (retries are off): a gateway may answer so after the
            # network stored the reply.
            raise ReplyUncertain(f"{self.label}: {exc}") from None
        except ConnectorError as exc:
            raise ReplyFailed(f"{self.label}: {exc}") from None
        self._raise_for_status(response)
        return response

    def _raise_for_status(self, response):
        status = response.status
        if status < 400:
            return
        detail = response.redact(self._error_detail(response))
        if status in (401, 403):
            raise NotAuthorized(
                f"{self.label} refused the credentials (HTTP {status}): {detail}",
                detail,
                status,
            )
        if status >= 500:
            raise ReplyUncertain(f"{self.label} answered HTTP {status}: {detail}")
        raise ReplyRejected(
            f"{self.label} refused the reply (HTTP {status}): {detail}", detail
        )

    def _error_detail(self, response):
        """The network's explanation of an error answer (a short text)."""
        try:
            data = response.json()
        except ConnectorError:
            return response.excerpt()
        if isinstance(data, dict):
            parts = [
                value
                for value in (
                    data.get(key)
                    for key in ("error", "error_description", "message", "detail")
                )
                if isinstance(value, str) and value
            ]
            if not parts and isinstance(data.get("errors"), list) and data["errors"]:
                first = data["errors"][0]
                if isinstance(first, dict):
                    parts = [str(first.get("message") or first.get("detail") or "")]
            if not parts and isinstance(data.get("title"), str):
                parts = [data["title"]]
            if parts:
                return ": ".join(dict.fromkeys(parts))[:300]
        return response.excerpt()


class NoApiReplier(Replier):
    """Hacker News and RSS: no posting API, the agent replies on the site."""

    def missing_credentials(self):
        return []

    def limit(self):
        return None

    def _reply(self, target, text, key):
        raise ReplyNotSupported(
            f"{self.label or self.network} has no posting API: reply on the site"
        )
