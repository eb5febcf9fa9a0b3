import base64
import hashlib
import logging
import re
import threading
import time

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..analysis import learner
from ..analysis.seeds import seed_examples
from ..analysis.sentiment import SentimentAnalyzer
from ..utils.selection_values import INFLUENCER_MIN_FOLLOWERS, INFLUENCER_MIN_SCORE
from .social_source_fetch_log import DEFAULT_FETCH_LOG_DAYS

_logger = logging.getLogger(__name__)

#: Each worker's loaded analysis models: (database, company id) -> (checksum,
#: model). One model per company is kept; a checksum that differs from the
#: company's (another worker retrained) loads the stored one again.
_MODELS = {}
_MODELS_LOCK = threading.Lock()

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

    social_analysis_model = fields.Binary(
        string="Analysis Model",
        attachment=False,
        copy=False,
        groups="base.group_system",
        help="What the company's examples trained (gzipped JSON), shared by "
        "every worker through the database.",
    )
    social_analysis_checksum = fields.Char(
        string="Analysis Model Checksum",
        copy=False,
        readonly=True,
        help="SHA-1 of the stored model: workers reload it when it changes.",
    )
    social_analysis_trained_at = fields.Datetime(
        string="Last Training", copy=False, readonly=True
    )
    social_analysis_trained_count = fields.Integer(
        string="Examples Trained On",
        copy=False,
        readonly=True,
        help="The company's own examples (corrections) in the last training.",
    )
    social_analysis_example_count = fields.Integer(
        string="Examples", compute="_compute_social_analysis_example_count"
    )

    def _compute_social_analysis_example_count(self):
        counts = dict(
            self.env["social.analysis.example"]
            .sudo()
            ._read_group([("company_id", "in", self.ids)], ["company_id"], ["__count"])
        )
        for company in self:
            company.social_analysis_example_count = counts.get(company, 0)

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
    def _get_sentiment_analyzer_classes(self):
        """``{name: class}`` of the sentiment analyzers a company may pick.

        The extension point for another analyzer (a trained model, an
        external service): an addon inherits this method and adds a class
        (or any callable) that builds an object following the
        :class:`~odoo.addons.social_crm.analysis.sentiment.Analyzer`
        protocol, with a ``label`` attribute for the settings, as
        ``test_social_crm_network`` does.
        """
        return {"lexicon": SentimentAnalyzer}

    @api.model
    def _selection_social_sentiment_analyzer(self):
        labels = {"lexicon": self.env._("Lexicons and rules (VADER's for English)")}
        return [
            (
                name,
                labels.get(name)
                or getattr(factory, "label", None)
                or name.replace("_", " ").title(),
            )
            for name, factory in self._get_sentiment_analyzer_classes().items()
        ]

    def _social_sentiment_analyzer(self):
        """A new analyzer of the kind this company picked.

        A name no installed addon offers any more (its addon was
        uninstalled) falls back to the lexicon, and says so in the log.
        """
        self.ensure_one()
        factories = self._get_sentiment_analyzer_classes()
        name = self.social_sentiment_analyzer or "lexicon"
        if name not in factories:
            _logger.warning(
                "Company %s: sentiment analyzer %r is not installed; "
                "the lexicon analyzes instead",
                self.id,
                name,
            )
            name = "lexicon"
        return factories[name]()

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

    # ------------------------------------------------------------------ analysis
    def action_retrain_analysis(self):
        """Train the analysis of the companies (default: the current) now.

        On the company's examples and the shipped seed examples; new mentions
        use the new model at once, in every worker (it is in the database).
        """
        companies = self or self.env.company
        for company in companies:
            company._train_social_analysis()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Retrain now"),
                "message": _(
                    "Trained on %(count)s examples of %(company)s.",
                    count=companies[:1].social_analysis_trained_count,
                    company=companies[:1].name,
                )
                if len(companies) == 1
                else _("%s companies retrained.", len(companies)),
                "type": "success",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _train_social_analysis(self):
        """Train this company's model on its examples and store it (or clear it)."""
        self.ensure_one()
        started = time.monotonic()
        rows = self.env["social.analysis.example"]._training_rows(self)
        examples = [
            learner.Example(field, text, lang, label, seed=seed)
            for field, text, lang, label, seed in rows
            if label
        ]
        own = sum(not example.seed for example in examples)
        values = {
            "social_analysis_trained_at": fields.Datetime.now(),
            "social_analysis_trained_count": own,
        }
        if own:
            model = learner.train([*examples, *seed_examples()])
            data = model.dumps()
            values["social_analysis_model"] = base64.b64encode(data)
            values["social_analysis_checksum"] = hashlib.sha1(data).hexdigest()
        else:  # nothing of the company's own: the lexicon and rules answer
            values["social_analysis_model"] = False
            values["social_analysis_checksum"] = False
        self.sudo().write(values)
        _logger.info(
            "Social analysis of company %s trained on %s examples (%s own) in %.2fs",
            self.id,
            len(examples),
            own,
            time.monotonic() - started,
        )

    def _social_analysis_model(self):
        """The company's trained :class:`~.learner.Model`, or None.

        Loaded once per worker and checksum: the checksum is read from the
        database each time (one small field), the model only when it changed.
        """
        self.ensure_one()
        company = self.sudo()
        checksum = company.social_analysis_checksum
        if not checksum:
            return None
        key = (self.env.cr.dbname, company.id)
        cached = _MODELS.get(key)
        if cached and cached[0] == checksum:
            return cached[1]
        company.flush_recordset(["social_analysis_model", "social_analysis_checksum"])
        self.env.cr.execute(
            "SELECT social_analysis_model, social_analysis_checksum"
            " FROM res_company WHERE id = %s",
            [company.id],
        )
        stored, stored_checksum = self.env.cr.fetchone()
        if not stored:
            return None
        data = bytes(stored)
        try:
            model = learner.loads(base64.b64decode(data))
        except (ValueError, OSError) as error:
            _logger.warning(
                "Unreadable analysis model of company %s: %s", self.id, error
            )
            return None
        with _MODELS_LOCK:
            _MODELS[key] = (stored_checksum, model)
        return model

    @api.model
    def _cron_retrain_analysis(self):
        """Retrain every company with examples (or with a model to clear)."""
        with_examples = {
            company.id
            for [company] in self.env["social.analysis.example"]
            .sudo()
            ._read_group([], ["company_id"])
        }
        with_model = self.sudo().search([("social_analysis_checksum", "!=", False)])
        companies = self.sudo().browse(sorted(with_examples | set(with_model.ids)))
        for done, company in enumerate(companies, 1):
            company._train_social_analysis()
            self.env["ir.cron"]._notify_progress(
                done=done, remaining=len(companies) - done
            )
        return len(companies)
