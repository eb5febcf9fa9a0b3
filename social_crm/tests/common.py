from datetime import datetime, timedelta

from odoo.tests import Form, TransactionCase, new_test_user

from odoo.addons.social_crm.connectors.base import Author, Page, Post


class SocialCrmCase(TransactionCase):
    """Shared fixture: users of each role, a source, and page builders."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.salesman = new_test_user(
            cls.env, login="sc_salesman", groups="sales_team.group_sale_salesman"
        )
        cls.social_user = new_test_user(
            cls.env,
            login="sc_user",
            groups="social_crm.group_social_crm_user,sales_team.group_sale_salesman,"
            "base.group_partner_manager",
        )
        cls.social_manager = new_test_user(
            cls.env, login="sc_manager", groups="social_crm.group_social_crm_manager"
        )
        cls.source = cls.env["social.source"].create(
            {
                "name": "Test source",
                "connector": "demo",
                "query": "acme",
                "token": "s3cr3t-token",
            }
        )
        cls.now = datetime.now().replace(microsecond=0)

    @classmethod
    def author(cls, external_id, network="mastodon", **values):
        values.setdefault("handle", f"@{external_id}")
        values.setdefault("name", external_id.title())
        return Author(network=network, external_id=external_id, **values)

    @classmethod
    def post(
        cls,
        external_id,
        author=None,
        network="mastodon",
        content="Acme rocks",
        **values,
    ):
        values.setdefault("posted_at", cls.now - timedelta(hours=1))
        return Post(
            network=network,
            external_id=external_id,
            content=content,
            author=author,
            **values,
        )

    @classmethod
    def ingest(cls, *posts, source=None):
        return cls.env["social.mention"]._ingest_page(
            source or cls.source, Page(posts=list(posts))
        )

    @classmethod
    def mention(cls, external_id, network="mastodon"):
        return cls.env["social.mention"].search(
            [("network", "=", network), ("external_id", "=", external_id)]
        )

    @classmethod
    def identity(cls, external_id, network="mastodon"):
        return cls.env["social.identity"].search(
            [("network", "=", network), ("external_id", "=", external_id)]
        )

    def routing_wizard(self, mentions, user=None):
        """The confirmation *Apply Routing Rules* opens on ``mentions``."""
        action = mentions.with_user(user or self.env.user).action_apply_routing_rules()
        Wizard = self.env[action["res_model"]].with_user(user or self.env.user)
        return Form(Wizard.with_context(**action["context"])).save()

    def apply_rules(self, mentions, user=None):
        """Apply the routing rules on ``mentions`` as the UI does: confirmed."""
        wizard = self.routing_wizard(mentions, user=user)
        wizard.action_confirm()
        return wizard
