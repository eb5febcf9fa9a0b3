from odoo import Command, _, api, fields, models


class SocialRoutingApply(models.TransientModel):
    """Confirm *Apply Routing Rules* on a selection of mentions.

    Opened on the selected mentions (``active_ids``), it shows per rule how
    many mentions it takes and what it makes of them (the plan of
    ``social.routing.rule._plan``), and runs the rules only on confirm.
    """

    _name = "social.routing.apply"
    _description = "Apply Routing Rules"

    mention_ids = fields.Many2many(
        "social.mention",
        string="Mentions",
        default=lambda self: self._default_mention_ids(),
        required=True,
    )
    mention_count = fields.Integer(compute="_compute_line_ids", store=True)
    unmatched_count = fields.Integer(
        string="Taken by No Rule", compute="_compute_line_ids", store=True
    )
    line_ids = fields.One2many(
        "social.routing.apply.line",
        "wizard_id",
        string="Rules",
        compute="_compute_line_ids",
        store=True,
    )

    @api.model
    def _default_mention_ids(self):
        if self.env.context.get("active_model") != "social.mention":
            return False
        return [Command.set(self.env.context.get("active_ids") or [])]

    @api.depends("mention_ids")
    def _compute_line_ids(self):
        Rule = self.env["social.routing.rule"]
        for wizard in self:
            mentions = wizard.mention_ids._origin
            commands = [Command.clear()]
            taken = mentions.browse()
            for rule, matched in Rule._plan(mentions):
                records, description = rule._describe(matched)
                commands.append(
                    Command.create(
                        {
                            "rule_id": rule.id,
                            "mention_count": len(matched),
                            "record_count": records,
                            "description": description,
                        }
                    )
                )
                taken |= matched
            wizard.line_ids = commands
            wizard.mention_count = len(mentions)
            wizard.unmatched_count = len(mentions - taken)

    def action_confirm(self):
        self.ensure_one()
        self.mention_ids._apply_routing_rules()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": _(
                    "The routing rules were applied to %s mention(s).",
                    len(self.mention_ids),
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }


class SocialRoutingApplyLine(models.TransientModel):
    _name = "social.routing.apply.line"
    _description = "Apply Routing Rules: one rule"
    _order = "id"

    wizard_id = fields.Many2one(
        "social.routing.apply",
        string="Confirmation",
        required=True,
        ondelete="cascade",
    )
    rule_id = fields.Many2one("social.routing.rule", readonly=True)
    action = fields.Selection(related="rule_id.action")
    mention_count = fields.Integer(string="Mentions", readonly=True)
    record_count = fields.Integer(
        string="Creates",
        readonly=True,
        help="The leads or tickets the rule makes.",
    )
    description = fields.Char(string="What It Does", readonly=True)
