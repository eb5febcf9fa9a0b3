from datetime import timedelta

from psycopg2.extras import execute_values

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import html_sanitize

from ..analysis.categories import classify
from ..analysis.language import detect_language
from ..analysis.sentiment import get_analyzer
from .selection_values import LANGUAGES, NETWORK_CODES, NETWORKS, SENTIMENTS

#: Longest post content kept, in characters (long-form RSS articles included).
MAX_CONTENT_LENGTH = 100_000
#: How far in the future a post date may be (clock skew between servers).
FUTURE_TOLERANCE = timedelta(days=1)

#: The bulk insert of the ingestion path (the columns of its rows, in order).
INSERT_MENTIONS = """
    INSERT INTO social_mention (
        network, external_id, url, content, content_html, posted_at,
        identity_id, partner_id, lang, like_count, share_count,
        reply_count, parent_external_id, sentiment, sentiment_score,
        category_id, matched_terms, state, priority, source_id,
        user_id, team_id, company_id,
        create_uid, write_uid, create_date, write_date)
    VALUES %s
    ON CONFLICT (network, external_id) DO NOTHING
    RETURNING id
"""

STATES = [
    ("new", "New"),
    ("in_progress", "In Progress"),
    ("converted", "Converted"),
    ("replied", "Replied"),
    ("ignored", "Ignored"),
]


