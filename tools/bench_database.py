"""The scratch databases of the benchmark scripts (not a test).

A template database with ``social_crm`` (or the addons a benchmark names)
installed without demo data is made once (or anew on request) and copied for
every run, so that each run starts from the same state without reinstalling.
"""


def installed(db, module="social_crm"):
    """True when ``db`` exists with ``module`` installed."""
    import psycopg2

    from odoo.sql_db import connection_info_for

    try:
        connection = psycopg2.connect(**connection_info_for(db)[1])
    except psycopg2.OperationalError:
        return False
    try:
        with connection.cursor() as cr:
            cr.execute("SELECT state FROM ir_module_module WHERE name = %s", [module])
            row = cr.fetchone()
    except psycopg2.Error:
        row = None
    finally:
        connection.close()
    return bool(row and row[0] == "installed")


def drop(db):
    import odoo
    from odoo.service import db as db_service

    odoo.modules.registry.Registry.delete(db)
    odoo.sql_db.close_db(db)
    with odoo.sql_db.db_connect("postgres").cursor() as cr:
        cr._cnx.autocommit = True
        db_service._drop_conn(cr, db)
        cr.execute(f'DROP DATABASE IF EXISTS "{db}"')


def prepare_databases(args, modules=("social_crm",)):
    """Configure Odoo for ``args.db``, install ``modules`` in ``args.template``
    when needed (or asked), then copy it to ``args.db``."""
    import odoo
    from odoo.service import db as db_service
    from odoo.tools import config

    config.parse_config(
        [
            f"--addons-path={args.addons_path}",
            f"--database={args.db}",
            "--without-demo=all",
            "--log-level=warn",
            "--max-cron-threads=0",
        ]
    )

    if args.reinstall or not all(installed(args.template, m) for m in modules):
        names = ", ".join(modules)
        print(f"Installing {names} (no demo) in {args.template}…", flush=True)
        drop(args.template)
        db_service._create_empty_database(args.template)
        config["init"] = dict.fromkeys(modules, 1)
        odoo.modules.registry.Registry.new(args.template, update_module=True)
        config["init"] = {}
        odoo.modules.registry.Registry.delete(args.template)
        odoo.sql_db.close_db(args.template)
    drop(args.db)
    db_service.exp_duplicate_database(args.template, args.db)
    odoo.modules.registry.Registry.delete(args.db)
