from odoo import api, fields, models

from ..utils.selection_values import INFLUENCE_HELP, INFLUENCE_TYPES
from ..utils.window_action import filtered_window_action


class CrmLead(models.Model):
    _inherit = "crm.lead"

    social_mention_ids = fields.One2many(
        "social.mention", "lead_id", string="Social Mentions"
    )
    social_mention_count = fields.Integer(compute="_compute_social_mention_count")
    social_identity_ids = fields.Many2many(
        "social.identity",
        compute="_compute_social_authors",
        string="Authors' Identities",
        help="The social accounts of the people whose mentions made this lead.",
    )
    social_author_influence = fields.Float(
        compute="_compute_social_authors",
        string="Author Influence",
        digits=(5, 1),
        help=INFLUENCE_HELP,
    )
    social_author_influence_type = fields.Selection(
        INFLUENCE_TYPES,
        compute="_compute_social_authors",
        string="Author Influence Type",
    )

    def _compute_social_mention_count(self):
        counts = dict(
            self.env["social.mention"]._read_group(
                [("lead_id", "in", self.ids)], ["lead_id"], ["__count"]
            )
        )
        for lead in self:
            lead.social_mention_count = counts.get(lead, 0)

    @api.depends("social_mention_ids.identity_id", "partner_id.social_identity_ids")
    def _compute_social_authors(self):
        for lead in self:
            identities = (
                lead.social_mention_ids.identity_id
                | lead.partner_id.social_identity_ids
            )
            top = max(identities, key=lambda i: i.influence_score, default=None)
            lead.social_identity_ids = identities
            lead.social_author_influence = top.influence_score if top else 0.0
            lead.social_author_influence_type = top.influence_type if top else False

    def action_view_social_mentions(self):
        self.ensure_one()
        return filtered_window_action(
            self.env, "social_crm.social_mention_action", [("lead_id", "=", self.id)]
        )
