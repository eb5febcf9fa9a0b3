"""The isolation level of the jobs' transactions."""

import logging

from psycopg2.extensions import TRANSACTION_STATUS_IDLE

_logger = logging.getLogger(__name__)


def read_committed(cr):
    """Run ``cr``'s coming transaction in READ COMMITTED.

    Odoo runs transactions in REPEATABLE READ, whose snapshot the first query
    takes. A fetch job locks its source, waits for the network, then upserts
    the authors of what it got: under that snapshot, an author that another
    job committed in the meantime (sources share authors) makes the upsert
    fail ("could not serialize access due to concurrent update"); with a few
    jobs side by side, most fetches would. In READ COMMITTED the upsert waits
    for the other job's row and goes on, which is what its ``ON CONFLICT``
    clauses are written for. The influence recomputation's set-based updates
    likewise wait for the rows the fetch jobs hold instead of failing on
    them.

    Only a transaction that has run no query yet can change its level: the
    job functions allow commits, so that each job gets a fresh cursor of its
    own. A cursor already in a transaction (a test's, or a job method called
    directly) is left as it is.
    """
    if cr.connection.info.transaction_status != TRANSACTION_STATUS_IDLE:
        _logger.debug("Transaction under way: its isolation level stays")
        return
    cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
