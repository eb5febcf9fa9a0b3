from odoo import fields, models


class SocialSource(models.Model):
    _inherit = "social.source"

    helpdesk_team_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Default Helpdesk Team",
        help="Given to the tickets made from this source's mentions.",
    )
