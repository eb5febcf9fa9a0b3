# Copyright 2026 The social_crm authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Social CRM - Test: a network added by another addon",
    "summary": "Test module: adds the Plaza network to Social CRM as a third-party "
    "addon would, without editing social_crm",
    "version": "18.0.1.0.0",
    "category": "Hidden/Tests",
    "license": "LGPL-3",
    "author": "social_crm authors",
    "website": "https://github.com/social-crm/social_crm",
    "maintainers": ["social-crm"],
    "development_status": "Beta",
    "depends": ["social_crm"],
    "installable": True,
}
