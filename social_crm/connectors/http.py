"""The one HTTP layer every connector goes through.

:class:`HttpClient` wraps a :class:`requests.Session` with what fetching
third-party APIs from a server needs:

* explicit (connect, read) timeouts and a cap on the body size, read in
  chunks (the cap applies to the decoded body, so a gzip bomb is cut short);
* retries with exponential backoff and jitter on connection errors and 5xx;
  HTTP 429 (and 503 with ``Retry-After``) waits as long as the network asks,
  from ``Retry-After`` or the rate-limit reset headers, unless that exceeds
  ``max_retry_after``: then :class:`~.base.RateLimited` is raised with the
  delay, so the caller reschedules instead of blocking a worker;
* SSRF protection: only http(s), and every host (first request and each
  redirect hop, followed by hand) is resolved and refused when any of its
  addresses is loopback, private, link-local, reserved or multicast, unless
  the host or address is in ``allowed_private_hosts``; the address each
  connection actually reached is checked again before a byte is sent, so a
  DNS answer that changes between the check and the connection (rebinding)
  is refused too;
* credentials (``Authorization``, ``Cookie`` headers) are only sent to
  ``token_host`` and dropped on a redirect elsewhere or to plain http; every
  secret of a request (those headers, token-like parameters and fields, and
  ``secrets=``) is masked in logs and error messages, which never quote an
  exception's text (requests puts the full URL, query included, in it).

The session ignores the environment (``trust_env``), so no ``.netrc``
credential or proxy setting leaks into a request.
"""

import ipaddress
import itertools
import json as jsonlib
import logging
import random
import re
import socket
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qsl, quote, quote_plus, urlencode, urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from urllib3 import PoolManager
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

from .base import ConnectorError, HttpError, ParseError, RateLimited, TransportError
from .text import excerpt, parse_date, utcnow

_logger = logging.getLogger(__name__)

#: Kept in step with the manifest's version.
VERSION = "18.0.1.0.0"
DEFAULT_USER_AGENT = f"social_crm/{VERSION} (+https://github.com/social-crm/social_crm)"

MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset((301, 302, 303, 307, 308))
SENSITIVE_HEADERS = frozenset(("authorization", "proxy-authorization", "cookie"))
# Names of query parameters, form fields and JSON fields holding a secret.
SENSITIVE_NAME = re.compile(
    r"token|secret|password|passwd|api_?key|signature|jwt", re.I
)
# Rate-limit reset headers: seconds to wait, an epoch timestamp or a date.
RESET_HEADERS = ("X-RateLimit-Reset", "x-rate-limit-reset", "ratelimit-reset")
MASK = "***"
_CHUNK_SIZE = 64 * 1024
# Epoch timestamps are above this; smaller reset values are delays in seconds.
_EPOCH_THRESHOLD = 1_000_000_000


class Redactor:
    """Masks the secrets of one request in any text meant for logs or errors."""

    def __init__(self, secrets=()):
        values = set()
        for secret in secrets:
            secret = str(secret or "")
            if len(secret) < 4:
                continue
            values.update((secret, quote(secret, safe=""), quote_plus(secret)))
        # Longest first, so a secret is masked whole before any part of it.
        self.values = sorted(values, key=len, reverse=True)

    @classmethod
    def for_request(cls, headers=None, params=None, data=None, json=None, secrets=()):
        """Collect the secrets of a request from its headers, params and body."""
        found = list(secrets)
        for name, value in (headers or {}).items():
            if name.lower() in SENSITIVE_HEADERS and value:
                found.append(value)
                # "Bearer xyz": xyz alone may be echoed back.
                found.extend(str(value).split()[1:])
        for fields in (params, data, json):
            if isinstance(fields, dict):
                found.extend(
                    v
                    for k, v in fields.items()
                    if SENSITIVE_NAME.search(str(k)) and isinstance(v, str)
                )
        return cls(found)

    def __call__(self, text):
        text = str(text)
        for value in self.values:
            text = text.replace(value, MASK)
        return text

    def url(self, url, params=None):
        """``url`` (with ``params``) for display: token-like query values masked."""
        parts = urlsplit(url)
        query = parse_qsl(parts.query, keep_blank_values=True)
        if isinstance(params, dict):
            query.extend((str(k), str(v)) for k, v in params.items() if v is not None)
        query = [(k, MASK if SENSITIVE_NAME.search(k) else v) for k, v in query]
        shown = parts._replace(query=urlencode(query, safe="*"), fragment="").geturl()
        return self(shown)


