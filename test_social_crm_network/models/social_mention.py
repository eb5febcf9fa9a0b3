from odoo import fields, models


class SocialMention(models.Model):
    _inherit = "social.mention"

    network = fields.Selection(
        selection_add=[("plaza", "Plaza")], ondelete={"plaza": "cascade"}
    )


class SocialIdentity(models.Model):
    _inherit = "social.identity"

    network = fields.Selection(
        selection_add=[("plaza", "Plaza")], ondelete={"plaza": "cascade"}
    )
