import json
import time
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.sql_db import db_connect
from odoo.tests import tagged
from odoo.tools import config, mute_logger

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.social_crm.tests.http_server import Reply
from odoo.addons.social_crm.tests.test_source_fetch import hn_pages

from ..isolation import read_committed
from ..models import social_source as social_source_module
from ..models.social_influence_score import (
    INFLUENCE_JOB_DELAY,
    INFLUENCE_JOB_KEY,
)
from ..models.social_source import ENABLED_PARAM
from .common import GOOD_FEED, OTHER_FEED, QueueCase, SocialCrmQueueCase, trap_jobs

SOURCE_LOGGER = "odoo.addons.social_crm.models.social_source"


def fetch_jobs(trap):
    """The trapped fetch jobs (``assert_jobs_count(only=...)`` wants the records)."""
    return [job for job in trap.enqueued_jobs if job.method_name == "_job_fetch"]


def rate_limited_from(reply, page, seconds):
    """``reply`` (a Hacker News search), but HTTP 429 from page ``page`` on."""

    def answer(request):
        if int(request.param("page") or 0) >= page:
            return Reply(status=429, headers={"Retry-After": str(seconds)})
        return reply(request)

    return answer


@tagged("post_install", "-at_install")
class TestQueuePathChoice(SocialCrmQueueCase):
    """Jobs only where a job runner runs them; the cron path otherwise."""

    def run_cron(self, server_wide):
        with patch.dict(config.options, {"server_wide_modules": server_wide}):
            with trap_jobs() as trap:
                done = self.env["social.source"]._cron_fetch_mentions()
        return trap, done

    def test_without_a_job_runner_the_cron_fetches(self):
        self.env["ir.config_parameter"].sudo().set_param(ENABLED_PARAM, False)
        self.server.route("/good.xml", GOOD_FEED)
        self.server.route("/bad.xml", OTHER_FEED)
        trap, done = self.run_cron("base,web")
        trap.assert_jobs_count(0)
        self.assertCountEqual(done, (self.good | self.bad).ids)
        self.assertEqual(len(self.mentions(self.good)), 2)
        self.assertEqual(len(self.mentions(self.bad)), 3)

    def test_a_server_wide_queue_job_enqueues(self):
        self.env["ir.config_parameter"].sudo().set_param(ENABLED_PARAM, False)
        trap, done = self.run_cron("base,web, queue_job")
        self.assertEqual(len(fetch_jobs(trap)), 2)
        self.assertCountEqual(done, (self.good | self.bad).ids)
        self.assertFalse(self.server.requests, "the cron only enqueued")

    def test_the_parameter_overrides_the_server(self):
        self.server.route("/good.xml", GOOD_FEED)
        self.server.route("/bad.xml", OTHER_FEED)
        self.env["ir.config_parameter"].sudo().set_param(ENABLED_PARAM, "0")
        trap, _done = self.run_cron("base,web,queue_job")
        trap.assert_jobs_count(0)
        self.assertEqual(len(self.mentions(self.good)), 2)
        self.env["ir.config_parameter"].sudo().set_param(ENABLED_PARAM, "1")
        (self.good | self.bad).next_run = self.due
        trap, _done = self.run_cron("base,web")
        trap.assert_jobs_count(2)


