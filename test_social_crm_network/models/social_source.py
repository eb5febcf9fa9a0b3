from odoo import api, models

from ..connectors import PlazaConnector


class SocialSource(models.Model):
    _inherit = "social.source"

    @api.model
    def _get_connector_classes(self):
        return {**super()._get_connector_classes(), PlazaConnector.code: PlazaConnector}
