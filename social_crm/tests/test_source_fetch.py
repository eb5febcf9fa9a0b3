import threading
from datetime import timedelta

from odoo import fields
from odoo.sql_db import db_connect
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import SocialCrmCase
from .http_server import LocalServerCase, Reply


def rss(*items):
    """An RSS 2.0 feed of (guid, title, author, iso date) items."""
    body = "".join(
        f"<item><guid>{guid}</guid><title>{title}</title>"
        f"<link>https://blog.example.com/{guid}</link>"
        f"<author>{author}</author><pubDate>{date}</pubDate>"
        f"<description>{title}</description></item>"
        for guid, title, author, date in items
    )
    return Reply(
        body=f'<?xml version="1.0"?><rss version="2.0"><channel><title>Blog</title>'
        f"{body}</channel></rss>".encode(),
        headers={"Content-Type": "application/rss+xml"},
    )


ITEMS = (
    (
        "g1",
        "Acme router is great",
        "ann@example.com (Ann)",
        "Mon, 23 Nov 2026 10:00:00 GMT",
    ),
    (
        "g2",
        "Acme support never answers",
        "bob@example.com (Bob)",
        "Mon, 23 Nov 2026 11:00:00 GMT",
    ),
    (
        "g3",
        "Thinking of buying AcmeCloud",
        "cat@example.com (Cat)",
        "Mon, 23 Nov 2026 12:00:00 GMT",
    ),
)
FEED_1 = rss(*ITEMS[:2])
FEED_2 = rss(*ITEMS)


class Crash(Exception):
    """Stands for a worker killed between fetch and commit."""


