#!/usr/bin/env python3
"""Benchmark the influence recomputation (a benchmark, not a test).

Fills a scratch database with raw SQL (``generate_series``): identities spread
over the seven networks with log-uniform follower counts (0 to ~160,000),
10 % of them linked to contacts (two identities per contact), and mentions by
those identities over the last year with random likes, shares, replies and
sentiment scores, one in five replying to an earlier mention of the same
network. Then it times ``social.influence.score._recompute_all()``:

1. the first run (every identity changes; every history row is inserted);
2. a second run the same day (nothing changes; the history is left alone);
3. a run the next day after changing a weight (every identity changes; a
   second history row per identity).

The scratch database (``social_crm_bench_influence``) is copied for every run
from a template (``social_crm_bench_influence_tpl``) where ``social_crm`` is
installed without demo data; the template is made when missing, or anew with
``--reinstall`` (needed after changing fields or indexes of the addon)::

    cd /work/main && /root/.cache/social_crm/venv/bin/python \\
        tools/bench_influence.py --identities 100000 --mentions 1000000

Target on a 2-core machine: each run under 30 s for 100,000 identities and
1,000,000 mentions.
"""

import argparse
import os
import sys
import time
from pathlib import Path

from bench_database import prepare_databases

REPO = Path(__file__).resolve().parent.parent
HOME = Path(os.environ.get("SOCIAL_CRM_HOME", Path.home() / ".cache" / "social_crm"))
DEFAULT_ADDONS = f"{REPO},{HOME / 'odoo' / 'odoo' / 'addons'}"
NETWORKS = ["rss", "mastodon", "bluesky", "reddit", "hackernews", "x", "vk"]
TARGET_SECONDS = 30


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--identities", type=int, default=100_000)
    parser.add_argument("--mentions", type=int, default=1_000_000)
    parser.add_argument("--db", default="social_crm_bench_influence")
    parser.add_argument("--template", default="social_crm_bench_influence_tpl")
    parser.add_argument("--reinstall", action="store_true", help="remake the template")
    parser.add_argument("--addons-path", default=DEFAULT_ADDONS)
    parser.add_argument(
        "--explain", action="store_true", help="print the plan of the main query"
    )
    return parser.parse_args()