@tagged("post_install", "-at_install")
class TestEnqueue(SocialCrmQueueCase):
    """The cron and "Fetch now" enqueue; nothing is fetched in their transaction."""

    def test_one_job_per_due_source_and_none_for_the_others(self):
        Source = self.env["social.source"]
        with trap_jobs() as trap:
            done = Source._cron_fetch_mentions()
            trap.assert_jobs_count(2)
            self.assertEqual(len(fetch_jobs(trap)), 2)
            for source in self.good | self.bad:
                trap.assert_enqueued_job(
                    source._job_fetch,
                    kwargs={"force": False},
                    properties={"identity_key": source._fetch_job_identity_key()},
                )
            self.assertEqual(
                {job.channel for job in trap.enqueued_jobs}, {"root.social_crm"}
            )
            self.assertNotIn(
                self.later, Source.union(*(j.recordset for j in trap.enqueued_jobs))
            )
        self.assertEqual(done, (self.good | self.bad).ids)
        self.assertFalse(self.server.requests, "the cron only enqueued")
        self.assertFalse(self.mentions(self.good))

    def test_sources_are_enqueued_a_batch_at_a_time(self):
        """Each batch is committed by the cron, which runs the next at once."""
        cron = self.env.ref("social_crm.ir_cron_social_fetch_mentions")
        progress = self.env["ir.cron.progress"].create({"cron_id": cron.id})
        Source = self.env["social.source"].with_context(ir_cron_progress_id=progress.id)
        with patch.object(social_source_module, "ENQUEUE_BATCH", 1):
            first = Source._cron_fetch_mentions()
            self.assertEqual((progress.done, progress.remaining), (1, 1))
            second = Source._cron_fetch_mentions()
            self.assertEqual((progress.done, progress.remaining), (1, 0))
            self.assertEqual(Source._cron_fetch_mentions(), [])
        self.assertEqual(first + second, (self.good | self.bad).ids)
        for source in self.good | self.bad:
            self.assertEqual(
                len(self.pending_jobs(source._fetch_job_identity_key())), 1
            )

    def test_each_job_belongs_to_its_sources_company(self):
        company_b = self.env["res.company"].create({"name": "Company B"})
        self.bad.company_id = company_b
        with trap_jobs() as trap:
            self.env["social.source"]._cron_fetch_mentions()
        companies = {job.recordset: job.company_id for job in trap.enqueued_jobs}
        self.assertEqual(companies[self.good], self.good.company_id.id)
        self.assertEqual(companies[self.bad], company_b.id)

    def test_enqueueing_twice_makes_one_job_per_source(self):
        Source = self.env["social.source"]
        with trap_jobs() as trap:
            Source._cron_fetch_mentions()
            Source._cron_fetch_mentions()
            self.assertEqual(len(trap.calls), 4)
            trap.assert_jobs_count(2)
        # And with the jobs stored, as queue_job checks their keys.
        Source._cron_fetch_mentions()
        Source._cron_fetch_mentions()
        self.good.action_fetch_now()
        for source in self.good | self.bad:
            self.assertEqual(
                len(self.pending_jobs(source._fetch_job_identity_key())), 1
            )
        self.assertFalse(self.pending_jobs(self.later._fetch_job_identity_key()))
        # Nor while its job runs (the source is due until that job commits).
        job = self.pending_jobs(self.good._fetch_job_identity_key())
        job.state = "started"
        Source._cron_fetch_mentions()
        self.assertFalse(self.pending_jobs(self.good._fetch_job_identity_key()))

    def test_the_identity_key_names_the_source(self):
        keys = {
            source._fetch_job_identity_key()
            for source in self.good | self.bad | self.later
        }
        self.assertEqual(len(keys), 3)
        # The cron and "Fetch now" use the same key: one job at a time.
        with trap_jobs() as trap:
            self.good.action_fetch_now()
            self.later.action_fetch_now()
            trap.assert_enqueued_job(
                self.good._job_fetch,
                kwargs={"force": True},
                properties={"identity_key": self.good._fetch_job_identity_key()},
            )
        # The source form's button lists the source's jobs, and only them.
        self.env["social.source"]._cron_fetch_mentions()
        job = self.pending_jobs(self.good._fetch_job_identity_key())
        self.assertEqual(job.records, self.good)
        self.assertEqual(self.good.queue_job_count, 1)
        action = self.good.action_view_queue_jobs()
        self.assertEqual(action["res_model"], "queue.job")
        self.assertEqual(self.env["queue.job"].search(action["domain"]), job)

    def test_fetch_now_enqueues_and_says_so(self):
        with trap_jobs() as trap:
            action = self.later.action_fetch_now()
            trap.assert_jobs_count(1)
            trap.assert_enqueued_job(self.later._job_fetch, kwargs={"force": True})
        self.assertFalse(self.server.requests)
        params = action["params"]
        self.assertEqual(params["type"], "info")
        self.assertEqual(
            params["message"],
            "Later feed is in the job queue: it will be fetched in the background.",
        )
        # A second click finds the job waiting.
        self.later.action_fetch_now()
        action = self.later.action_fetch_now()
        self.assertEqual(
            action["params"]["message"],
            "A fetch of Later feed already waits in the job queue.",
        )
        action = (self.good | self.bad).action_fetch_now()
        self.assertIn("2 sources are in the job queue", action["params"]["message"])