@tagged("post_install", "-at_install")
class TestSourceFetch(LocalServerCase, SocialCrmCase):
    """The cron path end to end on a real database and real HTTP."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param(
            "social_crm.allowed_private_hosts", "127.0.0.1"
        )
        Source = cls.env["social.source"]
        # Sources of other tests or of the demo data must not take part.
        Source.search([]).write({"next_run": fields.Datetime.now() + timedelta(days=7)})
        cls.good = Source.create(
            {
                "name": "Good feed",
                "connector": "rss",
                "query": cls.server.url("/good.xml"),
                "interval_minutes": 10,
            }
        )
        cls.bad = Source.create(
            {
                "name": "Bad feed",
                "connector": "rss",
                "query": cls.server.url("/bad.xml"),
                "interval_minutes": 10,
            }
        )
        cls.due = fields.Datetime.now() - timedelta(minutes=1)

    def setUp(self):
        super().setUp()
        (self.good | self.bad).write({"next_run": self.due, "cursor": False})

    def feed_mentions(self):
        return self.env["social.mention"].search([("source_id", "=", self.good.id)])

    @mute_logger("odoo.addons.social_crm.models.social_source")
    def test_two_sources_one_failing(self):
        self.server.route("/good.xml", FEED_1)
        self.server.route("/bad.xml", Reply(status=404, body=b"gone"))
        before = fields.Datetime.now()
        done = self.env["social.source"]._cron_fetch_mentions()
        self.assertCountEqual(done, (self.good | self.bad).ids)
        self.assertEqual(len(self.feed_mentions()), 2)
        self.assertEqual(self.good.state, "ok")
        self.assertEqual(self.good.last_new_count, 2)
        self.assertTrue(self.good.cursor)
        self.assertGreaterEqual(self.good.next_run, before + timedelta(minutes=10))
        self.assertEqual(self.bad.state, "error")
        self.assertIn("404", self.bad.last_error)
        self.assertEqual(self.bad.failure_count, 1)
        # backed off: twice the interval after one failure
        self.assertGreaterEqual(self.bad.next_run, before + timedelta(minutes=20))
        # a second failure backs off further, a success resets
        self.bad.next_run = self.due
        self.env["social.source"]._cron_fetch_mentions()
        self.assertEqual(self.bad.failure_count, 2)
        self.assertGreaterEqual(self.bad.next_run, before + timedelta(minutes=40))
        self.server.route("/bad.xml", FEED_1)
        self.bad.next_run = self.due
        self.env["social.source"]._cron_fetch_mentions()
        self.assertEqual(
            (self.bad.state, self.bad.failure_count, self.bad.last_error),
            ("ok", 0, False),
        )

    def test_new_mentions_trigger_the_influence_recompute(self):
        cron = self.env.ref("social_crm.ir_cron_social_recompute_influence")
        Trigger = self.env["ir.cron.trigger"]
        self.server.route("/good.xml", FEED_1)
        self.bad.next_run = fields.Datetime.now() + timedelta(days=1)
        self.env["social.source"]._cron_fetch_mentions()
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), 1)
        # nothing new: no trigger
        self.good.next_run = self.due
        self.env["social.source"]._cron_fetch_mentions()
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), 1)

    def test_next_run_not_reached_is_left_alone(self):
        self.server.route("/good.xml", FEED_1)
        self.good.next_run = fields.Datetime.now() + timedelta(minutes=5)
        self.bad.next_run = fields.Datetime.now() + timedelta(minutes=5)
        self.assertEqual(self.env["social.source"]._cron_fetch_mentions(), [])
        self.assertFalse(self.server.requests)

    def test_rerun_after_crash_between_fetch_and_commit(self):
        self.server.route("/good.xml", FEED_1)
        self.bad.next_run = fields.Datetime.now() + timedelta(days=1)
        with self.assertRaises(Crash), self.env.cr.savepoint():
            self.env["social.source"]._cron_fetch_mentions()
            self.assertEqual(len(self.feed_mentions()), 2)
            raise Crash()
        self.env.invalidate_all()
        self.assertFalse(
            self.feed_mentions(), "the crash lost the uncommitted run whole"
        )
        self.assertFalse(self.good.cursor)
        self.server.route("/good.xml", FEED_2)
        self.env["social.source"]._cron_fetch_mentions()
        self.assertEqual(
            sorted(self.feed_mentions().mapped("external_id")), ["g1", "g2", "g3"]
        )
        # and a plain rerun of the same feed adds nothing twice
        self.good.write({"next_run": self.due, "cursor": False})
        self.env["social.source"]._cron_fetch_mentions()
        self.assertEqual(len(self.feed_mentions()), 3)

    def test_time_budget_leaves_the_rest_and_reports_progress(self):
        self.server.route("/good.xml", FEED_1)
        self.server.route("/bad.xml", FEED_2)
        cron = self.env.ref("social_crm.ir_cron_social_fetch_mentions")
        progress = self.env["ir.cron.progress"].create({"cron_id": cron.id})
        Source = self.env["social.source"].with_context(ir_cron_progress_id=progress.id)
        self.assertEqual(Source._cron_fetch_mentions(time_budget=0), [])
        self.assertEqual((progress.done, progress.remaining), (0, 2))
        done = Source._cron_fetch_mentions(time_budget=60)
        self.assertEqual(len(done), 2)
        self.assertEqual((progress.done, progress.remaining), (2, 0))

    def test_fetch_now_reports_new_mentions(self):
        self.server.route("/good.xml", FEED_1)
        action = self.good.with_user(self.social_manager).action_fetch_now()
        self.assertEqual(action["params"]["message"], "2 new mentions.")
        cron = self.env.ref("social_crm.ir_cron_social_recompute_influence")
        self.assertTrue(self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]))
        action = self.good.action_fetch_now()
        self.assertEqual(action["params"]["message"], "0 new mentions.")

    @mute_logger("odoo.addons.social_crm.models.social_source")
    def test_fetch_now_on_a_failing_source_says_why(self):
        self.server.route("/good.xml", Reply(body=b"<html>oops</html>"))
        action = self.good.action_fetch_now()
        self.assertEqual(action["params"]["type"], "danger")
        self.assertEqual(self.good.state, "error")
        self.assertTrue(self.good.last_error)

    @mute_logger("odoo.addons.social_crm.models.social_source")
    def test_private_address_refused_unless_allowed(self):
        self.server.route("/good.xml", FEED_1)
        self.env["ir.config_parameter"].sudo().set_param(
            "social_crm.allowed_private_hosts", ""
        )
        self.good.action_fetch_now()
        self.assertEqual(self.good.state, "error")
        self.assertFalse(
            self.server.requests, "nothing was sent to the private address"
        )
        self.assertFalse(self.feed_mentions())

    @mute_logger("odoo.addons.social_crm.models.social_source")
    def test_rate_limited_source_comes_back_when_told(self):
        source = self.env["social.source"].create(
            {
                "name": "X limited",
                "connector": "x",
                "base_url": self.server.base_url,
                "query": "acme",
                "token": "t",
                "interval_minutes": 5,
            }
        )
        self.server.route(
            "/2/tweets/search/recent", Reply(status=429, headers={"Retry-After": "900"})
        )
        before = fields.Datetime.now()
        source.action_fetch_now()
        self.assertEqual(source.state, "error")
        self.assertIn("rate limit", source.last_error)
        # 15 minutes as asked, not the 10 of the exponential back-off
        self.assertGreaterEqual(source.next_run, before + timedelta(seconds=900))
        self.assertLess(source.next_run, before + timedelta(seconds=960))

    @mute_logger("odoo.addons.social_crm.models.social_source")
    def test_token_never_in_error(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "social_crm.allowed_private_hosts", "127.0.0.1"
        )
        source = self.env["social.source"].create(
            {
                "name": "X",
                "connector": "x",
                "base_url": self.server.base_url,
                "query": "acme",
                "token": "TOPSECRET-123",
            }
        )
        self.server.route(
            "/2/tweets/search/recent",
            Reply(status=401, body=b'{"detail": "TOPSECRET-123 invalid"}'),
        )
        source.action_fetch_now()
        self.assertEqual(source.state, "error")
        self.assertNotIn("TOPSECRET-123", source.last_error)


@tagged("post_install", "-at_install")
class TestSourceLocking(SocialCrmCase):
    """Two workers never fetch the same source at once (row lock, SKIP LOCKED)."""

    def test_source_locked_by_another_connection_is_skipped(self):
        source = self.env.ref("social_crm.social_source_demo", raise_if_not_found=False)
        if not source:
            self.skipTest("needs the demo source, committed at install")
        Source = self.env["social.source"]
        Source.search([("id", "!=", source.id)]).write(
            {"next_run": fields.Datetime.now() + timedelta(days=7)}
        )
        # The demo source is committed, so another connection can lock its row.
        other = db_connect(self.env.cr.dbname).cursor()
        try:
            other.execute(
                "SELECT id FROM social_source WHERE id = %s FOR UPDATE", [source.id]
            )
            # Neither a cron run nor "Fetch now" waits for the lock or takes it,
            # even once the source is due (a week from now it is).
            self.assertEqual(source._try_lock(), False)
            self.assertFalse(
                Source._lock_next_due(now=fields.Datetime.now() + timedelta(days=1))
            )
            action = source.action_fetch_now()
            self.assertEqual(action["params"]["type"], "warning")
        finally:
            other.rollback()
            other.close()
        # Once released, it can be taken.
        self.assertTrue(source._try_lock())
        self.assertEqual(
            Source._lock_next_due(now=fields.Datetime.now() + timedelta(days=1)), source
        )

    def test_two_workers_share_due_sources(self):
        source = self.env.ref("social_crm.social_source_demo", raise_if_not_found=False)
        if not source:
            self.skipTest("needs the demo source, committed at install")
        taken = []

        def worker():
            cr = db_connect(self.env.cr.dbname).cursor()
            try:
                cr.execute(
                    "SELECT id FROM social_source WHERE id = %s FOR UPDATE SKIP LOCKED",
                    [source.id],
                )
                taken.append(bool(cr.fetchone()))
            finally:
                cr.rollback()
                cr.close()

        self.assertTrue(source._try_lock())
        thread = threading.Thread(target=worker)
        thread.start()
        thread.join(10)
        self.assertEqual(taken, [False], "the second worker skipped the locked source")
