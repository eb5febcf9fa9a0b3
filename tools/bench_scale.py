#!/usr/bin/env python3
"""Time draining 200 slow sources: the cron, then queue jobs (a benchmark, not a test).

A local HTTP server (a thread of this script, ``ThreadingHTTPServer``: it
serves requests side by side) plays a Mastodon instance: each of
``--sources`` hashtag sources has ``--pages`` pages (full pages of 40
statuses, the last one shorter, so the connector stops there), and every
answer waits ``--delay`` seconds first, as an API across the internet would.
Authors are drawn from one pool, so sources share authors as they do.

Then a real Odoo server runs (``python -m odoo`` on a scratch database, as a
deployment would run it) and the time until every source is drained (its
cursor at its last status, which the fetch commits with its mentions) is
measured, from the moment all sources are made due and the scheduled action
*Social CRM: fetch mentions* is triggered:

1. **cron**: without ``queue_job`` among the server-wide modules, so
   ``social_crm_queue`` keeps the cron path: social_crm's
   ``_cron_fetch_mentions`` in the cron worker, source after source, in
   batches of its time budget that the cron re-runs at once;
2. **queue, capacity N** for each of ``--capacities``: ``--load=web,queue_job``
   with ``[queue_job] channels = root:N,root.social_crm:N`` and N + 1 HTTP
   workers (a job holds one while it runs); the scheduled action enqueues a
   job per source and the job runner dispatches them.

Each phase starts from a fresh copy of the template database. After each,
the script checks that every status arrived exactly once (as many mentions
as statuses served, each source with all of its own) and that each page was
asked for once, and prints the time and the speedup over the cron path.

The cron phase runs with ``--limit-time-real-cron=0`` (``--cron-time-limit``):
by default the prefork cron worker gets ``limit_time_real`` (120 s) for all
it does between two heartbeats, and a cron run of several time-budget
batches (the cron runs up to 10 in a row) takes longer than that.

The template (``social_crm_scale_tpl``: social_crm and social_crm_queue,
which brings queue_job, without demo data) is made when missing, or anew with
``--reinstall``::

    /root/.cache/social_crm/venv/bin/python tools/bench_scale.py
    /root/.cache/social_crm/venv/bin/python tools/bench_scale.py \\
        --sources 40 --capacities 4

Target on a 2-core machine: capacity 4 at least 3.2 times faster than the
cron path, capacity 8 at least 5 times.
"""

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from urllib.request import urlopen

from bench_database import drop, prepare_databases
from bench_ingest import BASE_ID, Dataset

REPO = Path(__file__).resolve().parent.parent
HOME = Path(os.environ.get("SOCIAL_CRM_HOME", Path.home() / ".cache" / "social_crm"))
#: Mastodon's largest page, which the connector asks for.
PAGE_SIZE = 40
#: Posts on the last page of a source: a short page ends the walk.
LAST_PAGE_SIZE = 20
TARGETS = {4: 3.2, 8: 5.0}
FLOOR = (4, 2.5)


def default_addons_path():
    """This repository, then Odoo's addons and those installed from PyPI."""
    import odoo.addons

    paths = [str(REPO)] + [p for p in odoo.addons.__path__ if os.path.isdir(p)]
    return ",".join(dict.fromkeys(os.path.realpath(p) for p in paths))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=200)
    parser.add_argument("--pages", type=int, default=5)
    parser.add_argument("--delay", type=float, default=0.2, help="seconds per answer")
    parser.add_argument("--authors", type=int, default=5_000)
    parser.add_argument(
        "--capacities", default="1,2,4,8", help="channel capacities, in order"
    )
    parser.add_argument("--skip-cron", action="store_true", help="queue phases only")
    parser.add_argument(
        "--cron-time-limit",
        type=int,
        default=0,
        help="--limit-time-real-cron of the cron phase (0: none; -1: Odoo's default)",
    )
    parser.add_argument("--timeout", type=float, default=900, help="per phase")
    parser.add_argument("--db", default="social_crm_scale")
    parser.add_argument("--template", default="social_crm_scale_tpl")
    parser.add_argument("--reinstall", action="store_true", help="remake the template")
    parser.add_argument("--addons-path", default=None)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep-logs", action="store_true")
    return parser.parse_args()


# --------------------------------------------------------------------- pages
class Feeds:
    """The statuses of every source, as the pages the server answers with."""

    def __init__(self, sources, pages, authors, seed):
        self.per_source = PAGE_SIZE * (pages - 1) + LAST_PAGE_SIZE
        self.sources = sources
        self.pages = pages
        data = Dataset(sources * self.per_source, authors, seed)
        self.bodies = {}  # (tag, min_id) -> body
        self.last_ids = {}  # tag -> id of its newest status
        for number in range(sources):
            tag = f"acme{number}"
            first = number * self.per_source
            for page in range(pages):
                start = first + page * PAGE_SIZE
                size = PAGE_SIZE if page < pages - 1 else LAST_PAGE_SIZE
                chunk = data.posts[start : start + size]
                body = [data.mastodon_status(post) for post in reversed(chunk)]
                self.bodies[(tag, str(BASE_ID + start - 1))] = json.dumps(body).encode()
            self.last_ids[tag] = str(BASE_ID + first + self.per_source - 1)

    def start_cursor(self, number):
        return str(BASE_ID + number * self.per_source - 1)

    @property
    def statuses(self):
        return self.sources * self.per_source


