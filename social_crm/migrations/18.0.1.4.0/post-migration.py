"""18.0.1.4.0: first and last seen from the posts, and who is an influencer.

* ``social_identity.first_seen`` / ``last_seen`` were the time of the fetch
  that first (and last) read the author: every author of the first fetch
  had the same dates. From 18.0.1.4.0 they are the dates of the author's
  first and latest posts we hold; existing rows take them from their
  mentions in one UPDATE (authors without mentions keep theirs).
* ``social_identity.is_influencer`` (new, stored) is set by the company's
  two floors, as the influence recomputation sets it.
* The shipped "High-influence authors" routing rule (data in ``noupdate``)
  takes influencers rather than a bare score of 60, unless it was edited.
"""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)

OLD_INFLUENCER_DOMAIN = "[('identity_id.influence_score', '>=', 60)]"
NEW_INFLUENCER_DOMAIN = "[('identity_id.is_influencer', '=', True)]"


def fill_seen_from_posts(cr):
    cr.execute(
        """
        UPDATE social_identity identity
           SET first_seen = posts.first_post, last_seen = posts.last_post
          FROM (SELECT identity_id, min(posted_at) AS first_post,
                       max(posted_at) AS last_post
                  FROM social_mention
                 WHERE identity_id IS NOT NULL
                 GROUP BY identity_id) AS posts
         WHERE posts.identity_id = identity.id
           AND (identity.first_seen, identity.last_seen)
               IS DISTINCT FROM (posts.first_post, posts.last_post)
        """
    )
    return cr.rowcount


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    seen = fill_seen_from_posts(cr)
    influencers = env["social.identity"]._recompute_influencers()
    rule = env.ref(
        "social_crm.routing_rule_influencer_notify_leader", raise_if_not_found=False
    )
    if rule and rule.domain == OLD_INFLUENCER_DOMAIN:
        rule.domain = NEW_INFLUENCER_DOMAIN
    _logger.info(
        "social_crm: first/last seen from the posts for %s identities; "
        "%s influencer flags set",
        seen,
        influencers,
    )
