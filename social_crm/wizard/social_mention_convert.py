from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..utils.window_action import form_action


class SocialMentionConvert(models.TransientModel):
    """Turn mentions into leads, or attach them to an existing lead.

    Opened on the selected mentions (``active_ids``). The work itself is done
    by ``social.mention._convert_to_leads`` / ``_attach_to_lead``, which the
    routing rules use too. The ticket choices come with the
    ``social_crm_helpdesk`` bridge.
    """

    _name = "social.mention.convert"
    _description = "Convert Social Mentions"

    mention_ids = fields.Many2many(
        "social.mention",
        string="Mentions",
        default=lambda self: self._default_mention_ids(),
        required=True,
    )
    action = fields.Selection(
        selection="_selection_action",
        string="Conversion",
        required=True,
        default="create_lead",
    )
    grouping = fields.Selection(
        [("mention", "One per mention"), ("author", "One per author")],
        default="mention",
        required=True,
    )
    lead_id = fields.Many2one(
        "crm.lead",
        domain="[('active', '=', True), ('probability', '<', 100)]",
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        compute="_compute_team_user",
        store=True,
        readonly=False,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        compute="_compute_team_user",
        store=True,
        readonly=False,
        domain="[('share', '=', False)]",
    )
    tag_ids = fields.Many2many("crm.tag", string="Tags")
    create_partner = fields.Boolean(
        string="Create missing contacts",
        help="Make a contact from the profile of authors not linked to one.",
    )
    duplicate_lead_ids = fields.Many2many(
        "crm.lead",
        compute="_compute_duplicate_lead_ids",
        string="Open leads of these contacts",
    )
    mention_count = fields.Integer(compute="_compute_mention_count")

    @api.model
    def _default_mention_ids(self):
        if self.env.context.get("active_model") != "social.mention":
            return False
        return [(6, 0, self.env.context.get("active_ids") or [])]

    @api.model
    def _selection_action(self):
        return [
            ("create_lead", _("Create leads")),
            ("attach_lead", _("Attach to an existing lead")),
        ]

    @api.depends("mention_ids")
    def _compute_mention_count(self):
        for wizard in self:
            wizard.mention_count = len(wizard.mention_ids)

    @api.depends("mention_ids")
    def _compute_team_user(self):
        """The sources' defaults when they agree; else the salesperson converting.

        Cleared, the salesperson is left to the sales team's assignment rules.
        """
        salesperson = (
            self.env.user
            if self.env.user.has_group("sales_team.group_sale_salesman")
            else self.env["res.users"]
        )
        for wizard in self:
            sources = wizard.mention_ids.source_id
            wizard.team_id = sources.team_id if len(sources.team_id) == 1 else False
            wizard.user_id = (
                sources.user_id if len(sources.user_id) == 1 else salesperson
            )

    @api.depends("mention_ids")
    def _compute_duplicate_lead_ids(self):
        Lead = self.env["crm.lead"]
        for wizard in self:
            partners = wizard.mention_ids.partner_id
            wizard.duplicate_lead_ids = (
                Lead.search(
                    [
                        ("partner_id", "in", partners.ids),
                        ("probability", "<", 100),
                    ]
                )
                if partners and Lead.has_access("read")
                else Lead
            )

    @api.onchange("action", "duplicate_lead_ids")
    def _onchange_propose_attach(self):
        """An author with an open lead: propose to attach to it instead."""
        if (
            self.action == "attach_lead"
            and not self.lead_id
            and self.duplicate_lead_ids
        ):
            self.lead_id = self.duplicate_lead_ids[:1]

    def action_use_duplicate(self):
        """Switch to attaching to the author's open lead."""
        self.ensure_one()
        self.write({"action": "attach_lead", "lead_id": self.duplicate_lead_ids[:1].id})
        return self._reopen()

    def _reopen(self):
        return form_action(self, target="new")

    def action_convert(self):
        self.ensure_one()
        if not self.mention_ids:
            raise UserError(_("Select at least one mention to convert."))
        records = self._convert()
        return self._open_result(records)

    def _convert(self):
        """Do the chosen conversion; returns the records made or used."""
        if self.action == "create_lead":
            self._check_can("crm.lead", "create", _("create leads"))
            return self.mention_ids._convert_to_leads(
                per_author=self.grouping == "author",
                team=self.team_id,
                user=self.user_id,
                tags=self.tag_ids,
                create_partner=self.create_partner,
            )
        if self.action == "attach_lead":
            if not self.lead_id:
                raise UserError(_("Choose the lead to attach the mentions to."))
            self._check_can("crm.lead", "write", _("update leads"))
            return self.mention_ids._attach_to_lead(self.lead_id)
        raise UserError(_("Unknown conversion: %s", self.action))

    def _check_can(self, model, operation, what):
        if not self.env[model].has_access(operation):
            raise AccessError(
                _(
                    "You are not allowed to %(what)s, so you cannot convert to them.",
                    what=what,
                )
            )

    def _open_result(self, records):
        if len(records) == 1:
            return {
                "type": "ir.actions.act_window",
                "res_model": records._name,
                "res_id": records.id,
                "view_mode": "form",
            }
        return {
            "type": "ir.actions.act_window",
            "name": _("Converted"),
            "res_model": records._name,
            "domain": [("id", "in", records.ids)],
            "view_mode": "list,form",
        }