class PageServer:
    """Answers the tag timelines after ``delay`` seconds, counting requests."""

    def __init__(self, feeds, delay):
        self.feeds = feeds
        self.delay = delay
        self.served = Counter()
        self.unknown = 0
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                parts = urlsplit(self.path)
                tag = parts.path.rsplit("/", 1)[-1]
                min_id = (parse_qs(parts.query).get("min_id") or [""])[0]
                body = server.feeds.bodies.get((tag, min_id))
                with server._lock:
                    if body is None:
                        server.unknown += 1
                    else:
                        server.served[(tag, min_id)] += 1
                time.sleep(server.delay)
                body = body if body is not None else b"[]"
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                """Quiet."""

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 128

            def handle_error(self, request, client_address):
                """A worker stopped with the server hangs up: no traceback."""

        self._httpd = Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        self.base_url = f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def reset(self):
        with self._lock:
            self.served.clear()
            self.unknown = 0

    def stop(self):
        self._httpd.shutdown()
        self._httpd.server_close()


# --------------------------------------------------------------------- database
def fresh_database(args, feeds, base_url):
    """A copy of the template with the sources, none of them due yet.

    Returns the registry of the copy, kept to start the fetching.
    """
    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.service import db as db_service

    drop(args.db)
    db_service.exp_duplicate_database(args.template, args.db)
    registry = odoo.modules.registry.Registry.new(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["ir.config_parameter"].set_param(
            "social_crm.allowed_private_hosts", "127.0.0.1"
        )
        later = datetime.utcnow() + timedelta(days=1)
        env["social.source"].create(
            [
                {
                    "name": f"Scale {number}",
                    "connector": "mastodon",
                    "query": f"#acme{number}",
                    "base_url": base_url,
                    "cursor": feeds.start_cursor(number),
                    "next_run": later,
                }
                for number in range(feeds.sources)
            ]
        )
        # No other scheduled action runs during the measure.
        env["ir.cron"].with_context(active_test=False).search([]).nextcall = later
    return registry


def close_database(args):
    import odoo

    odoo.modules.registry.Registry.delete(args.db)
    odoo.sql_db.close_db(args.db)


def connect(args):
    import psycopg2

    from odoo.sql_db import connection_info_for

    connection = psycopg2.connect(**connection_info_for(args.db)[1])
    connection.autocommit = True
    return connection


def start_fetching(registry):
    """Make every source due and trigger the fetch cron, as its next run would."""
    from odoo import SUPERUSER_ID, api, fields

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["social.source"].search([]).next_run = fields.Datetime.now()
        env.ref("social_crm.ir_cron_social_fetch_mentions")._trigger()
    # The commit woke the cron worker up (ir.cron notifies after it).


def drained(connection, feeds):
    """(sources drained, sources in error with their errors)."""
    with connection.cursor() as cr:
        cr.execute("SELECT query, cursor, state, last_error FROM social_source")
        rows = cr.fetchall()
    done = sum(1 for query, cursor, *_ in rows if cursor == feeds.last_ids[query[1:]])
    errors = [(query, error) for query, _c, state, error in rows if state == "error"]
    return done, errors


def check_exactly_once(connection, feeds, server):
    """Problems found with what arrived; an empty list when all is right."""
    problems = []
    with connection.cursor() as cr:
        cr.execute("SELECT count(*), count(DISTINCT external_id) FROM social_mention")
        total, distinct = cr.fetchone()
        cr.execute(
            "SELECT source_id, count(*) FROM social_mention GROUP BY source_id"
            " HAVING count(*) <> %s",
            [feeds.per_source],
        )
        uneven = cr.fetchall()
    if total != feeds.statuses or distinct != feeds.statuses:
        problems.append(
            f"{total} mentions ({distinct} distinct) for {feeds.statuses} statuses"
        )
    if uneven:
        problems.append(f"{len(uneven)} sources without exactly their statuses")
    pages = feeds.sources * feeds.pages
    twice = sum(1 for count in server.served.values() if count > 1)
    if len(server.served) != pages or twice or server.unknown:
        problems.append(
            f"{sum(server.served.values())} pages served for {pages} "
            f"({twice} asked again, {server.unknown} unknown)"
        )
    return problems


def job_counts(connection):
    with connection.cursor() as cr:
        cr.execute(
            "SELECT state, count(*) FROM queue_job"
            " WHERE method_name = '_job_fetch' GROUP BY state"
        )
        return dict(cr.fetchall())


# --------------------------------------------------------------------- server
def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OdooServer:
    """``python -m odoo`` on the scratch database, in its own process group."""

    def __init__(self, args, workdir, capacity=None):
        self.port = free_port()
        self.logfile = Path(workdir) / f"odoo-{capacity or 'cron'}.log"
        options = {
            "addons_path": args.addons_path,
            "db_name": args.db,
            "dbfilter": f"^{args.db}$",
            "http_interface": "127.0.0.1",
            "http_port": self.port,
            "gevent_port": free_port(),
            "max_cron_threads": 1,
            "without_demo": "all",
            "logfile": self.logfile,
            "log_level": "warn",
            "log_handler": "odoo.addons.queue_job.jobrunner.runner:INFO",
        }
        if capacity is None:
            options.update(workers=2, limit_time_real_cron=args.cron_time_limit)
        else:
            options.update(
                workers=capacity + 1, server_wide_modules="base,web,queue_job"
            )
        lines = ["[options]"] + [f"{key} = {value}" for key, value in options.items()]
        if capacity is not None:
            lines += [
                "[queue_job]",
                f"channels = root:{capacity},root.social_crm:{capacity}",
            ]
        self.config = Path(workdir) / f"odoo-{capacity or 'cron'}.conf"
        self.config.write_text("\n".join(lines) + "\n")
        self.capacity = capacity
        self.process = subprocess.Popen(
            [sys.executable, "-m", "odoo", "-c", str(self.config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def wait_ready(self, timeout=120):
        """Until the HTTP workers answer and, with queue_job, the runner is up."""
        deadline = time.monotonic() + timeout
        url = f"http://127.0.0.1:{self.port}/web/health"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"Odoo stopped at start, see {self.logfile}")
            try:
                with urlopen(url, timeout=2) as response:
                    healthy = response.status == 200
            except OSError:
                healthy = False
            log = self.logfile.read_text() if self.logfile.exists() else ""
            if healthy and (self.capacity is None or "connections ready" in log):
                return
            time.sleep(0.5)
        raise SystemExit(f"Odoo did not get ready, see {self.logfile}")

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)


# --------------------------------------------------------------------- run
def run_phase(args, feeds, server, workdir, capacity=None):
    """Seconds until every source is drained; exits on a failure."""
    name = "cron" if capacity is None else f"queue, capacity {capacity}"
    registry = fresh_database(args, feeds, server.base_url)
    server.reset()
    odoo_server = OdooServer(args, workdir, capacity)
    connection = None
    try:
        odoo_server.wait_ready()
        connection = connect(args)
        started = time.monotonic()
        start_fetching(registry)
        while True:
            done, errors = drained(connection, feeds)
            elapsed = time.monotonic() - started
            if done == feeds.sources:
                break
            if errors:
                raise SystemExit(f"{name}: {len(errors)} sources failed: {errors[:3]}")
            if elapsed > args.timeout:
                raise SystemExit(
                    f"{name}: {done} of {feeds.sources} sources after {elapsed:.0f} s"
                )
            time.sleep(0.2)
        problems = check_exactly_once(connection, feeds, server)
        jobs = job_counts(connection) if capacity is not None else {}
    finally:
        if connection is not None:
            connection.close()
        odoo_server.stop()
        close_database(args)
    return elapsed, problems, jobs


def main():
    args = parse_args()
    args.addons_path = args.addons_path or default_addons_path()
    capacities = [int(c) for c in args.capacities.split(",") if c.strip()]
    prepare_databases(args, modules=("social_crm", "social_crm_queue"))
    print(
        f"Serving {args.sources} Mastodon sources of {args.pages} pages "
        f"({args.pages - 1} of {PAGE_SIZE} statuses, one of {LAST_PAGE_SIZE}), "
        f"{args.delay * 1000:.0f} ms before each answer…",
        flush=True,
    )
    feeds = Feeds(args.sources, args.pages, args.authors, args.seed)
    server = PageServer(feeds, args.delay)
    workdir = tempfile.mkdtemp(prefix="bench_scale_")
    results = {}
    ok = True
    try:
        phases = ([] if args.skip_cron else [None]) + capacities
        for capacity in phases:
            elapsed, problems, jobs = run_phase(args, feeds, server, workdir, capacity)
            results[capacity] = elapsed
            base = results.get(None)
            label = "cron path" if capacity is None else f"queue, capacity {capacity}"
            speedup = f"{base / elapsed:5.2f}x" if base else "   --"
            once = "exactly once" if not problems else "; ".join(problems)
            extra = f", jobs {jobs}" if jobs else ""
            print(
                f"{label:<20} {elapsed:8.1f} s  speedup {speedup}  "
                f"{feeds.statuses} mentions {once}{extra}",
                flush=True,
            )
            ok = ok and not problems
    finally:
        server.stop()
    base = results.get(None)
    if base:
        for capacity, target in TARGETS.items():
            if capacity in results:
                speedup = base / results[capacity]
                verdict = "PASS" if speedup >= target else "FAIL"
                print(
                    f"target capacity {capacity} >= {target}x: {speedup:.2f}x {verdict}"
                )
                ok = ok and speedup >= target
        capacity, floor = FLOOR
        if capacity in results and base / results[capacity] < floor:
            print(f"below {floor}x at capacity {capacity}: the issue is not done")
    if args.keep_logs:
        print(f"Odoo logs and configurations: {workdir}")
    else:
        for path in Path(workdir).iterdir():
            path.unlink()
        os.rmdir(workdir)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
