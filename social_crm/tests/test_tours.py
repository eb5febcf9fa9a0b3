import base64
import os
import struct
import subprocess
import tempfile

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import ChromeBrowser
from odoo.tools.misc import find_in_path

from .test_reports import render_summary_pdf


@tagged("post_install", "-at_install")
class TestSocialCrmTours(HttpCase):
    """Browser tours: the paths users walk, in real Chromium."""

    def test_agent_inbox_to_contact(self):
        agent = new_test_user(
            self.env,
            login="tour_agent",
            password="tour_agent_pw",
            groups="social_crm.group_social_crm_user,base.group_user",
        )
        partner = self.env["res.partner"].create({"name": "Tour Customer"})
        identity = self.env["social.identity"].create(
            {
                "network": "mastodon",
                "external_id": "https://mastodon.social/@tour_angry",
                "handle": "@tour_angry",
                "name": "Angry Customer",
                "partner_id": partner.id,
            }
        )
        self.env["social.mention"].create(
            {
                "network": "mastodon",
                "external_id": "tour-1",
                "identity_id": identity.id,
                "content": "My Acme router died after two days, terrible support, "
                "I want a refund!",
            }
        )
        self.start_tour("/odoo", "social_crm_agent_tour", login=agent.login)
        mention = self.env["social.mention"].search([("external_id", "=", "tour-1")])
        self.assertEqual(mention.state, "in_progress")
        self.assertEqual(mention.user_id, agent)

    def test_salesperson_question_to_lead(self):
        seller = new_test_user(
            self.env,
            login="tour_seller",
            groups="social_crm.group_social_crm_user,sales_team.group_sale_salesman",
        )
        identity = self.env["social.identity"].create(
            {
                "network": "x",
                "external_id": "tour-x-bob",
                "handle": "buyer_bob",
                "name": "Buyer Bob",
                "influence_score": 42,
            }
        )
        source = self.env["social.source"].create(
            {"name": "Tour source", "connector": "demo"}
        )
        self.env["social.mention"].create(
            {
                "network": "x",
                "external_id": "tour-lead-1",
                "identity_id": identity.id,
                "source_id": source.id,
                "content": "Is there bulk pricing for 50 Router X2 units?",
            }
        )
        # CRM's Leads setting off (Odoo's default; demo data may turn it on).
        self.env.ref("crm.group_use_lead").write({"users": [Command.unlink(seller.id)]})
        self.start_tour("/odoo", "social_crm_sales_lead_tour", login=seller.login)
        mention = self.env["social.mention"].search(
            [("external_id", "=", "tour-lead-1")]
        )
        self.assertTrue(mention.lead_id)
        self.assertEqual(mention.lead_id.user_id, seller)
        self.assertEqual(mention.lead_id.type, "opportunity")

    def test_agent_replies_to_a_converted_mention(self):
        agent = new_test_user(
            self.env,
            login="tour_replier",
            groups="social_crm.group_social_crm_user,base.group_user",
        )
        lead = self.env["crm.lead"].create({"name": "Refund request"})
        mention = self.env["social.mention"].create(
            {
                "network": "mastodon",
                "external_id": "tour-converted-1",
                "content": "Still no refund for my Acme router",
                "lead_id": lead.id,
                "state": "converted",
            }
        )
        self.start_tour(
            f"/odoo/action-social_crm.social_mention_action/{mention.id}",
            "social_crm_reply_converted_tour",
            login=agent.login,
        )
        self.assertEqual((mention.state, mention.lead_id), ("replied", lead))

    def test_sentiment_series_in_their_badge_colours(self):
        """Neutral was drawn red and negative green: the palette's colours for
        their rank, the opposite of the badges."""
        source = self.env["social.source"].create(
            {"name": "Colour source", "connector": "demo"}
        )
        for number, (text, sentiment) in enumerate(
            (
                ("Acme is great", "positive"),
                ("Acme opens at nine", "neutral"),
                ("Acme is awful", "negative"),
            )
        ):
            self.env["social.mention"].create(
                {
                    "network": "mastodon",
                    "external_id": f"tour-colour-{number}",
                    "source_id": source.id,
                    "content": text,
                    "sentiment": sentiment,
                }
            )
        for url in (
            # the analysis's bar chart, the inbox's line chart
            "/odoo/action-social_crm.social_mention_report_action",
            "/odoo/action-social_crm.social_mention_action?view_type=graph",
        ):
            with self.subTest(url=url):
                self.start_tour(url, "social_crm_sentiment_colors_tour", login="admin")

    def test_fetch_now_tells_what_came(self):
        manager = new_test_user(
            self.env,
            login="tour_manager",
            groups="social_crm.group_social_crm_manager,base.group_user",
        )
        source = self.env["social.source"].create(
            {"name": "Fetch now source", "connector": "demo"}
        )
        self.start_tour(
            "/odoo/action-social_crm.social_source_action",
            "social_crm_fetch_now_tour",
            login=manager.login,
        )
        self.assertTrue(source.last_fetch)
        # A new source starts on a real connector, not the demo feed.
        self.assertEqual(self.env["social.source"].new({}).connector, "rss")

    def test_inbox_screenshot(self):
        """The README's pictures, from the demo data: the inbox, a mention's
        form with its author's story, a contact's Social tab and the PDF
        summary's first page.

        ``./dev screenshot`` runs this test with SOCIAL_CRM_SCREENSHOTS set to
        docs/, where it writes inbox.png, mention_form.png, contact_social.png
        and summary_pdf.png.
        """
        if not self.env.ref("social_crm.social_source_demo", raise_if_not_found=False):
            self.skipTest("needs the demo data")
        Mention = self.env["social.mention"]
        # a mention whose author wrote before, through a contact
        mention = next(
            m
            for m in Mention.search(
                [("partner_id", "!=", False)], order="posted_at desc"
            )
            if m.story_mention_count
        )
        base = self.base_url()
        screens = {
            "inbox": (
                f"{base}/odoo/action-social_crm.social_mention_action",
                "document.querySelectorAll('.o_list_view .o_data_row').length >= 20",
            ),
            "mention_form": (
                f"{base}/odoo/action-social_crm.social_mention_action/{mention.id}",
                "document.querySelector('.o_form_view .o_social_post')"
                " && document.querySelectorAll('.o_form_view"
                " .o_field_widget[name=story_mention_ids] .o_data_row').length",
            ),
            "contact_social": (
                f"{base}/odoo/res.partner/{mention.partner_id.id}",
                # open the Social tab, then wait for its identities
                "(() => { const tab = document.querySelector("
                "'.o_form_view .o_notebook a[name=social]');"
                " if (tab && !tab.classList.contains('active')) tab.click();"
                " return document.querySelector('.o_notebook .tab-pane.active"
                " .o_field_widget[name=social_identity_ids] .o_data_row'); })()",
            ),
        }
        shots = {}
        browser = ChromeBrowser(self, headless=True)
        try:
            self.authenticate("admin", "admin", browser=browser)
            self.cr.flush()
            self.cr.clear()
            browser._websocket_request(
                "Emulation.setDeviceMetricsOverride",
                params={
                    "width": 1440,
                    "height": 900,
                    "deviceScaleFactor": 1,
                    "mobile": False,
                },
            )
            for name, (url, ready) in screens.items():
                browser.navigate_to(url)
                self.assertTrue(
                    browser._wait_ready(
                        f"({ready}) && !document.querySelector('.o_loading_indicator')"
                    ),
                    f"{name}: the screen did not show the demo data",
                )
                shots[name] = base64.b64decode(
                    browser._websocket_request("Page.captureScreenshot", timeout=30)[
                        "data"
                    ]
                )
        finally:
            browser.stop()
            self._wait_remaining_requests()
        for name, png in shots.items():
            with self.subTest(screen=name):
                self.assertEqual(png[:8], b"\x89PNG\r\n\x1a\n")
                width, height = struct.unpack(">II", png[16:24])
                self.assertEqual((width, height), (1440, 900))
        shots["summary_pdf"] = self._summary_first_page()
        target = os.environ.get("SOCIAL_CRM_SCREENSHOTS")
        if target:
            for name, png in shots.items():
                if png:
                    with open(os.path.join(target, f"{name}.png"), "wb") as file:
                        file.write(png)

    def _summary_first_page(self):
        """The first page of the demo's PDF summary as PNG (None without
        wkhtmltopdf or pdftoppm)."""
        if not (find_in_path("wkhtmltopdf") and find_in_path("pdftoppm")):
            return None
        pdf, __ = render_summary_pdf(self)
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "summary.pdf")
            with open(path, "wb") as file:
                file.write(pdf)
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    "90",
                    "-f",
                    "1",
                    "-l",
                    "1",
                    "-singlefile",
                    path,
                    os.path.join(folder, "page"),
                ],
                check=True,
            )
            with open(os.path.join(folder, "page.png"), "rb") as file:
                png = file.read()
        self.assertEqual(png[:8], b"\x89PNG\r\n\x1a\n")
        return png
