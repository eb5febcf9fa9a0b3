#!/usr/bin/env python3
"""Read an Odoo test log and print the closing line ``N passed, N failed``.

Usage: test_summary.py LOG ADDON [ADDON ...]

Counts come from Odoo's own report (``X failed, Y error(s) of N tests when
loading database``). Exits non-zero when a test failed or errored, when no
test ran, when the report is missing (Odoo crashed), or when the log holds an
ERROR or CRITICAL line: from our addons, or from Odoo while loading them.
"""

import re
import sys

LINE = re.compile(
    r"^\S+ \S+ \d+ (?P<level>DEBUG|INFO|WARNING|ERROR|CRITICAL|TEST) "
    r"(?P<db>\S+) (?P<logger>\S+): (?P<message>.*)$"
)
REPORT = re.compile(
    r"(?P<failed>\d+) failed, (?P<errors>\d+) error\(s\) of (?P<run>\d+) tests "
    r"when loading database"
)


def main(log_path, addons):
    failed = errors = run = None
    bad_lines = []
    with open(log_path, encoding="utf-8", errors="replace") as log:
        for raw in log:
            match = LINE.match(raw.rstrip("\n"))
            if not match:
                continue
            report = REPORT.search(match["message"])
            if report:
                failed, errors, run = (
                    int(report[k]) for k in ("failed", "errors", "run")
                )
                continue
            if match["level"] in ("ERROR", "CRITICAL"):
                bad_lines.append(raw.rstrip("\n"))
    if run is None:
        print("No test report in the log: Odoo stopped before the tests ended.")
        print("0 passed, 1 failed")
        return 1
    not_passed = failed + errors
    passed = run - not_passed
    if bad_lines:
        names = ", ".join(addons)
        print(f"{len(bad_lines)} ERROR/CRITICAL log lines during the run of {names}:")
        for line in bad_lines[:20]:
            print("  " + line[:300])
    if run == 0:
        print("No test ran.")
    print(f"{passed} passed, {not_passed} failed")
    return 0 if run and not not_passed and not bad_lines else 1


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2:]))
