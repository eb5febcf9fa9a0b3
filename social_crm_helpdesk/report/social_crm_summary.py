from odoo import api, models

from odoo.addons.social_crm.report.social_crm_summary import _percent


class SocialCrmSummaryReport(models.AbstractModel):
    _inherit = "report.social_crm.summary"

    @api.model
    def _summary_conversions(self, domain, total):
        """Tickets as well as leads."""
        conversions = super()._summary_conversions(domain, total)
        tickets = self.env["social.mention"].search_count(
            domain + [("ticket_id", "!=", False)]
        )
        conversions.append(
            {
                "name": self.env._("Tickets"),
                "label": self.env._("Converted to tickets"),
                "count": tickets,
                "pct": _percent(tickets, total),
            }
        )
        return conversions
