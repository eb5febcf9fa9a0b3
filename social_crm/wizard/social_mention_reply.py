import psycopg2
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext

from ..connectors.reply import NoApiReplier
from ..connectors.reply_length import reply_length
from ..utils.window_action import form_action


class SocialMentionReply(models.TransientModel):
    """The reply composer: write (or pick) a reply and post it on the network.

    Opened on one mention (``default_mention_id``, or the active mention).
    The text is counted as the network counts it against its limit; the
    sending itself is ``social.reply._send``. Networks without a posting API
    (Hacker News, RSS) get *Reply on the site* and the reply is logged here.
    """

    _name = "social.mention.reply"
    _description = "Reply to a Social Mention"

    mention_id = fields.Many2one(
        "social.mention",
        required=True,
        ondelete="cascade",
        default=lambda self: self._default_mention_id(),
    )
    network = fields.Selection(related="mention_id.network")
    mention_content = fields.Text(related="mention_id.content", string="Post")
    mention_url = fields.Char(related="mention_id.url")
    suggested_answer_ids = fields.Many2many(
        "social.answer",
        compute="_compute_suggested_answer_ids",
        string="Suggested Answers",
    )
    suggested_answer_id = fields.Many2one(
        "social.answer",
        string="Suggested",
        help="The ready answers that fit this post best (category, language, words).",
    )
    answer_id = fields.Many2one(
        "social.answer", compute="_compute_answer_id", store=True, readonly=False
    )
    body = fields.Text(
        string="Reply", compute="_compute_body", store=True, readonly=False
    )
    char_limit = fields.Integer(
        string="Limit", compute="_compute_char_limit", store=True
    )
    char_count = fields.Integer(string="Length", compute="_compute_char_count")
    count_display = fields.Char(string="Length / Limit", compute="_compute_char_count")
    too_long = fields.Boolean(compute="_compute_char_count")
    has_api = fields.Boolean(string="Posting API", compute="_compute_has_api")
    missing_credentials = fields.Text(compute="_compute_missing_credentials")
    pending_reply_id = fields.Many2one(
        "social.reply", compute="_compute_pending_reply_id"
    )
    checked_pending = fields.Boolean(
        string="I checked: that reply is not on the network",
    )
    colleague_id = fields.Many2one(
        "res.users",
        string="Ask",
        domain="[('share', '=', False)]",
        help="The colleague who knows the answer: they get an activity on the "
        "mention, and their note in its chatter can be sent as the reply.",
    )
    question = fields.Text(help="What you ask your colleague.")
    colleague_answer = fields.Text(
        compute="_compute_colleague_answer",
        string="Colleague's Answer",
        help="The latest note a colleague wrote on the mention.",
    )
    reply_id = fields.Many2one("social.reply", string="Reply Sent", readonly=True)
    reply_state = fields.Selection(related="reply_id.state")
    reply_error = fields.Text(related="reply_id.error")

    @api.model
    def _default_mention_id(self):
        context = self.env.context
        if context.get("active_model") == "social.mention" and context.get("active_id"):
            return context["active_id"]
        return False

    @api.depends("mention_id", "answer_id")
    def _compute_body(self):
        for wizard in self:
            mention = wizard.mention_id
            if wizard.answer_id and mention:
                text = wizard.answer_id._body_for(mention, self.env.user)
                wizard.body = f"{mention._reply_prefill()}{text}"
            elif mention and not wizard.body:
                failed = mention.social_reply_ids.filtered(
                    lambda r: r.state == "failed"
                )[:1]
                # A failed reply is offered again, as it was written.
                wizard.body = failed.body or mention._reply_prefill()

    @api.depends("suggested_answer_id")
    def _compute_answer_id(self):
        for wizard in self:
            wizard.answer_id = wizard.suggested_answer_id or wizard.answer_id

    @api.depends("mention_id")
    def _compute_suggested_answer_ids(self):
        Answer = self.env["social.answer"]
        for wizard in self:
            wizard.suggested_answer_ids = (
                Answer._suggest_for(wizard.mention_id) if wizard.mention_id else Answer
            )

    @api.depends("mention_id")
    def _compute_char_limit(self):
        for wizard in self:
            mention = wizard.mention_id
            if mention.source_id:
                wizard.char_limit = mention.source_id._reply_limit(mention.network)
            else:
                wizard.char_limit = 0

    @api.depends("body", "char_limit", "network")
    def _compute_char_count(self):
        for wizard in self:
            count = reply_length(wizard.network or "", wizard.body or "")
            wizard.char_count = count
            wizard.too_long = bool(wizard.char_limit) and count > wizard.char_limit
            wizard.count_display = (
                f"{count} / {wizard.char_limit}" if wizard.char_limit else str(count)
            )

    @api.depends("mention_id")
    def _compute_has_api(self):
        for wizard in self:
            source = wizard.mention_id.source_id
            replier_class = source._replier_class(wizard.network) if source else None
            wizard.has_api = bool(
                replier_class and not issubclass(replier_class, NoApiReplier)
            )

    @api.depends("mention_id")
    def _compute_missing_credentials(self):
        for wizard in self:
            mention = wizard.mention_id
            source = mention.source_id
            if not mention:
                wizard.missing_credentials = False
            elif not source:
                wizard.missing_credentials = _(
                    "This mention's source was deleted: there is no account to "
                    "reply with."
                )
            elif not wizard.has_api:
                wizard.missing_credentials = False
            else:
                labels = source._reply_missing_fields(mention.network)
                wizard.missing_credentials = bool(labels) and _(
                    "Nothing can be sent yet: a Social CRM manager must set "
                    "%(fields)s on the source %(source_name)s.",
                    fields=", ".join(labels),
                    source_name=source.display_name,
                )

    @api.depends("mention_id")
    def _compute_colleague_answer(self):
        """The latest note written on the mention by someone else."""
        note = self.env.ref("mail.mt_note")
        for wizard in self:
            message = self.env["mail.message"].search(
                [
                    ("model", "=", "social.mention"),
                    ("res_id", "=", wizard.mention_id.id),
                    ("message_type", "=", "comment"),
                    ("subtype_id", "=", note.id),
                    ("author_id", "!=", self.env.user.partner_id.id),
                ],
                order="id desc",
                limit=1,
            )
            wizard.colleague_answer = (
                html2plaintext(message.body).strip() if message else False
            )

    @api.depends("mention_id")
    def _compute_pending_reply_id(self):
        for wizard in self:
            wizard.pending_reply_id = wizard.mention_id.social_reply_ids.filtered(
                lambda r: r.state in ("unknown", "sending")
            )[:1]

    # ------------------------------------------------------------------ actions
    def action_open_post(self):
        """Reply on the site: the post opens in a new tab."""
        self.ensure_one()
        return self.mention_id.action_open_post()

    def action_ask_colleague(self):
        """No answer fits: an activity for the colleague who knows, on the mention."""
        self.ensure_one()
        if not self.colleague_id:
            raise UserError(_("Choose the colleague to ask."))
        mention = self.mention_id
        note = Markup("<p>%s</p><p>%s</p><p>%s</p>") % (
            self.question or _("How should we answer this post?"),
            mention.content,
            _("Write your answer as a note on the mention: it can be sent as is."),
        )
        mention.activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=self.colleague_id.id,
            summary=_("Help answer this mention"),
            note=note,
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Ask a Colleague"),
                "message": _("%s is asked.", self.colleague_id.name),
                "type": "success",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_use_colleague_answer(self):
        """Put the colleague's note in the reply, as they wrote it."""
        self.ensure_one()
        if self.colleague_answer:
            self.body = f"{self.mention_id._reply_prefill()}{self.colleague_answer}"
        return self._reopen()

    def action_send(self):
        """Post the reply (or log it, for networks without a posting API)."""
        self.ensure_one()
        mention = self.mention_id
        self._lock_mention()
        self._check_sendable()
        if self.pending_reply_id:
            # The agent checked the network: the earlier reply is not there.
            self.pending_reply_id.action_mark_not_posted()
        # The check was for that reply only: this composer sent again (a click
        # twice, or the request replayed after a concurrent update) finds the
        # new reply pending and refuses.
        self.checked_pending = False
        reply = self.env["social.reply"].create(
            {
                "mention_id": mention.id,
                "body": self.body,
                "answer_id": self.answer_id.id or False,
            }
        )
        self.reply_id = reply
        if not self.has_api:
            reply._log_posted_by_hand()
        else:
            reply._send(limit=self.char_limit or None)
        if reply.state != "sent":
            # Shown in the composer: the error and what to do.
            return self._reopen()
        self.answer_id._mark_used()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Reply"),
                "message": _("Replied on %s.", mention._network_label())
                if self.has_api
                else _("Your reply is logged."),
                "type": "success",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _reopen(self):
        """The composer again, on this record (after an error, an answer picked)."""
        return form_action(self, target="new", name=_("Reply"))

    def _lock_mention(self):
        """One reply at a time per mention, across workers.

        The row is locked without waiting and touched, so that a concurrent
        composer that read the mention before this reply was committed fails
        to serialize and starts again, seeing it.
        """
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    "UPDATE social_mention SET write_date = now() at time zone 'UTC'"
                    " WHERE id = %s AND id IN"
                    " (SELECT id FROM social_mention WHERE id = %s FOR UPDATE NOWAIT)",
                    [self.mention_id.id, self.mention_id.id],
                )
        except psycopg2.errors.LockNotAvailable:
            raise UserError(
                _("Someone is replying to this mention right now.")
            ) from None

    def _check_sendable(self):
        if not (self.body or "").strip():
            raise UserError(_("Write a reply first."))
        if self.missing_credentials:
            raise UserError(self.missing_credentials)
        if self.too_long:
            raise UserError(
                _(
                    "The reply is %(count)s characters long; %(network)s takes "
                    "%(limit)s at most.",
                    count=self.char_count,
                    network=self.mention_id._network_label(),
                    limit=self.char_limit,
                )
            )
        if self.pending_reply_id and not self.checked_pending:
            raise UserError(
                _(
                    "An earlier reply (%(date)s) may have been posted: its outcome "
                    "is unknown. Check the post on %(network)s first; if that reply "
                    "is not there, tick the box and send again.",
                    date=fields.Datetime.to_string(self.pending_reply_id.create_date),
                    network=self.mention_id._network_label(),
                )
            )
