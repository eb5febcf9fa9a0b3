from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.social_mention import STATES
from ..utils.selection_values import (
    INFLUENCE_TYPES,
    LANGUAGES,
    NETWORKS,
    SENTIMENTS,
    VOICES,
)


class SocialMentionReport(models.Model):
    """Mention analysis: one row per mention, with what managers measure.

    * Share of voice: a mention is the brand's when its text matches one of
      its company's *Brand Terms*, a competitor's when it matches one of the
      *Competitor Terms* (whole words, case-insensitive, with ``~*``); both,
      or neither ("other"). Stored on the mention (``voice``) when it is
      written and when the terms change.
    * Hours to first action: from the post to the first change of the
      mention's state (``first_action_date``, stored when the state first
      changes). Mentions never handled have none.
    * Hours to conversion: from the post to the creation of its lead.

    One row per mention and no aggregate in the view: the joins are on
    unique keys, so PostgreSQL drops those a query does not read, and a
    count by network and sentiment reads the mentions alone.
    """

    _name = "social.mention.report"
    _description = "Social Mention Analysis"
    _auto = False
    _rec_name = "date"
    _order = "date desc"

    date = fields.Datetime(string="Posted On", readonly=True)
    mention_id = fields.Many2one("social.mention", readonly=True)
    network = fields.Selection(NETWORKS, readonly=True)
    source_id = fields.Many2one("social.source", readonly=True)
    sentiment = fields.Selection(SENTIMENTS, readonly=True)
    sentiment_score = fields.Float(digits=(3, 2), readonly=True, aggregator="avg")
    category_id = fields.Many2one("social.category", readonly=True)
    lang = fields.Selection(LANGUAGES, string="Language", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Contact", readonly=True)
    identity_id = fields.Many2one("social.identity", string="Author", readonly=True)
    influence_score = fields.Float(
        string="Author Influence", digits=(5, 1), readonly=True, aggregator="avg"
    )
    influence_type = fields.Selection(
        INFLUENCE_TYPES, string="Author Influence Type", readonly=True
    )
    company_id = fields.Many2one("res.company", readonly=True)
    state = fields.Selection(STATES, readonly=True)
    user_id = fields.Many2one("res.users", string="Responsible", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    is_converted = fields.Boolean(string="Converted", readonly=True)
    lead_id = fields.Many2one("crm.lead", readonly=True)
    nbr = fields.Integer(string="# Mentions", readonly=True)
    converted_count = fields.Integer(string="# Converted", readonly=True)
    like_count = fields.Integer(string="Likes", readonly=True)
    share_count = fields.Integer(string="Shares", readonly=True)
    reply_count = fields.Integer(string="Replies", readonly=True)
    voice = fields.Selection(
        VOICES,
        string="Share of Voice",
        readonly=True,
        help="Whose the mention is: it names the brand, a competitor, both, "
        "or neither (the company's brand and competitor terms).",
    )
    brand_count = fields.Integer(string="# Brand", readonly=True)
    competitor_count = fields.Integer(string="# Competitor", readonly=True)
    hours_to_first_action = fields.Float(
        string="Time to First Action",
        digits=(16, 2),
        readonly=True,
        aggregator="avg",
        help="From the post to the first change of the mention's state, in hours"
        " and minutes.",
    )
    hours_to_first_reply = fields.Float(
        string="First Response Time",
        digits=(16, 2),
        readonly=True,
        aggregator="avg",
        help="From the post to the first reply sent from Odoo, in hours and "
        "minutes.",
    )
    odoo_reply_count = fields.Integer(
        string="# Replied from Odoo",
        readonly=True,
        help="Mentions answered with a reply sent from Odoo; over # Mentions, "
        "the reply rate.",
    )
    hours_to_conversion = fields.Float(
        string="Time to Conversion",
        digits=(16, 2),
        readonly=True,
        aggregator="avg",
        help="From the post to the creation of its lead, in hours and minutes.",
    )

    def _select(self):
        return SQL(
            """
            SELECT
                mention.id,
                mention.id AS mention_id,
                mention.posted_at AS date,
                mention.network,
                mention.source_id,
                mention.sentiment,
                mention.sentiment_score,
                mention.category_id,
                mention.lang,
                mention.partner_id,
                mention.identity_id,
                identity.influence_score,
                identity.influence_type,
                mention.company_id,
                mention.state,
                mention.user_id,
                mention.team_id,
                mention.lead_id,
                mention.lead_id IS NOT NULL AS is_converted,
                1 AS nbr,
                CASE WHEN mention.lead_id IS NOT NULL THEN 1 ELSE 0 END
                    AS converted_count,
                COALESCE(mention.like_count, 0) AS like_count,
                COALESCE(mention.share_count, 0) AS share_count,
                COALESCE(mention.reply_count, 0) AS reply_count,
                COALESCE(mention.voice, 'other') AS voice,
                CASE WHEN mention.voice IN ('brand', 'both') THEN 1 ELSE 0 END
                    AS brand_count,
                CASE WHEN mention.voice IN ('competitor', 'both') THEN 1 ELSE 0 END
                    AS competitor_count,
                CASE WHEN mention.first_action_date IS NOT NULL
                     THEN GREATEST(EXTRACT(EPOCH FROM
                              mention.first_action_date - mention.posted_at)
                              / 3600.0, 0)
                END AS hours_to_first_action,
                CASE WHEN mention.first_reply_date IS NOT NULL
                     THEN GREATEST(EXTRACT(EPOCH FROM
                              mention.first_reply_date - mention.posted_at)
                              / 3600.0, 0)
                END AS hours_to_first_reply,
                CASE WHEN mention.first_reply_date IS NOT NULL THEN 1 ELSE 0 END
                    AS odoo_reply_count,
                CASE WHEN lead.id IS NOT NULL
                     THEN GREATEST(EXTRACT(EPOCH FROM
                              lead.create_date - mention.posted_at) / 3600.0, 0)
                END AS hours_to_conversion
            """
        )

    def _from(self):
        return SQL(
            """
            FROM social_mention mention
            LEFT JOIN social_identity identity ON identity.id = mention.identity_id
            LEFT JOIN crm_lead lead ON lead.id = mention.lead_id
            """
        )

    def _where(self):
        return SQL("")

    def _query(self):
        return SQL("%s %s %s", self._select(), self._from(), self._where())

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._query(),
            )
        )
