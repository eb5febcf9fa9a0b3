"""18.0.1.1.0: score the identities the pre-migration copied per company."""

from odoo import SUPERUSER_ID, api

FLAG = "social_crm.recompute_after_migration"


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    params = env["ir.config_parameter"]
    if params.get_param(FLAG):
        env["social.influence.score"]._recompute_all()
        params.search([("key", "=", FLAG)]).unlink()