@dataclass
class Response:
    """What connectors get back: status, headers, the whole body and final URL."""

    status: int
    headers: CaseInsensitiveDict
    body: bytes
    url: str
    redact: Redactor = field(default_factory=Redactor, repr=False)

    @property
    def where(self):
        """Host and path, for messages (never the query, which may hold a token)."""
        parts = urlsplit(self.url)
        return f"{parts.hostname}{parts.path}"

    def excerpt(self, limit=120):
        """A short, redacted excerpt of the body."""
        return self.redact(excerpt(self.body, limit))

    def raise_for_status(self):
        """Raise :class:`~.base.HttpError` for a 4xx/5xx answer."""
        if self.status >= 400:
            raise HttpError(
                f"{self.where} answered HTTP {self.status}: {self.excerpt()}",
                status=self.status,
                body=self.body,
            )

    def json(self):
        """The body decoded as JSON, or :class:`~.base.ParseError`."""
        return decode_json(
            self.body,
            where=self.where,
            content_type=self.headers.get("Content-Type", ""),
            redact=self.redact,
        )


def decode_json(body, where="response", content_type="", redact=None):
    """Decode a JSON body, with a clear :class:`~.base.ParseError` otherwise.

    HTML where JSON was expected (an error or login page) and invalid or
    truncated JSON are reported with a short excerpt, passed through
    ``redact`` so that no secret can appear in it.
    """
    redact = redact or Redactor()
    stripped = body.lstrip()
    if "html" in content_type.lower() or stripped[:1] in (b"<", "<"):
        raise ParseError(
            f"{where} returned HTML instead of JSON: {redact(excerpt(body))}"
        )
    try:
        return jsonlib.loads(stripped)
    except ValueError as exc:
        # JSONDecodeError's message names the position, never the content.
        reason = getattr(exc, "msg", "undecodable")
        raise ParseError(
            f"{where} returned invalid JSON ({reason}; truncated?): "
            f"{redact(excerpt(body))}"
        ) from None


def load_json(payload):
    """Accept a body (bytes or str) or already decoded JSON, for ``parse_*``."""
    if isinstance(payload, bytes | bytearray | str):
        return decode_json(payload)
    return payload


def parse_link_header(value):
    """``{rel: url}`` from an RFC 8288 ``Link`` header (Mastodon paging)."""
    links = {}
    for link in requests.utils.parse_header_links(value or ""):
        if link.get("url") and link.get("rel"):
            links[link["rel"]] = link["url"]
    return links


def is_public_address(address):
    """True when ``address`` (an ip_address) is a public unicast address."""
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


class _PeerCheckedConnection:
    """A urllib3 connection that has the address it reached checked.

    ``peer_check(host, address)`` runs once the socket is connected and
    before anything is sent (TLS handshake included); what it raises closes
    the socket and ends the request.
    """

    peer_check = None

    def _new_conn(self):
        sock = super()._new_conn()
        if self.peer_check is not None:
            try:
                self.peer_check(self.host, sock.getpeername()[0])
            except BaseException:
                sock.close()
                raise
        return sock


class _PeerCheckedHTTPConnection(_PeerCheckedConnection, HTTPConnection):
    pass


class _PeerCheckedHTTPSConnection(_PeerCheckedConnection, HTTPSConnection):
    pass


class _PeerCheckedPool:
    """A connection pool handing its ``peer_check`` to each new connection."""

    peer_check = None

    def _new_conn(self):
        conn = super()._new_conn()
        conn.peer_check = self.peer_check
        return conn


class _PeerCheckedHTTPPool(_PeerCheckedPool, HTTPConnectionPool):
    ConnectionCls = _PeerCheckedHTTPConnection


class _PeerCheckedHTTPSPool(_PeerCheckedPool, HTTPSConnectionPool):
    ConnectionCls = _PeerCheckedHTTPSConnection


