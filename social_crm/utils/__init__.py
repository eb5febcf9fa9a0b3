"""Helpers of the Odoo layer that are not models: selection values shared by
several models, the staging copy of ingestion, window actions, links."""
