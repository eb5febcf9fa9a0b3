"""The seed examples shipped with the module, for every company's training.

``seed_examples.tsv`` holds a few short posts per language, written for this
module (not taken from any corpus), each with a sentiment and a category
code. They give a company's first model a vocabulary beyond its first
corrections; they do not count towards the back-off weight (see
:mod:`.learner`), so a company without corrections keeps the lexicon's and
the rules' answers.
"""

import csv
from functools import cache
from pathlib import Path

from .learner import Example

SEED_FILE = Path(__file__).with_name("seed_examples.tsv")


@cache
def seed_examples():
    """The seeds as :class:`.learner.Example`, a sentiment and a category each."""
    examples = []
    with SEED_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            for target, label in (
                ("sentiment", row["sentiment"]),
                ("category", row["category"]),
            ):
                examples.append(
                    Example(target, row["text"], row["lang"], label, seed=True)
                )
    return tuple(examples)
