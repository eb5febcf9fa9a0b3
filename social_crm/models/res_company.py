import re

from odoo import api, fields, models
from odoo.tools import SQL

from ..analysis.sentiment import ANALYZERS

#: The fields whose terms say whose a mention is (its share of voice).
TERM_FIELDS = {"social_brand_terms", "social_competitor_terms"}
#: What separates the watched terms of a company (the SQL of
#: :meth:`ResCompany._social_terms_query` splits them the same way).
TERM_SEPARATORS = re.compile(r"[,\n;]")


def split_terms(text):
    """The terms of a company's brand or competitor field, stripped."""
    return [term.strip() for term in TERM_SEPARATORS.split(text or "") if term.strip()]


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

    def write(self, vals):
        changed = self.browse()
        if TERM_FIELDS.intersection(vals):
            changed = self.filtered(
                lambda company: any(
                    (company[name] or False) != (vals[name] or False)
                    for name in TERM_FIELDS.intersection(vals)
                )
            )
        result = super().write(vals)
        if changed:
            self.env["social.mention"]._recompute_voice(changed)
        return result

    @api.model
    def _selection_social_sentiment_analyzer(self):
        return [(name, name.replace("_", " ").title()) for name in ANALYZERS]

    @api.model
    def _social_competitor_terms(self):
        return split_terms(self.env.company.social_competitor_terms)

    def _social_watched_terms(self):
        """The brand then the competitor terms of this company, split."""
        self.ensure_one()
        return split_terms(self.social_brand_terms) + split_terms(
            self.social_competitor_terms
        )

    @api.model
    def _social_terms_query(self):
        """One case-insensitive regex per company for its brand, its competitors.

        A query of ``company_id, brand_re, competitor_re``: terms are split
        on commas, semicolons and new lines (as
        :meth:`_social_competitor_terms` splits them), regex-escaped and
        matched as whole words, ``(^|\\W)(term1|term2)($|\\W)``, or as the
        start of a handle or hashtag (``@AcmePay``, ``#AcmeFail``); no terms
        give ``NULL``. The terms written in the cache are flushed first.
        Each regex is built once per statement.
        """
        self.flush_model(list(TERM_FIELDS))

        def regex(column):
            return SQL(
                r"""
                (SELECT '(^|\W)(' || terms || ')($|\W)|(^|\W)[@#](' || terms || ')'
                   FROM (SELECT string_agg(
                                    regexp_replace(btrim(term),
                                                   '([.*+?^${}()|\[\]\\])',
                                                   '\\\1', 'g'),
                                    '|') AS terms
                           FROM regexp_split_to_table(%s, '[,;\n]') AS term
                          WHERE btrim(term) <> '') AS split)
                """,
                SQL.identifier("company", column),
            )

        # Materialized: once per statement, not once per mention it is joined
        # with (the planner would inline the correlated subqueries).
        return SQL(
            "WITH company_terms AS MATERIALIZED ("
            " SELECT company.id AS company_id, %s AS brand_re, %s AS competitor_re"
            " FROM res_company company) SELECT * FROM company_terms",
            regex("social_brand_terms"),
            regex("social_competitor_terms"),
        )
