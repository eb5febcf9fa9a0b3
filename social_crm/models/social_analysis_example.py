from odoo import api, fields, models
from odoo.tools import SQL

from ..utils.selection_values import LANGUAGES, SENTIMENTS

#: What an example teaches: the mention's field it corrects.
EXAMPLE_FIELDS = [("sentiment", "Sentiment"), ("category", "Category")]


class SocialAnalysisExample(models.Model):
    """A labelled text a company's analysis learns from.

    Made when a user corrects a mention's sentiment or category (see
    ``social.mention.write``): who corrected it, when, from what to what,
    and the post's text at that moment, so that deleting or editing the
    mention later does not change what was learned. Managers read and delete
    them; the correction itself is the only way users create them.
    ``res.company.action_retrain_analysis`` trains on them.
    """

    _name = "social.analysis.example"
    _description = "Social Analysis Example"
    _order = "create_date desc, id desc"
    _rec_name = "text"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        ondelete="cascade",
        default=lambda self: self.env.company,
    )
    mention_id = fields.Many2one("social.mention", index=True, ondelete="set null")
    text = fields.Text(required=True, help="The post's content when it was corrected.")
    lang = fields.Selection(LANGUAGES, string="Language")
    field = fields.Selection(EXAMPLE_FIELDS, required=True, string="Corrected Field")
    sentiment_from = fields.Selection(SENTIMENTS, string="Sentiment Was")
    sentiment_to = fields.Selection(SENTIMENTS, string="Sentiment Set")
    category_from_id = fields.Many2one(
        "social.category", string="Category Was", ondelete="set null"
    )
    category_to_id = fields.Many2one(
        "social.category", string="Category Set", ondelete="cascade"
    )
    user_id = fields.Many2one(
        "res.users",
        string="Corrected By",
        index=True,
        ondelete="set null",
        default=lambda self: self.env.user,
    )
    source = fields.Selection(
        [("correction", "Correction"), ("seed", "Seed")],
        required=True,
        default="correction",
    )
    label = fields.Char(
        compute="_compute_label", help="What the example teaches: the value set."
    )

    @api.depends("field", "sentiment_to", "category_to_id")
    def _compute_label(self):
        sentiments = dict(self._fields["sentiment_to"]._description_selection(self.env))
        for example in self:
            if example.field == "sentiment":
                example.label = sentiments.get(example.sentiment_to, "")
            else:
                example.label = example.category_to_id.display_name or ""

    @api.model
    def _training_rows(self, company):
        """``(field, text, lang, label, seed)`` of ``company``'s examples, one query.

        Sentiment labels are the selection's keys, categories their codes.
        """
        self.flush_model()
        self.env["social.category"].flush_model(["code"])
        return self.env.execute_query(
            SQL(
                """
                SELECT example.field, example.text, COALESCE(example.lang, ''),
                       CASE WHEN example.field = 'sentiment'
                            THEN example.sentiment_to ELSE category.code END,
                       example.source = 'seed'
                  FROM social_analysis_example example
                  LEFT JOIN social_category category
                         ON category.id = example.category_to_id
                 WHERE example.company_id = %s
                 ORDER BY example.id
                """,
                company.id,
            )
        )
