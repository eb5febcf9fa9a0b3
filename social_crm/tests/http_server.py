"""A scriptable local HTTP server for connector and cron tests.

Tests exercise the real HTTP stack against it instead of patching requests::

    server = LocalHTTPServer().start()
    server.route("/feed", Reply(body=b"<rss/>", headers={"Content-Type": "text/xml"}))
    server.route("/api", Reply(status=429, headers={"Retry-After": "2"}), json_reply(1))
    server.route("/slow", Reply(delay=5))           # sleeps past a short read timeout
    server.route("/old", redirect("/new"))         # or an absolute URL
    server.route("/echo", lambda request: json_reply(request.query))
    ...  # client calls server.base_url + "/api"
    server.requests_to("/api")[0].headers["Authorization"]
    server.stop()

* ``route(path, *replies)``: the replies are served in order, the last one
  again for every later request; a reply is a :class:`Reply` or a callable
  taking the :class:`RecordedRequest` and returning one. Paths match without
  the query string; an unknown path answers 404. Routing a path again
  replaces its replies.
* ``requests``: every request received, in order (:class:`RecordedRequest`).
* :class:`LocalServerCase` is a test case mixin starting one server per class
  (``cls.server``) and letting the test runner's request guard through
  requests to it with the client's own timeouts.
"""

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urljoin, urlsplit

from odoo.tests import common


@dataclass
class Reply:
    """One scripted answer.

    ``delay`` seconds pass before anything is sent (interrupted by ``stop``).
    Without ``content_length`` the body is delimited by closing the
    connection, as a streaming server would.
    """

    status: int = 200
    body: bytes = b""
    headers: dict = field(default_factory=dict)
    delay: float = 0.0
    content_length: bool = True


@dataclass
class RecordedRequest:
    method: str
    path: str
    # Decoded query string: {name: [values]}.
    query: dict
    headers: dict
    body: bytes

    def param(self, name):
        """The first value of query parameter ``name``, or None."""
        return (self.query.get(name) or [None])[0]

    def json(self):
        return json.loads(self.body)

    def form(self):
        """The body decoded as an urlencoded form: {name: first value}."""
        return {k: v[0] for k, v in parse_qs(self.body.decode()).items()}


def json_reply(payload, status=200, headers=None):
    """A :class:`Reply` with ``payload`` encoded as JSON."""
    return Reply(
        status=status,
        body=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
    )


def redirect(location, status=302):
    """A :class:`Reply` redirecting to ``location``."""
    return Reply(status=status, headers={"Location": location})


class _QuietHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        """A client hanging up on a slow reply is expected: no traceback."""


class LocalHTTPServer:
    """A threaded HTTP server on 127.0.0.1 with a random free port."""

    def __init__(self, host="127.0.0.1"):
        self.host = host
        self.requests = []
        self._routes = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = None
        self._thread = None

    @property
    def base_url(self):
        return f"http://{self.host}:{self.port}"

    @property
    def port(self):
        return self._httpd.server_address[1]

    def url(self, path):
        return urljoin(self.base_url, path)

    def start(self):
        self._stopping.clear()
        self._httpd = _QuietHTTPServer((self.host, 0), self._handler_class())
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(5)

    def route(self, path, *replies):
        """Answer ``path`` with ``replies`` in turn (the last one repeats)."""
        if not replies:
            raise ValueError("route() needs at least one reply")
        with self._lock:
            self._routes[path] = list(replies)

    def reset(self):
        """Forget routes and recorded requests (between tests)."""
        with self._lock:
            self._routes.clear()
            self.requests.clear()

    def requests_to(self, path):
        """The recorded requests whose path is ``path``."""
        return [request for request in self.requests if request.path == path]

    def _next_reply(self, request):
        with self._lock:
            self.requests.append(request)
            replies = self._routes.get(request.path)
            if not replies:
                return Reply(status=404, body=b"not found")
            reply = replies.pop(0) if len(replies) > 1 else replies[0]
        return reply(request) if callable(reply) else reply

    def _handler_class(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self):
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                request = RecordedRequest(
                    method=self.command,
                    path=parts.path,
                    query=parse_qs(parts.query, keep_blank_values=True),
                    headers=dict(self.headers.items()),
                    body=self.rfile.read(length) if length else b"",
                )
                reply = server._next_reply(request)
                if reply.delay and server._stopping.wait(reply.delay):
                    return
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                if reply.content_length:
                    self.send_header("Content-Length", str(len(reply.body)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(reply.body)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _serve

            def log_message(self, *args):
                """Silence the per-request stderr log."""

        return Handler


class LocalServerCase:
    """Mixin for Odoo test cases talking to a :class:`LocalHTTPServer`.

    Starts ``cls.server`` for the class and resets it before each test.
    During tests Odoo lets requests reach 127.0.0.1/localhost only, but
    raises any timeout under 10s to 10s and cannot handle (connect, read)
    timeout tuples; this override keeps the same host guard and the client's
    own timeouts, which the timeout tests depend on.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = LocalHTTPServer().start()
        cls.addClassCleanup(cls.server.stop)

    def setUp(self):
        super().setUp()
        self.server.reset()

    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        if urlsplit(r.url).hostname in (common.HOST, "localhost"):
            return common._super_send(s, r, **kw)
        raise common.BlockedRequest(
            f"External requests verboten (was {r.method} {r.url})"
        )
