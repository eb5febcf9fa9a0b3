"""18.0.1.2.0: fill the share of voice and the first action of existing mentions.

One set-based UPDATE (see pre-migration.py), so that each mention is
rewritten once:

* ``voice`` by its company's terms, by the SQL that ingestion and a change
  of terms use (``social.mention._voice_sql``);
* ``first_action_date`` from the chatter: the date of the first tracked
  change of the mention's ``state`` whose old value is set (a change, not
  the creation), as the analysis read it up to 18.0.1.1.0.
"""

import logging

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

#: The first tracked change of state of each mention.
FIRST_CHANGES = SQL(
    """
    SELECT message.res_id AS mention_id, min(message.date) AS date
      FROM mail_tracking_value tracking
      JOIN mail_message message ON message.id = tracking.mail_message_id
      JOIN ir_model_fields field ON field.id = tracking.field_id
     WHERE message.model = 'social.mention'
       AND field.model = 'social.mention'
       AND field.name = 'state'
       AND COALESCE(tracking.old_value_char, '') <> ''
     GROUP BY message.res_id
    """
)


def fill_stored_analysis(env):
    """Store voice and first action of the mentions that have no voice."""
    Mention = env["social.mention"]
    env.cr.execute(
        SQL(
            """
            UPDATE social_mention mention
               SET voice = computed.voice,
                   first_action_date = COALESCE(mention.first_action_date,
                                                computed.first_action_date)
              FROM (SELECT stored.id, %s AS voice,
                           first_change.date AS first_action_date
                      FROM social_mention stored
                      JOIN (%s) AS terms ON terms.company_id = stored.company_id
                      LEFT JOIN (%s) AS first_change
                             ON first_change.mention_id = stored.id
                     WHERE stored.voice IS NULL) AS computed
             WHERE mention.id = computed.id
            """,
            Mention._voice_sql(SQL.identifier("stored", "content"), "terms"),
            env["res.company"]._social_terms_query(),
            FIRST_CHANGES,
        )
    )
    Mention.invalidate_model(["voice", "first_action_date"])
    return env.cr.rowcount


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    _logger.info(
        "social_crm: share of voice and first action stored for %s mentions",
        fill_stored_analysis(env),
    )
