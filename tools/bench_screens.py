#!/usr/bin/env python3
"""Time the managers' screens as the web client loads them (a benchmark, not a test).

Runs on the database ``tools/bench_influence.py`` leaves behind (1,000,000
mentions by 100,000 identities; it is kept after the run, and made anew by
the next one), or on one it fills itself with ``--fill N`` (N mentions by
N / 10 identities, the same seed, then one influence recomputation)::

    cd /work/main && ~/.cache/social_crm/venv/bin/python tools/bench_influence.py
    ~/.cache/social_crm/venv/bin/python tools/bench_screens.py
    ~/.cache/social_crm/venv/bin/python tools/bench_screens.py \\
        --db social_crm_bench_screens_10m --fill 10000000

Once per database (remembered in an ``ir.config_parameter``), the seeded
mentions are made to look handled, in set-based SQL: a tenth name a
competitor, a tenth both the brand and a competitor, a tenth neither; each
gets one of the ten built-in categories in turn and the English language;
four in five of those older than two days have left "New" (replied,
ignored, or in progress) 30 minutes to two days after their post, with the
state change tracked as the chatter does it (a ``mail.message`` and its
``mail.tracking.value``). Then the company's brand and competitor terms are
written through the ORM, as a manager does in the settings: that write's
time is printed too. Last, the mentions are put in the order of their post
dates, as ingestion appends them (CLUSTER), and the tables vacuumed.

Each screen replays, as the administrator and in the user's context, the
calls the web client makes when the screen opens, with the fields
specification it builds from the view (every ``<field>`` of the arch;
many2one as ``display_name``; x2many with their sub-list's fields, limit and
order): ``web_search_read`` of 80 rows with its count up to 10,000 for the
lists, ``web_read_group`` on the state then ``web_search_read`` of 40 rows per
open column for the kanban, ``web_read`` for the forms, the pivot's four
``read_group`` (total, rows, columns, cells) and the graph's
``web_read_group`` by day and sentiment, and the HTML of the PDF summary of
the last 30 days (what wkhtmltopdf is given, without wkhtmltopdf). Lists,
kanban and analysis open with their actions' default filters (the inbox
"To Handle", the analysis "Last 30 Days"); the analysis is also timed over
all time, as when the user removes its filter (no target: not what the
screen opens on). The contact form is the contact with the most mentions;
the mention form the first mention of the inbox.

Printed: the median server time of ``--runs`` runs (each with the ORM cache
emptied, PostgreSQL's warm) and the SQL queries of one run, slowest first,
against the target: 0.3 s a screen (1 s for the PDF); the exit status is 1
when a screen misses it.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parent.parent
HOME = Path(os.environ.get("SOCIAL_CRM_HOME", Path.home() / ".cache" / "social_crm"))
DEFAULT_ADDONS = f"{REPO},{HOME / 'odoo' / 'odoo' / 'addons'}"
PREPARED = "social_crm.bench_screens_prepared"
TARGET = 0.3
TARGET_PDF = 1.0
#: What the web client asks by default (web/static/src/model/relational_model).
LIST_LIMIT = 80
KANBAN_LIMIT = 40
X2MANY_LIMIT = 40
COUNT_LIMIT = 10_000 + 1
BRAND_TERMS = "Acme, AcmeCloud"
COMPETITOR_TERMS = "Globex, Initech"
TAG_WIDGETS = {"many2many_tags", "many2many_avatar_user", "many2many_checkboxes"}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="social_crm_bench_influence")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--fill",
        type=int,
        metavar="MENTIONS",
        help="make the database anew from --template with this many mentions",
    )
    parser.add_argument("--template", default="social_crm_bench_screens_tpl")
    parser.add_argument("--reinstall", action="store_true", help="remake the template")
    parser.add_argument("--addons-path", default=DEFAULT_ADDONS)
    parser.add_argument(
        "--only", help="comma-separated screen names (as printed) to time alone"
    )
    return parser.parse_args()


# --------------------------------------------------------------------- data
def fill(args):
    """A database of ``args.fill`` mentions, as bench_influence.py seeds it."""
    from bench_database import prepare_databases
    from bench_influence import seed

    import odoo
    from odoo import SUPERUSER_ID, api

    prepare_databases(args)
    registry = odoo.modules.registry.Registry(args.db)
    with registry.cursor() as cr:
        started = time.perf_counter()
        seed(cr, max(args.fill // 10, 1), args.fill)
        cr.commit()
        print(f"Seeded {args.fill} mentions in {time.perf_counter() - started:.0f} s")
        started = time.perf_counter()
        api.Environment(cr, SUPERUSER_ID, {})["social.influence.score"]._recompute_all()
        cr.commit()
        print(f"Influence computed in {time.perf_counter() - started:.0f} s")


def prepare(env):
    """Handled mentions, tracked state changes and the company's terms (once)."""
    cr = env.cr
    if env["ir.config_parameter"].sudo().get_param(PREPARED):
        return
    print("Preparing the mentions (once per database)…", flush=True)
    started = time.perf_counter()
    cr.execute("SELECT array_agg(id ORDER BY sequence, id) FROM social_category")
    (categories,) = cr.fetchone()
    cr.execute(
        """
        UPDATE social_mention
           SET content = CASE id %% 10
                   WHEN 0 THEN 'Globex bench mention ' || id
                   WHEN 1 THEN 'Acme or Globex? bench mention ' || id
                   WHEN 2 THEN 'Nothing to see here, bench mention ' || id
                   ELSE content END,
               category_id = (%(categories)s::int[])[id %% %(n)s + 1],
               lang = 'en',
               state = CASE WHEN posted_at > now() at time zone 'utc'
                                             - interval '2 days'
                              OR id %% 5 = 4 THEN 'new'
                            WHEN id %% 5 = 3 THEN 'in_progress'
                            WHEN id %% 5 = 2 THEN 'ignored'
                            ELSE 'replied' END
        """,
        {"categories": categories, "n": len(categories)},
    )
    labels = dict(env["social.mention"]._fields["state"].selection)
    state_field = env["ir.model.fields"]._get("social.mention", "state")
    note = env.ref("mail.mt_note")
    author = env.ref("base.partner_root")
    cr.execute(
        """
        CREATE TEMPORARY TABLE bench_change ON COMMIT DROP AS
        SELECT id AS mention_id, state,
               posted_at + interval '30 minutes'
                         + random() * interval '47 hours 30 minutes' AS date,
               nextval('mail_message_id_seq') AS message_id
          FROM social_mention
         WHERE state <> 'new'
        """
    )
    cr.execute(
        """
        INSERT INTO mail_message (id, model, res_id, message_type, subtype_id,
                                  author_id, date, body, create_uid, write_uid,
                                  create_date, write_date)
        SELECT message_id, 'social.mention', mention_id, 'notification', %s, %s,
               date, '', 1, 1, date, date
          FROM bench_change
        """,
        [note.id, author.id],
    )
    cr.execute(
        """
        INSERT INTO mail_tracking_value (field_id, old_value_char, new_value_char,
                                         mail_message_id, create_uid, write_uid,
                                         create_date, write_date)
        SELECT %s, %s, (%s::jsonb)->>state, message_id, 1, 1, date, date
          FROM bench_change
        """,
        [state_field.id, labels["new"], json.dumps(labels)],
    )
    if "first_action_date" in env["social.mention"]._fields:
        cr.execute(
            """
            UPDATE social_mention mention SET first_action_date = change.date
              FROM bench_change change WHERE change.mention_id = mention.id
            """
        )
    cr.execute("SELECT count(*) FROM bench_change")
    (changes,) = cr.fetchone()
    env["social.mention"].invalidate_model()
    print(
        f"  {changes} state changes tracked in {time.perf_counter() - started:.0f} s",
        flush=True,
    )
    company = env["res.company"].browse(env.company.id)
    started = time.perf_counter()
    company.write(
        {
            "social_brand_terms": BRAND_TERMS,
            "social_competitor_terms": COMPETITOR_TERMS,
        }
    )
    env.flush_all()
    elapsed = time.perf_counter() - started
    print(f"  brand and competitor terms written in {elapsed:.2f} s", flush=True)
    env["ir.config_parameter"].sudo().set_param(PREPARED, "1")
    cr.commit()


