"""Rows staged with PostgreSQL's COPY for one set-based write.

The fetch writes mentions and their authors a few hundred rows at a time.
``INSERT ... VALUES`` with that many rows costs a client-side quoting of
every value and a server-side parse of a statement of hundreds of
kilobytes; ``COPY`` into a temporary table, then one ``INSERT ... SELECT``
from it, does the same write in about half the time and keeps the
``ON CONFLICT`` clauses that make the write safe against a concurrent one.

The temporary table has the written columns of the target table (same
types, no constraints, no defaults), is created the first time a
transaction needs it and is dropped at the end of that transaction. The
statement that uses it takes its rows out (``DELETE ... RETURNING``), so
each batch starts from an empty table.
"""

import io

from odoo.tools import SQL

# COPY's text format: backslash escapes for the separators; PostgreSQL
# text cannot hold NUL at all, so it is dropped (as a remote post may have
# "\u0000" in its JSON).
_COPY_ESCAPES = str.maketrans(
    {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", "\x00": None}
)


#: The largest value of an ``Integer`` field (a PostgreSQL int4).
MAX_INT4 = 2**31 - 1


def count_value(value):
    """A count from a network as an int4 column takes it: 0 to :data:`MAX_INT4`.

    A network reporting an absurd number must not make a whole batch fail
    (and fail again at every fetch).
    """
    return min(max(value or 0, 0), MAX_INT4)


def _copy_value(value):
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    # int, float, datetime: their str() is what PostgreSQL reads.
    return str(value)


def stage_rows(cr, table, columns, rows):
    """COPY ``rows`` into the staging table of ``table``; return its taking SQL.

    :param cr: the Odoo cursor of the transaction
    :param table: the target table (its staging table is ``<table>_staging``)
    :param columns: the names of the columns of each row, in order
    :param rows: tuples of values (None, bool, int, float, str, datetime)
    :return: an :class:`~odoo.tools.SQL` selecting the staged rows while
        deleting them, for the ``WITH`` clause of the caller's write
    """
    staging = f"{table}_staging"
    column_list = ", ".join(columns)
    cr.execute(
        SQL(
            "CREATE TEMPORARY TABLE IF NOT EXISTS %s ON COMMIT DROP AS"
            " SELECT %s FROM %s WITH NO DATA",
            SQL.identifier(staging),
            SQL(column_list),
            SQL.identifier(table),
        )
    )
    text = "".join("\t".join(map(_copy_value, row)) + "\n" for row in rows)
    # A lone surrogate (a JSON "\ud83d" cut from its pair, as truncated posts
    # have) cannot be encoded: it becomes "?" rather than failing the batch.
    body = io.BytesIO(text.encode("utf-8", "replace"))
    # psycopg2's copy_expert, reached through the Odoo cursor (as models.py
    # reaches copy_from), so the statement runs in the same transaction.
    cr.copy_expert(f'COPY "{staging}" ({column_list}) FROM STDIN', body)
    return SQL("DELETE FROM %s RETURNING %s", SQL.identifier(staging), SQL(column_list))
