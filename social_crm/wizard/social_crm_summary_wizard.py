from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class SocialCrmSummaryWizard(models.TransientModel):
    """Choose the company and period of the "Social CRM summary" PDF."""

    _name = "social.crm.summary.wizard"
    _description = "Social CRM Summary"

    date_from = fields.Date(
        required=True,
        default=lambda self: fields.Date.context_today(self) - relativedelta(days=29),
    )
    date_to = fields.Date(required=True, default=fields.Date.context_today)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.companies.ids)],
    )

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise ValidationError(_("The period must end after it starts."))

    def _report_data(self):
        self.ensure_one()
        return {
            "date_from": fields.Date.to_string(self.date_from),
            "date_to": fields.Date.to_string(self.date_to),
            "company_id": self.company_id.id,
        }

    def action_print(self):
        self.ensure_one()
        report = self.env.ref("social_crm.social_crm_summary_report_action")
        return report.report_action(self, data=self._report_data())
