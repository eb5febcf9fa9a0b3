#!/usr/bin/env python3
"""The learning curve of the analysis: accuracy after 0, 25, 50, 100, 200 corrections.

For each labelled corpus, in a throwaway company (everything is rolled back
at the end, nothing is committed):

1. Posts of the corpus's *development* half become mentions of the company,
   a batch at a time, classified as ingestion classifies them (with the
   company's model of the moment).
2. An agent of the company reviews them in order and, where the analysis is
   wrong, sets the right sentiment (and category, for the corpus that has
   categories) through the ORM, as in the inbox: each change is a
   correction, kept as an example. Mentions it finds right are left alone.
3. After 0, 25, 50, 100, 200 corrections, ``res.company.action_retrain_analysis()``
   trains the company's model, and the accuracy is measured on the corpus's
   *test* half: new posts of the same source, classified for that company.

Corpora: ``../shared/eval/*.jsonl`` (read from there, never copied; sentiment
only) and the team's own ``social_crm/tests/data/sentiment_labelled.tsv``
(sentiment and category, with ``Acme``/``Globex`` as brand and competitor
terms). Each row goes to the development half when the first hex digit of the
SHA-1 of its id is even (the team's set has no ids: ``<lang>-<line>``), to the
test half otherwise. With ``--tune`` the development half is split again the
same way on the second digit, corrections from one part and accuracy on the
other, so that settings are chosen without looking at the test half.

    /root/.cache/social_crm/venv/bin/python tools/analysis_learning_curve.py -d DB
    ... -d DB --files '../shared/eval/ru_*.jsonl' --steps 0,50,120 --tune

``DB`` is a database with ``social_crm`` installed (the tests' database will do).
"""

import argparse
import csv
import glob
import hashlib
import json
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HOME = Path(os.environ.get("SOCIAL_CRM_HOME", Path.home() / ".cache" / "social_crm"))
DEFAULT_ADDONS = f"{REPO},{HOME / 'odoo' / 'odoo' / 'addons'}"
EVAL_GLOB = str(REPO.parent / "shared" / "eval" / "*.jsonl")
TEAM_SET = REPO / "social_crm" / "tests" / "data" / "sentiment_labelled.tsv"
#: Mentions created, then reviewed, at a time.
REVIEW_BATCH = 25


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--db", required=True)
    parser.add_argument("--addons-path", default=DEFAULT_ADDONS)
    parser.add_argument("--files", default=EVAL_GLOB, help="glob of .jsonl corpora")
    parser.add_argument("--no-team-set", action="store_true")
    parser.add_argument("--steps", default="0,25,50,100,200")
    parser.add_argument(
        "--tune", action="store_true", help="measure on a part of dev, not on test"
    )
    parser.add_argument("--max-test", type=int, default=0, help="0: all")
    return parser.parse_args()


def digit(key, position):
    return int(hashlib.sha1(key.encode()).hexdigest()[position], 16)


def split(rows, tune=False):
    """(corrections' part, measured part) of rows with an ``id``."""
    dev = [row for row in rows if digit(row["id"], 0) % 2 == 0]
    test = [row for row in rows if digit(row["id"], 0) % 2 == 1]
    if tune:
        test = [row for row in dev if digit(row["id"], 1) % 2 == 1]
        dev = [row for row in dev if digit(row["id"], 1) % 2 == 0]
    order = lambda row: hashlib.sha1(row["id"].encode()).hexdigest()  # noqa: E731
    return sorted(dev, key=order), sorted(test, key=order)


def clean(text):
    return text.replace("\ufeff", "").strip()


def load_corpora(args):
    corpora = []
    for path in sorted(glob.glob(args.files)):
        with open(path, encoding="utf-8") as handle:
            rows = [json.loads(line) for line in handle if line.strip()]
        for row in rows:
            row["text"] = clean(row["text"])
        corpora.append((Path(path).stem, rows, False))
    if not args.no_team_set:
        with TEAM_SET.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            rows = [
                {
                    "id": f"{row['lang']}-{line}",
                    "lang": row["lang"],
                    "text": clean(row["text"]),
                    "label": row["label"],
                    "category": row["category"],
                }
                for line, row in enumerate(reader, 2)
            ]
        corpora.append(("team_set (categories)", rows, True))
    return corpora