def settle(db):
    """Mentions in the order of their post dates, tables vacuumed and analyzed.

    Ingestion appends mentions as they come, so a real table is about in
    the order of the post dates; the seed's are in random order, and the
    preparation has rewritten every row. CLUSTER gives the first order back
    (and drops the dead rows), VACUUM ANALYZE what autovacuum would have
    done by now.
    """
    import odoo

    with odoo.sql_db.db_connect(db).cursor() as cr:
        cr._cnx.autocommit = True
        cr.execute("CLUSTER social_mention USING social_mention__posted_at_index")
        for table in ("social_mention", "social_identity", "mail_message"):
            cr.execute(f"VACUUM ANALYZE {table}")


# --------------------------------------------------------------------- views
def view_spec(env, model, view_type, view_id=False):
    """The fields specification the web client sends for a view."""
    result = env[model].get_views([(view_id, view_type)])
    arch = etree.fromstring(result["views"][view_type]["arch"])
    models = {name: info["fields"] for name, info in result["models"].items()}
    spec = arch_spec(env, model, arch, models)
    if view_type == "form":
        spec.setdefault("display_name", {})
    return spec, arch


def _fields_of(node):
    """The ``<field>`` nodes of a view, not those of its x2many sub-views."""
    for child in node:
        if not isinstance(child.tag, str):
            continue
        if child.tag == "field":
            yield child
        else:
            yield from _fields_of(child)