@tagged("post_install", "-at_install")
class TestFetchJob(SocialCrmQueueCase):
    """The jobs themselves, run as queue_job runs them (trap_jobs)."""

    def enqueue_and_run(self):
        """Enqueue the due sources, run their jobs; the jobs performed."""
        with trap_jobs() as trap:
            self.env["social.source"]._cron_fetch_mentions()
            jobs = list(trap.enqueued_jobs)
            trap.perform_enqueued_jobs()
            # What the jobs enqueued in turn (the influence recomputation).
            self.later_jobs = list(trap.enqueued_jobs)
        self.env.invalidate_all()
        return jobs

    @mute_logger(SOURCE_LOGGER)
    def test_a_failing_source_is_isolated(self):
        self.server.route("/good.xml", GOOD_FEED)
        self.server.route("/bad.xml", Reply(status=404, body=b"gone"))
        before = fields.Datetime.now()
        jobs = self.enqueue_and_run()
        result = {job.recordset: job.result for job in jobs}
        self.assertEqual(result[self.good], "2 new mentions from 1 pages.")
        self.assertEqual(self.good.state, "ok")
        self.assertEqual(len(self.mentions(self.good)), 2)
        self.assertGreaterEqual(self.good.next_run, before + timedelta(minutes=10))
        # The bad source's job ends (no retry): the error is on the source,
        # which backs off as in the cron.
        self.assertIn("404", result[self.bad])
        self.assertEqual(self.bad.state, "error")
        self.assertIn("404", self.bad.last_error)
        self.assertEqual(self.bad.failure_count, 1)
        self.assertGreaterEqual(self.bad.next_run, before + timedelta(minutes=20))
        self.assertFalse(self.mentions(self.bad))

    @mute_logger(SOURCE_LOGGER)
    def test_jobs_log_their_fetches(self):
        """Issue 12: the queue path logs each fetch as the cron path does."""
        self.server.route("/good.xml", GOOD_FEED)
        self.server.route("/bad.xml", Reply(status=404, body=b"gone"))
        Log = self.env["social.source.fetch.log"]
        self.enqueue_and_run()
        good = Log.search([("source_id", "=", self.good.id)])
        bad = Log.search([("source_id", "=", self.bad.id)])
        self.assertEqual(
            [(g.origin, g.state, g.pages, g.new_count) for g in good],
            [("job", "ok", 1, 2)],
        )
        self.assertEqual([(b.origin, b.state) for b in bad], [("job", "error")])
        self.assertIn("404", bad.error)

    def test_a_job_checks_first_that_the_source_is_still_due(self):
        self.server.route("/good.xml", GOOD_FEED)
        self.server.route("/bad.xml", GOOD_FEED)
        with trap_jobs() as trap:
            self.env["social.source"]._cron_fetch_mentions()
            jobs = {job.recordset: job for job in trap.enqueued_jobs}
            # Fetched meanwhile (say by "Fetch now" without the queue) and
            # deleted meanwhile.
            self.good.next_run = fields.Datetime.now() + timedelta(minutes=10)
            self.bad.unlink()
            trap.perform_enqueued_jobs()
        self.assertIn("not due any more", jobs[self.good].result)
        self.assertEqual(jobs[self.bad].result, "The source no longer exists.")
        self.assertFalse(self.server.requests)
        self.assertFalse(self.mentions(self.good))

    @mute_logger(SOURCE_LOGGER)
    def test_a_rate_limit_retries_at_the_networks_time(self):
        """The job keeps what it fetched, then retries when the network said.

        30 seconds is less than the cron's HTTP client would sleep on; the
        job does not wait at all.
        """
        path = "/api/v1/search_by_date"
        source = self.env["social.source"].create(
            {
                "name": "HN",
                "connector": "hackernews",
                "query": "acme",
                "base_url": self.server.base_url,
                "next_run": self.due,
            }
        )
        (self.good | self.bad).next_run = fields.Datetime.now() + timedelta(days=1)
        self.server.route(path, rate_limited_from(hn_pages(5, 5), 3, 30))
        with trap_jobs() as trap:
            self.env["social.source"]._cron_fetch_mentions()
            (job,) = trap.enqueued_jobs
            started = time.monotonic()
            before = fields.Datetime.now()
            # Not assertRaises: Odoo's rolls its savepoint back, and with it
            # what the job committed.
            try:
                trap.perform_enqueued_jobs()
            except RetryableJobError as error:
                retry = error
            else:
                self.fail("the rate limit asked for no retry")
            elapsed = time.monotonic() - started
        self.assertEqual(retry.seconds, 30)
        self.assertTrue(retry.ignore_retry, "waiting is no failure")
        self.assertLess(elapsed, 10, "no worker slept on the limit")
        self.assertEqual(len(self.server.requests_to(path)), 4, "page 3 asked once")
        # What came before the limit is committed with the cursor.
        self.env.invalidate_all()
        self.assertEqual(len(self.mentions(source)), 15)
        self.assertEqual(json.loads(source.cursor)["page"], "3")
        self.assertEqual(source.state, "error")
        self.assertIn("rate limit", source.last_error)
        self.assertGreaterEqual(source.next_run, before + timedelta(seconds=30))
        self.assertLess(source.next_run, before + timedelta(seconds=60))
        # At that time, queue_job runs the job again: it goes on from page 3.
        self.server.reset()
        self.server.route(path, hn_pages(5, 5))
        source.next_run = fields.Datetime.now() - timedelta(seconds=1)
        self.env.flush_all()  # the job reads the database, not this cache
        job.perform()
        self.env.invalidate_all()
        self.assertEqual(self.server.requests[0].param("page"), "3")
        self.assertEqual(len(self.mentions(source)), 25)
        self.assertEqual(source.state, "ok")


