from odoo import api, fields, models
from odoo.tools import SQL

#: Days a fetch log row is kept, unless the company says otherwise.
DEFAULT_FETCH_LOG_DAYS = 30
#: Warnings of one fetch kept on its log row.
MAX_LOG_WARNINGS = 50


class SocialSourceFetchLog(models.Model):
    """One fetch of a source: when, how long, what it brought, what went wrong.

    Written by ``social.source._fetch`` as it finishes, whichever path ran
    it (the scheduled action, *Fetch Now*, a queue job), one row per fetch;
    read-only for everyone. Rows older than the company's retention
    (``res.company.social_fetch_log_days``) are deleted by a daily cron.
    """

    _name = "social.source.fetch.log"
    _description = "Social Source Fetch Log"
    _order = "started desc, id desc"
    _rec_name = "started"

    source_id = fields.Many2one(
        "social.source", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one("res.company", required=True, index=True)
    started = fields.Datetime(required=True, index=True)
    duration = fields.Float(
        string="Duration (s)", digits=(10, 2), help="Seconds the fetch took."
    )
    origin = fields.Selection(
        [
            ("cron", "Scheduled"),
            ("manual", "Fetch Now"),
            ("job", "Queue Job"),
        ],
        default="cron",
        required=True,
    )
    pages = fields.Integer()
    new_count = fields.Integer(string="New")
    duplicate_count = fields.Integer(
        string="Duplicates", help="Posts read again that were already here."
    )
    warning_count = fields.Integer(string="Warnings")
    warnings = fields.Text(string="Warning Details")
    error = fields.Text()
    state = fields.Selection(
        [("ok", "OK"), ("error", "Error")], default="ok", required=True
    )

    @api.model
    def _cron_clean_fetch_logs(self):
        """Delete, in one statement, the rows older than their company keeps.

        A company keeping 0 days keeps its rows forever.
        """
        self.flush_model()
        self.env["res.company"].flush_model(["social_fetch_log_days"])
        self.env.cr.execute(
            SQL(
                """
                DELETE FROM social_source_fetch_log log
                 USING res_company company
                 WHERE company.id = log.company_id
                   AND COALESCE(company.social_fetch_log_days, %(days)s) > 0
                   AND log.started < (now() AT TIME ZONE 'UTC')
                       - make_interval(days => COALESCE(
                             company.social_fetch_log_days, %(days)s))
                """,
                days=DEFAULT_FETCH_LOG_DAYS,
            )
        )
        self.invalidate_model()
        return self.env.cr.rowcount
