import logging
import time
from datetime import timedelta

from odoo import _, api, fields, models, modules
from odoo.exceptions import ValidationError
from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

from ..connectors import CONNECTORS, REPLIERS
from ..connectors.base import ConnectorError, Page
from ..connectors.http import DEFAULT_USER_AGENT, HttpClient
from ..connectors.reply import NoApiReplier, ReplyCredentials
from ..connectors.reply_length import reply_limit
from ..utils.window_action import filtered_window_action
from .social_source_fetch_log import MAX_LOG_WARNINGS

_logger = logging.getLogger(__name__)

#: At most this many pages of one source in one run, so one busy source
#: cannot starve the others; the rest comes at the next run.
MAX_PAGES_PER_RUN = 20
#: Posts written together by one call of ``social.mention._ingest_page``.
INGEST_BATCH_POSTS = 800
#: Seconds a cron run may spend before leaving the remaining due sources
#: to its next trigger (the worker's limit_time_real is 120 s by default).
DEFAULT_CRON_TIME_BUDGET = 90
#: Warnings of the last fetch kept on the source.
MAX_WARNINGS_KEPT = 20
#: Context key saying what runs a fetch, for its log: "manual" (Fetch Now),
#: "job" (a queue job); the scheduled action otherwise.
FETCH_ORIGIN = "social_crm_fetch_origin"
#: The posting credentials, ``reply_<name>`` fields of ReplyCredentials.<name>.
CREDENTIAL_FIELDS = (
    "login",
    "password",
    "token",
    "refresh_token",
    "client_id",
    "client_secret",
)
#: Seconds the composer waits for a Mastodon instance's length limit.
INSTANCE_TIMEOUT = 5
#: Longest back-off after repeated failures.
MAX_BACKOFF = timedelta(days=1)


class DemoReplier(NoApiReplier):
    network = "demo"
    label = "Demo"


_lt = LazyTranslate(__name__)

#: The connectors' labels that are words rather than names, translated in the
#: Odoo layer (the connector classes are plain Python, without translations).
CONNECTOR_LABELS = {
    "rss": _lt("RSS / Atom feed"),
    "hackernews": _lt("Hacker News (Algolia)"),
    "x": _lt("X (Twitter)"),
    "demo": _lt("Demo (offline sample data)"),
}


