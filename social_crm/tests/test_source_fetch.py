import json
import threading
from datetime import timedelta

from odoo import fields
from odoo.sql_db import db_connect
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.social_crm.models.social_source import INGEST_BATCH_POSTS

from .common import SocialCrmCase
from .connector_common import fixture
from .http_server import LocalServerCase, Reply, json_reply


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
        # Installing the demo data may have left a trigger of its own.
        before = Trigger.search_count([("cron_id", "=", cron.id)])
        self.server.route("/good.xml", FEED_1)
        self.bad.next_run = fields.Datetime.now() + timedelta(days=1)
        self.env["social.source"]._cron_fetch_mentions()
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), before + 1)
        # nothing new: no trigger
        self.good.next_run = self.due
        self.env["social.source"]._cron_fetch_mentions()
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), before + 1)

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

    def network_source(self, connector, **values):
        return self.env["social.source"].create(
            {
                "name": connector,
                "connector": connector,
                "base_url": self.server.base_url,
                "query": "acme",
                "token": "t",
                **values,
            }
        )

    def test_x_retweets_amplify_the_original_instead_of_adding_mentions(self):
        source = self.network_source("x")
        page = json.loads(fixture("x/search_retweets.json"))
        self.server.route("/2/tweets/search/recent", json_reply(page))
        source.action_fetch_now()
        self.assertEqual(source.state, "ok", source.last_error)
        mentions = self.env["social.mention"].search([("source_id", "=", source.id)])
        self.assertFalse(
            mentions.filtered(lambda m: m.content.startswith("RT @kettlequeen"))
        )
        original = mentions.filtered(lambda m: m.external_id == "1765990000000000100")
        self.assertEqual(len(original), 1)
        self.assertEqual(original.identity_id.handle, "@kettlequeen")
        self.assertEqual(original.share_count, 25)
        self.assertIn("Acme & Globex kettles", original.content)
        quote = mentions.filtered(lambda m: m.external_id == "1766000000000000400")
        self.assertEqual(quote.quoted_external_id, "1765990000000000100")
        self.assertIn("-> told you so", quote.content)
        # Retweeted again later: the original's share count follows, and no
        # mention is added for the retweet.
        retweet = dict(page["data"][0], id="1766000000000000900")
        original_later = dict(page["includes"]["tweets"][0])
        original_later["public_metrics"] = dict(
            original_later["public_metrics"], retweet_count=31
        )
        later = dict(
            page,
            data=[retweet],
            includes=dict(page["includes"], tweets=[original_later]),
            meta={"result_count": 1},
        )
        self.server.route("/2/tweets/search/recent", json_reply(later))
        count = len(mentions)
        source.action_fetch_now()
        self.assertEqual(source.last_new_count, 0)
        self.assertEqual(
            self.env["social.mention"].search_count([("source_id", "=", source.id)]),
            count,
        )
        self.assertEqual(original.share_count, 31)

    def test_hacker_news_comments_keep_their_story(self):
        source = self.network_source("hackernews")
        self.server.route(
            "/api/v1/search_by_date",
            Reply(body=fixture("hackernews/search_comments.json")),
        )
        source.action_fetch_now()
        self.assertEqual(source.state, "ok", source.last_error)
        comment = self.env["social.mention"].search(
            [("source_id", "=", source.id), ("external_id", "=", "39700050")]
        )
        self.assertEqual(
            (comment.thread_title, comment.thread_url, comment.thread_link_url),
            (
                "Show HN: I benchmarked 40 electric kettles",
                "https://news.ycombinator.com/item?id=39700001",
                "https://kettles.example.org/benchmark",
            ),
        )
        # A lead made from it says what the comment answers.
        lead = comment._convert_to_leads()
        self.assertIn("Show HN: I benchmarked 40 electric kettles", lead.description)

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


