from odoo.tests import tagged

from odoo.addons.social_crm.tests import test_translations

ADDON = "social_crm_queue"


@tagged("post_install", "-at_install")
class TestQueueTranslations(test_translations.TestTranslations):
    """social_crm's checks of the ru/uk/bg catalogs, on this addon's."""

    # Odoo runs only the tests a class defines itself, unless told.
    allow_inherited_tests_method = True

    def _addons(self):
        return [ADDON]
