from odoo import fields, models
from odoo.tools import SQL


class SocialMentionReport(models.Model):
    """Mention analysis with the tickets the mentions made."""

    _inherit = "social.mention.report"

    ticket_id = fields.Many2one("helpdesk.ticket", readonly=True)
    ticket_count = fields.Integer(string="# Tickets", readonly=True)

    def _select(self):
        return SQL(
            "%s, mention.ticket_id,"
            " CASE WHEN mention.ticket_id IS NOT NULL THEN 1 ELSE 0 END"
            " AS ticket_count",
            super()._select(),
        )
