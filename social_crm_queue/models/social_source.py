"""Fetching sources in queue jobs, on as many workers as the channel allows.

When the queue path is on (:meth:`SocialSource._queue_enabled`), the
scheduled action *Social CRM: fetch mentions* only enqueues: one job per due
source, with an identity key naming the source, so that a source never has
two jobs waiting (queue_job creates no job while one with the same key is
pending or enqueued). It enqueues a batch at a time, each committed, so that
the first jobs run while the others are being queued. The jobs run on the
channel ``root.social_crm``, whose capacity the job runner's configuration
sets.

A job is social_crm's fetch of one source, nothing copied:

* it first checks it is still wanted, by taking the source's row lock as the
  cron does (``_lock_next_due`` with ``FOR UPDATE SKIP LOCKED``, limited to
  this source): a source fetched meanwhile, archived, or held by another
  worker is skipped. "Fetch now" jobs take the lock without asking whether
  the source is due (``_try_lock``), as the button does without the queue;
* then ``_fetch`` fetches and writes, records an error on the source and
  backs off, exactly as in the cron. The transaction runs in READ COMMITTED
  (``isolation.py``): jobs side by side write authors in common, which
  REPEATABLE READ would make them fail on;
* its transaction is committed when the job returns. The job function allows
  commits (``data/queue_job_function_data.xml``), which makes queue_job run
  the job in a cursor of its own: that is what lets a rate limit keep the
  pages fetched before it. A network that says when to come back is believed:
  the job commits what it fetched (the cursor moved, the source records the
  limit and its next run) and raises ``RetryableJobError`` with the
  network's delay, so queue_job runs it again then; no worker sleeps on it.
  Rolling back instead would fetch the same pages again at every retry,
  forever on a network that allows fewer requests per window than a run
  needs.

New mentions ask for the influence recomputation as a job too
(``social.influence.score._enqueue_recompute``), deduplicated by its own
identity key. Identity keys are checked, not enforced: two transactions
enqueueing at the same instant can both create a job; the second one then
finds the source fetched (or the scores computed) and does no harm.
"""

import math

from odoo import _, api, fields, models
from odoo.tools import config

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import ENQUEUED, PENDING, STARTED, WAIT_DEPENDENCIES
from odoo.addons.social_crm.models.social_source import FETCH_ORIGIN
from odoo.addons.social_crm.utils.window_action import filtered_window_action

from ..isolation import read_committed

#: System parameter: ``1`` sends fetching through queue jobs, ``0`` keeps the
#: cron path; unset, jobs are used when queue_job is a server-wide module.
ENABLED_PARAM = "social_crm_queue.enabled"
#: The longest wait, in seconds, a job's HTTP client does itself: a rate limit
#: asking for more becomes a job retry at the network's time. (The client
#: caps its backoff between retries of a 5xx answer at the same value.)
JOB_MAX_WAIT = 1
#: Sources enqueued per batch of the scheduled action.
ENQUEUE_BATCH = 25
#: The states of a job that keep the cron from enqueuing its source again:
#: waiting (what the identity key checks) or running (the source is due
#: until the running job commits).
QUEUED_STATES = (WAIT_DEPENDENCIES, PENDING, ENQUEUED, STARTED)
#: Context key marking a fetch that runs in a queue job.
IN_JOB = "social_crm_queue_job"

TRUE_VALUES = ("1", "true", "yes", "on")
FALSE_VALUES = ("0", "false", "no", "off")


