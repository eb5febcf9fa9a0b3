from odoo import api, fields, models
from odoo.tools import SQL

from ..utils.links import LINK_KEYS_FUNCTION, sql_normalized_link, sql_partner_link_keys
from ..utils.selection_values import INFLUENCE_HELP, INFLUENCE_TYPES
from ..utils.window_action import filtered_window_action


def create_partner_link_indexes(cr):
    """Indexes on contacts for matching by link and e-mail (``res.partner.init``).

    Without them every page of new authors scans every contact. The GIN
    index skips the pending list (``fastupdate = off``): contacts are written
    far less often than pages are matched.
    """
    cr.execute(
        SQL(
            """
            CREATE OR REPLACE FUNCTION %(function)s(website text, handles text)
            RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 1000
            AS $body$
                SELECT array_agg(link.key)
                  FROM (
                        SELECT %(website)s AS key
                         UNION
                        SELECT %(token)s
                          FROM regexp_split_to_table(coalesce(handles, ''),
                                                     '[\\s,;]+') AS token
                       ) AS link
            $body$
            """,
            function=SQL.identifier(LINK_KEYS_FUNCTION),
            website=sql_normalized_link(SQL("website")),
            token=sql_normalized_link(SQL("token")),
        )
    )
    cr.execute(
        SQL(
            """
            CREATE INDEX IF NOT EXISTS res_partner_social_link_keys_index
                ON res_partner USING gin ((%s)) WITH (fastupdate = off)
             WHERE website IS NOT NULL OR social_handles IS NOT NULL
            """,
            sql_partner_link_keys(),
        )
    )
    cr.execute(
        "CREATE INDEX IF NOT EXISTS res_partner_email_normalized_key_index"
        " ON res_partner (email_normalized) WHERE email_normalized IS NOT NULL"
    )


class ResPartner(models.Model):
    _inherit = "res.partner"

    social_handles = fields.Char(
        help="This contact's social accounts: handles or profile URLs separated "
        "by spaces or commas (e.g. @alice@mastodon.social, https://x.com/alice). "
        "Identities with these profiles are linked to the contact automatically.",
    )
    social_identity_ids = fields.One2many(
        "social.identity", "partner_id", string="Social Identities"
    )
    social_identity_count = fields.Integer(compute="_compute_social_counts")
    social_mention_ids = fields.One2many(
        "social.mention", "partner_id", string="Social Mentions"
    )
    social_mention_count = fields.Integer(compute="_compute_social_counts")
    influence_score = fields.Float(
        digits=(5, 1),
        compute="_compute_influence",
        store=True,
        aggregator="avg",
        help="The highest influence of the contact's social identities. "
        + INFLUENCE_HELP,
    )
    influence_type = fields.Selection(
        INFLUENCE_TYPES,
        compute="_compute_influence",
        store=True,
        help="Whether the contact's most influential identity speaks for or "
        "against the brand.",
    )

    def init(self):
        result = super().init()
        create_partner_link_indexes(self.env.cr)
        return result

    def _compute_social_counts(self):
        Mention = self.env["social.mention"]
        Identity = self.env["social.identity"]
        mentions = dict(
            Mention._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        identities = dict(
            Identity._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.social_mention_count = mentions.get(partner, 0)
            partner.social_identity_count = identities.get(partner, 0)

    @api.depends(
        "social_identity_ids.influence_score", "social_identity_ids.influence_type"
    )
    def _compute_influence(self):
        for partner in self:
            top = max(
                partner.social_identity_ids,
                key=lambda identity: identity.influence_score,
                default=None,
            )
            partner.influence_score = top.influence_score if top else 0.0
            partner.influence_type = top.influence_type if top else False

    def action_view_influence_history(self):
        self.ensure_one()
        return filtered_window_action(
            self.env,
            "social_crm.social_influence_score_action",
            [("partner_id", "=", self.id)],
        )

    def action_view_social_mentions(self):
        self.ensure_one()
        return filtered_window_action(
            self.env, "social_crm.social_mention_action", [("partner_id", "=", self.id)]
        )

    def action_view_social_identities(self):
        self.ensure_one()
        return filtered_window_action(
            self.env,
            "social_crm.social_identity_action",
            [("partner_id", "=", self.id)],
            {"default_partner_id": self.id},
        )
