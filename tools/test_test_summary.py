"""Tests of test_summary.py, the closing line of ``./dev test`` (run by it first)."""

import contextlib
import io
import os
import tempfile
import unittest

import test_summary

HEAD = "2026-12-02 05:43:19,959 6590"


def line(level, logger, message):
    return f"{HEAD} {level} social_crm_test {logger}: {message}\n"


REPORT = line(
    "INFO",
    "odoo.tests.result",
    "0 failed, 0 error(s) of 10 tests when loading database 'social_crm_test'",
)
SKIP = line(
    "INFO",
    "odoo.addons.social_crm.tests.test_tours",
    "skipped TestSocialCrmTours.test_inbox_screenshot : needs the demo data",
)


class TestSummary(unittest.TestCase):
    def summarize(self, *lines, expected=()):
        with tempfile.NamedTemporaryFile("w", suffix=".log", delete=False) as log:
            log.writelines(lines)
        self.addCleanup(os.unlink, log.name)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            rc = test_summary.main(log.name, ["social_crm"], set(expected))
        return rc, out.getvalue().splitlines()

    def test_all_passed(self):
        rc, out = self.summarize(REPORT)
        self.assertEqual((rc, out[-1]), (0, "10 passed, 0 failed, 0 skipped"))

    def test_a_skip_is_not_a_pass_and_fails_the_run(self):
        rc, out = self.summarize(SKIP, REPORT)
        self.assertEqual((rc, out[-1]), (1, "9 passed, 0 failed, 1 skipped"))
        self.assertIn(
            "  TestSocialCrmTours.test_inbox_screenshot: needs the demo data", out
        )

    def test_a_skip_expected_by_name_is_counted_but_accepted(self):
        rc, out = self.summarize(
            SKIP, REPORT, expected=["TestSocialCrmTours.test_inbox_screenshot"]
        )
        self.assertEqual((rc, out[-1]), (0, "9 passed, 0 failed, 1 skipped"))

    def test_skips_of_other_addons_are_not_ours(self):
        other = SKIP.replace("odoo.addons.social_crm.", "odoo.addons.crm.")
        rc, out = self.summarize(other, REPORT)
        self.assertEqual((rc, out[-1]), (0, "10 passed, 0 failed, 0 skipped"))

    def test_failures_errors_and_error_lines(self):
        failed = REPORT.replace("0 failed, 0 error(s)", "1 failed, 2 error(s)")
        rc, out = self.summarize(failed)
        self.assertEqual((rc, out[-1]), (1, "7 passed, 3 failed, 0 skipped"))
        rc, out = self.summarize(line("ERROR", "odoo.sql_db", "bad query"), REPORT)
        self.assertEqual(rc, 1)
        self.assertIn("1 ERROR/CRITICAL log lines", out[0])

    def test_no_report_or_no_test(self):
        rc, out = self.summarize(line("INFO", "odoo", "starting"))
        self.assertEqual((rc, out[-1]), (1, "0 passed, 1 failed, 0 skipped"))
        empty = REPORT.replace("of 10 tests", "of 0 tests")
        rc, out = self.summarize(empty)
        self.assertEqual(rc, 1)
        self.assertIn("No test ran.", out)


if __name__ == "__main__":
    unittest.main()
