from odoo import api, models

from ..analysis import StarsAnalyzer


class ResCompany(models.Model):
    _inherit = "res.company"

    @api.model
    def _get_sentiment_analyzer_classes(self):
        return {**super()._get_sentiment_analyzer_classes(), "stars": StarsAnalyzer}