class SocialSource(models.Model):
    """A place mentions come from: one connector with its query and credentials.

    Fetching goes one way only: the connector returns normalized pages, and
    ``social.mention._ingest_page`` writes them. A source is fetched by the
    cron (``_cron_fetch_mentions``) or by "Fetch now"; both take the source's
    row with ``FOR UPDATE SKIP LOCKED`` so no two workers fetch it at once.
    """

    _name = "social.source"
    _description = "Social Listening Source"
    _order = "sequence, name, id"

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    connector = fields.Selection(
        # RSS/Atom: works with a URL alone; the demo feed is for trying out.
        selection="_selection_connector",
        required=True,
        default="rss",
    )
    query = fields.Char(
        help="Keywords, a #hashtag or an @account to watch; for Reddit, "
        "r/subreddit (after optional keywords) watches the subreddit's comments; "
        "for RSS, the feed URL.",
    )
    base_url = fields.Char(
        string="Base URL",
        help="API or feed root; leave empty for the network's default. "
        "Set it for self-hosted instances (e.g. your Mastodon server).",
    )
    base_url_placeholder = fields.Char(
        string="Default Base URL", compute="_compute_base_url_placeholder"
    )
    login = fields.Char(
        help="Handle, account or client id, where the network needs one.",
        groups="social_crm.group_social_crm_manager",
    )
    token = fields.Char(
        help="Secret: API token, app password or client secret. "
        "Only managers can read it; it is sent only to this source's host.",
        groups="social_crm.group_social_crm_manager",
        copy=False,
    )
    # Posting credentials: an account allowed to write, which reading often
    # does not need. Managers only; each is sent only to the posting host.
    reply_base_url = fields.Char(
        string="Posting URL",
        help="API root of the posting account, if not the base URL (e.g. the "
        "Mastodon instance your brand account lives on).",
        groups="social_crm.group_social_crm_manager",
    )
    reply_login = fields.Char(
        string="Posting Login",
        help="Bluesky: the handle; Reddit: the account's username. "
        "Empty: the login above.",
        groups="social_crm.group_social_crm_manager",
    )
    reply_password = fields.Char(
        string="Posting Password",
        help="Bluesky: an app password; Reddit: the account's password.",
        groups="social_crm.group_social_crm_manager",
        copy=False,
    )
    reply_token = fields.Char(
        string="Posting Token",
        help="Mastodon: a token with the write:statuses scope; X: an OAuth 2.0 "
        "user access token (tweet.write); VK: a user token with the wall scope. "
        "Empty for Mastodon and VK: the token above.",
        groups="social_crm.group_social_crm_manager",
        copy=False,
    )
    reply_refresh_token = fields.Char(
        string="Posting Refresh Token",
        help="X: renews the posting token when it expires; Reddit: an account's "
        "refresh token, instead of its username and password.",
        groups="social_crm.group_social_crm_manager",
        copy=False,
    )
    reply_client_id = fields.Char(
        string="Posting Client ID",
        help="Reddit: the script app's client id (empty: the login above); X: "
        "the OAuth 2.0 client id, to renew the token.",
        groups="social_crm.group_social_crm_manager",
    )
    reply_client_secret = fields.Char(
        string="Posting Client Secret",
        help="Reddit: the script app's secret (empty: the token above); X: the "
        "client secret of a confidential client.",
        groups="social_crm.group_social_crm_manager",
        copy=False,
    )
    reply_char_limit = fields.Integer(
        string="Reply Length Limit",
        readonly=True,
        copy=False,
        help="The longest reply the posting instance takes, as it announced "
        "(Mastodon); read again when emptied.",
    )
    active = fields.Boolean(default=True)
    interval_minutes = fields.Integer(
        string="Interval (minutes)",
        default=15,
        help="How often the scheduled action fetches this source.",
    )
    next_run = fields.Datetime(
        default=fields.Datetime.now,
        index=True,
        copy=False,
        help="The scheduled action fetches the source once this time is reached.",
    )
    cursor = fields.Char(
        copy=False,
        help="Where the last fetch stopped, in the network's own terms.",
    )
    state = fields.Selection(
        [("ok", "OK"), ("error", "Error")], default="ok", required=True, copy=False
    )
    last_error = fields.Text(copy=False, readonly=True)
    last_warning = fields.Text(
        copy=False,
        readonly=True,
        help="What the last fetch noticed without failing, e.g. unreadable dates "
        "replaced by the fetch time.",
    )
    failure_count = fields.Integer(copy=False, readonly=True)
    last_fetch = fields.Datetime(copy=False, readonly=True)
    last_new_count = fields.Integer(
        string="New in last fetch", copy=False, readonly=True
    )
    mention_ids = fields.One2many("social.mention", "source_id")
    mention_count = fields.Integer(compute="_compute_mention_count")
    fetch_log_ids = fields.One2many("social.source.fetch.log", "source_id")
    fetch_log_count = fields.Integer(
        string="Fetches", compute="_compute_fetch_log_count"
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Default Sales Team",
        help="Given to the mentions this source brings in.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Default Responsible",
        help="Given to the mentions this source brings in.",
    )

    _sql_constraints = [
        (
            "interval_positive",
            "CHECK(interval_minutes > 0)",
            "The fetch interval must be at least one minute.",
        ),
    ]

    @api.model
    def _get_connector_classes(self):
        """``{connector code: Connector class}``: where sources read from.

        The extension point for a network: an addon inherits this method and
        adds its class (and ``selection_add`` on the ``network`` of
        ``social.mention`` and ``social.identity`` for what it brings), as
        ``test_social_crm_network`` does.
        """
        return dict(CONNECTORS)

    @api.model
    def _get_replier_classes(self):
        """``{network: Replier class}``: how replies are posted there."""
        return dict(REPLIERS)

    @api.model
    def _selection_connector(self):
        lang = self.env.lang
        return [
            (
                code,
                CONNECTOR_LABELS[code]._translate(lang)
                if code in CONNECTOR_LABELS
                else cls.label,
            )
            for code, cls in self._get_connector_classes().items()
        ]

    def _compute_mention_count(self):
        counts = dict(
            self.env["social.mention"]._read_group(
                [("source_id", "in", self.ids)], ["source_id"], ["__count"]
            )
        )
        for source in self:
            source.mention_count = counts.get(source, 0)

    @api.depends("connector")
    def _compute_base_url_placeholder(self):
        """What an empty base URL means for the connector: its default host."""
        classes = self._get_connector_classes()
        for source in self:
            connector = classes.get(source.connector)
            default = connector.default_base_url if connector else ""
            source.base_url_placeholder = (
                _("Default: %s", default)
                if default
                else _("Not needed: the query says where to read")
            )

    def _compute_fetch_log_count(self):
        counts = dict(
            self.env["social.source.fetch.log"]._read_group(
                [("source_id", "in", self.ids)], ["source_id"], ["__count"]
            )
        )
        for source in self:
            source.fetch_log_count = counts.get(source, 0)

    @api.constrains("base_url")
    def _check_base_url(self):
        for source in self.filtered("base_url"):
            if source.connector == "demo":
                continue
            if not source.base_url.lower().startswith(("http://", "https://")):
                raise ValidationError(
                    _(
                        "The base URL of %(name)s must start with http:// or https://.",
                        name=source.name,
                    )
                )

    # ------------------------------------------------------------------ actions
    def action_view_mentions(self):
        self.ensure_one()
        return filtered_window_action(
            self.env,
            "social_crm.social_mention_action",
            [("source_id", "=", self.id)],
            {"default_source_id": self.id},
        )

    def action_view_fetch_logs(self):
        self.ensure_one()
        return filtered_window_action(
            self.env,
            "social_crm.social_source_fetch_log_action",
            [("source_id", "=", self.id)],
        )

    def action_fetch_now(self):
        """Fetch the sources at once, skipping any that another worker holds."""
        total_new = 0
        skipped = self.browse()
        failed = self.browse()
        for source in self:
            if not source._try_lock():
                skipped |= source
                continue
            stats = source.with_context(**{FETCH_ORIGIN: "manual"})._fetch()
            total_new += stats["new"]
            if stats["error"]:
                failed |= source
        if total_new:
            self._trigger_influence_recompute()
        if failed and len(self) == 1:
            message, kind = _("Fetch failed: %s", failed.last_error), "danger"
        elif skipped and len(self) == 1:
            message, kind = (
                _("Another worker is fetching this source right now."),
                "warning",
            )
        else:
            message, kind = _("%s new mentions.", total_new), "success"
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Fetch now"),
                "message": message,
                "type": kind,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_reset_cursor(self):
        """Forget where the last fetch stopped: the next fetch starts over."""
        self.write({"cursor": False, "state": "ok", "failure_count": 0})

    # ------------------------------------------------------------------ fetching
    def _write_pages(self, pages, warnings, stats=None):
        """Write fetched pages in one batch with the cursor of the last one.

        Returns the number of new mentions; appends the pages' warnings and
        adds the posts already here to ``stats["duplicates"]``.
        """
        posts = [post for page in pages for post in page.posts]
        cursor = next(
            (page.cursor for page in reversed(pages) if page.cursor is not None),
            None,
        )
        with self.env.cr.savepoint():
            result = self.env["social.mention"]._ingest_page(
                self, Page(posts=posts, cursor=cursor)
            )
            if cursor is not None:
                self.cursor = cursor
        if stats is not None:
            stats["duplicates"] = stats.get("duplicates", 0) + result["duplicates"]
        for page in pages:
            warnings += page.warnings
        warnings += [w for post in posts for w in post.warnings]
        return result["new"]

    def _try_lock(self):
        """Take this source's row lock without waiting; False if held elsewhere."""
        self.ensure_one()
        self.env.cr.execute(
            "SELECT id FROM social_source WHERE id = %s FOR UPDATE SKIP LOCKED",
            [self.id],
        )
        return bool(self.env.cr.fetchone())

    def _lock_next_due(self, exclude_ids=(), now=None, among_ids=None):
        """Lock and return the due source that waited longest, or an empty set.

        Sources another worker holds are skipped, not waited for.
        ``among_ids`` limits the candidates to these sources (a queue job
        fetching one source takes its lock this way, as the cron would).
        """
        self.flush_model(["active", "next_run"])
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM social_source
                 WHERE active AND next_run <= %s
                   AND NOT (id = ANY(%s))
                   %s
                 ORDER BY next_run, id
                 LIMIT 1
                   FOR UPDATE SKIP LOCKED
                """,
                now or fields.Datetime.now(),
                list(exclude_ids),
                SQL("AND id = ANY(%s)", list(among_ids))
                if among_ids is not None
                else SQL(),
            )
        )
        row = self.env.cr.fetchone()
        return self.browse(row[0] if row else [])

    def _count_due(self, exclude_ids=()):
        return self.search_count(
            [
                ("next_run", "<=", fields.Datetime.now()),
                ("id", "not in", list(exclude_ids)),
            ]
        )

    @api.model
    def _cron_fetch_mentions(self, time_budget=None):
        """Fetch every due source, one transaction each, within a time budget.

        Each source is locked with SKIP LOCKED, fetched, and committed on its
        own, so a failing source never undoes another's work and a crash
        loses at most the source in hand (its cursor did not move, so the
        next run fetches the same page again and dedup drops what exists).
        What remains when the budget runs out is left to the next trigger,
        which ``_notify_progress`` asks for at once.
        """
        if time_budget is None:
            time_budget = int(
                self.env["ir.config_parameter"]
                .sudo()
                .get_param("social_crm.cron_time_budget", DEFAULT_CRON_TIME_BUDGET)
            )
        started = time.monotonic()
        done_ids = []
        new = 0
        while time.monotonic() - started < time_budget:
            source = self._lock_next_due(exclude_ids=done_ids)
            if not source:
                break
            new += source._fetch()["new"]
            done_ids.append(source.id)
            self._commit_source()
        if new:
            self._trigger_influence_recompute()
        self.env["ir.cron"]._notify_progress(
            done=len(done_ids), remaining=self._count_due(exclude_ids=done_ids)
        )
        return done_ids

    def _trigger_influence_recompute(self):
        """New mentions move influence: have the influence cron run soon.

        Scores are relative to each network's most influential author, so they
        are recomputed for everyone at once, by that cron in its own worker,
        rather than for the new authors inside the fetch.
        """
        cron = self._influence_cron()
        if cron:
            cron._trigger()

    def _influence_cron(self):
        """The influence recomputation's scheduled action, if it is active.

        Deactivating it stops the recomputations that new mentions ask for.
        """
        cron = self.sudo().env.ref(
            "social_crm.ir_cron_social_recompute_influence",
            raise_if_not_found=False,
        )
        return cron if cron and cron.active else self.env["ir.cron"]

    def _commit_source(self):
        # One transaction per source: commit what this source brought, and
        # release its row lock, before taking the next one. Tests run inside
        # one transaction that they roll back, so they must not commit; there
        # the per-source savepoint in _fetch gives the same all-or-nothing.
        if not modules.module.current_test:
            self.env.cr.commit()  # pylint: disable=invalid-commit

    def _http_client(self):
        params = self.env["ir.config_parameter"].sudo()
        allowed = params.get_param("social_crm.allowed_private_hosts", "")
        return HttpClient(
            user_agent=DEFAULT_USER_AGENT,
            allowed_private_hosts=tuple(
                host.strip()
                for host in allowed.replace(";", ",").split(",")
                if host.strip()
            ),
        )

    # ------------------------------------------------------------------ replying
    def _reply_http_client(self):
        """The client of a reply: no retry, so that nothing is posted twice.

        Its read timeout is ``social_crm.reply_timeout`` seconds (30).
        """
        client = self._http_client()
        timeout = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("social_crm.reply_timeout", "30")
        )
        client.timeout = (client.timeout[0], float(timeout or 30))
        client.retries = 0
        client.max_retry_after = 0
        return client

    def _replier_class(self, network):
        """The replier of ``network`` (an addon adding a network extends it).

        The demo feed's posts are on no network: they are replied to by hand.
        """
        if self.connector == "demo":
            return DemoReplier
        return self._get_replier_classes().get(network)

    def _reply_credentials(self, replier_class):
        """The posting credentials, reading ones filling what the network allows."""
        self.ensure_one()
        source = self.sudo()
        values = {
            name: getattr(source, f"reply_{name}") or "" for name in CREDENTIAL_FIELDS
        }
        reading = {"login": source.login or "", "token": source.token or ""}
        for name, fallback in replier_class.fallback.items():
            values[name] = values[name] or reading[fallback]
        values["base_url"] = source.reply_base_url or source.base_url or ""
        return ReplyCredentials(**values)

    def _make_replier(self, network, http=None):
        """A replier for ``network`` with this source's posting credentials."""
        self.ensure_one()
        replier_class = self._replier_class(network)
        if replier_class is None:
            return None
        return replier_class(
            http or self._reply_http_client(), self._reply_credentials(replier_class)
        )

    def _reply_missing_fields(self, network):
        """The labels of the posting fields a manager must fill for ``network``."""
        with HttpClient() as http:
            replier = self._make_replier(network, http=http)
            missing = replier.missing_credentials() if replier else []
        labels = []
        for name in missing:
            field = self._fields[f"reply_{name}"]
            labels.append(field._description_string(self.env))
        return labels

    def _reply_limit(self, network):
        """The reply length limit on ``network`` (None: none), the instance's
        where the network has one (Mastodon).

        An instance's limit is asked once and kept on the source.
        """
        self.ensure_one()
        replier_class = self._replier_class(network)
        if replier_class is None or issubclass(replier_class, NoApiReplier):
            return None
        if not hasattr(replier_class, "instance_limit"):
            return reply_limit(network)
        source = self.sudo()
        if not source.reply_char_limit:
            # Asked when the composer opens: a short wait at most.
            with self._reply_http_client() as http:
                http.timeout = (http.timeout[0], INSTANCE_TIMEOUT)
                limit = self._make_replier(network, http=http).instance_limit()
            if limit:
                source.reply_char_limit = limit
        return reply_limit(network, source.reply_char_limit)

    def _store_renewed_credentials(self, renewed):
        """Keep the tokens a network renewed (the old ones may be void)."""
        if renewed:
            self.sudo().write(
                {f"reply_{name}": value for name, value in renewed.items()}
            )

    def _make_connector(self, http):
        self.ensure_one()
        source = self.sudo()
        connector_class = self._get_connector_classes().get(self.connector)
        if connector_class is None:
            raise ConnectorError(f"Unknown connector {self.connector!r}")
        return connector_class(
            http,
            query=source.query or "",
            base_url=source.base_url or "",
            login=source.login or "",
            token=source.token or "",
        )

    def _fetch(self):
        """Fetch this (locked) source page after page and write what it brings.

        Pages are written in batches of about :data:`INGEST_BATCH_POSTS`
        posts, so that the fixed cost of a write (a dozen queries, the rules
        read, the routing) is paid per batch and not per page of 40. Each
        batch is written with the cursor it advances to under one savepoint:
        its identities, its mentions and its cursor land together or not at
        all. When a fetch fails, the pages fetched before it are still
        written, then the error is recorded and the source backs off.
        """
        self.ensure_one()
        started, clock = fields.Datetime.now(), time.monotonic()
        stats = {"new": 0, "pages": 0, "duplicates": 0, "error": False}
        warnings = []
        connector = self._make_connector(self._http_client())
        cursor = self.cursor or None
        pending = []  # pages fetched and not yet written
        try:
            for number in range(1, MAX_PAGES_PER_RUN + 1):
                page = connector.fetch(cursor)
                pending.append(page)
                if page.cursor is not None:
                    cursor = page.cursor
                # A page may be empty (filtered) while the network has more.
                last = not page.has_more
                if (
                    last
                    or number == MAX_PAGES_PER_RUN
                    or sum(len(p.posts) for p in pending) >= INGEST_BATCH_POSTS
                ):
                    batch, pending = pending, []
                    stats["new"] += self._write_pages(batch, warnings, stats)
                    stats["pages"] += len(batch)
                if last:
                    break
        except ConnectorError as error:
            stats["error"] = str(error)
            # A network that says when to come back is believed.
            stats["retry_after"] = getattr(error, "retry_after", None)
        except Exception as error:  # one broken source must not stop the others
            _logger.exception("Social source %s (%s) failed", self.id, self.connector)
            stats["error"] = _("Unexpected error: %s", error)
        if pending:
            # Fetched before the failure: written, so the next run goes on
            # from there instead of asking for them again.
            try:
                stats["new"] += self._write_pages(pending, warnings, stats)
                stats["pages"] += len(pending)
            except Exception:
                _logger.exception("Social source %s: pages not written", self.id)
        now = fields.Datetime.now()
        if stats["error"]:
            failures = self.failure_count + 1
            backoff = min(
                timedelta(minutes=self.interval_minutes * 2 ** min(failures, 10)),
                MAX_BACKOFF,
            )
            if stats.get("retry_after"):
                backoff = min(timedelta(seconds=stats["retry_after"]), MAX_BACKOFF)
            _logger.warning(
                "Social source %s failed (%s times): %s",
                self.id,
                failures,
                stats["error"],
            )
            self.write(
                {
                    "state": "error",
                    "last_error": stats["error"],
                    "failure_count": failures,
                    "next_run": now + backoff,
                    "last_fetch": now,
                    "last_new_count": stats["new"],
                    "last_warning": "\n".join(warnings[:MAX_WARNINGS_KEPT]) or False,
                }
            )
        else:
            self.write(
                {
                    "state": "ok",
                    "last_error": False,
                    "failure_count": 0,
                    "next_run": now + timedelta(minutes=self.interval_minutes),
                    "last_fetch": now,
                    "last_new_count": stats["new"],
                    "last_warning": "\n".join(warnings[:MAX_WARNINGS_KEPT]) or False,
                }
            )
        self._log_fetch(started, time.monotonic() - clock, stats, warnings)
        return stats

    def _log_fetch(self, started, duration, stats, warnings):
        """The fetch's row in ``social.source.fetch.log`` (one insert)."""
        self.env["social.source.fetch.log"].sudo().create(
            {
                "source_id": self.id,
                "company_id": self.company_id.id,
                "started": started,
                "duration": duration,
                "origin": self.env.context.get(FETCH_ORIGIN) or "cron",
                "pages": stats["pages"],
                "new_count": stats["new"],
                "duplicate_count": stats.get("duplicates", 0),
                "warning_count": len(warnings),
                "warnings": "\n".join(warnings[:MAX_LOG_WARNINGS]) or False,
                "error": stats["error"] or False,
                "state": "error" if stats["error"] else "ok",
            }
        )
