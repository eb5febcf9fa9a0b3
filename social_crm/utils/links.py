"""Profile links and handles in comparable form, in Python and in SQL."""

import re

from odoo.tools import SQL


def normalize_link(value):
    """The comparable form of a profile URL or handle.

    ``https://www.X.com/Alice/`` and ``x.com/alice`` give ``x.com/alice``;
    ``@Alice@Mastodon.social`` gives ``@alice@mastodon.social``.
    """
    value = (value or "").strip().lower()
    value = re.sub(r"^https?://", "", value)
    value = re.sub(r"^www\.", "", value)
    return value.rstrip("/")


def sql_normalized_link(expression):
    """:func:`normalize_link` in SQL, for comparisons done by the database."""
    return SQL(
        "rtrim(regexp_replace(regexp_replace(lower(btrim(%s)),"
        " '^https?://', ''), '^www\\.', ''), '/')",
        expression,
    )


#: The normalized links a contact lists (website and social handles), as an
#: IMMUTABLE SQL function so that a GIN index can hold them (see below).
LINK_KEYS_FUNCTION = "social_crm_partner_link_keys"


def sql_partner_link_keys(alias=None):
    """The normalized links of the contact ``alias`` (an SQL text[])."""
    columns = [
        SQL.identifier(alias, name) if alias else SQL.identifier(name)
        for name in ("website", "social_handles")
    ]
    return SQL("%s(%s, %s)", SQL.identifier(LINK_KEYS_FUNCTION), *columns)
