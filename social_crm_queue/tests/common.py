from datetime import timedelta

from odoo import fields
from odoo.tests import common as odoo_common

# queue_job 18.0.4's test helpers register themselves in Odoo's
# odoo.tests.common.SETATTR_SOURCES, which Odoo 18.0 builds from before
# late 2025 lack (nothing there would read it): give them an empty one.
if not hasattr(odoo_common, "SETATTR_SOURCES"):
    odoo_common.SETATTR_SOURCES = {}

from odoo.addons.queue_job.tests.common import trap_jobs  # noqa: E402, F401
from odoo.addons.social_crm.tests.common import SocialCrmCase  # noqa: E402
from odoo.addons.social_crm.tests.http_server import LocalServerCase  # noqa: E402
from odoo.addons.social_crm.tests.test_source_fetch import ITEMS, rss  # noqa: E402

from ..models.social_influence_score import INFLUENCE_JOB_KEY  # noqa: E402
from ..models.social_source import ENABLED_PARAM  # noqa: E402

#: Two feeds without a post in common (a company holds a post once).
GOOD_FEED = rss(*ITEMS[:2])
OTHER_FEED = rss(
    *((f"other-{guid}", title, author, date) for guid, title, author, date in ITEMS)
)


class QueueCase(SocialCrmCase):
    """The queue path on, and fetch jobs runnable in the test's transaction.

    The queue path is forced by the system parameter: the test server loads
    no job runner, so the automatic choice would be the cron path.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The fetch job allows commits, so queue_job runs it in a cursor of
        # its own (Job.in_temporary_env): in test mode that cursor is a
        # TestCursor on this test's transaction, its commit a savepoint.
        cls.registry.enter_test_mode(cls.cr)
        cls.addClassCleanup(cls.registry.leave_test_mode)
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("social_crm.allowed_private_hosts", "127.0.0.1")
        params.set_param(ENABLED_PARAM, "1")


class SocialCrmQueueCase(LocalServerCase, QueueCase):
    """Two due RSS sources and one not due, on the local server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Source = cls.env["social.source"]
        # Sources of other tests or of the demo data must not take part.
        Source.search([]).write({"next_run": fields.Datetime.now() + timedelta(days=7)})
        cls.good, cls.bad, cls.later = Source.create(
            [
                {
                    "name": name,
                    "connector": "rss",
                    "query": cls.server.url(path),
                    "interval_minutes": 10,
                }
                for name, path in (
                    ("Good feed", "/good.xml"),
                    ("Bad feed", "/bad.xml"),
                    ("Later feed", "/later.xml"),
                )
            ]
        )
        cls.due = fields.Datetime.now() - timedelta(minutes=1)

    def setUp(self):
        super().setUp()
        (self.good | self.bad).write({"next_run": self.due, "cursor": False})
        self.later.next_run = fields.Datetime.now() + timedelta(hours=1)

    def pending_jobs(self, key):
        """The jobs waiting under identity key ``key``, in the database."""
        return self.env["queue.job"].search(
            [("identity_key", "=", key), ("state", "in", ("pending", "enqueued"))]
        )

    def influence_jobs(self):
        return self.pending_jobs(INFLUENCE_JOB_KEY)

    def mentions(self, source):
        return self.env["social.mention"].search([("source_id", "=", source.id)])
