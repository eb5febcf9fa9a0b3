#!/usr/bin/env python3
"""Measure the consumer-cycle categories, on our set and on one written elsewhere.

Two measurements, both through the analysis package as mentions get it (each
post's sentiment is a signal of the category):

* **The team's labelled set** (``social_crm/tests/data/sentiment_labelled.tsv``,
  written by this project): category accuracy per language. A regression
  set: it shows the rules do what we meant, not that they are right.
* **Complaints on Twitter written and labelled elsewhere**: the corpus of
  Preoţiuc-Pietro, Găman and Aletras, *Automatically Identifying Complaints
  in Social Media* (ACL 2019), 3,449 English tweets addressed to brands,
  each labelled complaint or not (``complaints-data.csv`` of the public
  repository ``danielpreotiuc/complaints-social-media``; no licence is
  stated, so it is read from where it lies for measuring only, never copied
  into this project nor learnt from by anything shipped). A post counts as
  detected when its category is one that needs an answer for a problem
  (complaint, support follow-up, churn intent, PR risk). Rows are split by
  the SHA-1 of the tweet id: an even first hex digit is the development
  part (the rules were tuned looking at its errors), odd the test part
  (reported, never looked at).

    python tools/category_accuracy.py [--complaints PATH] [--part dev|test]
        [--errors] [--floors]

``--complaints`` defaults to ``$SOCIAL_CRM_COMPLAINTS``; without it only the
team's set is measured. ``--errors`` prints the development part's misses
(never the test part's). ``--floors`` exits 1 when a figure is below the
floors below.
"""

import argparse
import csv
import hashlib
import io
import os
import sys
from collections import Counter
from pathlib import Path

ADDON = Path(__file__).resolve().parent.parent / "social_crm"
TEAM_SET = ADDON / "tests" / "data" / "sentiment_labelled.tsv"
TEAM_COMPETITORS = ("Globex", "Globex Mesh")
#: The categories of a post that reports a problem to be answered.
COMPLAINT_LIKE = frozenset({"complaint", "support_followup", "churn_intent", "pr_risk"})
#: Floors for ``--floors``, a little under what was measured (see README).
FLOORS = {"team_accuracy": 0.86, "complaints_test_f1": 0.58}

# The addon's __init__ imports Odoo; the analysis package does not.
sys.path.insert(0, str(ADDON))

from analysis.categories import compile_rules  # noqa: E402
from analysis.default_rules import DEFAULT_RULES  # noqa: E402
from analysis.sentiment import SentimentAnalyzer  # noqa: E402


def part_of(row_id):
    """``dev`` or ``test``: the fixed half a row belongs to."""
    digit = int(hashlib.sha1(row_id.encode()).hexdigest()[0], 16)
    return "dev" if digit % 2 == 0 else "test"


def categorize(rules, analyzer, text, lang):
    """The category code of ``text`` as a new mention gets it."""
    score = analyzer.analyze(text, lang).score
    return rules.classify(text, lang, score)


def team_accuracy(errors=False):
    """Category accuracy on the team's set: ``(overall, {lang: accuracy})``."""
    rules = compile_rules(DEFAULT_RULES, TEAM_COMPETITORS)
    analyzer = SentimentAnalyzer()
    hits, totals = Counter(), Counter()
    with open(TEAM_SET, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            result = categorize(rules, analyzer, row["text"], row["lang"])
            totals[row["lang"]] += 1
            if result.code == row["category"]:
                hits[row["lang"]] += 1
            elif errors:
                print(
                    f"  {row['category']} -> {result.code} {result.evidence}: "
                    f"[{row['lang']}] {row['text']}"
                )
    overall = sum(hits.values()) / sum(totals.values())
    return overall, {lang: hits[lang] / totals[lang] for lang in sorted(totals)}


def read_complaints(path):
    """``(tweet id, text, is complaint)`` of the complaints corpus."""
    with open(path, encoding="utf-8", newline="") as handle:
        data = handle.read()
    for row in csv.reader(io.StringIO(data)):
        if len(row) >= 3 and row[2] in ("0", "1"):
            yield row[0], row[1], row[2] == "1"


def complaint_scores(path, part, errors=False):
    """Precision, recall, F1 and accuracy of complaint detection on ``part``."""
    rules = compile_rules(DEFAULT_RULES, ())
    analyzer = SentimentAnalyzer()
    counts = Counter()
    for row_id, text, is_complaint in read_complaints(path):
        if part_of(row_id) != part:
            continue
        code = categorize(rules, analyzer, text, "en").code
        detected = code in COMPLAINT_LIKE
        counts[(detected, is_complaint)] += 1
        if errors and part == "dev" and detected != is_complaint:
            kind = "missed" if is_complaint else "false"
            print(f"  {kind} ({code}): {' '.join(text.split())}")
    tp, fp = counts[(True, True)], counts[(True, False)]
    fn, tn = counts[(False, True)], counts[(False, False)]
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "n": tp + fp + fn + tn,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "accuracy": (tp + tn) / max(1, tp + fp + fn + tn),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", default=os.environ.get("SOCIAL_CRM_COMPLAINTS"))
    parser.add_argument("--part", choices=("dev", "test"), default=None)
    parser.add_argument("--errors", action="store_true")
    parser.add_argument("--floors", action="store_true")
    args = parser.parse_args(argv)
    failed = []
    overall, per_lang = team_accuracy(errors=args.errors)
    print(
        f"team set (written here), category accuracy: {overall:.3f} "
        + " ".join(f"{lang} {value:.3f}" for lang, value in per_lang.items())
    )
    if overall < FLOORS["team_accuracy"]:
        failed.append(f"team set accuracy {overall:.3f} < {FLOORS['team_accuracy']}")
    if args.complaints:
        if not Path(args.complaints).is_file():
            parser.error(f"{args.complaints}: no such file")
        for part in (args.part,) if args.part else ("dev", "test"):
            scores = complaint_scores(args.complaints, part, errors=args.errors)
            print(
                f"complaints (Preotiuc-Pietro et al. 2019, en), {part} part: "
                f"n={scores['n']} precision {scores['precision']:.3f} "
                f"recall {scores['recall']:.3f} F1 {scores['f1']:.3f} "
                f"accuracy {scores['accuracy']:.3f}"
            )
            if part == "test" and scores["f1"] < FLOORS["complaints_test_f1"]:
                failed.append(
                    f"complaints test F1 {scores['f1']:.3f} < "
                    f"{FLOORS['complaints_test_f1']}"
                )
    else:
        print("complaints corpus: not given (--complaints or SOCIAL_CRM_COMPLAINTS)")
    if args.floors and failed:
        print("below the floors: " + "; ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
