from odoo import _, api, fields, models
from odoo.exceptions import UserError


class SocialMentionConvert(models.TransientModel):
    _inherit = "social.mention.convert"

    helpdesk_team_id = fields.Many2one(
        "helpdesk.ticket.team",
        compute="_compute_helpdesk_team_id",
        store=True,
        readonly=False,
    )
    helpdesk_user_id = fields.Many2one(
        "res.users", string="Assigned to", domain="[('share', '=', False)]"
    )
    ticket_id = fields.Many2one("helpdesk.ticket")

    @api.model
    def _selection_action(self):
        return super()._selection_action() + [
            ("create_ticket", _("Create tickets")),
            ("attach_ticket", _("Attach to an existing ticket")),
        ]

    @api.depends("mention_ids")
    def _compute_helpdesk_team_id(self):
        for wizard in self:
            teams = wizard.mention_ids.source_id.helpdesk_team_id
            wizard.helpdesk_team_id = teams if len(teams) == 1 else False

    def _convert(self):
        if self.action == "create_ticket":
            self._check_can("helpdesk.ticket", "create", _("create tickets"))
            return self.mention_ids._convert_to_tickets(
                per_author=self.grouping == "author",
                team=self.helpdesk_team_id,
                user=self.helpdesk_user_id,
            )
        if self.action == "attach_ticket":
            if not self.ticket_id:
                raise UserError(_("Choose the ticket to attach the mentions to."))
            self._check_can("helpdesk.ticket", "write", _("update tickets"))
            return self.mention_ids._attach_to_ticket(self.ticket_id)
        return super()._convert()
