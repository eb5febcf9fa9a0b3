from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .social_influence_score import (
    DEFAULT_HALF_LIFE_DAYS,
    DEFAULT_POLARITY_THRESHOLD,
    DEFAULT_WEIGHTS,
)


class ResConfigSettings(models.TransientModel):
    """The influence formula's settings (see ``social.influence.score``)."""

    _inherit = "res.config.settings"

    social_brand_terms = fields.Char(
        related="company_id.social_brand_terms", readonly=False
    )
    social_competitor_terms = fields.Char(
        related="company_id.social_competitor_terms", readonly=False
    )
    social_sentiment_analyzer = fields.Selection(
        related="company_id.social_sentiment_analyzer", readonly=False
    )
    social_fetch_log_days = fields.Integer(
        related="company_id.social_fetch_log_days", readonly=False
    )
    social_influencer_min_score = fields.Float(
        related="company_id.social_influencer_min_score", readonly=False
    )
    social_influencer_min_followers = fields.Integer(
        related="company_id.social_influencer_min_followers", readonly=False
    )
    social_analysis_example_count = fields.Integer(
        related="company_id.social_analysis_example_count"
    )
    social_analysis_trained_at = fields.Datetime(
        related="company_id.social_analysis_trained_at"
    )
    social_analysis_trained_count = fields.Integer(
        related="company_id.social_analysis_trained_count"
    )
    social_crm_weight_reach = fields.Float(
        string="Reach Weight",
        config_parameter="social_crm.weight_reach",
        default=DEFAULT_WEIGHTS["weight_reach"],
        help="How much the audience (followers, log scale within the network) "
        "counts in the score.",
    )
    social_crm_weight_engagement = fields.Float(
        string="Engagement Weight",
        config_parameter="social_crm.weight_engagement",
        default=DEFAULT_WEIGHTS["weight_engagement"],
        help="How much the likes, shares and replies per mention count.",
    )
    social_crm_weight_activity = fields.Float(
        string="Activity Weight",
        config_parameter="social_crm.weight_activity",
        default=DEFAULT_WEIGHTS["weight_activity"],
        help="How much mentioning you often, and lately, counts.",
    )
    social_crm_weight_amplification = fields.Float(
        string="Amplification Weight",
        config_parameter="social_crm.weight_amplification",
        default=DEFAULT_WEIGHTS["weight_amplification"],
        help="How much being shared and replied to by others counts.",
    )
    social_crm_half_life_days = fields.Float(
        string="Recency Half-life (days)",
        config_parameter="social_crm.half_life_days",
        default=DEFAULT_HALF_LIFE_DAYS,
        help="A mention this many days old weighs half as much as one of today "
        "in activity and polarity.",
    )
    social_crm_polarity_threshold = fields.Float(
        string="Polarity Threshold",
        config_parameter="social_crm.polarity_threshold",
        default=DEFAULT_POLARITY_THRESHOLD,
        help="An author whose average sentiment is at least this (or at most "
        "minus this) is a promoter (or a detractor); in between, neutral.",
    )

    @api.constrains(
        "social_crm_weight_reach",
        "social_crm_weight_engagement",
        "social_crm_weight_activity",
        "social_crm_weight_amplification",
        "social_crm_half_life_days",
        "social_crm_polarity_threshold",
    )
    def _check_social_crm_influence(self):
        for settings in self:
            weights = (
                settings.social_crm_weight_reach,
                settings.social_crm_weight_engagement,
                settings.social_crm_weight_activity,
                settings.social_crm_weight_amplification,
            )
            if min(weights) < 0 or not sum(weights):
                raise ValidationError(
                    _(
                        "Influence weights cannot be negative, and at least one "
                        "must be positive."
                    )
                )
            if settings.social_crm_half_life_days <= 0:
                raise ValidationError(_("The recency half-life must be positive."))
            if not 0 < settings.social_crm_polarity_threshold <= 1:
                raise ValidationError(
                    _("The polarity threshold must be above 0 and at most 1.")
                )

    def action_retrain_analysis(self):
        """*Retrain now*: the current company's analysis, on its examples."""
        return self.company_id.action_retrain_analysis()

    def action_reclassify_open_mentions(self):
        """Analyse the open mentions of the company again, batch by batch."""
        count = (
            self.env["social.mention"]
            .with_company(self.company_id)
            ._reclassify_open(self.company_id)
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Reclassify open mentions"),
                "message": _("%s open mentions analysed again.", count),
                "type": "success",
            },
        }
