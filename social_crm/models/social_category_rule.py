from odoo import api, fields, models

from ..utils.selection_values import LANGUAGES


class SocialCategoryRule(models.Model):
    """A keyword or phrase that points a mention to a category.

    A term ending with ``*`` matches any word starting with it, which suits
    inflected languages (``поломк*``).
    """

    _name = "social.category.rule"
    _description = "Social Mention Category Rule"
    _order = "category_id, lang, term"

    category_id = fields.Many2one(
        "social.category", required=True, ondelete="cascade", index=True
    )
    lang = fields.Selection(LANGUAGES, string="Language", help="Empty: any language.")
    term = fields.Char(required=True, help="Keyword or phrase, case-insensitive.")
    weight = fields.Float(default=1.0)

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
