from odoo import _, api, fields, models


class SocialRoutingRule(models.Model):
    _inherit = "social.routing.rule"

    helpdesk_team_id = fields.Many2one("helpdesk.ticket.team")

    @api.model
    def _selection_action(self):
        return super()._selection_action() + [("create_ticket", _("Create a ticket"))]

    def _apply_create_ticket(self, mentions):
        convertible = mentions._filter_convertible()
        if convertible:
            # The rule's user, even none: an empty "Assign to" leaves the
            # tickets unassigned, never to whoever ran the rules.
            convertible._convert_to_tickets(
                per_author=self.group_by_author,
                team=self.helpdesk_team_id or None,
                user=self.user_id,
            )

    def _describe_create_ticket(self, mentions):
        return self._describe_conversion(
            mentions, lambda count: self.env._("%s new ticket(s)", count)
        )