# --------------------------------------------------------------------- data
def seed(cr, identities, mentions):
    """Identities, contacts and mentions, in a few set-based statements."""
    networks = NETWORKS
    cr.execute("SELECT id FROM res_company ORDER BY id LIMIT 1")
    (company_id,) = cr.fetchone()
    cr.execute("SELECT setseed(0.42)")
    # Identity g is on network g mod 7, so that mention g (by an identity of
    # network g mod 7) can reply to mention g - 7k of the same network.
    cr.execute(
        """
        INSERT INTO social_identity (
            network, external_id, handle, name, followers_count, following_count,
            post_count, verified, company_id, first_seen, last_seen,
            influence_type, create_uid, write_uid, create_date, write_date)
        SELECT (%(networks)s::varchar[])[g %% 7 + 1], 'bench-' || g, '@bench' || g,
               'Bench author ' || g, floor(exp(random() * 12)) - 1, 100, 1000,
               false, %(company)s, now() at time zone 'utc',
               now() at time zone 'utc', 'neutral', 1, 1,
               now() at time zone 'utc', now() at time zone 'utc'
          FROM generate_series(0, %(n)s - 1) AS g
        """,
        {"networks": networks, "company": company_id, "n": identities},
    )
    cr.execute("SELECT array_agg(id ORDER BY id) FROM social_identity")
    (identity_ids,) = cr.fetchone()
    partners = max(identities // 20, 1)
    cr.execute(
        """
        INSERT INTO res_partner (name, complete_name, active, type, is_company,
                                 create_uid, write_uid, create_date, write_date)
        SELECT 'Bench contact ' || g, 'Bench contact ' || g, true, 'contact',
               false, 1, 1, now() at time zone 'utc', now() at time zone 'utc'
          FROM generate_series(1, %(n)s) AS g
        RETURNING id
        """,
        {"n": partners},
    )
    partner_ids = [row[0] for row in cr.fetchall()]
    # identities 0, 10, 20… linked two by two to the contacts
    cr.execute(
        """
        UPDATE social_identity identity
           SET partner_id = (%(partners)s::int[])[(link.g / 20) %% %(n)s + 1]
          FROM (SELECT (%(ids)s::int[])[g + 1] AS id, g
                  FROM generate_series(0, %(last)s, 10) AS g) AS link
         WHERE identity.id = link.id
        """,
        {
            "partners": partner_ids,
            "n": len(partner_ids),
            "ids": identity_ids,
            "last": identities - 1,
        },
    )
    per_network = identities // 7
    cr.execute(
        """
        INSERT INTO social_mention (
            network, external_id, content, posted_at, identity_id, partner_id,
            like_count, share_count, reply_count, parent_external_id,
            sentiment, sentiment_score, state, priority, company_id,
            create_uid, write_uid, create_date, write_date)
        SELECT (%(networks)s::varchar[])[g %% 7 + 1], 'bench-m' || g,
               'Acme bench mention ' || g,
               now() at time zone 'utc' - random() * interval '365 days',
               (%(ids)s::int[])[7 * floor(random() * %(per_network)s)::int
                                + g %% 7 + 1],
               NULL,
               floor(random() * random() * 200), floor(random() * random() * 20),
               floor(random() * random() * 30),
               CASE WHEN g >= 70 AND random() < 0.2
                    THEN 'bench-m' || (g - 7 * (1 + floor(random() * 10)::int))
               END,
               CASE WHEN s.score >= 0.2 THEN 'positive'
                    WHEN s.score <= -0.2 THEN 'negative' ELSE 'neutral' END,
               round(s.score::numeric, 2), 'new', '0', %(company)s,
               1, 1, now() at time zone 'utc', now() at time zone 'utc'
          FROM generate_series(0, %(n)s - 1) AS g
         CROSS JOIN LATERAL (SELECT random() * 2 - 1 + g * 0 AS score) AS s
        """,
        {
            "networks": networks,
            "ids": identity_ids,
            "per_network": per_network,
            "company": company_id,
            "n": mentions,
        },
    )
    cr.execute(
        """
        UPDATE social_mention mention SET partner_id = identity.partner_id
          FROM social_identity identity
         WHERE identity.id = mention.identity_id AND identity.partner_id IS NOT NULL
        """
    )
    cr.execute("ANALYZE social_identity")
    cr.execute("ANALYZE social_mention")
    cr.execute("ANALYZE res_partner")


def timed(env, label, date=None):
    started = time.perf_counter()
    counts = env["social.influence.score"]._recompute_all(date)
    env.cr.commit()
    elapsed = time.perf_counter() - started
    verdict = "ok" if elapsed < TARGET_SECONDS else f"over {TARGET_SECONDS} s"
    print(
        f"{label:<38} {elapsed:7.2f} s  ({verdict})  identities "
        f"{counts['identities']}, changed {counts['changed']}, history rows "
        f"{counts['history']}, contacts {counts['partners']}",
        flush=True,
    )
    return elapsed


def main():
    args = parse_args()
    import odoo
    from odoo import SUPERUSER_ID, api, fields

    prepare_databases(args)
    registry = odoo.modules.registry.Registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        print(
            f"Seeding {args.identities} identities and {args.mentions} mentions…",
            flush=True,
        )
        started = time.perf_counter()
        seed(cr, args.identities, args.mentions)
        cr.commit()
        print(f"Seeded in {time.perf_counter() - started:.1f} s", flush=True)
        if args.explain:
            from odoo.addons.social_crm.models import social_influence_score as mod

            cr.execute(
                "EXPLAIN (ANALYZE, BUFFERS) " + mod.INFLUENCE_QUERY,
                {
                    "as_of": fields.Datetime.now(),
                    "half_life": 30.0,
                    "max_half_lives": mod.MAX_HALF_LIVES,
                    "w_reach": 30.0,
                    "w_engagement": 25.0,
                    "w_activity": 25.0,
                    "w_amplification": 20.0,
                    "w_total": 100.0,
                    "threshold": 0.2,
                },
            )
            print("\n".join(row[0] for row in cr.fetchall()))
            cr.rollback()
        today = fields.Date.today()
        times = [
            timed(env, "first run (all change, history inserted)", today),
            timed(env, "same day again (nothing changes)", today),
        ]
        env["ir.config_parameter"].set_param("social_crm.weight_reach", "40")
        times.append(
            timed(
                env,
                "next day, new weight (all change)",
                fields.Date.add(today, days=1),
            )
        )
        cr.execute(
            "SELECT round(avg(influence_score), 1), max(influence_score),"
            " count(*) FILTER (WHERE influence_type = 'positive'),"
            " count(*) FILTER (WHERE influence_type = 'negative')"
            " FROM social_identity"
        )
        avg_score, max_score, positive, negative = cr.fetchone()
        cr.execute("SELECT count(*) FROM social_influence_score")
        (history,) = cr.fetchone()
        print(
            f"Scores: average {avg_score}, highest {max_score}; {positive} positive, "
            f"{negative} negative; {history} history rows"
        )
    return 0 if max(times) < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
