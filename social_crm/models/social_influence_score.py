from odoo import fields, models


class SocialInfluenceScore(models.Model):
    """One day of an identity's influence: the score and what it was made of.

    Written by the influence recomputation, one row per identity per day.
    """

    _name = "social.influence.score"
    _description = "Social Influence Score History"
    _order = "date desc, id desc"
    _rec_name = "date"

    identity_id = fields.Many2one(
        "social.identity", required=True, ondelete="cascade", index=True
    )
    partner_id = fields.Many2one("res.partner", string="Contact", index=True)
    network = fields.Selection(related="identity_id.network", store=True)
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    score = fields.Float(digits=(5, 1), aggregator="avg")
    reach = fields.Float(digits=(5, 1), aggregator="avg")
    engagement = fields.Float(digits=(5, 1), aggregator="avg")
    activity = fields.Float(digits=(5, 1), aggregator="avg")
    amplification = fields.Float(digits=(5, 1), aggregator="avg")
    sentiment = fields.Float(digits=(4, 2), aggregator="avg", help="Polarity, -1 to 1.")
    company_id = fields.Many2one(related="identity_id.company_id", store=True)

    _sql_constraints = [
        (
            "identity_date_unique",
            "unique(identity_id, date)",
            "An identity has one score per day.",
        ),
    ]
