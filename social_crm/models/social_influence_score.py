"""Influence history, and the set-based recomputation of every identity's score.

The arithmetic (written out for managers in ``readme/DESCRIPTION.md``,
section "Influence score"), for identity *i* on network *n*, as of ``T``, the
end of the scored day (00:00 UTC the day after; mentions posted later are left
out, so that a past day can be recomputed):

Each company scores its own identities (see ``social.identity.company_id``):
"max over n" is over the identities of the same company on network *n*.

* ``reach = 100 · ln(1 + followers_i) / max over n of ln(1 + followers)``
* ``engagement = 100 · ln(1 + E_i) / max over n of ln(1 + E)``, where ``E_i``
  is the likes + shares + replies the author's mentions earn, per mention
* ``activity = 100 · ln(1 + A_i) / max over n of ln(1 + A)``, where
  ``A_i = Σ 0.5^(age/half-life)`` over the author's mentions (age in days)
* ``amplification = 100 · ln(1 + P_i) / max over n of ln(1 + P)``, where
  ``P_i = Σ shares + max(replies the network reports, replies by other
  authors we hold)`` over the author's mentions
* ``polarity = Σ w·sentiment_score / Σ w`` with the same recency weights
* ``score = Σ weight_c · component_c / Σ weight_c``; type positive when the
  polarity (rounded to 0.01) is ≥ the threshold, negative when ≤ −threshold.

Everything runs in three statements, whatever the number of identities.
"""

import logging
import time
from datetime import datetime, timedelta
from datetime import time as dt_time

from odoo import _, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

#: Defaults of the settings (``ir.config_parameter`` keys ``social_crm.<name>``).
DEFAULT_WEIGHTS = {
    "weight_reach": 30.0,
    "weight_engagement": 25.0,
    "weight_activity": 25.0,
    "weight_amplification": 20.0,
}
DEFAULT_HALF_LIFE_DAYS = 30.0
DEFAULT_POLARITY_THRESHOLD = 0.2
#: Ages beyond this many half-lives weigh 0.5^1000 (about 1e-301): PostgreSQL
#: raises on a floating-point underflow instead of returning 0.
MAX_HALF_LIVES = 1000

#: The components and score of every identity, as of ``as_of``.
#: ``seen_replies``: replies we hold, by another author, per replied mention.
INFLUENCE_QUERY = """
    WITH seen_replies AS (
        SELECT parent.id AS mention_id, count(*) AS replies
          FROM social_mention child
          JOIN social_mention parent
            ON parent.company_id = child.company_id
           AND parent.network = child.network
           AND parent.external_id = child.parent_external_id
         WHERE child.parent_external_id IS NOT NULL
           AND child.posted_at < %(as_of)s
           AND parent.identity_id IS NOT NULL
           AND child.identity_id IS DISTINCT FROM parent.identity_id
         GROUP BY parent.id
    ),
    weighted AS (
        SELECT mention.identity_id,
               -- Added as float8: counts near the int4 limit would overflow.
               COALESCE(mention.like_count, 0)::float8
                + COALESCE(mention.share_count, 0)::float8
                + COALESCE(mention.reply_count, 0)::float8 AS engagement,
               COALESCE(mention.share_count, 0)::float8
                + GREATEST(COALESCE(mention.reply_count, 0)::float8,
                           COALESCE(seen_replies.replies, 0)::float8)
                   AS amplification,
               COALESCE(mention.sentiment_score, 0)::float8 AS sentiment,
               power(0.5::float8, LEAST(
                   EXTRACT(EPOCH FROM (%(as_of)s - mention.posted_at))::float8
                       / 86400.0 / %(half_life)s,
                   %(max_half_lives)s)) AS weight
          FROM social_mention mention
          LEFT JOIN seen_replies ON seen_replies.mention_id = mention.id
         WHERE mention.identity_id IS NOT NULL
           AND mention.posted_at < %(as_of)s
    ),
    per_identity AS (
        SELECT identity_id,
               avg(engagement) AS engagement,
               sum(weight) AS activity,
               sum(amplification) AS amplification,
               sum(weight * sentiment) / NULLIF(sum(weight), 0) AS polarity
          FROM weighted
         GROUP BY identity_id
    ),
    logs AS (
        SELECT identity.id, identity.company_id, identity.network,
               ln(1 + GREATEST(COALESCE(identity.followers_count, 0), 0))
                   AS reach,
               ln(1 + COALESCE(per_identity.engagement, 0)) AS engagement,
               ln(1 + COALESCE(per_identity.activity, 0)) AS activity,
               ln(1 + COALESCE(per_identity.amplification, 0)) AS amplification,
               LEAST(GREATEST(COALESCE(per_identity.polarity, 0), -1), 1)
                   AS polarity
          FROM social_identity identity
          LEFT JOIN per_identity ON per_identity.identity_id = identity.id
    ),
    scaled AS (
        SELECT id,
               COALESCE(100 * reach / NULLIF(max(reach) OVER by_network, 0), 0)
                   AS reach,
               COALESCE(100 * engagement / NULLIF(max(engagement) OVER by_network, 0),
                        0) AS engagement,
               COALESCE(100 * activity / NULLIF(max(activity) OVER by_network, 0), 0)
                   AS activity,
               COALESCE(100 * amplification
                        / NULLIF(max(amplification) OVER by_network, 0), 0)
                   AS amplification,
               round(polarity::numeric, 2) AS polarity
          FROM logs
        WINDOW by_network AS (PARTITION BY company_id, network)
    ),
    result AS (
        SELECT id,
               round(reach::numeric, 1) AS reach,
               round(engagement::numeric, 1) AS engagement,
               round(activity::numeric, 1) AS activity,
               round(amplification::numeric, 1) AS amplification,
               polarity,
               round(((%(w_reach)s * reach + %(w_engagement)s * engagement
                       + %(w_activity)s * activity
                       + %(w_amplification)s * amplification)
                      / %(w_total)s)::numeric, 1) AS score,
               CASE WHEN polarity >= %(threshold)s THEN 'positive'
                    WHEN polarity <= -(%(threshold)s) THEN 'negative'
                    ELSE 'neutral' END AS type
          FROM scaled
    )
    UPDATE social_identity identity
       SET influence_reach = result.reach,
           influence_engagement = result.engagement,
           influence_activity = result.activity,
           influence_amplification = result.amplification,
           influence_polarity = result.polarity,
           influence_score = result.score,
           influence_type = result.type
      FROM result
     WHERE result.id = identity.id
       AND (identity.influence_reach, identity.influence_engagement,
            identity.influence_activity, identity.influence_amplification,
            identity.influence_polarity, identity.influence_score,
            identity.influence_type)
           IS DISTINCT FROM
           (result.reach, result.engagement, result.activity,
            result.amplification, result.polarity, result.score, result.type)
"""

