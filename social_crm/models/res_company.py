import re

from odoo import api, fields, models

from ..analysis.sentiment import ANALYZERS


class ResCompany(models.Model):
    _inherit = "res.company"

    social_sentiment_analyzer = fields.Selection(
        selection="_selection_social_sentiment_analyzer",
        default="lexicon",
        string="Sentiment Analyzer",
        help="What reads the sentiment of this company's mentions.",
    )
    social_brand_terms = fields.Char(
        string="Brand Terms",
        help="The brand and its products, separated by commas.",
    )
    social_competitor_terms = fields.Char(
        string="Competitor Terms",
        help="Competitors and their products, separated by commas.",
    )

    @api.model
    def _selection_social_sentiment_analyzer(self):
        return [(name, name.replace("_", " ").title()) for name in ANALYZERS]

    @api.model
    def _social_competitor_terms(self):
        return [
            term.strip()
            for term in re.split(
                r"[,\n;]", self.env.company.social_competitor_terms or ""
            )
            if term.strip()
        ]
