"""18.0.1.2.0: the analysis reads the share of voice and the first action stored.

Up to 18.0.1.1.0 the mention analysis matched every mention against its
company's brand and competitor regexes, and joined the state's tracking
values, on every query. From 18.0.1.2.0 both are columns of
``social_mention``: ``voice`` (computed, stored) and ``first_action_date``.

The columns are created here, before the registry loads, so that the ORM
does not mark every mention for a recomputation of ``voice`` in Python;
post-migration.py fills both in set-based SQL. The index on ``state`` alone
gives way to one on ``(state, company_id)`` (``social.mention.init``), which
counts the inbox's columns from the index alone.
"""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        ALTER TABLE social_mention
            ADD COLUMN IF NOT EXISTS voice varchar,
            ADD COLUMN IF NOT EXISTS first_action_date timestamp without time zone
        """
    )
    cr.execute("DROP INDEX IF EXISTS social_mention__state_index")
