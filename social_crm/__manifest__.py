# Copyright 2026 The social_crm authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Social CRM",
    "summary": "Turn what people say about you on social networks into leads, "
    "tickets and influence scores on your contacts",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "license": "LGPL-3",
    "author": "social_crm authors",
    "website": "https://github.com/social-crm/social_crm",
    "depends": ["crm", "mail", "contacts"],
    "external_dependencies": {"python": ["requests", "lxml", "python-dateutil"]},
    "data": [],
    "demo": [],
    "application": True,
    "installable": True,
}