class _PeerCheckedPoolManager(PoolManager):
    def __init__(self, *args, peer_check=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.peer_check = peer_check
        self.pool_classes_by_scheme = {
            "http": _PeerCheckedHTTPPool,
            "https": _PeerCheckedHTTPSPool,
        }

    def _new_pool(self, scheme, host, port, request_context=None):
        pool = super()._new_pool(scheme, host, port, request_context)
        pool.peer_check = self.peer_check
        return pool


class _PeerCheckingAdapter(HTTPAdapter):
    """The requests adapter whose connections check the address they reach."""

    def __init__(self, peer_check, **kwargs):
        self.peer_check = peer_check
        super().__init__(**kwargs)

    def init_poolmanager(self, connections, maxsize, block=False, **pool_kwargs):
        self._pool_connections = connections
        self._pool_maxsize = maxsize
        self._pool_block = block
        self.poolmanager = _PeerCheckedPoolManager(
            num_pools=connections,
            maxsize=maxsize,
            block=block,
            peer_check=self.peer_check,
            **pool_kwargs,
        )


class HttpClient:
    """HTTP client shared by the connectors of one fetch (see module doc)."""

    def __init__(
        self,
        user_agent=DEFAULT_USER_AGENT,
        connect_timeout=5,
        read_timeout=20,
        max_bytes=5_000_000,
        retries=3,
        backoff=0.5,
        max_retry_after=60,
        allowed_private_hosts=(),
        sleep=time.sleep,
    ):
        self.user_agent = user_agent or DEFAULT_USER_AGENT
        self.timeout = (connect_timeout, read_timeout)
        self.max_bytes = max_bytes
        self.retries = max(0, retries)
        self.backoff = backoff
        self.max_retry_after = max_retry_after
        self.allowed_private_hosts = frozenset(
            h.lower().strip("[]") for h in allowed_private_hosts
        )
        self.sleep = sleep
        self.session = requests.Session()
        self.session.trust_env = False
        adapter = _PeerCheckingAdapter(self._check_peer)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def close(self):
        self.session.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    # Public API

    def request(
        self,
        method,
        url,
        *,
        params=None,
        headers=None,
        data=None,
        json=None,
        token_host=None,
        secrets=(),
    ):
        """Send a request, following redirects by hand; return a :class:`Response`.

        Error statuses other than 429/5xx come back as they are (see
        :meth:`Response.raise_for_status`). ``token_host`` is the only host
        that receives the credential headers (default: the host of ``url``);
        ``secrets`` are extra strings to mask in logs and errors.
        """
        method = method.upper()
        redact = Redactor.for_request(headers, params, data, json, secrets)
        headers = {"User-Agent": self.user_agent, **(headers or {})}
        token_host = (token_host or urlsplit(url).hostname or "").lower()
        token_scheme = urlsplit(url).scheme
        for _hop in range(MAX_REDIRECTS + 1):
            hop_headers = self._headers_for(url, headers, token_host, token_scheme)
            response = self._send(method, url, params, hop_headers, data, json, redact)
            location = response.headers.get("Location")
            if response.status not in REDIRECT_STATUSES or not location:
                return response
            url = urljoin(response.url, location)
            # The Location is complete: the original parameters are not resent.
            params = None
            if response.status == 303 or (
                response.status in (301, 302) and method == "POST"
            ):
                method, data, json = "GET", None, None
        raise ConnectorError(
            f"{urlsplit(url).hostname}: more than {MAX_REDIRECTS} redirects"
        )

    def request_json(self, method, url, **kwargs):
        """:meth:`request`, then raise on error statuses and decode the JSON body."""
        response = self.request(method, url, **kwargs)
        response.raise_for_status()
        return response.json()

    def get_json(self, url, **kwargs):
        """GET ``url`` and return its decoded JSON body (see :meth:`request_json`)."""
        return self.request_json("GET", url, **kwargs)

    # Internals

    @staticmethod
    def _headers_for(url, headers, token_host, token_scheme):
        """``headers`` without credentials unless ``url`` is on ``token_host``.

        A hop from https down to http loses them too, even on the same host.
        """
        parts = urlsplit(url)
        same_host = (parts.hostname or "").lower() == token_host
        downgraded = token_scheme == "https" and parts.scheme != "https"
        if same_host and not downgraded:
            return headers
        return {k: v for k, v in headers.items() if k.lower() not in SENSITIVE_HEADERS}

    def check_url(self, url):
        """Refuse non-http(s) URLs and hosts resolving to non-public addresses."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise ConnectorError(
                f"Refusing {parts.scheme or 'relative'!r} URL: "
                "only http and https are allowed"
            )
        host = (parts.hostname or "").lower()
        if not host:
            raise ConnectorError("Refusing a URL without a host")
        if host in self.allowed_private_hosts:
            return
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, ValueError, UnicodeError):
            raise ConnectorError(f"Cannot resolve host {host}") from None
        for info in infos:
            address = ipaddress.ip_address(info[4][0].split("%", 1)[0])
            if str(address) not in self.allowed_private_hosts and not is_public_address(
                address
            ):
                raise ConnectorError(
                    f"Refusing to connect to {host}: {address} is a loopback, private, "
                    "link-local, reserved or multicast address"
                )

    def _check_peer(self, host, address):
        """Refuse a connection that reached a non-public address.

        :meth:`check_url` resolved the host before; this runs on the
        address the connection got, which a DNS answer changed in between
        (rebinding) would make private.
        """
        host = (host or "").lower().strip("[]")
        address = address.split("%", 1)[0]
        if host in self.allowed_private_hosts or address in self.allowed_private_hosts:
            return
        if not is_public_address(ipaddress.ip_address(address)):
            raise ConnectorError(
                f"Refusing to connect to {host}: it reached {address}, a loopback, "
                "private, link-local, reserved or multicast address"
            )

    def _send(self, method, url, params, headers, data, json, redact):
        """One hop, retried while it fails in a retryable way."""
        self.check_url(url)
        for attempt in itertools.count():
            response, failure = self._try(
                method, url, params, headers, data, json, redact
            )
            if failure is None:
                return response
            error, delay = failure
            if attempt >= self.retries:
                raise error
            self.sleep(self._backoff(attempt) if delay is None else delay)

    def _try(self, method, url, params, headers, data, json, redact):
        """One attempt: ``(response, None)``, or ``(None, (error, delay))``.

        ``error`` is raised if no attempt is left, else the next one comes
        after ``delay`` seconds (None: exponential backoff). Errors that a
        retry cannot fix are raised at once.
        """
        host = urlsplit(url).hostname
        attempts = f"after {self.retries + 1} attempt(s)"
        started = time.monotonic()
        try:
            response = self._attempt(method, url, params, headers, data, json, redact)
        except (
            requests.ConnectionError,
            requests.Timeout,
            requests.exceptions.ChunkedEncodingError,
        ) as exc:
            _logger.debug(
                "%s %s failed after %.3fs: %s",
                method,
                redact.url(url, params),
                time.monotonic() - started,
                type(exc).__name__,
            )
            reason = _transport_reason(exc)
            message = f"Could not get an answer from {host} {attempts} ({reason})"
            error = TransportError(message, maybe_sent=_maybe_sent(exc))
            return None, (error, None)
        except requests.RequestException as exc:
            raise ConnectorError(
                f"Request to {host} failed ({type(exc).__name__})"
            ) from None
        _logger.debug(
            "%s %s -> %s in %.3fs (%d bytes)",
            method,
            redact.url(response.url),
            response.status,
            time.monotonic() - started,
            len(response.body),
        )
        status = response.status
        if status == 429 or (status == 503 and "Retry-After" in response.headers):
            delay = self._rate_limit_delay(response.headers)
            if delay is not None and delay > self.max_retry_after:
                raise RateLimited(
                    f"{host} is rate limiting: retry after {delay:.0f}s",
                    retry_after=delay,
                )
            message = f"{host} answered HTTP {status} (rate limited) {attempts}"
            return None, (RateLimited(message, retry_after=delay), delay)
        if status >= 500:
            message = f"{host} answered HTTP {status} {attempts}: {response.excerpt()}"
            error = HttpError(message, status=status, body=response.body)
            return None, (error, None)
        return response, None

    def _attempt(self, method, url, params, headers, data, json, redact):
        raw = self.session.request(
            method,
            url,
            params=params,
            headers=headers,
            data=data,
            json=json,
            timeout=self.timeout,
            allow_redirects=False,
            stream=True,
        )
        try:
            body = self._read_body(raw)
        finally:
            raw.close()
        return Response(raw.status_code, raw.headers, body, raw.url, redact)

    def _read_body(self, raw):
        host = urlsplit(raw.url).hostname
        too_big = f"{host} sent more than {self.max_bytes} bytes: response refused"
        declared = raw.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise ConnectorError(too_big)
        chunks, size = [], 0
        for chunk in raw.iter_content(_CHUNK_SIZE):
            size += len(chunk)
            if size > self.max_bytes:
                raise ConnectorError(too_big)
            chunks.append(chunk)
        return b"".join(chunks)

    def _backoff(self, attempt):
        """Exponential backoff with jitter: between 1x and 1.5x ``backoff * 2**n``."""
        delay = self.backoff * 2**attempt
        return min(delay + random.uniform(0, delay / 2), self.max_retry_after)

    @staticmethod
    def _rate_limit_delay(headers):
        """Seconds to wait from ``Retry-After`` or a rate-limit reset header."""
        value = headers.get("Retry-After", "").strip()
        if value:
            if value.isdigit():
                return float(value)
            try:
                when = parsedate_to_datetime(value)
            except (TypeError, ValueError):
                when = None
            if when is not None:
                return max(0.0, (parse_date(when) - utcnow()).total_seconds())
        for name in RESET_HEADERS:
            value = headers.get(name, "").strip()
            if not value:
                continue
            try:
                number = float(value)
            except ValueError:
                # Mastodon sends an ISO 8601 date.
                when = parse_date(value)
                if when is not None:
                    return max(0.0, (when - utcnow()).total_seconds())
                continue
            if number > _EPOCH_THRESHOLD:
                return max(0.0, number - time.time())
            return max(0.0, number)
        return None


def _maybe_sent(exc):
    """Whether the request may have reached the server before ``exc``.

    Only a connection never made (refused, unresolvable, connect timeout)
    proves it did not.
    """
    if isinstance(exc, requests.ConnectTimeout):
        return False
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return not isinstance(reason, NewConnectionError | ConnectTimeoutError)


def _transport_reason(exc):
    """A safe reason for a transport error (an exception's text holds the URL)."""
    if isinstance(exc, requests.Timeout) or "timed out" in str(exc).lower():
        return "timed out"
    return "connection failed"
