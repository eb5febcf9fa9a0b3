# Copyright 2026 The social_crm authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Social CRM",
    "summary": "Turn what people say about you on social networks into leads, "
    "tickets and influence scores on your contacts",
    "version": "18.0.1.6.0",
    "category": "Sales/CRM",
    "license": "LGPL-3",
    "author": "social_crm authors",
    "website": "https://github.com/social-crm/social_crm",
    "maintainers": ["social-crm"],
    "development_status": "Beta",
    "depends": ["crm", "mail"],
    "external_dependencies": {
        "python": ["requests", "lxml", "python-dateutil", "simplemma", "vaderSentiment"]
    },
    "data": [
        "security/social_crm_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "data/social_category_data.xml",
        "data/social_influence_score_data.xml",
        "data/social_routing_rule_data.xml",
        "wizard/social_mention_convert_views.xml",
        "wizard/social_identity_match_views.xml",
        "wizard/social_routing_apply_views.xml",
        "wizard/social_mention_reply_views.xml",
        "views/social_mention_views.xml",
        "views/social_mention_influence_views.xml",
        "views/social_identity_views.xml",
        "views/social_source_fetch_log_views.xml",
        "views/social_source_views.xml",
        "views/social_category_views.xml",
        "views/social_answer_views.xml",
        "views/social_reply_views.xml",
        "views/social_analysis_example_views.xml",
        "views/social_influence_score_views.xml",
        "views/res_partner_views.xml",
        "views/crm_lead_views.xml",
        "views/res_config_settings_views.xml",
        "report/social_mention_report_views.xml",
        "report/social_crm_summary_report.xml",
        "wizard/social_crm_summary_wizard_views.xml",
        "views/social_routing_rule_views.xml",
        "views/social_crm_menus.xml",
    ],
    "demo": [
        "demo/res_partner_demo.xml",
        "demo/social_source_demo.xml",
        "demo/social_answer_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "social_crm/static/src/scss/social_crm.scss",
            "social_crm/static/src/views/influence_field.js",
            "social_crm/static/src/views/influence_field.xml",
            "social_crm/static/src/fields/reply_text_field.js",
        ],
        # The graph view is loaded lazily: its extension with it.
        "web.assets_backend_lazy": [
            "social_crm/static/src/views/sentiment_graph.js",
        ],
        "web.assets_tests": [
            "social_crm/static/tests/tours/*.js",
        ],
    },
    "application": True,
    "installable": True,
}
