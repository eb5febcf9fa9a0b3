import logging

from odoo import _, api, fields, models, modules
from odoo.exceptions import UserError

from ..connectors.base import ConnectorError
from ..connectors.reply import (
    MissingCredentials,
    NotAuthorized,
    ReplyError,
    ReplyNotSupported,
    ReplyRateLimited,
    ReplyRejected,
    ReplyTooLong,
    ReplyUncertain,
)

_logger = logging.getLogger(__name__)

REPLY_STATES = [
    ("draft", "Draft"),
    ("sending", "Sending"),
    ("sent", "Sent"),
    ("failed", "Failed"),
    ("unknown", "Unknown"),
]


class SocialReply(models.Model):
    """A reply we post (or posted) on the network to a mention.

    The record is written, state *sending*, and committed before the request
    that posts it, then updated with what the network answered. So a request
    that gets no clear answer (a timeout) leaves *unknown*, and a worker that
    dies mid-request leaves *sending*: in both cases the reply may exist on
    the network, and it is never sent again by itself; the agent checks the
    post and says whether it was published.
    """

    _name = "social.reply"
    _description = "Social Reply"
    _order = "create_date desc, id desc"
    _rec_name = "mention_id"

    mention_id = fields.Many2one(
        "social.mention", required=True, index=True, ondelete="cascade"
    )
    network = fields.Selection(related="mention_id.network")
    company_id = fields.Many2one(
        "res.company", related="mention_id.company_id", store=True, index=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Author",
        required=True,
        default=lambda self: self.env.user,
        readonly=True,
    )
    answer_id = fields.Many2one("social.answer", string="From Answer", readonly=True)
    body = fields.Text(required=True)
    state = fields.Selection(REPLY_STATES, default="draft", required=True, index=True)
    external_id = fields.Char(
        string="ID on the Network", readonly=True, copy=False, index="btree_not_null"
    )
    url = fields.Char(string="URL", readonly=True, copy=False)
    error = fields.Text(readonly=True, copy=False)
    sent_date = fields.Datetime(readonly=True, copy=False)
    posted_by_hand = fields.Boolean(
        readonly=True,
        help="Posted on the site by the agent (networks without a posting API) "
        "and logged here.",
    )

    @api.depends("mention_id", "state")
    def _compute_display_name(self):
        states = dict(self._fields["state"]._description_selection(self.env))
        for reply in self:
            reply.display_name = _(
                "Reply to %(mention)s (%(state)s)",
                mention=reply.mention_id.display_name,
                state=states.get(reply.state),
            )

    # ------------------------------------------------------------------ actions
    def action_mark_posted(self):
        """The agent checked: the reply of unknown outcome is on the network."""
        for reply in self.filtered(lambda r: r.state in ("unknown", "sending")):
            reply.write({"state": "sent", "sent_date": fields.Datetime.now()})
            reply.mention_id._after_reply_sent(reply)

    def action_mark_not_posted(self):
        """The agent checked: the reply of unknown outcome is not on the network."""
        self.filtered(lambda r: r.state in ("unknown", "sending")).write(
            {"state": "failed"}
        )

    def action_save_as_answer(self):
        """Make a ready answer of this sent reply (its category, its language)."""
        self.ensure_one()
        if self.state != "sent":
            raise UserError(_("Only a sent reply can become an answer."))
        answer = self.env["social.answer"]._create_from_reply(self)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Save as Answer"),
                "message": _("The answer %s is in the knowledge base.", answer.name),
                "type": "success",
            },
        }

    # ------------------------------------------------------------------ sending
    def _commit_point(self):
        """Make what is written so far durable, before or after the request.

        A reply must be known as *sending* before the request leaves, or a
        crash during it would forget that it may have been posted. Tests run
        in one transaction they roll back: there, no commit (the flush makes
        the row visible to the request's own connection all the same).
        """
        self.env.flush_all()
        if not modules.module.current_test:
            self.env.cr.commit()  # pylint: disable=invalid-commit

    def _send(self, limit=None):
        """Post this draft reply on its network; the outcome is in its state."""
        self.ensure_one()
        if self.state != "draft":
            raise UserError(_("Only a draft reply can be sent."))
        mention = self.mention_id
        source = mention.source_id
        if not source:
            raise UserError(
                _(
                    "This mention's source was deleted: there is no account to "
                    "reply with."
                )
            )
        replier = source._make_replier(mention.network)
        if replier is None:
            raise UserError(
                _("Replies cannot be sent to %s.", mention._network_label())
            )
        if limit is None:
            limit = source._reply_limit(mention.network)
        try:
            replier.check(self.body, limit)
        except ReplyError as error:
            raise UserError(self._error_message(error)) from None
        self.state = "sending"
        self._commit_point()
        try:
            sent = replier.reply(
                mention._reply_target(),
                self.body,
                key=self._idempotency_key(),
                limit=limit,
            )
        except ConnectorError as error:
            state = "unknown" if getattr(error, "maybe_posted", False) else "failed"
            _logger.info(
                "Reply %s to mention %s: %s (%s)", self.id, mention.id, state, error
            )
            self.write({"state": state, "error": self._error_message(error)})
        else:
            self.write(
                {
                    "state": "sent",
                    "external_id": sent.external_id or False,
                    "url": sent.url or False,
                    "error": False,
                    "sent_date": fields.Datetime.now(),
                }
            )
            mention._after_reply_sent(self)
        finally:
            source._store_renewed_credentials(replier.renewed)
            replier.http.close()
        self._commit_point()
        return self.state

    def _log_posted_by_hand(self):
        """A reply the agent posted on the site (no posting API): logged as sent."""
        self.ensure_one()
        self.write(
            {
                "state": "sent",
                "posted_by_hand": True,
                "url": self.mention_id.url or False,
                "sent_date": fields.Datetime.now(),
            }
        )
        self.mention_id._after_reply_sent(self)

    def _idempotency_key(self):
        uuid = self.env["ir.config_parameter"].sudo().get_param("database.uuid", "")
        return f"social_crm-{uuid}-reply-{self.id}"

    def _error_message(self, error):
        """What the agent reads for ``error``: the reason in their language,
        what to do, and the network's own words."""
        network = self.mention_id._network_label()
        if isinstance(error, MissingCredentials):
            labels = self.mention_id.source_id._reply_missing_fields(self.network)
            message = _(
                "Nothing was sent: a Social CRM manager must set %(fields)s on the "
                "source %(source_name)s to reply on %(network)s.",
                fields=", ".join(labels),
                source_name=self.mention_id.source_id.display_name,
                network=network,
            )
        elif isinstance(error, ReplyTooLong):
            message = _(
                "Nothing was sent: the reply is %(length)s characters long and "
                "%(network)s takes %(limit)s at most.",
                length=error.length,
                limit=error.limit,
                network=network,
            )
        elif isinstance(error, NotAuthorized):
            message = _(
                "%(network)s refused to post with these credentials: they may be "
                "wrong, expired or lack write access (a Social CRM manager must "
                "set credentials allowed to post on the source), or this account "
                "may not reply to this post.",
                network=network,
            )
        elif isinstance(error, ReplyRateLimited):
            if error.retry_after is not None:
                message = _(
                    "%(network)s asks to wait: try again in %(seconds)s seconds. "
                    "Nothing was posted.",
                    network=network,
                    seconds=round(error.retry_after),
                )
            else:
                message = _(
                    "%(network)s asks to wait before posting again: try again "
                    "later. Nothing was posted.",
                    network=network,
                )
        elif isinstance(error, ReplyUncertain):
            message = _(
                "%(network)s gave no clear answer (timeout or server error): the "
                "reply may have been posted. Check the post on %(network)s before "
                "sending again.",
                network=network,
            )
        elif isinstance(error, ReplyRejected):
            message = _("%(network)s refused the reply.", network=network)
        elif isinstance(error, ReplyNotSupported):
            message = _(
                "%(network)s has no posting API: reply on the site, then log "
                "your reply here.",
                network=network,
            )
        else:
            message = _("The reply could not be sent to %(network)s.", network=network)
        return f"{message}\n{error}"
