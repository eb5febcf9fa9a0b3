"""Shared base for the connector tests: a local server and a client for it."""

import os

from odoo.tests import BaseCase

from odoo.addons.social_crm.connectors.http import HttpClient

from .http_server import LocalServerCase

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures")


def fixture(path):
    """The bytes of ``tests/fixtures/<path>``."""
    with open(os.path.join(FIXTURES, path), "rb") as file:
        return file.read()


class ConnectorCase(LocalServerCase, BaseCase):
    """Connector tests need no database: a plain case with ``self.server``."""

    def setUp(self):
        super().setUp()
        self.sleeps = []

    def client(self, **kwargs):
        """An :class:`HttpClient` for the local server; sleeps are recorded."""
        kwargs.setdefault("allowed_private_hosts", ("127.0.0.1",))
        kwargs.setdefault("sleep", self.sleeps.append)
        return HttpClient(**kwargs)
