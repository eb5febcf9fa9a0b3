# Copyright 2026 The social_crm authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Social CRM - Helpdesk",
    "summary": "Turn social mentions into helpdesk tickets (OCA helpdesk_mgmt)",
    "version": "18.0.1.0.0",
    "category": "After-Sales",
    "license": "AGPL-3",
    "author": "social_crm authors",
    "website": "https://github.com/social-crm/social_crm",
    "maintainers": ["social-crm"],
    "development_status": "Beta",
    "depends": ["social_crm", "helpdesk_mgmt"],
    "data": [
        "data/helpdesk_ticket_channel_data.xml",
        "data/social_routing_rule_data.xml",
        "wizard/social_mention_convert_views.xml",
        "views/social_mention_views.xml",
        "views/social_source_views.xml",
        "views/social_routing_rule_views.xml",
        "views/helpdesk_ticket_views.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "social_crm_helpdesk/static/tests/tours/*.js",
        ],
    },
    "auto_install": True,
    "installable": True,
}