def arch_spec(env, model, arch, models):
    fields_info = models.get(model) or env[model].fields_get()
    spec = {}
    for node in _fields_of(arch):
        name = node.get("name")
        info = fields_info.get(name)
        if not info:
            continue
        if info["type"] in ("many2one", "reference"):
            spec[name] = {"fields": {"display_name": {}}}
        elif info["type"] in ("one2many", "many2many"):
            spec[name] = x2many_spec(env, node, info, models)
        else:
            spec[name] = {}
    return spec


def x2many_spec(env, node, info, models):
    comodel = info["relation"]
    if node.get("widget") in TAG_WIDGETS:
        return {"fields": {"display_name": {}}}
    sub = next((child for child in node if child.tag in ("list", "kanban")), None)
    if sub is None:  # the client loads the comodel's default list
        _spec, sub = view_spec(env, comodel, "list")
    return {
        "fields": arch_spec(env, comodel, sub, models),
        "limit": int(node.get("limit") or sub.get("limit") or X2MANY_LIMIT),
        "order": sub.get("default_order") or "",
    }


def action_domain(env, xmlid):
    """The action's domain and the domains of its default filters."""
    from dateutil.relativedelta import relativedelta

    from odoo import fields
    from odoo.tools.safe_eval import datetime, safe_eval

    action = env.ref(xmlid)
    values = {
        "uid": env.uid,
        "context_today": lambda: fields.Date.context_today(env.user),
        "relativedelta": relativedelta,
        "datetime": datetime,
    }
    context = safe_eval(action.context or "{}", values)
    domain = safe_eval(action.domain or "[]", values)
    search = env[action.res_model].get_views([(action.search_view_id.id, "search")])[
        "views"
    ]["search"]["arch"]
    for node in etree.fromstring(search).iter("filter"):
        if context.get(f"search_default_{node.get('name')}") and node.get("domain"):
            domain += safe_eval(node.get("domain"), values)
    return domain


