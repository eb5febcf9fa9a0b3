from odoo import api, fields, models

from odoo.addons.social_crm.models.social_mention import STORY_LIMIT

#: Ticket priority ("0" low … "3" very high) by the mention's sentiment.
PRIORITY_BY_SENTIMENT = {"positive": 0, "neutral": 1, "negative": 2}


class SocialMention(models.Model):
    _inherit = "social.mention"

    ticket_id = fields.Many2one(
        "helpdesk.ticket", index="btree_not_null", tracking=True, copy=False
    )

    story_ticket_ids = fields.Many2many(
        "helpdesk.ticket",
        compute="_compute_story_tickets",
        groups="helpdesk_mgmt.group_helpdesk_user_own",
        string="Open Tickets",
        help="Open tickets of the author's contact or made from their mentions.",
    )

    @api.depends("identity_id", "partner_id")
    def _compute_story_tickets(self):
        Ticket = self.env["helpdesk.ticket"]
        for mention in self:
            # only the tickets this user may read
            tickets = (mention | mention.story_mention_ids).ticket_id._filtered_access(
                "read"
            )
            if mention.partner_id:
                tickets |= Ticket.search(
                    [
                        ("partner_id", "=", mention.partner_id.id),
                        ("closed", "=", False),
                    ],
                    limit=STORY_LIMIT,
                )
            mention.story_ticket_ids = tickets.filtered(
                lambda ticket: not ticket.closed
            )

    def action_open_ticket(self):
        self.ensure_one()
        return self.ticket_id.get_formview_action()

    @api.model
    def _conversion_targets(self):
        return super()._conversion_targets() | {
            "ticket": ("helpdesk.ticket", "ticket_id")
        }

    def _ticket_priority(self):
        """The ticket's priority from the sentiment and the author's influence.

        Negative ranks above neutral above positive (2, 1, 0), and an
        influencer (``social.identity.is_influencer``) adds one level: a
        negative mention from an influencer is "Very High" (3), a positive one
        from an unknown author "Low" (0). A group takes its most pressing mention.
        """
        levels = [
            PRIORITY_BY_SENTIMENT.get(mention.sentiment or "neutral", 1)
            + mention.identity_id.is_influencer
            for mention in self
        ]
        return str(min(max(levels, default=1), 3))

    def _prepare_ticket_vals(self, team=None, user=None):
        """The ticket of this group.

        Team and user come from the caller, else from the source; the ticket
        gets the author's contact, the posts with their links as description,
        the "Social" channel and a priority from sentiment and influence.
        """
        first = self[:1]
        channel = self.env.ref(
            "social_crm_helpdesk.helpdesk_ticket_channel_social",
            raise_if_not_found=False,
        )
        vals = self._prepare_conversion_vals()
        vals.update(
            {
                "partner_name": first.identity_id.partner_id.name
                or first.identity_id.name
                or False,
                "channel_id": channel.id if channel else False,
                "priority": self._ticket_priority(),
                "company_id": first.company_id.id,
            }
        )
        chosen_team = team or first.source_id.helpdesk_team_id
        if chosen_team:
            vals["team_id"] = chosen_team.id
        if user is not None:
            # An empty recordset means "nobody": it wins over any default.
            vals["user_id"] = user.id or False
        return vals

    def _convert_to_tickets(self, per_author=False, **options):
        """:meth:`_convert` into tickets (options of :meth:`_prepare_ticket_vals`)."""
        return self._convert("ticket", per_author, **options)

    def _attach_to_ticket(self, ticket):
        """Link the mentions to an existing ticket."""
        return self._attach_to("ticket", ticket)
