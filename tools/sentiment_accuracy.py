#!/usr/bin/env python3
"""Measure the analysis package against the labelled evaluation set.

Prints the sentiment accuracy overall and per language, the confusion matrix
(rows: expected label, columns: predicted), the category accuracy with the
default rules, and with ``--errors`` every misclassified row. Runs without
Odoo: the addon's ``__init__`` imports Odoo, so ``social_crm/`` itself is put
on ``sys.path`` and the package is imported as ``analysis``.

    python tools/sentiment_accuracy.py [--errors] [--tsv PATH]
"""

import argparse
import csv
import sys
from collections import Counter, defaultdict
from pathlib import Path

ADDON = Path(__file__).resolve().parent.parent / "social_crm"
DEFAULT_TSV = ADDON / "tests" / "data" / "sentiment_labelled.tsv"
COMPETITORS = ("Globex",)
LABELS = ("positive", "neutral", "negative")

sys.path.insert(0, str(ADDON))

from analysis.categories import classify  # noqa: E402
from analysis.default_rules import DEFAULT_RULES  # noqa: E402
from analysis.sentiment import get_analyzer  # noqa: E402


def load(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tsv", default=str(DEFAULT_TSV))
    parser.add_argument("--errors", action="store_true", help="list the misses")
    args = parser.parse_args()

    rows = load(args.tsv)
    analyzer = get_analyzer("lexicon")
    hits = Counter()
    totals = Counter()
    category_hits = Counter()
    confusion = defaultdict(Counter)
    errors = []
    for row in rows:
        lang = row["lang"]
        result = analyzer.analyze(row["text"], lang)
        category = classify(row["text"], lang, DEFAULT_RULES, COMPETITORS).code
        totals[lang] += 1
        confusion[row["label"]][result.label] += 1
        if result.label == row["label"]:
            hits[lang] += 1
        else:
            errors.append(
                f"sentiment {row['label']} -> {result.label} "
                f"({result.score:+.2f}) [{lang}] {row['text']}"
            )
        if category == row["category"]:
            category_hits[lang] += 1
        else:
            errors.append(
                f"category {row['category']} -> {category} " f"[{lang}] {row['text']}"
            )

    total = sum(totals.values())
    print(f"rows: {total}")
    print(f"sentiment accuracy: {sum(hits.values()) / total:.3f}")
    for lang in sorted(totals):
        print(f"  {lang}: {hits[lang] / totals[lang]:.3f} ({totals[lang]} rows)")
    print("confusion (rows expected, columns predicted):")
    print("  " + " " * 10 + "".join(f"{label:>10}" for label in LABELS))
    for expected in LABELS:
        cells = "".join(f"{confusion[expected][label]:>10}" for label in LABELS)
        print(f"  {expected:<10}{cells}")
    print(f"category accuracy: {sum(category_hits.values()) / total:.3f}")
    for lang in sorted(totals):
        print(f"  {lang}: {category_hits[lang] / totals[lang]:.3f}")
    if args.errors:
        print("\n".join(["misses:", *errors]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
