import logging

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.safe_eval import safe_eval

from ..utils.window_action import filtered_window_action

_logger = logging.getLogger(__name__)

#: How many of the matching mentions the rule's form shows.
PREVIEW_SIZE = 5


class SocialRoutingRule(models.Model):
    """What to do with mentions that match a domain, in order.

    Rules run on new mentions as they are ingested, and on demand on a
    selection. Each rule costs one query for the whole batch (its domain
    restricted to the batch), never one per mention. The first rule that
    matches a mention wins, unless it says to continue. A rule applies once
    per mention (``social.mention.routed_rule_ids``), so re-running rules
    never converts, assigns or notifies twice.
    """

    _name = "social.routing.rule"
    _description = "Social Mention Routing Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    domain = fields.Char(
        string="Mentions to Route",
        # A new rule starts from the mentions nobody has handled yet, not from
        # every mention (a rule applied on a selection would take replied and
        # converted ones too), and the condition editor opens on the state.
        default="[('state', '=', 'new')]",
        required=True,
        help="Which mentions the rule takes: sentiment, category, network, source, "
        "the author's influence score, matched terms, language…",
    )
    action = fields.Selection(
        selection="_selection_action",
        required=True,
        default="assign",
    )
    continue_matching = fields.Boolean(
        string="Continue",
        help="Let the next rules see the mentions this rule took.",
    )
    user_id = fields.Many2one(
        "res.users", string="Assign to", domain="[('share', '=', False)]"
    )
    team_id = fields.Many2one("crm.team", string="Sales Team")
    priority = fields.Selection(
        [("0", "Normal"), ("1", "Important"), ("2", "Urgent")],
        string="Set Priority",
    )
    activity_type_id = fields.Many2one("mail.activity.type")
    activity_user = fields.Selection(
        [("team_leader", "The sales team's leader"), ("user", "A given user")],
        string="Activity For",
        default="team_leader",
    )
    activity_user_id = fields.Many2one("res.users")
    activity_summary = fields.Char(translate=True)
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, index=True
    )
    group_by_author = fields.Boolean(
        string="One per Author",
        help="Make one lead or ticket per author for all their posts the rule "
        "takes at once (five posts about the same case make one ticket), "
        "rather than one per post.",
    )
    applied_count = fields.Integer(compute="_compute_applied_count")
    # The preview on the form: what the condition takes among the mentions
    # the company holds now (and the rule has not yet acted on).
    match_count = fields.Integer(
        string="Matching Now",
        compute="_compute_match_preview",
        help="How many of the company's mentions match the condition now and "
        "have not been routed by this rule yet.",
    )
    match_sample_ids = fields.Many2many(
        "social.mention",
        string="Newest Matching Mentions",
        compute="_compute_match_preview",
    )

    @api.model
    def _selection_action(self):
        return [
            ("create_lead", _("Create a lead")),
            ("assign", _("Assign a user or team")),
            ("set_priority", _("Set the priority")),
            ("activity", _("Schedule an activity")),
        ]

    def _compute_applied_count(self):
        counts = dict(
            self.env["social.mention"]._read_group(
                [("routed_rule_ids", "in", self.ids)], ["routed_rule_ids"], ["__count"]
            )
        )
        for rule in self:
            rule.applied_count = counts.get(rule, 0)

    @api.depends("domain", "company_id")
    def _compute_match_preview(self):
        """Two queries per rule: the count, and the five newest."""
        Mention = self.env["social.mention"]
        for rule in self:
            try:
                domain = rule._preview_domain()
                rule.match_count = Mention.search_count(domain)
                rule.match_sample_ids = Mention.search(domain, limit=PREVIEW_SIZE)
            except Exception:  # noqa: BLE001 - a condition being typed
                rule.match_count = 0
                rule.match_sample_ids = Mention

    @api.constrains("domain")
    def _check_domain(self):
        """An invalid domain is refused when saved, not when the cron runs."""
        Mention = self.env["social.mention"]
        for rule in self:
            try:
                domain = safe_eval(rule.domain or "[]", rule._domain_context())
                Mention.sudo()._search(domain)
            except Exception as error:
                raise ValidationError(
                    _(
                        "The domain of the rule %(rule)s is not valid: %(error)s",
                        rule=rule.name,
                        error=error,
                    )
                ) from error

    @api.constrains(
        "action",
        "user_id",
        "team_id",
        "priority",
        "activity_type_id",
        "activity_user",
        "activity_user_id",
    )
    def _check_action_values(self):
        for rule in self:
            missing = {
                "assign": not (rule.user_id or rule.team_id),
                "set_priority": not rule.priority,
                "activity": not rule.activity_type_id
                or (rule.activity_user == "user" and not rule.activity_user_id),
            }.get(rule.action)
            if missing:
                raise ValidationError(
                    _("The rule %s lacks what its action needs.", rule.name)
                )

    def _domain_context(self):
        return {"uid": self.env.uid, "context_today": fields.Date.context_today}

    def _preview_domain(self):
        """The company's mentions this rule would take now, as a domain."""
        self.ensure_one()
        company = self.company_id or self.env.company
        domain = [("company_id", "=", company.id)]
        if self._origin.id:
            domain.append(("routed_rule_ids", "not in", self._origin.ids))
        return domain + safe_eval(self.domain or "[]", self._domain_context())

    def action_view_matching(self):
        self.ensure_one()
        return filtered_window_action(
            self.env, "social_crm.social_mention_action", self._preview_domain()
        )

    def action_view_mentions(self):
        self.ensure_one()
        return filtered_window_action(
            self.env,
            "social_crm.social_mention_action",
            [("routed_rule_ids", "in", self.ids)],
        )

    # ------------------------------------------------------------------ routing
    @api.model
    def _route(self, mentions):
        """Run the active rules of the mentions' companies over them, in order.

        Without active rules (the default) this costs one small query; the
        mentions are grouped by company in one more, reading nothing else.
        """
        for rules, batch in self._batches_by_company(mentions):
            rules._route_in_order(batch)

    @api.model
    def _plan(self, mentions):
        """What :meth:`_route` would do, without doing it: ``[(rule, matched)]``.

        The same order, first match and "continue" as the routing, from the
        mentions as they are now (a rule is not shown what an earlier one
        would change). One query per rule, as the routing.
        """
        plan = []
        for rules, batch in self._batches_by_company(mentions):
            plan += rules._route_in_order(batch, dry_run=True)
        return plan

    @api.model
    def _batches_by_company(self, mentions):
        """``(rules, mentions)`` for each company of the mentions."""
        rules = self.sudo().search([]) if mentions else self.browse()
        if not rules:
            return []
        Mention = mentions.browse()
        return [
            (
                rules.filtered(
                    lambda rule, company=company: rule.company_id
                    in (company, rule.browse())
                ),
                Mention.browse(ids).with_company(company),
            )
            for company, ids in Mention._read_group(
                [("id", "in", mentions.ids)], ["company_id"], ["id:array_agg"]
            )
        ]

    def _route_in_order(self, mentions, dry_run=False):
        """First match wins, unless the rule says to continue.

        Returns ``[(rule, matched)]``; with ``dry_run`` nothing is applied.
        """
        remaining = mentions
        plan = []
        for rule in self:
            if not remaining:
                break
            matched = rule._match(remaining)
            if not matched:
                continue
            plan.append((rule, matched))
            if not dry_run:
                rule._apply(matched)
            if not rule.continue_matching:
                remaining -= matched
        return plan

    def _match(self, mentions):
        """The mentions of the batch this rule takes (one query)."""
        self.ensure_one()
        domain = safe_eval(self.domain or "[]", self._domain_context())
        scope = [("id", "in", mentions.ids), ("routed_rule_ids", "not in", self.ids)]
        if self.company_id:
            scope.append(("company_id", "=", self.company_id.id))
        return mentions.search(scope + domain)

    def _apply(self, mentions):
        """Do this rule's action on ``mentions`` and remember it did."""
        self.ensure_one()
        handler = getattr(self, f"_apply_{self.action}")
        handler(mentions)
        mentions.write({"routed_rule_ids": [(4, self.id)]})

    # ------------------------------------------------------------------ preview
    def _describe(self, mentions):
        """``(records, text)``: what applying the rule to ``mentions`` makes.

        ``records`` is the number of leads or tickets it creates (0 for the
        actions that create none), ``text`` says it in the user's words.
        """
        self.ensure_one()
        return getattr(self, f"_describe_{self.action}")(mentions)

    def _conversion_groups(self, mentions):
        """The mentions it converts and how many records they make."""
        convertible = mentions._filter_convertible()
        if self.group_by_author:
            return convertible, len(convertible.identity_id)
        return convertible, len(convertible)

    def _describe_conversion(self, mentions, made):
        """The end of a conversion's description: assignee, states, skips."""
        convertible, count = self._conversion_groups(mentions)
        parts = [
            made(count),
            _("assigned to %s", self.user_id.name) if self.user_id else _("unassigned"),
            _("%s mention(s) marked Converted", len(convertible)),
        ]
        skipped = len(mentions) - len(convertible)
        if skipped:
            parts.append(
                _("%s already converted or without author, left as they are", skipped)
            )
        return count, "; ".join(parts)

    def _describe_create_lead(self, mentions):
        return self._describe_conversion(
            mentions, lambda count: self.env._("%s new lead(s)", count)
        )

    def _describe_assign(self, mentions):
        whom = " / ".join(
            name for name in (self.user_id.name, self.team_id.name) if name
        )
        return 0, _(
            "%(count)s mention(s) assigned to %(whom)s", count=len(mentions), whom=whom
        )

    def _describe_set_priority(self, mentions):
        priority = dict(self._fields["priority"]._description_selection(self.env))
        return 0, _(
            "%(count)s mention(s) set to the priority %(priority)s",
            count=len(mentions),
            priority=priority.get(self.priority, ""),
        )

    def _describe_activity(self, mentions):
        whom = (
            self.activity_user_id.name
            if self.activity_user == "user"
            else _("the sales team's leader")
        )
        return 0, _(
            "%(count)s activity(ies) %(type)s for %(whom)s",
            count=len(mentions),
            type=self.activity_type_id.name,
            whom=whom,
        )

    # ------------------------------------------------------------------ actions
    def _apply_create_lead(self, mentions):
        convertible = mentions._filter_convertible()
        if convertible:
            # The rule's user, even none: an empty "Assign to" leaves the
            # leads unassigned, never to the source's or the clicking user.
            convertible._convert_to_leads(
                per_author=self.group_by_author,
                team=self.team_id or None,
                user=self.user_id,
            )

    def _apply_assign(self, mentions):
        values = {}
        if self.user_id:
            values["user_id"] = self.user_id.id
        if self.team_id:
            values["team_id"] = self.team_id.id
        mentions.write(values)

    def _apply_set_priority(self, mentions):
        mentions.write({"priority": self.priority})

    def _apply_activity(self, mentions):
        """One activity per mention for the team leader or the given user."""
        for mention in mentions:
            if self.activity_user == "user":
                user = self.activity_user_id
            else:
                team = mention.team_id or mention.source_id.team_id or self.team_id
                user = team.user_id
            if not user:
                _logger.info(
                    "Routing rule %s: no one to notify for mention %s",
                    self.id,
                    mention.id,
                )
                continue
            mention.activity_schedule(
                activity_type_id=self.activity_type_id.id,
                summary=self.activity_summary or self.name,
                user_id=user.id,
            )
