from odoo import _, api, models

from ..isolation import read_committed

#: Identity key of the influence recomputation job: one waits at a time.
INFLUENCE_JOB_KEY = "social_crm_queue.recompute_influence"
#: Seconds the job waits before it runs, so that the mentions of the next
#: minute, from every source, share one recomputation of all the scores.
INFLUENCE_JOB_DELAY = 60


class SocialInfluenceScore(models.Model):
    _inherit = "social.influence.score"

    @api.model
    def _enqueue_recompute(self):
        """Have every score recomputed soon, unless that is already queued.

        Returns what ``with_delay`` gives (the new job, or the one waiting).
        """
        return (
            self.sudo()
            .with_delay(
                eta=INFLUENCE_JOB_DELAY,
                description=_("Recompute influence"),
                identity_key=INFLUENCE_JOB_KEY,
            )
            ._job_recompute_influence()
        )

    @api.model
    def _job_recompute_influence(self):
        """The job: recompute every identity's influence, as the cron does."""
        read_committed(self.env.cr)
        counts = self._recompute_all()
        return _(
            "%(changed)s of %(total)s identities changed score.",
            changed=counts["changed"],
            total=counts["identities"],
        )
