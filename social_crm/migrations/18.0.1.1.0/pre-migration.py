"""18.0.1.1.0: mentions and identities are scoped by company.

Up to 18.0.1.0.0 a post and an author existed once in the whole database,
unique on ``(network, external_id)``: a second company watching the same
network got no mention of a post the first company had, and its new posts
were attached to the first company's identity of their author. From
18.0.1.1.0 both are unique per company. Before the new keys are created:

1. an identity without a company takes the company of its earliest mention
   (else the first company), since the field is now required;
2. an identity whose mentions belong to other companies too is copied once
   for each of them (its contact kept when that company may see it) and
   those mentions move to their company's copy.

The old unique constraints go first: the copies share the old key. Odoo
then creates the new ones from the models. Scores of the copies are
recomputed in the post-migration step.
"""

import logging

from odoo.tools import SQL

_logger = logging.getLogger(__name__)

#: The columns an identity's copy takes from it (its own mail thread, score
#: history and influence start anew).
COPIED_COLUMNS = (
    "network",
    "external_id",
    "handle",
    "name",
    "profile_url",
    "avatar_url",
    "bio",
    "followers_count",
    "following_count",
    "post_count",
    "verified",
    "first_seen",
    "last_seen",
    "create_uid",
    "create_date",
    "write_uid",
    "write_date",
)


def scope_by_company(cr):
    """Give every identity a company and split those shared by companies.

    Returns the number of identity copies made.
    """
    for table in ("social_mention", "social_identity"):
        cr.execute(
            SQL(
                "ALTER TABLE %s DROP CONSTRAINT IF EXISTS %s",
                SQL.identifier(table),
                SQL.identifier(f"{table}_network_external_id_unique"),
            )
        )
    cr.execute(
        """
        UPDATE social_identity identity
           SET company_id = COALESCE(
                   (SELECT mention.company_id
                      FROM social_mention mention
                     WHERE mention.identity_id = identity.id
                     ORDER BY mention.posted_at, mention.id
                     LIMIT 1),
                   (SELECT min(id) FROM res_company))
         WHERE identity.company_id IS NULL
        """
    )
    columns = SQL(", ").join(SQL.identifier(name) for name in COPIED_COLUMNS)
    selected = SQL(", ").join(
        SQL.identifier("identity", name) for name in COPIED_COLUMNS
    )
    cr.execute(
        SQL(
            """
        INSERT INTO social_identity (%s, company_id, partner_id)
        SELECT DISTINCT ON (identity.id, mention.company_id)
               %s, mention.company_id,
               CASE WHEN partner.company_id IS NULL
                         OR partner.company_id = mention.company_id
                    THEN identity.partner_id END
          FROM social_mention mention
          JOIN social_identity identity ON identity.id = mention.identity_id
          LEFT JOIN res_partner partner ON partner.id = identity.partner_id
         WHERE mention.company_id <> identity.company_id
         ORDER BY identity.id, mention.company_id
        RETURNING id
        """,
            columns,
            selected,
        )
    )
    copies = cr.rowcount
    if copies:
        cr.execute(
            """
            UPDATE social_mention mention
               SET identity_id = copy.id, partner_id = copy.partner_id
              FROM social_identity original, social_identity copy
             WHERE mention.identity_id = original.id
               AND mention.company_id <> original.company_id
               AND copy.company_id = mention.company_id
               AND copy.network = original.network
               AND copy.external_id = original.external_id
            """
        )
        _logger.info(
            "social_crm: %s identities copied for the other companies that "
            "mention them; %s mentions moved to their company's copy",
            copies,
            cr.rowcount,
        )
    return copies


def migrate(cr, version):
    if not version:
        return
    if scope_by_company(cr):
        # post-migration.py recomputes the scores once the registry is up.
        cr.execute(
            """
            INSERT INTO ir_config_parameter (key, value, create_date, write_date)
            VALUES ('social_crm.recompute_after_migration', '1',
                    now() at time zone 'UTC', now() at time zone 'UTC')
            ON CONFLICT (key) DO UPDATE SET value = '1'
            """
        )