# --------------------------------------------------------------------- screens
def screens(env):
    """``{name: (target, callable)}``: what opening each screen asks the server."""
    Mention = env["social.mention"].with_context(bin_size=True)
    Identity = env["social.identity"].with_context(bin_size=True)
    Partner = env["res.partner"].with_context(bin_size=True)
    Report = env["social.mention.report"]
    inbox = action_domain(env, "social_crm.social_mention_action")
    analysis = action_domain(env, "social_crm.social_mention_report_action")
    list_spec, _arch = view_spec(env, "social.mention", "list")
    kanban_spec, kanban_arch = view_spec(env, "social.mention", "kanban")
    form_spec, _arch = view_spec(env, "social.mention", "form")
    identity_spec, _arch = view_spec(env, "social.identity", "list")
    identity_form_spec, _arch = view_spec(env, "social.identity", "form")
    partner_spec, _arch = view_spec(env, "res.partner", "form")
    influence_view = env.ref("social_crm.res_partner_view_list_influence")
    influence_spec, influence_arch = view_spec(
        env, "res.partner", "list", influence_view.id
    )
    influence_domain = action_domain(env, "social_crm.res_partner_action_influence")
    mention_id = Mention.search(inbox, limit=1).id
    env.cr.execute(
        "SELECT partner_id FROM social_mention WHERE partner_id IS NOT NULL"
        " GROUP BY partner_id ORDER BY count(*) DESC LIMIT 1"
    )
    partner_id = env.cr.fetchone()[0]
    env.cr.execute(
        "SELECT identity_id FROM social_mention WHERE identity_id IS NOT NULL"
        " GROUP BY identity_id ORDER BY count(*) DESC LIMIT 1"
    )
    identity_id = env.cr.fetchone()[0]
    group_by = kanban_arch.get("default_group_by")

    def kanban():
        columns = Mention.web_read_group(
            inbox, [], [group_by], limit=None, lazy=True, orderby=""
        )
        for column in columns["groups"]:
            if column[f"{group_by}_count"]:
                Mention.web_search_read(
                    column["__domain"],
                    kanban_spec,
                    limit=KANBAN_LIMIT,
                    count_limit=COUNT_LIMIT,
                )

    def pivot(domain):
        for groupby in ([], ["network"], ["sentiment"], ["network", "sentiment"]):
            Report.read_group(domain, ["nbr:sum"], groupby, lazy=False)

    def graph(domain):
        Report.with_context(fill_temporal=True).web_read_group(
            domain, ["__count", "nbr:sum"], ["date:day", "sentiment"], lazy=False
        )

    def summary():
        wizard = env["social.crm.summary.wizard"].create({})
        env["ir.actions.report"]._render_qweb_html(
            "social_crm.social_crm_summary_report_action",
            wizard.ids,
            data=wizard._report_data(),
        )

    return {
        "inbox list": (
            TARGET,
            lambda: Mention.web_search_read(
                inbox, list_spec, limit=LIST_LIMIT, count_limit=COUNT_LIMIT
            ),
        ),
        "inbox count (pager)": (TARGET, lambda: Mention.search_count(inbox)),
        "inbox kanban": (TARGET, kanban),
        "mention form": (
            TARGET,
            lambda: Mention.browse(mention_id).web_read(form_spec),
        ),
        "contact form": (
            TARGET,
            lambda: Partner.browse(partner_id).web_read(partner_spec),
        ),
        "identity list": (
            TARGET,
            lambda: Identity.web_search_read(
                [], identity_spec, limit=LIST_LIMIT, count_limit=COUNT_LIMIT
            ),
        ),
        "identity form": (
            TARGET,
            lambda: Identity.browse(identity_id).web_read(identity_form_spec),
        ),
        "contacts' influence list": (
            TARGET,
            lambda: Partner.web_search_read(
                influence_domain,
                influence_spec,
                limit=LIST_LIMIT,
                order=influence_arch.get("default_order") or "",
                count_limit=COUNT_LIMIT,
            ),
        ),
        "analysis pivot": (TARGET, lambda: pivot(analysis)),
        "analysis graph": (TARGET, lambda: graph(analysis)),
        "analysis pivot, all time": (None, lambda: pivot([])),
        "analysis graph, all time": (None, lambda: graph([])),
        "summary PDF (HTML)": (TARGET_PDF, summary),
    }


def measure(registry, uid, runs, only):
    from odoo import api

    timings = {}
    with registry.cursor() as cr:
        env = api.Environment(cr, uid, {})
        env = env(context=env.user.context_get())
        todo = screens(env)
        if only:
            todo = {name: todo[name] for name in only}
        for name, (target, call) in todo.items():
            times = []
            for _run in range(runs):
                env.invalidate_all()
                queries = cr.sql_log_count
                started = time.perf_counter()
                call()
                times.append(time.perf_counter() - started)
                queries = cr.sql_log_count - queries
                cr.rollback()
            timings[name] = (statistics.median(times), target, queries)
    return timings


def main():
    args = parse_args()
    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.tools import config

    if args.fill:
        fill(args)
    else:
        config.parse_config(
            [
                f"--addons-path={args.addons_path}",
                f"--database={args.db}",
                "--log-level=warn",
                "--max-cron-threads=0",
            ]
        )
    registry = odoo.modules.registry.Registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        cr.execute("SELECT count(*) FROM social_mention")
        (mentions,) = cr.fetchone()
        cr.execute("SELECT count(*) FROM social_identity")
        (identities,) = cr.fetchone()
        was_prepared = env["ir.config_parameter"].get_param(PREPARED)
        prepare(env)
        uid = env.ref("base.user_admin").id
    if not was_prepared:
        settle(args.db)
    print(f"{args.db}: {mentions:,} mentions, {identities:,} identities")
    only = args.only.split(",") if args.only else None
    timings = measure(registry, uid, args.runs, only)
    failed = False
    print(f"{'screen':<28} {'median':>8}  queries  target")
    for name, (seconds, target, queries) in sorted(
        timings.items(), key=lambda item: -item[1][0]
    ):
        if target is None:
            verdict = "(no target: not what the screen opens on)"
        else:
            verdict = "ok" if seconds < target else f"OVER {target} s"
            failed |= seconds >= target
        print(f"{name:<28} {seconds:7.3f} s  {queries:7}  {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
