from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.selection_values import INFLUENCE_TYPES, LANGUAGES, NETWORKS, SENTIMENTS
from ..models.social_mention import STATES

VOICES = [
    ("brand", "Brand"),
    ("competitor", "Competitor"),
    ("both", "Brand and competitor"),
    ("other", "Other"),
]


class SocialMentionReport(models.Model):
    """Mention analysis: one row per mention, with what managers measure.

    * Share of voice: a mention is the brand's when its text matches one of
      its company's *Brand Terms*, a competitor's when it matches one of the
      *Competitor Terms* (whole words, case-insensitive, with ``~*``); both,
      or neither ("other").
    * Hours to first action: from the post to the first recorded change of
      the mention's state away from a previous state (the first
      ``mail.tracking.value`` on ``state`` whose old value is set, i.e. not
      the creation). Mentions never handled have none.
    * Hours to conversion: from the post to the creation of its lead.
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
        digits=(16, 1),
        readonly=True,
        aggregator="avg",
        help="Hours from the post to the first change of the mention's state.",
    )
    hours_to_conversion = fields.Float(
        digits=(16, 1),
        readonly=True,
        aggregator="avg",
        help="Hours from the post to the creation of its lead.",
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
                CASE WHEN voice.is_brand AND voice.is_competitor THEN 'both'
                     WHEN voice.is_brand THEN 'brand'
                     WHEN voice.is_competitor THEN 'competitor'
                     ELSE 'other' END AS voice,
                CASE WHEN voice.is_brand THEN 1 ELSE 0 END AS brand_count,
                CASE WHEN voice.is_competitor THEN 1 ELSE 0 END AS competitor_count,
                CASE WHEN min(state_change.date) IS NOT NULL
                     THEN GREATEST(EXTRACT(EPOCH FROM
                              min(state_change.date) - mention.posted_at)
                              / 3600.0, 0)
                END AS hours_to_first_action,
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
            LEFT JOIN (%(terms)s) AS terms ON terms.company_id = mention.company_id
            CROSS JOIN LATERAL (
                SELECT COALESCE(mention.content ~* terms.brand_re, FALSE) AS is_brand,
                       COALESCE(mention.content ~* terms.competitor_re, FALSE)
                           AS is_competitor
            ) AS voice
            LEFT JOIN (%(state_changes)s) AS state_change
                   ON state_change.mention_id = mention.id
            """,
            terms=self._terms_query(),
            state_changes=self._state_changes_query(),
        )

    def _terms_query(self):
        """One case-insensitive regex per company for its brand, its competitors.

        Terms are split on commas, semicolons and new lines, regex-escaped and
        matched as whole words: ``(^|\\W)(term1|term2)($|\\W)``.
        """

        def regex(column):
            return SQL(
                r"""
                (SELECT '(^|\W)(' || string_agg(
                            regexp_replace(btrim(term),
                                           '([.*+?^${}()|\[\]\\])', '\\\1', 'g'),
                            '|') || ')($|\W)'
                   FROM regexp_split_to_table(%s, '[,;\n]') AS term
                  WHERE btrim(term) <> '')
                """,
                SQL.identifier("company", column),
            )

        return SQL(
            "SELECT company.id AS company_id, %s AS brand_re, %s AS competitor_re"
            " FROM res_company company",
            regex("social_brand_terms"),
            regex("social_competitor_terms"),
        )

    def _state_changes_query(self):
        """The dates the mentions' state changed (creation excluded)."""
        return SQL(
            """
            SELECT message.res_id AS mention_id, message.date
              FROM mail_tracking_value tracking
              JOIN mail_message message ON message.id = tracking.mail_message_id
              JOIN ir_model_fields field ON field.id = tracking.field_id
             WHERE message.model = 'social.mention'
               AND field.model = 'social.mention'
               AND field.name = 'state'
               AND COALESCE(tracking.old_value_char, '') <> ''
            """
        )

    def _where(self):
        return SQL("")

    def _group_by(self):
        """Rows are mentions: grouped by the mention (and the one-row joins)."""
        return SQL(
            "GROUP BY mention.id, identity.id, lead.id, voice.is_brand,"
            " voice.is_competitor"
        )

    def _query(self):
        return SQL(
            "%s %s %s %s",
            self._select(),
            self._from(),
            self._where(),
            self._group_by(),
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._query(),
            )
        )