class SocialMention(models.Model):
    """One post that names the brand, its products, competitors or watched accounts.

    Mentions are written by one path, :meth:`_ingest_page`, which takes a
    normalized page from a connector and writes its identities and mentions
    in bulk. ``create`` remains for imports and other modules; both classify
    sentiment, language and category when they are not given.
    """

    _name = "social.mention"
    _description = "Social Mention"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "posted_at desc, id desc"
    _rec_names_search = ["content", "identity_id.handle", "identity_id.name"]

    source_id = fields.Many2one("social.source", index=True, ondelete="set null")
    network = fields.Selection(NETWORKS, required=True, index=True)
    external_id = fields.Char(required=True, string="External ID")
    url = fields.Char(string="URL")
    content = fields.Text(required=True)
    content_html = fields.Html(string="Content (formatted)", sanitize=True)
    posted_at = fields.Datetime(required=True, index=True, default=fields.Datetime.now)
    identity_id = fields.Many2one(
        "social.identity", string="Author", index=True, ondelete="restrict"
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Contact",
        related="identity_id.partner_id",
        store=True,
        index=True,
        readonly=True,
    )
    author_influence = fields.Float(
        related="identity_id.influence_score", string="Author Influence"
    )
    author_influence_type = fields.Selection(
        related="identity_id.influence_type", string="Author Influence Type"
    )
    author_avatar_url = fields.Char(related="identity_id.avatar_url")
    lang = fields.Selection(LANGUAGES, string="Language")
    like_count = fields.Integer(string="Likes")
    share_count = fields.Integer(string="Shares")
    reply_count = fields.Integer(string="Replies")
    parent_external_id = fields.Char(string="In Reply To")
    sentiment = fields.Selection(SENTIMENTS, index=True)
    sentiment_score = fields.Float(digits=(3, 2))
    category_id = fields.Many2one("social.category", index=True)
    category_code = fields.Char(related="category_id.code")
    matched_terms = fields.Char()
    state = fields.Selection(
        STATES,
        default="new",
        required=True,
        index=True,
        tracking=True,
        group_expand="_group_expand_states",
    )
    user_id = fields.Many2one(
        "res.users", string="Responsible", index=True, tracking=True
    )
    team_id = fields.Many2one("crm.team", string="Sales Team", index=True)
    priority = fields.Selection(
        [("0", "Normal"), ("1", "Important"), ("2", "Urgent")], default="0"
    )
    lead_id = fields.Many2one("crm.lead", index=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    _sql_constraints = [
        (
            "network_external_id_unique",
            "unique(network, external_id)",
            "A post exists once per network.",
        ),
    ]

    @api.depends("identity_id", "content")
    def _compute_display_name(self):
        for mention in self:
            author = (
                mention.identity_id.handle or mention.identity_id.name or _("Unknown")
            )
            text = " ".join((mention.content or "").split())
            if len(text) > 60:
                text = text[:59] + "…"
            mention.display_name = f"{author}: {text}"

    @api.model
    def _group_expand_states(self, states, domain):
        return [key for key, _label in STATES]

    @api.constrains("network", "posted_at", "content")
    def _check_values(self):
        limit = fields.Datetime.now() + FUTURE_TOLERANCE
        for mention in self:
            if mention.posted_at and mention.posted_at > limit:
                raise ValidationError(
                    _(
                        "The post %(post)s is dated %(date)s, more than a day ahead.",
                        post=mention.external_id,
                        date=mention.posted_at,
                    )
                )
            if len(mention.content or "") > MAX_CONTENT_LENGTH:
                raise ValidationError(
                    _(
                        "The post %(post)s is longer than %(limit)s characters.",
                        post=mention.external_id,
                        limit=MAX_CONTENT_LENGTH,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("network") and vals["network"] not in NETWORK_CODES:
                raise ValidationError(_("Unknown network: %s", vals["network"]))
        self._classify_values(vals_list)
        return super().create(vals_list)

    # ------------------------------------------------------------------ actions
    def action_set_in_progress(self):
        self.write({"state": "in_progress", "user_id": self.env.user.id})

    def action_set_replied(self):
        self.write({"state": "replied"})

    def action_ignore(self):
        self.write({"state": "ignored"})

    def action_reset(self):
        self.filtered(lambda m: m.state != "converted").write({"state": "new"})

    def action_open_post(self):
        self.ensure_one()
        if not self.url:
            raise UserError(_("This mention has no link to its post."))
        return {"type": "ir.actions.act_url", "url": self.url, "target": "new"}

    def action_reclassify(self):
        """Recompute language, sentiment and category of the selection."""
        vals_list = [
            {"content": m.content, "lang": m.lang or False, "_id": m.id} for m in self
        ]
        self._classify_values(vals_list, force=True)
        for vals in vals_list:
            self.browse(vals.pop("_id")).write(
                {k: v for k, v in vals.items() if k != "content"}
            )
        return True

    # ------------------------------------------------------------------ analysis
    @api.model
    def _category_rules(self):
        """(code, lang, term, weight) of the active categories, and code -> id."""
        rules = (
            self.env["social.category.rule"]
            .sudo()
            .search_read(
                [("category_id.active", "=", True)],
                ["category_id", "lang", "term", "weight"],
            )
        )
        categories = self.env["social.category"].sudo().search([])
        code_by_id = {c.id: c.code for c in categories}
        return (
            [
                (
                    code_by_id[r["category_id"][0]],
                    r["lang"] or "",
                    r["term"],
                    r["weight"],
                )
                for r in rules
                if r["category_id"][0] in code_by_id
            ],
            {c.code: c.id for c in categories},
        )

    @api.model
    def _classify_values(self, vals_list, force=False):
        """Fill lang, sentiment, sentiment_score, category_id and matched_terms.

        Values given by the caller are kept unless ``force``; the rules are
        read once for the whole list.
        """
        analyzer = get_analyzer(self.env.company.social_sentiment_analyzer or "lexicon")
        rules, category_ids = self._category_rules()
        competitor_terms = self.env["res.company"]._social_competitor_terms()
        for vals in vals_list:
            text = vals.get("content") or ""
            if force or not vals.get("lang"):
                vals["lang"] = detect_language(text, vals.get("lang") or "") or False
            if force or not vals.get("sentiment"):
                result = analyzer.analyze(text, vals["lang"] or "")
                vals["sentiment"] = result.label
                vals["sentiment_score"] = result.score
            if force or not vals.get("category_id"):
                result = classify(text, vals["lang"] or "", rules, competitor_terms)
                vals["category_id"] = category_ids.get(result.code, False)
                vals["matched_terms"] = ", ".join(result.matched_terms) or False
        return vals_list

    # ------------------------------------------------------------------ ingestion
    @api.model
    def _ingest_page(self, source, page):
        """Write a connector's page: identities and mentions in bulk.

        Identities are upserted by (network, external_id) in one statement;
        mentions are inserted with ``ON CONFLICT DO NOTHING``, which dedups
        against what exists and against a concurrent writer alike. Queries
        are per page, not per post. Returns counts.
        """
        posts = [p for p in page.posts if p.network in NETWORK_CODES and p.external_id]
        if not posts:
            return {"new": 0, "identities_new": 0, "duplicates": 0}
        identity_ids, new_identities = self.env["social.identity"]._upsert_authors(
            source, [p.author for p in posts if p.author]
        )
        now = fields.Datetime.now()
        limit = now + FUTURE_TOLERANCE
        vals_list = []
        seen = set()
        for post in posts:
            key = (post.network, post.external_id)
            if key in seen:
                continue
            seen.add(key)
            vals_list.append(
                {
                    "network": post.network,
                    "external_id": post.external_id[:512],
                    "url": post.url or None,
                    "content": (post.content or "")[:MAX_CONTENT_LENGTH],
                    "content_html": html_sanitize(post.content_html)
                    if post.content_html
                    else None,
                    # A date ahead is the remote clock's error, not tomorrow's post.
                    "posted_at": min(post.posted_at, limit) if post.posted_at else now,
                    "identity_id": identity_ids.get(
                        (post.author.network, post.author.external_id)
                    )
                    if post.author
                    else None,
                    "lang": post.lang
                    if post.lang in ("en", "ru", "uk", "bg")
                    else None,
                    "like_count": post.like_count or 0,
                    "share_count": post.share_count or 0,
                    "reply_count": post.reply_count or 0,
                    "parent_external_id": post.parent_external_id or None,
                }
            )
        self._classify_values(vals_list)
        partner_by_identity = self.env["social.identity"]._partner_ids_of(
            [v["identity_id"] for v in vals_list if v["identity_id"]]
        )
        uid = self.env.uid
        rows = [
            (
                v["network"],
                v["external_id"],
                v["url"],
                v["content"],
                v["content_html"],
                v["posted_at"],
                v["identity_id"],
                partner_by_identity.get(v["identity_id"]),
                v["lang"] or None,
                v["like_count"],
                v["share_count"],
                v["reply_count"],
                v["parent_external_id"],
                v["sentiment"],
                v["sentiment_score"],
                v["category_id"] or None,
                v["matched_terms"] or None,
                "new",
                "0",
                source.id,
                source.user_id.id or None,
                source.team_id.id or None,
                source.company_id.id,
                uid,
                uid,
                now,
                now,
            )
            for v in vals_list
        ]
        new_ids = [
            row[0]
            for row in execute_values(self.env.cr, INSERT_MENTIONS, rows, fetch=True)
        ]
        self.env["social.mention"].invalidate_model()
        self.env["social.identity"].invalidate_model()
        new_mentions = self.browse(new_ids)
        new_mentions._after_ingest()
        return {
            "new": len(new_ids),
            "identities_new": len(new_identities),
            "duplicates": len(vals_list) - len(new_ids),
        }

    def _after_ingest(self):
        """Hook for what follows new mentions (routing rules); set-based."""
        return True
