from odoo import api, fields, models


class SocialCategory(models.Model):
    """Where the author of a mention stands in the consumer cycle.

    Categories are records with a stable ``code`` that code and reports rely
    on; their keyword rules (``social.category.rule``) are data a manager edits.
    """

    _name = "social.category"
    _description = "Social Mention Category"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True, help="Stable technical key used by code and reports."
    )
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)
    rule_ids = fields.One2many("social.category.rule", "category_id", string="Rules")
    rule_count = fields.Integer(compute="_compute_rule_count")

    _sql_constraints = [
        ("code_unique", "unique(code)", "A category code must be unique."),
    ]

    @api.depends("rule_ids")
    def _compute_rule_count(self):
        for category in self:
            category.rule_count = len(category.rule_ids)

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()  # social.mention._category_rules
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()
