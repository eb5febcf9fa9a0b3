from odoo import _, api, fields, models

from ..utils.window_action import form_action


class SocialIdentityMatch(models.TransientModel):
    """Link an identity to a contact by hand, from the candidates and why."""

    _name = "social.identity.match"
    _description = "Match an Identity to a Contact"

    identity_id = fields.Many2one("social.identity", required=True, readonly=True)
    line_ids = fields.One2many("social.identity.match.line", "wizard_id")
    note = fields.Char(related="identity_id.match_note")

    @api.model
    def _open_for(self, identity):
        """The dialog for ``identity``, with its suggested contacts."""
        wizard = self.create(
            {
                "identity_id": identity.id,
                "line_ids": [
                    fields.Command.create(
                        {
                            "partner_id": partner.id,
                            "reasons": "; ".join(reasons),
                            "strong": strong,
                        }
                    )
                    for partner, reasons, strong in identity._suggested_partners()
                ],
            }
        )
        return form_action(
            wizard,
            target="new",
            name=_("Match %s to a contact", identity.display_name),
        )

    def action_create_partner(self):
        self.ensure_one()
        return self.identity_id.action_create_partner()


class SocialIdentityMatchLine(models.TransientModel):
    _name = "social.identity.match.line"
    _description = "Candidate Contact of an Identity"
    _order = "strong desc, id"

    wizard_id = fields.Many2one(
        "social.identity.match", required=True, ondelete="cascade"
    )
    partner_id = fields.Many2one(
        "res.partner", string="Contact", required=True, readonly=True
    )
    email = fields.Char(related="partner_id.email")
    website = fields.Char(related="partner_id.website")
    reasons = fields.Char(string="Why", readonly=True)
    strong = fields.Boolean(
        string="Strong Evidence",
        readonly=True,
        help="Evidence automatic matching uses (a profile, an e-mail, a cross-link);"
        " it did not link because it points to several contacts.",
    )

    def action_link(self):
        """Link the identity to this contact, with a note saying why."""
        self.ensure_one()
        identity = self.wizard_id.identity_id
        identity.with_context(tracking_disable=True).write(
            {"partner_id": self.partner_id.id, "match_note": False}
        )
        identity._message_log(
            body=_(
                "Linked by hand to %(partner)s (%(reasons)s).",
                partner=self.partner_id._get_html_link(),
                reasons=self.reasons,
            )
        )
        return {"type": "ir.actions.act_window_close"}
