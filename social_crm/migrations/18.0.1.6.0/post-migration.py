"""18.0.1.6.0: the share of voice counts handles and hashtags of watched terms.

``@AcmePay`` and ``#AcmeFail`` now name the brand Acme (see
``res.company._social_terms_query``): the stored voice of existing mentions
is recomputed, set-based, only where it changes.
"""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    changed = env["social.mention"]._recompute_voice(env["res.company"].search([]))
    _logger.info("share of voice recomputed: %s mentions changed", changed)