class SocialSource(models.Model):
    _inherit = "social.source"

    queue_job_count = fields.Integer(
        string="Jobs",
        compute="_compute_queue_job_count",
        groups="queue_job.group_queue_job_manager",
    )

    def _compute_queue_job_count(self):
        keys = {source: source._fetch_job_identity_key() for source in self}
        counts = dict(
            self.env["queue.job"]._read_group(
                [("identity_key", "in", list(keys.values()))],
                ["identity_key"],
                ["__count"],
            )
        )
        for source in self:
            source.queue_job_count = counts.get(keys[source], 0)

    # ------------------------------------------------------------------ actions
    def action_fetch_now(self):
        """Enqueue the sources' fetch when the queue path is on."""
        if not self._queue_enabled():
            return super().action_fetch_now()
        waiting = self.browse()
        for source in self:
            # queue_job answers the job already waiting under the same key
            # (a queue.job record) instead of a new Job.
            if isinstance(source._enqueue_fetch(force=True), models.BaseModel):
                waiting |= source
        if len(self) == 1 and waiting:
            message = _(
                "A fetch of %s already waits in the job queue.", self.display_name
            )
        elif len(self) == 1:
            message = _(
                "%s is in the job queue: it will be fetched in the background.",
                self.display_name,
            )
        else:
            message = _(
                "%s sources are in the job queue: they will be fetched in the "
                "background.",
                len(self),
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Fetch now"),
                "message": message,
                "type": "info",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_view_queue_jobs(self):
        """The source's fetch jobs, whatever their state."""
        self.ensure_one()
        return filtered_window_action(
            self.env,
            "queue_job.action_queue_job",
            [("identity_key", "=", self._fetch_job_identity_key())],
        )

    # ------------------------------------------------------------------ queue
    @api.model
    def _queue_enabled(self):
        """Whether fetching goes through queue jobs.

        The system parameter :data:`ENABLED_PARAM` decides when it is set.
        Otherwise jobs are used only when queue_job is loaded as a server-wide
        module (``--load=web,queue_job``), which is what starts its job
        runner: installed but not loaded, queue_job would keep the jobs
        waiting forever, so the cron goes on fetching by itself.
        """
        value = (
            self.env["ir.config_parameter"].sudo().get_param(ENABLED_PARAM) or ""
        ).strip()
        if value.lower() in TRUE_VALUES:
            return True
        if value.lower() in FALSE_VALUES:
            return False
        loaded = config["server_wide_modules"] or ""
        return "queue_job" in (name.strip() for name in loaded.split(","))

    def _fetch_job_identity_key(self):
        """The identity key of this source's fetch jobs (cron and Fetch now)."""
        self.ensure_one()
        return f"social_crm_queue.fetch:{self._origin.id or self.id}"

    @api.model
    def _cron_fetch_mentions(self, time_budget=None):
        """Enqueue a fetch job per due source (see the module docstring).

        Sources are enqueued :data:`ENQUEUE_BATCH` at a time, each batch
        committed by the cron (its progress API runs it again at once), so
        that the first jobs run while the rest are being queued. Returns the
        ids of the sources enqueued by this batch.
        """
        if not self._queue_enabled():
            return super()._cron_fetch_mentions(time_budget=time_budget)
        due = self.search(
            [("next_run", "<=", fields.Datetime.now())], order="next_run, id"
        )
        keys = {source: source._fetch_job_identity_key() for source in due}
        queued = set(
            self.env["queue.job"]
            .sudo()
            .search(
                [
                    ("identity_key", "in", list(keys.values())),
                    ("state", "in", QUEUED_STATES),
                ]
            )
            .mapped("identity_key")
        )
        todo = due.filtered(lambda source: keys[source] not in queued)
        batch = todo[:ENQUEUE_BATCH]
        for source in batch:
            source._enqueue_fetch()
        self.env["ir.cron"]._notify_progress(
            done=len(batch), remaining=len(todo) - len(batch)
        )
        return batch.ids

    def _enqueue_fetch(self, force=False):
        """Put this source's fetch in the queue, unless one waits there already.

        The job belongs to the source's company, so that the users of that
        company see it. Returns what ``with_delay`` gives: the new job, or
        the ``queue.job`` already waiting under the source's identity key.
        """
        self.ensure_one()
        return (
            self.with_company(self.company_id)
            .with_delay(
                description=_("Fetch mentions of %s", self.display_name),
                identity_key=self._fetch_job_identity_key(),
            )
            ._job_fetch(force=force)
        )

    def _job_fetch(self, force=False):
        """The job: fetch this source once, as the cron would.

        Returns a line for the job's result; raises ``RetryableJobError``
        with the network's delay on a rate limit, after committing what was
        fetched before it.
        """
        read_committed(self.env.cr)
        source = self.exists()
        if not source:
            return _("The source no longer exists.")
        if force:
            locked = source._try_lock()
        else:
            locked = source._lock_next_due(among_ids=source.ids)
        if not locked:
            return _(
                "Skipped: the source is not due any more, or another worker "
                "is fetching it."
            )
        stats = source.with_context(**{IN_JOB: True, FETCH_ORIGIN: "job"})._fetch()
        if stats["new"]:
            source._trigger_influence_recompute()
        # queue_job commits a job's own cursor (allow_commit) once the job
        # has let go of its environments, and Odoo flushes a transaction
        # through its live environments only: what the ORM still holds (the
        # source's state and next run) is written now or never.
        self.env.flush_all()
        retry_after = stats.get("retry_after")
        if stats["error"] and retry_after:
            # The job function allows commits, so this cursor is the job's
            # own (a TestCursor in tests): keep the pages fetched before the
            # limit and the source's next run, then let queue_job retry.
            self.env.cr.commit()  # pylint: disable=invalid-commit
            # Waiting as asked is no failure: the retry is not counted.
            raise RetryableJobError(
                stats["error"], seconds=math.ceil(retry_after), ignore_retry=True
            )
        if stats["error"]:
            return _("Failed, the source backs off: %s", stats["error"])
        return _(
            "%(new)s new mentions from %(pages)s pages.",
            new=stats["new"],
            pages=stats["pages"],
        )

    def _http_client(self):
        client = super()._http_client()
        if self.env.context.get(IN_JOB):
            client.max_retry_after = JOB_MAX_WAIT
        return client

    def _trigger_influence_recompute(self):
        """New mentions: a deduplicated influence job instead of the cron."""
        if not self._queue_enabled():
            return super()._trigger_influence_recompute()
        if self._influence_cron():
            self.env["social.influence.score"]._enqueue_recompute()