#: The day's history row of every identity; a second run the same day updates it.
HISTORY_QUERY = """
    INSERT INTO social_influence_score AS history (
        identity_id, partner_id, network, company_id, date, score, reach,
        engagement, activity, amplification, sentiment,
        create_uid, write_uid, create_date, write_date)
    SELECT id, partner_id, network, company_id, %(date)s,
           COALESCE(influence_score, 0), COALESCE(influence_reach, 0),
           COALESCE(influence_engagement, 0), COALESCE(influence_activity, 0),
           COALESCE(influence_amplification, 0), COALESCE(influence_polarity, 0),
           %(uid)s, %(uid)s, %(now)s, %(now)s
      FROM social_identity
    ON CONFLICT (identity_id, date) DO UPDATE
       SET partner_id = EXCLUDED.partner_id,
           network = EXCLUDED.network,
           company_id = EXCLUDED.company_id,
           score = EXCLUDED.score,
           reach = EXCLUDED.reach,
           engagement = EXCLUDED.engagement,
           activity = EXCLUDED.activity,
           amplification = EXCLUDED.amplification,
           sentiment = EXCLUDED.sentiment,
           write_uid = EXCLUDED.write_uid,
           write_date = EXCLUDED.write_date
     WHERE (history.partner_id, history.score, history.reach, history.engagement,
            history.activity, history.amplification, history.sentiment,
            history.company_id)
           IS DISTINCT FROM
           (EXCLUDED.partner_id, EXCLUDED.score, EXCLUDED.reach,
            EXCLUDED.engagement, EXCLUDED.activity, EXCLUDED.amplification,
            EXCLUDED.sentiment, EXCLUDED.company_id)
"""

#: A contact's score is its highest identity's, and the type that identity's
#: (ties go to the newest identity, as in ``res.partner._compute_influence``).
PARTNER_QUERY = """
    UPDATE res_partner partner
       SET influence_score = top.influence_score,
           influence_type = top.influence_type
      FROM (SELECT DISTINCT ON (partner_id)
                   partner_id, influence_score, influence_type
              FROM social_identity
             WHERE partner_id IS NOT NULL
             ORDER BY partner_id, influence_score DESC NULLS LAST, id DESC) AS top
     WHERE partner.id = top.partner_id
       AND (partner.influence_score, partner.influence_type)
           IS DISTINCT FROM (top.influence_score, top.influence_type)
"""


