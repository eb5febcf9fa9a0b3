from odoo import api, fields, models

from odoo.addons.social_crm.utils.window_action import filtered_window_action


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    social_mention_ids = fields.One2many(
        "social.mention", "ticket_id", string="Social Mentions"
    )
    social_mention_count = fields.Integer(compute="_compute_social_mention_count")
    social_identity_ids = fields.Many2many(
        "social.identity",
        compute="_compute_social_identity_ids",
        string="Authors' Identities",
    )

    def _compute_social_mention_count(self):
        counts = dict(
            self.env["social.mention"]._read_group(
                [("ticket_id", "in", self.ids)], ["ticket_id"], ["__count"]
            )
        )
        for ticket in self:
            ticket.social_mention_count = counts.get(ticket, 0)

    @api.depends("social_mention_ids.identity_id", "partner_id.social_identity_ids")
    def _compute_social_identity_ids(self):
        for ticket in self:
            ticket.social_identity_ids = (
                ticket.social_mention_ids.identity_id
                | ticket.partner_id.social_identity_ids
            )

    def action_view_social_mentions(self):
        self.ensure_one()
        return filtered_window_action(
            self.env, "social_crm.social_mention_action", [("ticket_id", "=", self.id)]
        )
