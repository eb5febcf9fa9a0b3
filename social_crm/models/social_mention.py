from datetime import timedelta

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, format_datetime, ormcache

from ..analysis import learner
from ..analysis.categories import compile_rules, find_terms
from ..analysis.language import detect_language
from ..analysis.sentiment import NEGATIVE_THRESHOLD, POSITIVE_THRESHOLD
from ..connectors.html_clean import sanitize_html
from ..connectors.reply import ReplyTarget
from ..utils.selection_values import (
    LANGUAGES,
    NETWORK_ICONS,
    NETWORKS,
    SENTIMENTS,
    VOICES,
)
from ..utils.staging_copy import count_value, stage_rows
from ..utils.window_action import filtered_window_action, form_action

#: Longest post content kept, in characters (long-form RSS articles included).
MAX_CONTENT_LENGTH = 100_000
#: Longest excerpt of a post in a title: the mention's name, a lead's title.
TITLE_EXCERPT_LENGTH = 60


def excerpt_at_word(text, limit=TITLE_EXCERPT_LENGTH):
    """``text`` on one line, cut at a word boundary before ``limit``, with "…"."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:  # a single very long word is cut within it
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–—") + "…"


#: How far in the future a post date may be (clock skew between servers).
FUTURE_TOLERANCE = timedelta(days=1)

#: The columns of the mentions the ingestion path writes, in its rows' order.
INGEST_COLUMNS = (
    "network",
    "external_id",
    "url",
    "content",
    "content_html",
    "posted_at",
    "identity_id",
    "partner_id",
    "lang",
    "like_count",
    "share_count",
    "reply_count",
    "parent_external_id",
    "post_cid",
    "root_external_id",
    "root_cid",
    "quoted_external_id",
    "thread_title",
    "thread_url",
    "thread_link_url",
    "sentiment",
    "sentiment_score",
    "category_id",
    "matched_terms",
    "analysis_confidence",
    "analysis_evidence",
    "state",
    "priority",
    "source_id",
    "user_id",
    "team_id",
    "company_id",
    "create_uid",
    "write_uid",
    "create_date",
    "write_date",
)

#: The share of voice of (names the brand, names a competitor), for SQL:
#: ``VOICE_BY_FLAGS[1 + brand + 2 * competitor]`` (PostgreSQL arrays count from 1).
VOICE_BY_FLAGS = ("other", "brand", "competitor", "both")

#: The analysed fields a user may correct, and the flag that says a user did.
HUMAN_LABELLED = {"sentiment": "sentiment_manual", "category_id": "category_manual"}
#: The context key of the writes of the analysis itself (not corrections).
SYSTEM_WRITE = "social_analysis_system_write"
#: Longest evidence kept on a mention, in characters.
EVIDENCE_LENGTH = 250
#: How many mentions "Reclassify open mentions" analyses and writes at once.
RECLASSIFY_BATCH = 1000
#: The mentions still being worked on, which a reclassification of all updates.
OPEN_STATES = ("new", "in_progress")

STATES = [
    ("new", "New"),
    ("in_progress", "In Progress"),
    ("converted", "Converted"),
    ("replied", "Replied"),
    ("ignored", "Ignored"),
]


#: How many of the author's other mentions and leads the form lists.
STORY_LIMIT = 10
#: The period over which the form shows the change of the author's influence.
STORY_TREND_DAYS = 30


def _label_score(label):
    """A sentiment score for a label the lexicon did not give: its threshold."""
    return {"positive": POSITIVE_THRESHOLD, "negative": NEGATIVE_THRESHOLD}.get(
        label, 0.0
    )


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
    # searched through the unique (company_id, network, external_id) index
    network = fields.Selection(NETWORKS, required=True)
    network_icon = fields.Char(compute="_compute_network_icon")
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
    author_name = fields.Char(related="identity_id.name", string="Author Name")
    author_handle = fields.Char(related="identity_id.handle", string="Handle")
    author_profile_url = fields.Char(
        related="identity_id.profile_url", string="Profile"
    )
    author_bio = fields.Text(related="identity_id.bio", string="Bio")
    author_followers = fields.Integer(
        related="identity_id.followers_count", string="Author Followers"
    )
    lang = fields.Selection(LANGUAGES, string="Language")
    like_count = fields.Integer(string="Likes")
    share_count = fields.Integer(string="Shares")
    reply_count = fields.Integer(string="Replies")
    parent_external_id = fields.Char(string="In Reply To")
    # The author's story beside the mention (the form only: computed on read).
    story_identity_ids = fields.Many2many(
        "social.identity",
        compute="_compute_story",
        string="Their Accounts",
        help="The author's identities on every network, through their contact.",
    )
    story_mention_ids = fields.Many2many(
        "social.mention",
        compute="_compute_story",
        string="Earlier Mentions",
        help="The author's other mentions on every network, newest first.",
    )
    story_mention_count = fields.Integer(compute="_compute_story")
    story_reply_ids = fields.Many2many(
        "social.reply",
        compute="_compute_story",
        string="Our Earlier Replies",
        help="The replies sent from Odoo to the author's mentions, newest first.",
    )
    author_earlier_count = fields.Integer(
        compute="_compute_author_earlier_count",
        string="Author's Other Mentions",
        help="How many other mentions of the author (through their contact, on"
        " every network) Social CRM holds.",
    )
    story_lead_ids = fields.Many2many(
        "crm.lead",
        compute="_compute_story",
        # agents without the sales rights see the story without the leads
        groups="sales_team.group_sale_salesman",
        string="Open Leads",
        help="Open leads and opportunities of the author's contact or made from"
        " their mentions.",
    )
    author_first_seen = fields.Datetime(
        related="identity_id.first_seen", string="First Seen"
    )
    author_influence_trend = fields.Float(
        compute="_compute_story",
        digits=(5, 1),
        string="Influence Change",
        help="The change of the author's influence score over the last 30 days.",
    )
    parent_id = fields.Many2one(
        "social.mention",
        string="In Reply To Mention",
        compute="_compute_parent_id",
        help="The mention this post answers, when it is in Social CRM too.",
    )
    # What a reply must name on networks that answer by strong refs (Bluesky).
    post_cid = fields.Char(string="Content ID", readonly=True, copy=False)
    root_external_id = fields.Char(
        string="Thread Root",
        readonly=True,
        copy=False,
        help="The first post of this post's thread (itself if it answers none).",
    )
    root_cid = fields.Char(string="Thread Root Content ID", readonly=True, copy=False)
    quoted_external_id = fields.Char(
        string="Quotes", help="The post this one quotes, by its id on the network."
    )
    thread_title = fields.Char(
        string="Thread",
        help="What this post answers: the title of its thread (the Hacker News "
        "story or the Reddit post a comment is written under).",
    )
    thread_url = fields.Char(string="Thread URL")
    thread_link_url = fields.Char(
        string="Thread Link", help="The page the thread links to, if any."
    )
    sentiment = fields.Selection(SENTIMENTS)
    sentiment_score = fields.Float(digits=(3, 2))
    category_id = fields.Many2one("social.category", index=True)
    category_code = fields.Char(related="category_id.code")
    matched_terms = fields.Char(
        string="Category Evidence",
        help="What decided the category: the category rules' terms found in the"
        " post, (negative) or (positive) for its sentiment, ? for a question.",
    )
    watched_terms = fields.Char(
        compute="_compute_watched_terms",
        help="The company's brand and competitor terms the post names"
        " (Settings > Social CRM), in any inflection.",
    )
    sentiment_manual = fields.Boolean(
        string="Sentiment Set by Hand",
        copy=False,
        help="A user set the sentiment: reclassifying keeps it.",
    )
    category_manual = fields.Boolean(
        string="Category Set by Hand",
        copy=False,
        help="A user set the category: reclassifying keeps it.",
    )
    analysis_confidence = fields.Float(
        string="Confidence",
        digits=(3, 2),
        help="How sure the analysis is of the sentiment and category (0 to 1): "
        "the lower of the two probabilities. Below a half, look twice.",
    )
    analysis_evidence = fields.Char(
        string="Evidence",
        help="What decided the analysis: the words the company's examples "
        "taught, and the category's matched terms.",
    )
    # Stored, for the analysis to group and count without a regex per row;
    # kept right by ingestion, by res.company.write and by _compute_voice.
    voice = fields.Selection(
        VOICES,
        string="Share of Voice",
        compute="_compute_voice",
        store=True,
        help="Whose the mention is: it names the brand, a competitor, both, "
        "or neither (its company's brand and competitor terms, whole words).",
    )
    first_action_date = fields.Datetime(
        readonly=True,
        copy=False,
        help="When the mention's state first changed (taken, replied, ignored "
        "or converted).",
    )
    first_reply_date = fields.Datetime(
        readonly=True,
        copy=False,
        help="When the first reply was sent from Odoo: the first response time "
        "runs from the post to it.",
    )
    social_reply_ids = fields.One2many(
        "social.reply", "mention_id", string="Our Replies", readonly=True
    )
    # indexed with the company (see init)
    state = fields.Selection(
        STATES,
        default="new",
        required=True,
        tracking=True,
        group_expand="_group_expand_states",
    )
    user_id = fields.Many2one(
        "res.users", string="Responsible", index="btree_not_null", tracking=True
    )
    team_id = fields.Many2one("crm.team", string="Sales Team", index="btree_not_null")
    priority = fields.Selection(
        [("0", "Normal"), ("1", "Important"), ("2", "Urgent")], default="0"
    )
    lead_id = fields.Many2one("crm.lead", index="btree_not_null", tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    routed_rule_ids = fields.Many2many(
        "social.routing.rule",
        string="Applied Rules",
        copy=False,
        help="The routing rules already applied: a rule acts once per mention.",
    )

    _sql_constraints = [
        # Each company holds its own mention of a post (its own state, lead,
        # responsible), as OCA connector scopes a binding by its backend.
        (
            "network_external_id_unique",
            "unique(company_id, network, external_id)",
            "A post exists once per network and company.",
        ),
    ]

    def init(self):
        result = super().init()
        # The inbox filters and groups by state, and the record rule adds the
        # company: counted from this index alone, without reading the rows.
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS social_mention_state_company_id_index"
            " ON social_mention (state, company_id)"
        )
        return result

    @api.depends("network")
    def _compute_network_icon(self):
        for mention in self:
            mention.network_icon = NETWORK_ICONS.get(
                mention.network, "fa fa-lg fa-globe"
            )

    @api.depends("content", "company_id")
    def _compute_voice(self):
        """One query for the batch, by the SQL of ingestion (:meth:`_voice_sql`)."""
        if not self:
            return
        voice = self._voice_sql(SQL.identifier("post", "content"), "terms")
        rows = self.env.execute_query(
            SQL(
                """
                SELECT post.position, %s
                  FROM unnest(%s::text[], %s::int[])
                       WITH ORDINALITY AS post(content, company_id, position)
                  LEFT JOIN (%s) AS terms ON terms.company_id = post.company_id
                """,
                voice,
                [mention.content or "" for mention in self],
                [mention.company_id._origin.id or None for mention in self],
                self.env["res.company"]._social_terms_query(),
            )
        )
        voices = dict(rows)
        for position, mention in enumerate(self, 1):
            mention.voice = voices[position]

    @api.depends("parent_external_id", "network", "company_id")
    def _compute_parent_id(self):
        """One search for the batch: the parent among the same company's posts."""
        wanted = self.filtered("parent_external_id")
        parents = {}
        if wanted:
            found = self.search_fetch(
                [
                    (
                        "external_id",
                        "in",
                        list(set(wanted.mapped("parent_external_id"))),
                    ),
                    ("company_id", "in", wanted.company_id.ids),
                ],
                ["external_id", "network", "company_id"],
            )
            parents = {
                (parent.company_id.id, parent.network, parent.external_id): parent.id
                for parent in found
            }
        for mention in self:
            mention.parent_id = parents.get(
                (
                    mention.company_id.id,
                    mention.network,
                    mention.parent_external_id,
                ),
                False,
            )

    @api.depends("identity_id", "partner_id")
    def _compute_story(self):
        """Who the author is and what they said before, for the form."""
        since = fields.Date.today() - timedelta(days=STORY_TREND_DAYS)
        for mention in self:
            identities = mention.identity_id
            if mention.partner_id:
                identities |= mention.partner_id.social_identity_ids
            others = self.browse()
            count = 0
            if identities:
                domain = [
                    ("identity_id", "in", identities.ids),
                    ("id", "!=", mention._origin.id or 0),
                ]
                others = self.search(domain, limit=STORY_LIMIT)
                count = (
                    self.search_count(domain)
                    if len(others) == STORY_LIMIT
                    else len(others)
                )
            mention.story_identity_ids = identities
            mention.story_mention_ids = others
            mention.story_mention_count = count
            mention.story_reply_ids = (
                self.env["social.reply"].search(
                    [
                        ("mention_id.identity_id", "in", identities.ids),
                        ("mention_id", "!=", mention._origin.id or 0),
                        ("state", "=", "sent"),
                    ],
                    order="sent_date desc, id desc",
                    limit=STORY_LIMIT,
                )
                if identities
                else False
            )
            if self.env.user.has_group("sales_team.group_sale_salesman"):
                mention.story_lead_ids = mention._story_open_leads(others)
            else:
                mention.story_lead_ids = False
            mention.author_influence_trend = mention._story_influence_trend(since)

    @api.depends("identity_id", "partner_id")
    def _compute_author_earlier_count(self):
        """For a page of cards: two grouped counts whatever its size."""

        def count_by(name):
            authors = self[name]
            if not authors:
                return {}
            return dict(
                self._read_group([(name, "in", authors.ids)], [name], ["__count"])
            )

        by_identity, by_partner = count_by("identity_id"), count_by("partner_id")
        for mention in self:
            if mention.partner_id:
                total = by_partner.get(mention.partner_id, 0)
            else:
                total = by_identity.get(mention.identity_id, 0)
            mention.author_earlier_count = max(total - 1, 0)

    def _story_open_leads(self, others):
        """Open leads of the author's contact, and those made from their posts."""
        self.ensure_one()
        # only the leads this user may read (a salesperson sees their own)
        leads = (self | others).lead_id._filtered_access("read")
        if self.partner_id:
            leads |= self.env["crm.lead"].search(
                [("partner_id", "=", self.partner_id.id)], limit=STORY_LIMIT
            )
        return leads.filtered(lambda lead: lead.active and not lead.stage_id.is_won)

    def _story_influence_trend(self, since):
        """Influence now less the score recorded on or before ``since``."""
        self.ensure_one()
        identity = self.identity_id
        if not identity:
            return 0.0
        before = self.env["social.influence.score"].search(
            [("identity_id", "=", identity.id), ("date", "<=", since)],
            order="date desc",
            limit=1,
        )
        return identity.influence_score - before.score if before else 0.0

    def action_view_story_mentions(self):
        """Every mention of the author, on every network."""
        self.ensure_one()
        return filtered_window_action(
            self.env,
            "social_crm.social_mention_action",
            [("identity_id", "in", self.story_identity_ids.ids)],
        )

    @api.depends("content", "company_id")
    def _compute_watched_terms(self):
        terms_by_company = {}
        for mention in self:
            company = mention.company_id
            if company not in terms_by_company:
                terms_by_company[company] = company._social_watched_terms()
            found = find_terms(mention.content or "", terms_by_company[company])
            mention.watched_terms = ", ".join(found) or False

    @api.depends("identity_id", "content")
    def _compute_display_name(self):
        for mention in self:
            author = (
                mention.identity_id.handle or mention.identity_id.name or _("Unknown")
            )
            mention.display_name = f"{author}: {excerpt_at_word(mention.content)}"

    @api.model
    def _network_codes(self):
        """The networks a mention may be on (an addon adds one by selection_add)."""
        return {code for code, _label in self._fields["network"].selection}

    @api.model
    def _group_expand_states(self, states, domain):
        """Every state's column, but those the search excludes.

        The inbox opens on "To Handle": its kanban shows New and In Progress
        (and columns of other states only if they hold cards), not empty
        Converted, Replied and Ignored columns to scroll past.
        """
        allowed = [key for key, _label in STATES]
        if any(leaf in ("|", "!") for leaf in domain or []):
            return allowed  # alternatives: every column, as Odoo does
        for leaf in domain or []:
            if not (isinstance(leaf, list | tuple) and len(leaf) == 3):
                continue
            name, operator, value = leaf
            if name != "state":
                continue
            if operator == "=":
                allowed = [key for key in allowed if key == value]
            elif operator == "in":
                allowed = [key for key in allowed if key in value]
            elif operator in ("!=", "not in"):
                excluded = [value] if operator == "!=" else value
                allowed = [key for key in allowed if key not in excluded]
        return [key for key, _label in STATES if key in allowed or key in states]

    @api.constrains("state")
    def _check_converted_has_target(self):
        """Converted means made into a lead (or ticket): only the conversion
        sets it, never a bare state change such as a kanban drop."""
        for mention in self:
            if mention.state == "converted" and not mention._has_conversion_target():
                raise ValidationError(
                    _(
                        "%s cannot be marked converted by hand: use Convert to "
                        "make a lead or a ticket of it.",
                        mention.display_name,
                    )
                )

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
            if vals.get("network") and vals["network"] not in self._network_codes():
                raise ValidationError(_("Unknown network: %s", vals["network"]))
        self._classify_values(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        corrected = [name for name in HUMAN_LABELLED if name in vals]
        if corrected and not (self.env.su or self.env.context.get(SYSTEM_WRITE)):
            # A person set them: kept as examples of the company, and as
            # labels that reclassifying does not touch. Writes as superuser
            # are code (imports, scripts, other modules), not corrections.
            self._record_corrections(vals, corrected)
            vals = {**vals, **{HUMAN_LABELLED[name]: True for name in corrected}}
        if "state" not in vals or "first_action_date" in vals:
            return super().write(vals)
        # The first change of state is the mention's first action: dated in
        # the same UPDATE, once (a reopened mention keeps its first date).
        acting = self.filtered(
            lambda m: not m.first_action_date and m.state != vals["state"]
        )
        if acting:
            super(SocialMention, acting).write(
                {**vals, "first_action_date": fields.Datetime.now()}
            )
        return super(SocialMention, self - acting).write(vals)

    def _record_corrections(self, vals, corrected):
        """One ``social.analysis.example`` per mention and field ``vals`` change.

        Made before the write, from the values it replaces, in one create;
        as superuser, since users create examples only by correcting.
        """
        example_vals = []
        for mention in self:
            base = {
                "company_id": mention.company_id.id,
                "mention_id": mention.id,
                "text": mention.content or "",
                "lang": mention.lang or False,
                "user_id": self.env.uid,
                "source": "correction",
            }
            if (
                "sentiment" in corrected
                and vals["sentiment"]
                and (vals["sentiment"] != mention.sentiment)
            ):
                example_vals.append(
                    {
                        **base,
                        "field": "sentiment",
                        "sentiment_from": mention.sentiment or False,
                        "sentiment_to": vals["sentiment"],
                    }
                )
            if (
                "category_id" in corrected
                and vals["category_id"]
                and (vals["category_id"] != mention.category_id.id)
            ):
                example_vals.append(
                    {
                        **base,
                        "field": "category",
                        "category_from_id": mention.category_id.id or False,
                        "category_to_id": vals["category_id"],
                    }
                )
        if example_vals:
            self.env["social.analysis.example"].sudo().create(example_vals)

    # ------------------------------------------------------------------ actions
    def action_set_in_progress(self):
        self.write({"state": "in_progress", "user_id": self.env.user.id})

    def action_set_replied(self):
        self.write({"state": "replied"})

    def action_ignore(self):
        self.write({"state": "ignored"})

    def action_reset(self):
        """Reopen: back to New, converted mentions too.

        A converted mention leaves its lead (or ticket): it is no longer
        counted as converted and may be converted again; both chatters keep
        a note with the link, so the history stays readable.
        """
        if not self.env.user.has_group("social_crm.group_social_crm_user"):
            raise AccessError(_("Only Social CRM users may reopen mentions."))
        converted = self.filtered(lambda m: m.state == "converted")
        (self - converted).write({"state": "new"})
        if converted:
            converted._unlink_converted()
        return True

    def action_open_parent(self):
        """The mention this one answers, in its form."""
        self.ensure_one()
        if not self.parent_id:
            raise UserError(_("The post this one answers is not in Social CRM."))
        return form_action(self.parent_id)

    def action_open_lead(self):
        self.ensure_one()
        return self.lead_id.get_formview_action()

    def action_open_post(self):
        self.ensure_one()
        if not self.url:
            raise UserError(_("This mention has no link to its post."))
        return {"type": "ir.actions.act_url", "url": self.url, "target": "new"}

    def action_reply(self):
        """Open the reply composer on this mention."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Reply"),
            "res_model": "social.mention.reply",
            "view_mode": "form",
            "target": "new",
            "context": {"default_mention_id": self.id},
        }

    def action_apply_routing_rules(self):
        """Show what the active routing rules would do; they act on confirm."""
        return {
            "type": "ir.actions.act_window",
            "name": _("Apply Routing Rules"),
            "res_model": "social.routing.apply",
            "view_mode": "form",
            "target": "new",
            "context": {
                "active_model": self._name,
                "active_ids": self.ids,
                # The rules' descriptions are sentences: room for them.
                "dialog_size": "extra-large",
            },
        }

    def _apply_routing_rules(self):
        """Run the active routing rules on the selection (each acts once)."""
        self.env["social.routing.rule"]._route(self)
        return True

    def action_reclassify(self):
        """Analyse the selection again with the current rules and model.

        Language, sentiment and category are recomputed; a sentiment or a
        category a user set is kept (see :data:`HUMAN_LABELLED`). One
        analysis and one UPDATE per :data:`RECLASSIFY_BATCH` mentions.
        """
        self.check_access("write")
        for start in range(0, len(self), RECLASSIFY_BATCH):
            self[start : start + RECLASSIFY_BATCH]._reclassify_batch()
        return True

    @api.model
    def _reclassify_open(self, companies=None):
        """Reclassify the open mentions of ``companies`` (default: the current).

        Returns how many were analysed.
        """
        companies = companies or self.env.company
        mentions = self.search(
            [("state", "in", OPEN_STATES), ("company_id", "in", companies.ids)],
            order="id",
        )
        mentions.action_reclassify()
        return len(mentions)

    def _reclassify_batch(self):
        self.fetch(["content", "lang", "company_id"])
        vals_list = [
            {
                "content": m.content,
                "lang": m.lang or False,
                "company_id": m.company_id.id,
            }
            for m in self
        ]
        self._classify_values(vals_list, force=True)
        rows = [
            (
                mention.id,
                vals["lang"] or None,
                vals["sentiment"],
                vals["sentiment_score"],
                vals["category_id"] or None,
                vals["matched_terms"] or None,
                vals["analysis_confidence"],
                vals["analysis_evidence"] or None,
            )
            for mention, vals in zip(self, vals_list, strict=True)
        ]
        self.flush_recordset()
        # One statement for the batch; the human labels stay as they are.
        self.env.cr.execute(
            SQL(
                """
                UPDATE social_mention AS mention
                   SET lang = new.lang,
                       sentiment = CASE WHEN mention.sentiment_manual
                                        THEN mention.sentiment ELSE new.sentiment END,
                       sentiment_score = CASE WHEN mention.sentiment_manual
                                              THEN mention.sentiment_score
                                              ELSE new.sentiment_score END,
                       category_id = CASE WHEN mention.category_manual
                                          THEN mention.category_id
                                          ELSE new.category_id END,
                       matched_terms = CASE WHEN mention.category_manual
                                            THEN mention.matched_terms
                                            ELSE new.matched_terms END,
                       analysis_confidence = new.confidence,
                       analysis_evidence = new.evidence,
                       write_uid = %s,
                       write_date = now() AT TIME ZONE 'UTC'
                  FROM unnest(%s::int[], %s::varchar[], %s::varchar[], %s::numeric[],
                              %s::int[], %s::varchar[], %s::numeric[], %s::varchar[])
                       AS new(id, lang, sentiment, sentiment_score, category_id,
                              matched_terms, confidence, evidence)
                 WHERE mention.id = new.id
                """,
                self.env.uid,
                *(list(column) for column in zip(*rows, strict=True)),
            )
        )
        self.invalidate_recordset(
            [
                "lang",
                "sentiment",
                "sentiment_score",
                "category_id",
                "matched_terms",
                "analysis_confidence",
                "analysis_evidence",
                "write_uid",
                "write_date",
            ]
        )

    # ------------------------------------------------------------------ analysis
    @api.model
    @ormcache()
    def _category_rules(self):
        """(code, lang, term, weight) of the active categories, and code -> id.

        Every write of mentions needs them; they are kept in the registry's
        cache, which ``social.category`` and ``social.category.rule`` clear
        when they change (and other workers learn of it by the registry's
        signaling).
        """
        Rule = self.env["social.category.rule"].sudo().with_context(active_test=True)
        Category = self.env["social.category"].sudo().with_context(active_test=True)
        query = Rule._search([("category_id.active", "=", True)], order=Rule._order)
        rows = self.env.execute_query(
            query.select(
                *(
                    Rule._field_to_sql(query.table, name, query)
                    for name in ("category_id", "lang", "term", "weight")
                )
            )
        )
        categories = Category.search_fetch([], ["code"])
        code_by_id = {c.id: c.code for c in categories}
        return (
            tuple(
                (code_by_id[category_id], lang or "", term, weight)
                for category_id, lang, term, weight in rows
                if category_id in code_by_id
            ),
            {c.code: c.id for c in categories},
        )

    @api.model
    def _classify_values(self, vals_list, force=False):
        """Fill lang, sentiment, sentiment_score, category_id, matched_terms,
        analysis_confidence and analysis_evidence.

        Each value's company (its ``company_id``, else the current company)
        decides: its analyzer, its competitor terms and the model its agents'
        corrections trained (see :meth:`_analysis_context`), combined with the
        lexicon and the rules by :func:`.learner.combine`. Values given by the
        caller are kept unless ``force``; the rules are read once per call.
        """
        contexts = {}
        for vals in vals_list:
            company_id = vals.get("company_id") or self.env.company.id
            context = contexts.get(company_id)
            if context is None:
                context = contexts[company_id] = self._analysis_context(company_id)
            analyzer, rules, category_ids, model = context
            text = vals.get("content") or ""
            if force or not vals.get("lang"):
                vals["lang"] = detect_language(text, vals.get("lang") or "") or False
            lang = vals["lang"] or ""
            # the text's features, once for both targets
            found = learner.features(text, lang) if model is not None else None
            confidences = []
            evidence = []
            if force or not vals.get("sentiment"):
                result = analyzer.analyze(text, lang)
                prior = learner.sentiment_prior(result.score)
                if model is not None and model.own_examples("sentiment"):
                    label, probability, words, _dist = learner.combine(
                        model, "sentiment", text, lang, prior, found=found
                    )
                else:  # the lexicon's answer (the common case: fast)
                    label, probability, words = result.label, prior[result.label], []
                vals["sentiment"] = label
                # the lexicon's score, unless the examples overruled its label
                vals["sentiment_score"] = (
                    result.score if label == result.label else _label_score(label)
                )
                confidences.append(probability)
                evidence += words
            if force or not vals.get("category_id"):
                # the sentiment counts as a signal: a negative post is a
                # complaint, a positive one feedback, unless a rule says more
                result = rules.classify(text, lang, vals.get("sentiment_score"))
                if model is not None and model.own_examples("category"):
                    code, probability, words, _dist = learner.combine(
                        model,
                        "category",
                        text,
                        lang,
                        learner.category_prior(
                            result.code, result.confidence, category_ids
                        ),
                        found=found,
                    )
                else:
                    code, words = result.code, []
                    probability = learner.category_probability(
                        result.code, result.confidence, category_ids
                    )
                if code not in category_ids:
                    code, words = result.code, []
                vals["category_id"] = category_ids.get(code, False)
                matched = result.matched_terms if code == result.code else words
                vals["matched_terms"] = ", ".join(matched) or False
                confidences.append(probability)
                evidence += [w for w in [*words, *matched] if w not in evidence]
            if confidences:
                vals["analysis_confidence"] = round(min(confidences), 4)
                vals["analysis_evidence"] = (
                    ", ".join(dict.fromkeys(evidence))[:EVIDENCE_LENGTH] or False
                )
            else:
                vals.setdefault("analysis_confidence", 0.0)
                vals.setdefault("analysis_evidence", False)
        return vals_list

    @api.model
    def _analysis_context(self, company_id):
        """(analyzer, compiled rules, category id by code, model) of a company."""
        company = self.env["res.company"].sudo().browse(company_id)
        rules, category_ids = self._category_rules()
        competitor_terms = (
            self.env["res.company"].sudo().with_company(company)
        )._social_competitor_terms()
        return (
            company._social_sentiment_analyzer(),
            compile_rules(rules, competitor_terms),
            category_ids,
            company._social_analysis_model(),
        )

    @api.model
    def _voice_sql(self, content, terms):
        """The share of voice of ``content`` (SQL): a key of ``VOICES``.

        ``terms`` is the alias of a row of ``res.company._social_terms_query``
        (the company's regexes); each regex is matched once.
        """
        return SQL(
            "(%s::varchar[])[1 + COALESCE(%s ~* %s, FALSE)::int"
            " + 2 * COALESCE(%s ~* %s, FALSE)::int]",
            list(VOICE_BY_FLAGS),
            content,
            SQL.identifier(terms, "brand_re"),
            content,
            SQL.identifier(terms, "competitor_re"),
        )

    @api.model
    def _recompute_voice(self, companies):
        """Set-based: the share of voice of the mentions of ``companies``.

        For when their terms change; only the mentions whose voice changes
        are written.
        """
        self.flush_model(["content", "company_id", "voice"])
        voice = self._voice_sql(SQL.identifier("mention", "content"), "terms")
        self.env.cr.execute(
            SQL(
                """
                UPDATE social_mention AS mention
                   SET voice = %s
                  FROM (%s) AS terms
                 WHERE terms.company_id = mention.company_id
                   AND mention.company_id = ANY(%s)
                   AND mention.voice IS DISTINCT FROM %s
                """,
                voice,
                self.env["res.company"]._social_terms_query(),
                companies.ids,
                voice,
            )
        )
        self.invalidate_model(["voice"])
        return self.env.cr.rowcount

    # ------------------------------------------------------------------ ingestion
    @api.model
    def _ingest_page(self, source, page):
        """Write a connector's page: identities and mentions in bulk.

        Identities are upserted by (company, network, external_id) in one
        statement; mentions are inserted with ``ON CONFLICT DO NOTHING``, which
        dedups against what the source's company holds and against a
        concurrent writer alike: another company's mention of the same post is
        not a duplicate. Queries are per page, not per post. Returns counts.
        """
        networks = self._network_codes()
        posts = [p for p in page.posts if p.network in networks and p.external_id]
        if not posts:
            return {"new": 0, "identities_new": 0, "duplicates": 0}
        Identity = self.env["social.identity"]
        now = fields.Datetime.now()
        limit = now + FUTURE_TOLERANCE
        identity_ids, new_identities, partner_by_identity = Identity._upsert_authors(
            source,
            [p.author for p in posts if p.author],
            seen=self._authors_seen(posts, now, limit),
        )
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
                    # The field's own sanitizer does not run on this raw insert.
                    "content_html": sanitize_html(post.content_html) or None,
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
                    "like_count": count_value(post.like_count),
                    "share_count": count_value(post.share_count),
                    "reply_count": count_value(post.reply_count),
                    "parent_external_id": post.parent_external_id or None,
                    "post_cid": post.cid or None,
                    "root_external_id": post.root_external_id or None,
                    "root_cid": post.root_cid or None,
                    "quoted_external_id": post.quoted_external_id or None,
                    "thread_title": post.thread_title or None,
                    "thread_url": post.thread_url or None,
                    "thread_link_url": post.thread_link_url or None,
                }
            )
        company_id = source.company_id.id
        for vals in vals_list:
            vals["company_id"] = company_id
        self._classify_values(vals_list)
        uid = self.env.uid
        user_id, team_id = source.user_id.id or None, source.team_id.id or None
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
                v["post_cid"],
                v["root_external_id"],
                v["root_cid"],
                v["quoted_external_id"],
                v["thread_title"],
                v["thread_url"],
                v["thread_link_url"],
                v["sentiment"],
                v["sentiment_score"],
                v["category_id"] or None,
                v["matched_terms"] or None,
                v["analysis_confidence"],
                v["analysis_evidence"] or None,
                "new",
                "0",
                source.id,
                user_id,
                team_id,
                company_id,
                uid,
                uid,
                now,
                now,
            )
            for v in vals_list
        ]
        # One statement whatever the page size; a post already stored (or
        # stored meanwhile by a concurrent fetch) is not stored again, but its
        # counts follow the network when they grew (the retweets and boosts
        # of an original come as its share count). The share of voice is
        # matched there, by the company's terms.
        staged = stage_rows(self.env.cr, self._table, INGEST_COLUMNS, rows)
        self.env.cr.execute(
            SQL(
                """
                WITH incoming AS (%s)
                INSERT INTO social_mention AS mention (%s, voice)
                SELECT %s, %s
                  FROM incoming
                  LEFT JOIN (%s) AS terms ON terms.company_id = %s
                ON CONFLICT (company_id, network, external_id) DO UPDATE SET
                    like_count = GREATEST(mention.like_count, EXCLUDED.like_count),
                    share_count = GREATEST(mention.share_count, EXCLUDED.share_count),
                    reply_count = GREATEST(mention.reply_count, EXCLUDED.reply_count)
                 WHERE EXCLUDED.like_count > COALESCE(mention.like_count, 0)
                    OR EXCLUDED.share_count > COALESCE(mention.share_count, 0)
                    OR EXCLUDED.reply_count > COALESCE(mention.reply_count, 0)
                RETURNING id, (xmax = 0)
                """,
                staged,
                SQL(", ".join(INGEST_COLUMNS)),
                SQL(", ").join(SQL.identifier("incoming", c) for c in INGEST_COLUMNS),
                self._voice_sql(SQL.identifier("incoming", "content"), "terms"),
                self.env["res.company"]._social_terms_query(),
                company_id,
            )
        )
        new_ids = [row[0] for row in self.env.cr.fetchall() if row[1]]
        self.env["social.mention"].invalidate_model()
        self.env["social.identity"].invalidate_model()
        new_mentions = self.browse(new_ids)
        new_mentions._after_ingest()
        return {
            "new": len(new_ids),
            "identities_new": len(new_identities),
            "duplicates": len(vals_list) - len(new_ids),
        }

    @api.model
    def _authors_seen(self, posts, now, limit):
        """``{(network, external_id): (first, last)}``: the dates of each
        author's posts in the page, as the mentions store them."""
        seen = {}
        for post in posts:
            if not post.author:
                continue
            date = min(post.posted_at, limit) if post.posted_at else now
            key = (post.author.network, (post.author.external_id or "")[:512])
            first, last = seen.get(key, (date, date))
            seen[key] = (min(first, date), max(last, date))
        return seen

    def _after_ingest(self):
        """What follows new mentions: the active routing rules, set-based."""
        self.env["social.routing.rule"]._route(self)

    # ------------------------------------------------------------------ replies
    def _reply_target(self):
        """What the replier needs of this post (plain data, see connectors)."""
        self.ensure_one()
        return ReplyTarget(
            network=self.network,
            external_id=self.external_id,
            url=self.url or "",
            cid=self.post_cid or "",
            root_external_id=self.root_external_id or "",
            root_cid=self.root_cid or "",
        )

    def _reply_prefill(self):
        """The start of a reply: the author's handle where the network expects it.

        Mastodon notifies only the accounts a status names (its clients start
        a reply with ``@user@instance``); Bluesky, X, Reddit and VK notify the
        author of the post answered without it.
        """
        self.ensure_one()
        handle = self.identity_id.handle or ""
        if self.network == "mastodon" and handle.startswith("@"):
            return f"{handle} "
        return ""

    def _after_reply_sent(self, reply):
        """A reply was posted: say so here and on the author's contact, mark replied.

        Logged notes, not posted messages: they notify no one and work for a
        user without an e-mail address.
        """
        self.ensure_one()
        link = (
            Markup('<a href="%s" target="_blank">%s</a>') % (reply.url, _("See it"))
            if reply.url
            else _("(no link)")
        )
        network = self._network_label()
        # Not a blockquote: the chatter folds those away as quoted text.
        text = Markup("<br/>").join((reply.body or "").splitlines())
        body = Markup("<p>%s</p><p>%s</p>") % (
            _("Replied on %(network)s: %(link)s", network=network, link=link),
            text,
        )
        self._message_log(body=body)
        partner = self.partner_id
        if partner:
            partner._message_log(
                body=Markup("<p>%s</p><p>%s</p>")
                % (
                    _(
                        "Replied on %(network)s to %(mention)s: %(link)s",
                        network=network,
                        mention=self._get_html_link(),
                        link=link,
                    ),
                    text,
                )
            )
        vals = {"state": "replied"}
        if not self.first_reply_date:
            vals["first_reply_date"] = reply.sent_date or fields.Datetime.now()
        self.write(vals)

    # ------------------------------------------------------------------ conversion
    def _check_convertible(self):
        """Refuse, with one clear message, what cannot be converted.

        Checked on the whole selection before anything is written, so that a
        conversion is all or nothing.
        """
        problems = []
        for mention in self:
            if mention._is_converted():
                problems.append(_("%s is already converted.", mention.display_name))
            elif not mention.identity_id:
                problems.append(_("%s has no author.", mention.display_name))
            elif not mention.source_id:
                problems.append(
                    _("%s came from a source that was deleted.", mention.display_name)
                )
            elif mention.company_id not in self.env.companies:
                problems.append(
                    _(
                        "%(mention)s belongs to %(company)s, not to your current "
                        "companies.",
                        mention=mention.display_name,
                        company=mention.company_id.name,
                    )
                )
        if problems:
            raise UserError("\n".join(problems))

    def _is_converted(self):
        """True when the mention already made or joined a lead (or a ticket)."""
        self.ensure_one()
        return self.state == "converted" or self._has_conversion_target()

    def _filter_convertible(self):
        """The mentions a routing rule may convert (the others it leaves alone)."""
        return self.filtered(
            lambda m: not m._is_converted() and m.identity_id and m.source_id
        )

    def _groups_for_conversion(self, per_author):
        """The selection split into the groups that each make one record."""
        if not per_author:
            return [mention for mention in self]
        groups = {}
        for mention in self:
            groups.setdefault(mention.identity_id, self.browse())
            groups[mention.identity_id] |= mention
        return list(groups.values())

    def _conversion_partner(self, create_partner):
        """The contact of this group's author, made from the profile if asked."""
        identity = self[:1].identity_id
        if not identity.partner_id and create_partner:
            identity.action_create_partner()
        return identity.partner_id

    def _conversion_description(self):
        """The posts of the group as HTML, each with its author, date and link.

        For a reader of the lead or ticket: the post, then who wrote it
        (their profile linked) on which network, when (in the user's time
        zone and language) and a link to the post.
        """
        parts = []
        networks = dict(self._fields["network"]._description_selection(self.env))
        for mention in self:
            identity = mention.identity_id
            who = identity.name or identity.handle or _("Unknown author")
            if identity.handle and identity.handle != who:
                who = f"{who} ({identity.handle})"
            author = (
                Markup('<a href="%s" target="_blank">%s</a>')
                % (identity.profile_url, who)
                if identity.profile_url
                else who
            )
            byline = _(
                "%(author)s on %(network)s, %(date)s",
                author=author,
                network=networks.get(mention.network, mention.network),
                date=format_datetime(self.env, mention.posted_at, dt_format="medium"),
            )
            link = (
                Markup(' · <a href="%s" target="_blank">%s</a>')
                % (mention.url, _("Open the post"))
                if mention.url
                else ""
            )
            if mention.thread_title:
                thread = (
                    Markup('<a href="%s" target="_blank">%s</a>')
                    % (mention.thread_url, mention.thread_title)
                    if mention.thread_url
                    else mention.thread_title
                )
                parts.append(Markup("<p>%s</p>") % _("In reply to: %s", thread))
            parts.append(
                Markup("<blockquote>%s</blockquote><p>%s%s</p>")
                % (mention.content, byline, link)
            )
        return Markup("").join(parts)

    def _conversion_title(self):
        author = self[:1].identity_id.name or self[:1].identity_id.handle
        return _(
            "%(author)s: %(text)s",
            author=author,
            text=excerpt_at_word(self[:1].content),
        )

    # The conversion template: every target (a lead here, a ticket with the
    # helpdesk bridge) is made the same way, and a target differs only by
    # its ``_prepare_<target>_vals`` hook and its entry in
    # ``_conversion_targets``.
    @api.model
    def _conversion_targets(self):
        """``{target: (model, mention field)}`` of what mentions convert into.

        Bridges that convert into other records add theirs (the helpdesk
        bridge adds ``"ticket": ("helpdesk.ticket", "ticket_id")``) with a
        ``_prepare_<target>_vals`` method.
        """
        return {"lead": ("crm.lead", "lead_id")}

    @api.model
    def _conversion_target_fields(self):
        """The fields linking a mention to what it was converted into."""
        return [field for _model, field in self._conversion_targets().values()]

    def _has_conversion_target(self):
        """True when the mention is linked to what it was converted into."""
        self.ensure_one()
        return any(self[field] for field in self._conversion_target_fields())

    def _convert(self, target, per_author=False, **options):
        """Make one ``target`` record per mention, or per author; mark them converted.

        All or nothing: the whole selection is checked first, the records are
        created in one batch from ``_prepare_<target>_vals(**options)`` of
        each group, and both chatters link the other.
        """
        self._check_convertible()
        model, field = self._conversion_targets()[target]
        prepare = f"_prepare_{target}_vals"
        groups = self._groups_for_conversion(per_author)
        records = self.env[model].create(
            [getattr(group, prepare)(**options) for group in groups]
        )
        for group, record in zip(groups, records, strict=True):
            group._link_converted(record, field=field)
        return records

    def _attach_to(self, target, record):
        """Link the mentions to an existing ``target`` record."""
        self._check_convertible()
        self._link_converted(record, field=self._conversion_targets()[target][1])
        return record

    def _prepare_conversion_vals(self, create_partner=False):
        """What every target made from this group has: title, posts, contact."""
        partner = self._conversion_partner(create_partner)
        return {
            "name": self._conversion_title(),
            "description": self._conversion_description(),
            "partner_id": partner.id or False,
        }

    def _prepare_lead_vals(self, team=None, user=None, tags=None, create_partner=False):
        """The lead of this group.

        ``team``/``user`` given win; otherwise the source's defaults; otherwise
        the lead is left to the sales team's own assignment rules.
        """
        first = self[:1]
        Lead = self.env["crm.lead"]
        vals = self._prepare_conversion_vals(create_partner)
        vals.update(
            {
                # No type: crm.lead's default makes an opportunity unless the
                # user works with leads (crm.group_use_lead), as Odoo does, so
                # that the lead shows where the user looks for it.
                "contact_name": False if vals["partner_id"] else first.identity_id.name,
                "source_id": Lead.sudo()
                ._find_or_create_record(
                    "utm.source", f"Social: {first._network_label()}"
                )
                .id,
                "medium_id": Lead._find_or_create_record("utm.medium", "Social").id,
                "tag_ids": [(6, 0, tags.ids)] if tags else False,
            }
        )
        chosen_team = team or first.source_id.team_id
        chosen_user = user if user is not None else first.source_id.user_id
        if chosen_team:
            vals["team_id"] = chosen_team.id
        if chosen_user is not None:
            vals["user_id"] = chosen_user.id or False
        return vals

    def _convert_to_leads(self, per_author=False, **options):
        """:meth:`_convert` into leads (options of :meth:`_prepare_lead_vals`)."""
        return self._convert("lead", per_author, **options)

    def _attach_to_lead(self, lead):
        """Link the mentions to an existing lead or opportunity."""
        return self._attach_to("lead", lead)

    def _link_converted(self, record, field):
        """Mark the mentions converted into ``record`` and say so on both sides."""
        self.write({field: record.id, "state": "converted"})
        # Logged notes, not posted messages: they notify no one, and posting
        # as a user without an e-mail address would fail the conversion.
        record._message_log(
            body=_(
                "Made from the social mentions: %s",
                Markup(", ").join(m._get_html_link() for m in self),
            )
        )
        body = _("Converted into %s.", record._get_html_link())
        self._message_log_batch(bodies=dict.fromkeys(self.ids, body))

    def _unlink_converted(self):
        """Reopen converted mentions: unlinked from their records, noted on both.

        One write for the selection; one note per mention and per record.
        The records are read and noted as superuser: an agent may reopen a
        mention someone else converted into a lead or ticket the agent
        cannot read (the note names it, as the mention's own link did).
        """
        targets = {}
        bodies = {}
        for mention in self:
            linked = mention.sudo()
            records = [
                linked[name]
                for name in self._conversion_target_fields()
                if linked[name]
            ]
            for record in records:
                targets.setdefault(record, self.browse())
                targets[record] |= mention
            bodies[mention.id] = _(
                "Reopened: no longer converted. It had been converted into %s.",
                Markup(", ").join(r._get_html_link() for r in records) or _("nothing"),
            )
        self.write(
            dict.fromkeys(self._conversion_target_fields(), False) | {"state": "new"}
        )
        self._message_log_batch(bodies=bodies)
        for record, mentions in targets.items():
            record._message_log(
                body=_(
                    "Social mentions reopened and no longer linked here: %s",
                    Markup(", ").join(m._get_html_link() for m in mentions),
                )
            )

    def _network_label(self):
        return dict(self._fields["network"]._description_selection(self.env))[
            self.network
        ]
