from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import SocialCrmCase
from .http_server import LocalServerCase, Reply
from .test_source_fetch import FEED_1, FEED_2

SOURCE_LOGGER = "odoo.addons.social_crm.models.social_source"


@tagged("post_install", "-at_install")
class TestFetchLog(LocalServerCase, SocialCrmCase):
    """One log row per fetch, on real HTTP; kept for the company's days."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["social.routing.rule"].search([]).active = False
        cls.env["ir.config_parameter"].sudo().set_param(
            "social_crm.allowed_private_hosts", "127.0.0.1"
        )
        Source = cls.env["social.source"]
        Source.search([]).write({"next_run": fields.Datetime.now() + timedelta(days=7)})
        cls.feed = Source.create(
            {
                "name": "Logged feed",
                "connector": "rss",
                "query": cls.server.url("/log.xml"),
                "interval_minutes": 10,
            }
        )
        cls.Log = cls.env["social.source.fetch.log"]

    def setUp(self):
        super().setUp()
        self.feed.write(
            {"next_run": fields.Datetime.now() - timedelta(minutes=1), "cursor": False}
        )

    def logs(self):
        return self.Log.search([("source_id", "=", self.feed.id)])

    def test_a_fetch_logs_its_counts(self):
        self.server.route("/log.xml", FEED_1)
        before = fields.Datetime.now().replace(microsecond=0)
        self.env["social.source"]._cron_fetch_mentions()
        log = self.logs()
        self.assertEqual(len(log), 1)
        self.assertEqual(
            (log.origin, log.state, log.pages, log.new_count, log.duplicate_count),
            ("cron", "ok", 1, 2, 0),
        )
        self.assertFalse(log.error)
        self.assertEqual(log.company_id, self.feed.company_id)
        self.assertGreaterEqual(log.started, before)
        self.assertGreaterEqual(log.duration, 0)
        self.assertLess(log.duration, 60)
        self.assertEqual(self.feed.fetch_log_count, 1)
        # Read again from the start: the two known posts are duplicates.
        self.server.route("/log.xml", FEED_2)
        self.feed.cursor = False
        self.feed.action_fetch_now()
        self.feed.invalidate_recordset()
        latest = self.logs()[0]
        self.assertEqual(len(self.logs()), 2)
        self.assertEqual(
            (latest.origin, latest.new_count, latest.duplicate_count),
            ("manual", 1, 2),
        )
        action = self.feed.action_view_fetch_logs()
        self.assertEqual(self.Log.search(action["domain"]), self.logs())

    @mute_logger(SOURCE_LOGGER)
    def test_a_failed_fetch_logs_its_error(self):
        self.server.route("/log.xml", Reply(status=404, body=b"gone"))
        self.env["social.source"]._cron_fetch_mentions()
        log = self.logs()
        self.assertEqual(len(log), 1)
        self.assertEqual((log.state, log.new_count, log.pages), ("error", 0, 0))
        self.assertIn("404", log.error)
        self.assertEqual(log.error, self.feed.last_error)

    def test_old_rows_are_cleaned_by_the_companys_days(self):
        now = fields.Datetime.now()
        old, recent = self.Log.create(
            [
                {
                    "source_id": self.feed.id,
                    "company_id": self.feed.company_id.id,
                    "started": now - timedelta(days=days),
                }
                for days in (31, 29)
            ]
        )
        self.feed.company_id.social_fetch_log_days = 30
        self.assertGreaterEqual(self.Log._cron_clean_fetch_logs(), 1)
        self.assertFalse(old.exists())
        self.assertTrue(recent.exists())
        self.feed.company_id.social_fetch_log_days = 0
        self.Log._cron_clean_fetch_logs()
        self.assertTrue(recent.exists(), "0 days keeps the log forever")
        self.feed.company_id.social_fetch_log_days = 7
        self.Log._cron_clean_fetch_logs()
        self.assertFalse(recent.exists())
        cron = self.env.ref("social_crm.ir_cron_social_clean_fetch_logs")
        self.assertEqual(cron.code.strip(), "model._cron_clean_fetch_logs()")

    def test_agents_and_managers_read_nobody_writes(self):
        self.server.route("/log.xml", FEED_1)
        self.env["social.source"]._cron_fetch_mentions()
        log = self.logs()
        for user in (self.social_user, self.social_manager):
            self.assertEqual(log.with_user(user).read(["new_count"])[0]["new_count"], 2)
            with self.assertRaises(AccessError):
                log.with_user(user).write({"new_count": 5})
        with self.assertRaises(AccessError):
            log.with_user(self.salesman).read(["new_count"])


@tagged("post_install", "-at_install")
class TestSourceForm(SocialCrmCase):
    def test_base_url_placeholder_names_the_default_instance(self):
        source = self.env["social.source"].new({"name": "M", "connector": "mastodon"})
        self.assertEqual(
            source.base_url_placeholder, "Default: https://mastodon.social"
        )
        source.connector = "bluesky"
        self.assertEqual(source.base_url_placeholder, "Default: https://bsky.social")
        source.connector = "rss"
        self.assertIn("query", source.base_url_placeholder)
