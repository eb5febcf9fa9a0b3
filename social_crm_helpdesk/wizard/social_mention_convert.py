from odoo import _, api, fields, models
from odoo.exceptions import UserError

#: Consumer-cycle categories whose mentions want a ticket rather than a lead:
#: someone is unhappy or waiting, not buying.
TICKET_CATEGORIES = frozenset(("complaint", "support_followup", "pr_risk"))


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

    @api.model
    def default_get(self, fields_list):
        """Tickets by default when most of the mentions are complaints,
        follow-ups or PR risks (and the user may make tickets)."""
        values = super().default_get(fields_list)
        if "action" not in fields_list or values.get("action") != "create_lead":
            return values
        if self.env.context.get("active_model") != "social.mention":
            return values
        mentions = self.env["social.mention"].browse(
            self.env.context.get("active_ids") or []
        )
        for_tickets = mentions.filtered(
            lambda m: m.category_id.code in TICKET_CATEGORIES
        )
        if (
            mentions
            and len(for_tickets) * 2 > len(mentions)
            and self.env["helpdesk.ticket"].has_access("create")
        ):
            values["action"] = "create_ticket"
        return values

    @api.depends("mention_ids")
    def _compute_helpdesk_team_id(self):
        """The sources' team when they agree; else the helpdesk's own default,
        the converting user's first team; else the company's only team."""
        Team = self.env["helpdesk.ticket.team"]
        if not Team.has_access("read"):
            # No helpdesk rights: no tickets to make, no team to propose.
            self.helpdesk_team_id = False
            return
        user_team = self.env.user.helpdesk_team_ids[:1]
        for wizard in self:
            teams = wizard.mention_ids.source_id.helpdesk_team_id
            if len(teams) != 1:
                company = wizard.mention_ids.company_id[:1] or self.env.company
                company_teams = Team.search(
                    [("company_id", "in", [False, company.id])], limit=2
                )
                teams = user_team or (
                    company_teams if len(company_teams) == 1 else Team
                )
            wizard.helpdesk_team_id = teams

    def _convert(self):
        if self.action == "create_ticket":
            if not self.helpdesk_team_id:
                raise UserError(_("Choose the helpdesk team of the tickets."))
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