def hn_pages(pages, per_page, fail_at=None, empty=()):
    """A Hacker News search answering ``pages`` pages of ``per_page`` stories.

    The page ``fail_at`` (if any) answers 403, which is not retried; the
    pages in ``empty`` have no hit (yet more pages follow).
    """

    def reply(request):
        number = int(request.param("page") or 0)
        if number == fail_at:
            return json_reply({"message": "Forbidden"}, status=403)
        first = number * per_page
        if number in empty:
            return json_reply({"hits": [], "page": number, "nbPages": pages})
        return json_reply(
            {
                "hits": [
                    {
                        "objectID": str(1000 + first + i),
                        "author": f"hn_user{(first + i) % 7}",
                        "created_at_i": 1700000000 - (first + i),
                        "title": f"Acme story {first + i}",
                        "story_text": "<p>Is the <b>Acme</b> router any good?</p>",
                        "_tags": ["story"],
                    }
                    for i in range(per_page)
                ],
                "page": number,
                "nbPages": pages,
            }
        )

    return reply


@tagged("post_install", "-at_install")
class TestSourceFetchBatches(LocalServerCase, SocialCrmCase):
    """Pages of one run are written in batches, not one write per page."""

    PATH = "/api/v1/search_by_date"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param(
            "social_crm.allowed_private_hosts", "127.0.0.1"
        )
        if "social.routing.rule" in cls.env:
            cls.env["social.routing.rule"].search([]).active = False
        cls.source = cls.env["social.source"].create(
            {
                "name": "HN",
                "connector": "hackernews",
                "query": "acme",
                "base_url": cls.server.base_url,
            }
        )

    def setUp(self):
        super().setUp()
        self.source.write({"cursor": False, "state": "ok", "failure_count": 0})

    def mentions(self):
        return self.env["social.mention"].search([("source_id", "=", self.source.id)])

    def fetch_counting_queries(self, pages, per_page):
        self.server.route(self.PATH, hn_pages(pages, per_page))
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        stats = self.source._fetch()
        count = self.env.cr.sql_log_count - before
        self.assertFalse(stats["error"])
        self.assertEqual(stats["pages"], pages)
        return stats["new"], count

    def test_pages_written_in_one_batch(self):
        self.fetch_counting_queries(2, 5)  # warm the caches
        self.mentions().unlink()
        self.source.cursor = False
        new_2, queries_2 = self.fetch_counting_queries(2, 5)
        self.mentions().unlink()
        self.source.cursor = False
        new_8, queries_8 = self.fetch_counting_queries(8, 5)
        self.assertEqual((new_2, new_8), (10, 40))
        self.assertEqual(len(self.mentions()), 40)
        self.assertEqual(queries_2, queries_8, "one write for the 8 pages")

    def test_large_runs_are_cut_into_batches(self):
        """A batch is written once it holds INGEST_BATCH_POSTS posts."""
        half = INGEST_BATCH_POSTS // 2
        self.fetch_counting_queries(1, 7)  # warm the caches, know the 7 authors
        queries = {}
        for pages in (1, 2, 3):
            self.mentions().unlink()
            self.source.cursor = False
            new, queries[pages] = self.fetch_counting_queries(pages, half)
            self.assertEqual(new, pages * half)
        self.assertEqual(queries[1], queries[2], "1 and 2 half batches: one write")
        self.assertGreater(queries[3], queries[2] + 5, "3 half batches: two writes")
        self.assertEqual(json.loads(self.source.cursor), {"since": "1700000000"})

    @mute_logger("odoo.addons.social_crm.models.social_source")
    def test_pages_before_a_failure_are_kept_with_their_cursor(self):
        self.server.route(self.PATH, hn_pages(5, 5, fail_at=3))
        stats = self.source._fetch()
        self.assertIn("403", stats["error"])
        self.assertEqual((stats["new"], stats["pages"]), (15, 3))
        self.assertEqual(self.source.state, "error")
        self.assertEqual(len(self.mentions()), 15)
        # The next run asks for the page that failed, not for the first again.
        self.assertEqual(json.loads(self.source.cursor)["page"], "3")
        self.server.reset()
        self.server.route(self.PATH, hn_pages(5, 5))
        self.source._fetch()
        self.assertEqual(self.server.requests[0].param("page"), "3")
        self.assertEqual(len(self.mentions()), 25)

    def test_empty_pages_do_not_end_the_run(self):
        """A page may bring nothing (all filtered) while the network has more."""
        self.server.route(self.PATH, hn_pages(4, 5, empty=(0, 1)))
        stats = self.source._fetch()
        self.assertEqual((stats["new"], stats["pages"]), (10, 4))
        self.assertEqual(len(self.server.requests_to(self.PATH)), 4)
