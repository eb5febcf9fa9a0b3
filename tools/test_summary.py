#!/usr/bin/env python3
"""Read an Odoo test log and print the closing line ``N passed, N failed, N skipped``.

Usage: test_summary.py LOG ADDON [ADDON ...] [--expect-skip TEST_ID ...]

Counts come from Odoo's own report (``X failed, Y error(s) of N tests when
loading database``, where N counts skipped tests too) and from the
``skipped <test> : <reason>`` lines Odoo logs for each skip. A skipped test
proves nothing, so it is never counted as passed, and a skip fails the run
unless it is expected by name (``--expect-skip TestClass.test_method``).

Exits non-zero when a test failed or errored, when a test was skipped
unexpectedly, when no test ran, when the report is missing (Odoo crashed),
or when the log holds an ERROR or CRITICAL line: from our addons, or from
Odoo while loading them.
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
# OdooTestResult.addSkip: "skipped <description> : <reason>", where the
# description starts with "TestClass.test_method" (or the class alone when
# its setUpClass skipped).
SKIP = re.compile(r"^skipped (?P<test>\S+)(?: \([^)]*\))? : (?P<reason>.*)$")


def parse_args(argv):
    addons, expected = [], set()
    args = iter(argv)
    for arg in args:
        if arg == "--expect-skip":
            expected.add(next(args, ""))
        else:
            addons.append(arg)
    return addons, expected


def main(log_path, addons, expected_skips=()):
    failed = errors = None
    run = 0
    reports = 0
    bad_lines = []
    skips = []
    prefixes = tuple(f"odoo.addons.{addon}." for addon in addons)
    with open(log_path, encoding="utf-8", errors="replace") as log:
        for raw in log:
            match = LINE.match(raw.rstrip("\n"))
            if not match:
                continue
            report = REPORT.search(match["message"])
            if report:
                # One report per database load; keep the last (the whole run).
                reports += 1
                failed, errors, run = (
                    int(report[k]) for k in ("failed", "errors", "run")
                )
                continue
            skip = SKIP.match(match["message"])
            if skip and match["logger"].startswith(prefixes):
                skips.append((skip["test"], skip["reason"].strip()))
                continue
            if match["level"] in ("ERROR", "CRITICAL"):
                bad_lines.append(raw.rstrip("\n"))
    if not reports:
        print("No test report in the log: Odoo stopped before the tests ended.")
        print("0 passed, 1 failed, 0 skipped")
        return 1
    not_passed = failed + errors
    passed = run - not_passed - len(skips)
    unexpected = [
        (test, reason) for test, reason in skips if test not in expected_skips
    ]
    if bad_lines:
        names = ", ".join(addons)
        print(f"{len(bad_lines)} ERROR/CRITICAL log lines during the run of {names}:")
        for line in bad_lines[:20]:
            print("  " + line[:300])
    if unexpected:
        print(f"{len(unexpected)} tests skipped that are not expected to be:")
        for test, reason in unexpected:
            print(f"  {test}: {reason}")
    if run == 0:
        print("No test ran.")
    print(f"{passed} passed, {not_passed} failed, {len(skips)} skipped")
    ok = run and passed > 0 and not not_passed and not bad_lines and not unexpected
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    addon_names, expected = parse_args(sys.argv[2:])
    sys.exit(main(sys.argv[1], addon_names, expected))
