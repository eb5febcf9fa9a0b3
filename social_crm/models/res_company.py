import re

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..analysis.sentiment import ANALYZERS
from .selection_values import INFLUENCER_MIN_FOLLOWERS, INFLUENCER_MIN_SCORE
from .social_source_fetch_log import DEFAULT_FETCH_LOG_DAYS

#: The fields whose terms say whose a mention is (its share of voice).
TERM_FIELDS = {"social_brand_terms", "social_competitor_terms"}
#: What separates the watched terms of a company (the SQL of
#: :meth:`ResCompany._social_terms_query` splits them the same way).
TERM_SEPARATORS = re.compile(r"[,\n;]")


def split_terms(text):
    """The terms of a company's brand or competitor field, stripped."""
    return [term.strip() for term in TERM_SEPARATORS.split(text or "") if term.strip()]


#: The fields that say who is an influencer.
INFLUENCER_FIELDS = {"social_influencer_min_score", "social_influencer_min_followers"}


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

    social_influencer_min_score = fields.Float(
        string="Influencer Minimum Score",
        default=INFLUENCER_MIN_SCORE,
        help="An influencer has at least this influence score (0 to 100)…",
    )
    social_influencer_min_followers = fields.Integer(
        string="Influencer Minimum Followers",
        default=INFLUENCER_MIN_FOLLOWERS,
        help="…and at least this many followers: the score is relative within "
        "a network, the audience is not.",
    )

    social_fetch_log_days = fields.Integer(
        string="Keep Fetch Log (days)",
        default=DEFAULT_FETCH_LOG_DAYS,
        help="How long the log of each source's fetches is kept; 0 keeps it "
        "forever.",
    )

    @api.constrains(
        "social_influencer_min_score",
        "social_influencer_min_followers",
        "social_fetch_log_days",
    )
    def _check_social_settings(self):
        for company in self:
            if not 0 <= company.social_influencer_min_score <= 100:
                raise ValidationError(
                    _("The influencer minimum score is between 0 and 100.")
                )
            if company.social_fetch_log_days < 0:
                raise ValidationError(
                    _("The days the fetch log is kept cannot be negative.")
                )
            if company.social_influencer_min_followers < 0:
                raise ValidationError(
                    _("The influencer minimum of followers cannot be negative.")
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
        if INFLUENCER_FIELDS.intersection(vals):
            self.env["social.identity"]._recompute_influencers(self)
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