@tagged("post_install", "-at_install")
class TestFetchJobLocking(QueueCase):
    """A job takes the source's lock as the cron does, and never waits for it.

    (Sources are left unwritten here: the test's transaction would hold the
    row that the other connection locks.)
    """

    def mentions(self, source):
        return self.env["social.mention"].search([("source_id", "=", source.id)])

    def test_a_job_skips_a_source_another_worker_holds(self):
        source = self.env.ref("social_crm.social_source_demo", raise_if_not_found=False)
        if not source:
            self.skipTest("needs the demo source, committed at install")
        last_fetch = source.last_fetch
        count = len(self.mentions(source))
        # The demo source is committed, so another connection can lock it.
        other = db_connect(self.env.cr.dbname).cursor()
        try:
            other.execute(
                "SELECT id FROM social_source WHERE id = %s FOR UPDATE", [source.id]
            )
            with trap_jobs() as trap:
                source.action_fetch_now()
                (job,) = trap.enqueued_jobs
                started = time.monotonic()
                trap.perform_enqueued_jobs()
            self.assertLess(time.monotonic() - started, 5, "no wait for the lock")
        finally:
            other.rollback()
            other.close()
        self.assertIn("another worker is fetching it", job.result)
        self.env.invalidate_all()
        self.assertEqual(source.last_fetch, last_fetch)
        self.assertEqual(len(self.mentions(source)), count)


@tagged("post_install", "-at_install")
class TestInfluenceJob(SocialCrmQueueCase):
    """New mentions enqueue one influence recomputation, not one per source."""

    def test_new_mentions_enqueue_one_recomputation(self):
        Influence = self.env["social.influence.score"]
        cron = self.env.ref("social_crm.ir_cron_social_recompute_influence")
        Trigger = self.env["ir.cron.trigger"]
        triggers = Trigger.search_count([("cron_id", "=", cron.id)])
        self.server.route("/good.xml", GOOD_FEED)
        self.server.route("/bad.xml", OTHER_FEED)
        with trap_jobs() as trap:
            self.env["social.source"]._cron_fetch_mentions()
            trap.perform_enqueued_jobs()
            # Two sources brought mentions: two calls, one job.
            calls = [
                call
                for call in trap.calls
                if call.method.__name__ == "_job_recompute_influence"
            ]
            self.assertEqual(len(calls), 2)
            trap.assert_jobs_count(1, only=Influence._job_recompute_influence)
            trap.assert_enqueued_job(
                Influence._job_recompute_influence,
                properties={
                    "identity_key": INFLUENCE_JOB_KEY,
                    "eta": INFLUENCE_JOB_DELAY,
                },
            )
            self.assertEqual(trap.enqueued_jobs[0].channel, "root.social_crm")
        self.assertEqual(
            Trigger.search_count([("cron_id", "=", cron.id)]),
            triggers,
            "the job replaces the cron's trigger",
        )

    def test_the_stored_job_is_not_duplicated(self):
        self.good._trigger_influence_recompute()
        self.bad._trigger_influence_recompute()
        job = self.influence_jobs()
        self.assertEqual(len(job), 1)
        self.assertEqual(job.channel, "root.social_crm")
        self.assertGreater(job.eta, fields.Datetime.now() + timedelta(seconds=30))

    def test_a_deactivated_influence_cron_stops_the_jobs(self):
        self.env.ref("social_crm.ir_cron_social_recompute_influence").active = False
        self.good._trigger_influence_recompute()
        self.assertFalse(self.influence_jobs())

    def test_the_job_recomputes_every_score(self):
        self.ingest(
            self.post("q1", author=self.author("ann"), like_count=10),
            self.post("q2", author=self.author("bob")),
        )
        result = self.env["social.influence.score"]._job_recompute_influence()
        self.assertRegex(result, r"^\d+ of \d+ identities changed score\.$")
        self.assertGreater(self.identity("ann").influence_score, 0)


@tagged("post_install", "-at_install")
class TestIsolation(QueueCase):
    """The jobs leave REPEATABLE READ for READ COMMITTED (see isolation.py)."""

    def test_jobs_run_in_read_committed(self):
        cr = db_connect(self.env.cr.dbname).cursor()
        try:
            read_committed(cr)
            cr.execute("SHOW transaction_isolation")
            self.assertEqual(cr.fetchone()[0], "read committed")
        finally:
            cr.rollback()
            cr.close()
        # A transaction under way (as a test's, where jobs run on a
        # TestCursor over it) keeps its level: it could not change.
        for cursor in (self.env.cr, self.registry.cursor()):
            with self.subTest(cursor=type(cursor).__name__):
                read_committed(cursor)
                cursor.execute("SHOW transaction_isolation")
                self.assertEqual(cursor.fetchone()[0], "repeatable read")
                if cursor is not self.env.cr:
                    cursor.close()