class SocialInfluenceScore(models.Model):
    """One day of an identity's influence: the score and what it was made of.

    Written by the influence recomputation (:meth:`_recompute_all`), one row
    per identity per day.
    """

    _name = "social.influence.score"
    _description = "Social Influence Score History"
    _order = "date desc, id desc"
    _rec_name = "date"

    identity_id = fields.Many2one(
        "social.identity", required=True, ondelete="cascade", index=True
    )
    partner_id = fields.Many2one("res.partner", string="Contact", index=True)
    network = fields.Selection(related="identity_id.network", store=True)
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    score = fields.Float(digits=(5, 1), aggregator="avg")
    reach = fields.Float(digits=(5, 1), aggregator="avg")
    engagement = fields.Float(digits=(5, 1), aggregator="avg")
    activity = fields.Float(digits=(5, 1), aggregator="avg")
    amplification = fields.Float(digits=(5, 1), aggregator="avg")
    sentiment = fields.Float(digits=(4, 2), aggregator="avg", help="Polarity, -1 to 1.")
    company_id = fields.Many2one(related="identity_id.company_id", store=True)

    _sql_constraints = [
        (
            "identity_date_unique",
            "unique(identity_id, date)",
            "An identity has one score per day.",
        ),
    ]

    # ------------------------------------------------------------------ actions
    @api.model
    def action_recompute_influence(self):
        """The "Recompute influence" button of the identity list (managers)."""
        if not self.env.user.has_group("social_crm.group_social_crm_manager"):
            raise AccessError(_("Only Social CRM managers can recompute influence."))
        counts = self._recompute_all()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Influence recomputed"),
                "message": _(
                    "%(changed)s of %(total)s identities changed score.",
                    changed=counts["changed"],
                    total=counts["identities"],
                ),
                "type": "success",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    # ------------------------------------------------------------------ business
    @api.model
    def _cron_recompute_influence(self):
        self._recompute_all()

    @api.model
    def _influence_parameters(self):
        """The settings of the formula; a missing or invalid value is its default.

        Negative weights count as 0; all weights at 0 give the default weights.
        """
        get_param = self.env["ir.config_parameter"].sudo().get_param

        def number(key, default):
            try:
                return float(get_param(f"social_crm.{key}", default))
            except (TypeError, ValueError):
                return default

        weights = {
            key: max(number(key, default), 0.0)
            for key, default in DEFAULT_WEIGHTS.items()
        }
        if not sum(weights.values()):
            weights = dict(DEFAULT_WEIGHTS)
        half_life = number("half_life_days", DEFAULT_HALF_LIFE_DAYS)
        if half_life <= 0:
            half_life = DEFAULT_HALF_LIFE_DAYS
        threshold = number("polarity_threshold", DEFAULT_POLARITY_THRESHOLD)
        if not 0 < threshold <= 1:
            threshold = DEFAULT_POLARITY_THRESHOLD
        return dict(weights, half_life_days=half_life, polarity_threshold=threshold)

    @api.model
    def _recompute_all(self, date=None):
        """Recompute the influence of every identity, set-based, as of ``date``.

        ``date`` (default: today, UTC) is the day scored: mentions posted up to
        its end count, ages are measured to its end, and its history row is
        written (updated when the day was already scored). Then every linked
        contact takes its highest identity's score and type.

        Returns counts: ``identities``, ``changed`` (identities whose values
        changed), ``history`` (rows written) and ``partners`` (contacts updated).
        """
        started = time.monotonic()
        date = fields.Date.to_date(date) or fields.Date.today()
        as_of = datetime.combine(date + timedelta(days=1), dt_time.min)
        params = self._influence_parameters()
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            SQL(
                INFLUENCE_QUERY,
                as_of=as_of,
                half_life=params["half_life_days"],
                max_half_lives=MAX_HALF_LIVES,
                w_reach=params["weight_reach"],
                w_engagement=params["weight_engagement"],
                w_activity=params["weight_activity"],
                w_amplification=params["weight_amplification"],
                w_total=sum(params[key] for key in DEFAULT_WEIGHTS),
                threshold=params["polarity_threshold"],
            )
        )
        changed = cr.rowcount
        self.env["social.identity"]._recompute_influencers()
        cr.execute(
            SQL(HISTORY_QUERY, date=date, uid=self.env.uid, now=fields.Datetime.now())
        )
        history = cr.rowcount
        cr.execute(SQL(PARTNER_QUERY))
        partners = cr.rowcount
        cr.execute(SQL("SELECT count(*) FROM social_identity"))
        identities = cr.fetchone()[0]
        # The raw updates bypassed the ORM: drop what it holds of these values
        # (identities, contacts, history, and fields related to them).
        self.env.invalidate_all()
        _logger.info(
            "Influence recomputed for %s as of %s: %s identities (%s changed), "
            "%s history rows, %s contacts, in %.2f s",
            date,
            as_of,
            identities,
            changed,
            history,
            partners,
            time.monotonic() - started,
        )
        return {
            "identities": identities,
            "changed": changed,
            "history": history,
            "partners": partners,
        }