def measure(env, company, rows, category_ids):
    """Accuracy per language of the company's analysis of ``rows``."""
    vals_list = [
        {"content": row["text"], "lang": row["lang"], "company_id": company.id}
        for row in rows
    ]
    env["social.mention"]._classify_values(vals_list)
    hits = defaultdict(lambda: [0, 0, 0])  # sentiment hits, category hits, total
    for row, vals in zip(rows, vals_list, strict=True):
        counts = hits[row["lang"]]
        counts[0] += vals["sentiment"] == row["label"]
        if "category" in row:
            counts[1] += vals["category_id"] == category_ids.get(row["category"])
        counts[2] += 1
    return dict(hits)


def learning_curve(
    env, name, rows, steps, with_categories=False, tune=False, max_test=0
):
    """Feed corrections of ``rows`` through the ORM; the accuracy after each step.

    Returns ``[(corrections, {lang: [sentiment hits, category hits, total]})]``.
    """
    dev, test = split(rows, tune)
    if max_test:
        test = test[:max_test]
    company = env["res.company"].create({"name": f"Learning curve: {name}"})
    if with_categories:
        company.write(
            {
                "social_brand_terms": "Acme, AcmeCloud",
                "social_competitor_terms": "Globex",
            }
        )
    agent = env["res.users"].create(
        {
            "name": f"Agent of {name}",
            "login": f"learning-curve-agent-{company.id}",
            "company_id": company.id,
            "company_ids": [(6, 0, company.ids)],
            "groups_id": [(6, 0, [env.ref("social_crm.group_social_crm_user").id])],
        }
    )
    category_ids = {c.code: c.id for c in env["social.category"].search([])}
    Mention = env["social.mention"].with_company(company)
    corrections = 0
    position = 0
    pending = []  # mentions arrived but not reviewed yet
    curve = []
    for step in steps:
        while corrections < step and (pending or position < len(dev)):
            if not pending:
                batch = dev[position : position + REVIEW_BATCH]
                position += len(batch)
                mentions = Mention.create(
                    [
                        {
                            "network": "rss",
                            "external_id": f"curve-{row['id']}",
                            "content": row["text"],
                            "lang": row["lang"],
                            "company_id": company.id,
                        }
                        for row in batch
                    ]
                )
                pending = list(zip(batch, mentions.with_user(agent), strict=True))
            row, mention = pending.pop(0)
            values = {}
            if mention.sentiment != row["label"]:
                values["sentiment"] = row["label"]
            wanted = category_ids.get(row.get("category"))
            if with_categories and wanted and mention.category_id.id != wanted:
                values["category_id"] = wanted
            if values:
                mention.write(values)
                corrections += 1
        company.action_retrain_analysis()
        curve.append((corrections, measure(env, company, test, category_ids)))
    return curve


def report(name, curve, with_categories):
    langs = sorted({lang for _n, hits in curve for lang in hits})
    print(f"\n{name}")
    header = "  corrections " + " ".join(f"{n:>7}" for n, _hits in curve)
    print(header)
    for lang in langs:
        total = curve[0][1][lang][2]
        cells = " ".join(f"{hits[lang][0] / total:7.3f}" for _n, hits in curve)
        print(f"  {lang} sentiment {cells}   (n={total})")
        if with_categories:
            cells = " ".join(f"{hits[lang][1] / total:7.3f}" for _n, hits in curve)
            print(f"  {lang} category  {cells}")


def main():
    args = parse_args()
    steps = [int(step) for step in args.steps.split(",")]
    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.tools import config

    config.parse_config(
        ["-d", args.db, "--addons-path", args.addons_path, "--log-level", "warn"]
    )
    registry = odoo.modules.registry.Registry(args.db)
    by_language = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        try:
            for name, rows, with_categories in load_corpora(args):
                started = time.monotonic()
                curve = learning_curve(
                    env, name, rows, steps, with_categories, args.tune, args.max_test
                )
                report(name, curve, with_categories)
                print(f"  ({time.monotonic() - started:.1f}s)")
                if with_categories:
                    continue
                for index, (_n, hits) in enumerate(curve):
                    for lang, (sentiment, _category, total) in hits.items():
                        by_language[lang][index][0] += sentiment
                        by_language[lang][index][1] += total
        finally:
            cr.rollback()
    print("\nSentiment accuracy per language, all corpora of the language pooled")
    print("  steps       " + " ".join(f"{step:>7}" for step in steps))
    for lang, cells in sorted(by_language.items()):
        print(
            f"  {lang}          "
            + " ".join(f"{hits / total:7.3f}" for hits, total in cells.values())
        )


if __name__ == "__main__":
    sys.exit(main())
