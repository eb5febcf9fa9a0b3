# Copyright 2026 The social_crm authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Social CRM - Job Queue",
    "summary": "Fetch social sources in parallel queue jobs (OCA queue_job)",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "license": "LGPL-3",
    "author": "social_crm authors",
    "website": "https://github.com/social-crm/social_crm",
    "maintainers": ["social-crm"],
    "development_status": "Beta",
    "depends": ["social_crm", "queue_job"],
    "data": [
        "data/queue_job_channel_data.xml",
        "data/queue_job_function_data.xml",
        "views/social_source_views.xml",
    ],
    "auto_install": True,
    "installable": True,
}
