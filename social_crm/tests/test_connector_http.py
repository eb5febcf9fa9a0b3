import logging
import socket
import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

from odoo.tests import tagged

from odoo.addons.social_crm.connectors import http as http_module
from odoo.addons.social_crm.connectors.base import (
    ConnectorError,
    HttpError,
    ParseError,
    RateLimited,
)
from odoo.addons.social_crm.connectors.http import (
    DEFAULT_USER_AGENT,
    HttpClient,
    Redactor,
    parse_link_header,
)

from .connector_common import ConnectorCase
from .http_server import Reply, json_reply, redirect

TOKEN = "s3cr3t-T0KEN-value"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@tagged("post_install", "-at_install")
class TestConnectorHttp(ConnectorCase):
    def test_get_json_request_shape(self):
        self.server.route("/api", json_reply({"ok": True}))
        data = self.client().get_json(
            self.server.url("/api"),
            params={"q": "brand", "limit": 5},
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
        self.assertEqual(data, {"ok": True})
        (request,) = self.server.requests_to("/api")
        self.assertEqual(request.method, "GET")
        self.assertEqual(request.query, {"q": ["brand"], "limit": ["5"]})
        self.assertEqual(request.headers["User-Agent"], DEFAULT_USER_AGENT)
        self.assertRegex(
            DEFAULT_USER_AGENT, r"^social_crm/18\.0\.\d+\.\d+\.\d+ \(\+https"
        )
        self.assertEqual(request.headers["Authorization"], f"Bearer {TOKEN}")

    def test_429_retry_after_seconds(self):
        self.server.route(
            "/api", Reply(status=429, headers={"Retry-After": "7"}), json_reply([1])
        )
        self.assertEqual(self.client().get_json(self.server.url("/api")), [1])
        self.assertEqual(self.sleeps, [7.0])
        self.assertEqual(len(self.server.requests_to("/api")), 2)

    def test_429_retry_after_http_date(self):
        when = datetime.now(timezone.utc) + timedelta(seconds=30)
        self.server.route(
            "/api",
            Reply(
                status=429, headers={"Retry-After": format_datetime(when, usegmt=True)}
            ),
            json_reply([1]),
        )
        self.client().get_json(self.server.url("/api"))
        (delay,) = self.sleeps
        self.assertTrue(25 <= delay <= 30, delay)

    def test_429_rate_limit_reset_headers(self):
        reset_at = str(int(time.time()) + 12)
        self.server.route(
            "/api",
            Reply(status=429, headers={"x-rate-limit-reset": reset_at}),
            Reply(status=429, headers={"ratelimit-reset": "5"}),
            json_reply([1]),
        )
        self.client().get_json(self.server.url("/api"))
        self.assertEqual(len(self.sleeps), 2)
        self.assertTrue(9 <= self.sleeps[0] <= 12, self.sleeps)
        self.assertEqual(self.sleeps[1], 5.0)

    def test_429_beyond_max_retry_after_raises_without_waiting(self):
        self.server.route("/api", Reply(status=429, headers={"Retry-After": "3600"}))
        with self.assertRaises(RateLimited) as caught:
            self.client(max_retry_after=60).get_json(self.server.url("/api"))
        self.assertEqual(caught.exception.retry_after, 3600)
        self.assertIn("127.0.0.1", str(caught.exception))
        self.assertEqual(self.sleeps, [])

    def test_429_retries_exhausted(self):
        self.server.route("/api", Reply(status=429, headers={"Retry-After": "1"}))
        with self.assertRaises(RateLimited) as caught:
            self.client(retries=2).get_json(self.server.url("/api"))
        self.assertIn("429", str(caught.exception))
        self.assertEqual(self.sleeps, [1.0, 1.0])
        self.assertEqual(len(self.server.requests_to("/api")), 3)

    def test_500_then_success_backs_off(self):
        self.server.route(
            "/api", Reply(status=500), Reply(status=502), json_reply({"n": 1})
        )
        data = self.client(backoff=0.5).get_json(self.server.url("/api"))
        self.assertEqual(data, {"n": 1})
        self.assertEqual(len(self.sleeps), 2)
        # Exponential with up to 50% jitter.
        self.assertTrue(0.5 <= self.sleeps[0] <= 0.75, self.sleeps)
        self.assertTrue(1.0 <= self.sleeps[1] <= 1.5, self.sleeps)

    def test_500_exhausted_names_host_and_status(self):
        self.server.route("/api", Reply(status=503, body=b"upstream down"))
        with self.assertRaises(HttpError) as caught:
            self.client(retries=1).get_json(self.server.url("/api"))
        message = str(caught.exception)
        self.assertIn("127.0.0.1", message)
        self.assertIn("503", message)
        self.assertIn("2 attempt", message)
        self.assertEqual(caught.exception.status, 503)

    def test_4xx_is_not_retried(self):
        self.server.route("/api", json_reply({"error": "invalid_token"}, status=401))
        with self.assertRaises(HttpError) as caught:
            self.client().get_json(self.server.url("/api"))
        self.assertEqual(caught.exception.status, 401)
        self.assertIn("invalid_token", str(caught.exception))
        self.assertEqual(len(self.server.requests_to("/api")), 1)
        self.assertEqual(self.sleeps, [])

    def test_server_never_answers_times_out_fast(self):
        self.server.route("/slow", Reply(delay=5, body=b"{}"))
        started = time.monotonic()
        with self.assertRaises(ConnectorError) as caught:
            self.client(read_timeout=0.3, retries=1).get_json(self.server.url("/slow"))
        self.assertLess(time.monotonic() - started, 2.5)
        self.assertIn("timed out", str(caught.exception))
        self.assertEqual(len(self.sleeps), 1)

    def test_connection_refused_is_retried(self):
        url = f"http://127.0.0.1:{free_port()}/api"
        with self.assertRaises(ConnectorError) as caught:
            self.client(retries=2).get_json(url)
        self.assertIn("3 attempt", str(caught.exception))
        self.assertEqual(len(self.sleeps), 2)

    def test_truncated_json(self):
        self.server.route("/api", Reply(body=b'{"posts": [{"id": 1}, {"id"'))
        with self.assertRaisesRegex(ParseError, "invalid JSON"):
            self.client().get_json(self.server.url("/api"))

    def test_html_instead_of_json(self):
        body = b"<!DOCTYPE html><html><body><h1>Maintenance</h1></body></html>"
        self.server.route(
            "/api", Reply(body=body, headers={"Content-Type": "text/html"})
        )
        with self.assertRaisesRegex(ParseError, "returned HTML.*Maintenance"):
            self.client().get_json(self.server.url("/api"))

    def test_oversized_body_declared(self):
        self.server.route("/big", Reply(body=b"x" * 5000))
        with self.assertRaisesRegex(ConnectorError, "more than 1000 bytes"):
            self.client(max_bytes=1000).get_json(self.server.url("/big"))

    def test_oversized_body_streamed(self):
        self.server.route(
            "/big", Reply(body=b"[" + b"1," * 50_000, content_length=False)
        )
        with self.assertRaisesRegex(ConnectorError, "more than 1000 bytes"):
            self.client(max_bytes=1000).get_json(self.server.url("/big"))

    def test_private_host_refused_unless_allowed(self):
        self.server.route("/api", json_reply({}))
        with self.assertRaisesRegex(ConnectorError, "Refusing to connect to 127.0.0.1"):
            self.client(allowed_private_hosts=()).get_json(self.server.url("/api"))
        self.assertEqual(self.server.requests, [])

    def test_address_reached_is_checked_too(self):
        """DNS rebinding: the host passed the check, then resolved elsewhere.

        The check of the URL resolves the host once; the connection resolves
        it again. A resolver that answers a public address first and the
        local server next is stood for by a client whose URL check passes
        everything: the address the connection reached must still be refused.
        """

        class RebindingClient(HttpClient):
            def check_url(self, url):
                return None  # the first answer was a public address

        self.server.route("/api", json_reply({"secret": "internal"}))
        client = RebindingClient(allowed_private_hosts=(), sleep=self.sleeps.append)
        for host in ("127.0.0.1", "localhost"):
            url = f"http://{host}:{self.server.port}/api"
            with self.assertRaisesRegex(
                ConnectorError, f"Refusing to connect to {host}: it reached 127.0.0.1"
            ):
                client.get_json(url)
        self.assertEqual(self.server.requests, [], "nothing was sent")
        # Listed by name or by address, the host is reached.
        for allowed in ("localhost", "127.0.0.1"):
            client = RebindingClient(allowed_private_hosts=(allowed,))
            url = f"http://localhost:{self.server.port}/api"
            self.assertEqual(client.get_json(url), {"secret": "internal"})

    def test_only_http_and_https(self):
        for url in ("file:///etc/passwd", "ftp://example.com/feed", "gopher://x/"):
            with self.assertRaisesRegex(ConnectorError, "only http and https"):
                self.client().request("GET", url)

    def test_redirect_to_private_address_refused(self):
        for target in ("http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/"):
            self.server.route("/go", redirect(target))
            with self.assertRaisesRegex(ConnectorError, "Refusing to connect"):
                self.client().get_json(self.server.url("/go"))

    def test_redirect_same_host_keeps_token(self):
        self.server.route("/old", redirect("/new", status=301))
        self.server.route("/new", json_reply({"moved": True}))
        headers = {"Authorization": f"Bearer {TOKEN}"}
        data = self.client().get_json(self.server.url("/old"), headers=headers)
        self.assertEqual(data, {"moved": True})
        (request,) = self.server.requests_to("/new")
        self.assertEqual(request.headers.get("Authorization"), f"Bearer {TOKEN}")

    def test_redirect_to_other_host_drops_token(self):
        other = f"http://localhost:{self.server.port}/elsewhere"
        self.server.route("/old", redirect(other))
        self.server.route("/elsewhere", json_reply({"ok": 1}))
        client = self.client(allowed_private_hosts=("127.0.0.1", "localhost"))
        data = client.get_json(
            self.server.url("/old"),
            headers={"Authorization": f"Bearer {TOKEN}", "Cookie": "sid=1"},
        )
        self.assertEqual(data, {"ok": 1})
        (first,) = self.server.requests_to("/old")
        self.assertEqual(first.headers.get("Authorization"), f"Bearer {TOKEN}")
        (request,) = self.server.requests_to("/elsewhere")
        self.assertNotIn("Authorization", request.headers)
        self.assertNotIn("Cookie", request.headers)

    def test_303_after_post_becomes_get(self):
        self.server.route("/form", redirect("/result", status=303))
        self.server.route("/result", json_reply({"done": 1}))
        self.client().request_json("POST", self.server.url("/form"), data={"a": "1"})
        (request,) = self.server.requests_to("/result")
        self.assertEqual((request.method, request.body), ("GET", b""))

    def test_too_many_redirects(self):
        self.server.route("/loop", redirect("/loop"))
        with self.assertRaisesRegex(ConnectorError, "more than 5 redirects"):
            self.client().get_json(self.server.url("/loop"))
        self.assertEqual(len(self.server.requests_to("/loop")), 6)

    def test_tokens_absent_from_errors_and_logs(self):
        echo = f"bad token {TOKEN} sent by {TOKEN}".encode()
        self.server.route("/api", Reply(status=403, body=echo))
        self.server.route("/html", Reply(body=b"<html>" + echo + b"</html>"))
        self.server.route("/slow", Reply(delay=5))
        client = self.client(read_timeout=0.3, retries=0)
        params = {"q": "brand", "access_token": TOKEN}
        logger = logging.getLogger(http_module.__name__)
        with self.assertLogs(logger, logging.DEBUG) as logs:
            for path in ("/api", "/html", "/slow"):
                with self.assertRaises(ConnectorError) as caught:
                    client.get_json(self.server.url(path), params=params)
                self.assertNotIn(TOKEN, str(caught.exception))
                self.assertNotIn(TOKEN, repr(caught.exception.args))
        output = "\n".join(logs.output)
        self.assertIn("/api?q=brand&access_token=***", output)
        self.assertNotIn(TOKEN, output)
        # The token did reach the server: it was only kept out of messages.
        self.assertEqual(
            self.server.requests_to("/api")[0].param("access_token"), TOKEN
        )

    def test_redactor_and_link_header(self):
        redact = Redactor.for_request(
            headers={"Authorization": "Basic dXNlcjpwYXNz"},
            data={"client_secret": "a b&c"},
            json={"password": "app-pass-1234"},
        )
        self.assertEqual(redact("dXNlcjpwYXNz a+b%26c app-pass-1234"), "*** *** ***")
        links = parse_link_header(
            '<https://m.example/api/v1/notifications?max_id=7>; rel="next", '
            '<https://m.example/api/v1/notifications?min_id=9>; rel="prev"'
        )
        self.assertEqual(
            links["prev"], "https://m.example/api/v1/notifications?min_id=9"
        )

    def test_client_defaults(self):
        client = HttpClient()
        self.assertEqual(client.timeout, (5, 20))
        self.assertFalse(client.session.trust_env)
