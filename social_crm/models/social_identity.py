import base64
import logging
import re

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..connectors.base import ConnectorError
from ..utils.links import normalize_link, sql_normalized_link, sql_partner_link_keys
from ..utils.selection_values import (
    INFLUENCE_HELP,
    INFLUENCE_TYPES,
    INFLUENCER_HELP,
    INFLUENCER_MIN_FOLLOWERS,
    INFLUENCER_MIN_SCORE,
    NETWORKS,
)
from ..utils.staging_copy import count_value, stage_rows
from ..utils.window_action import filtered_window_action

_logger = logging.getLogger(__name__)

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
URL_RE = re.compile(r"https?://[^\s<>\"')]+", re.IGNORECASE)
#: Networks whose handles name one account worldwide (user@instance, a domain),
#: so a handle written on a contact is evidence on its own.
GLOBAL_HANDLE_NETWORKS = {"mastodon", "bluesky"}
#: How many contacts the Match Contact dialog proposes at most.
MATCH_SUGGESTIONS = 8

#: Bulk upsert of a page's authors: new ones inserted, known ones refreshed
#: (counts and profile follow the network; a blank or zero keeps the old value,
#: as some networks do not report them).
#: ``xmax = 0`` tells the rows this statement inserted; ``partner_id`` spares
#: the ingestion a query for the contacts of known authors.
#: Rows go in key order, so that fetches writing authors in common side by
#: side (queue jobs) lock them in the same order: one waits, none deadlocks.
UPSERT_IDENTITIES = """
    WITH incoming AS (%(staged)s)
    INSERT INTO social_identity AS identity (%(columns)s)
    SELECT %(columns)s FROM incoming ORDER BY network, external_id
    ON CONFLICT (company_id, network, external_id) DO UPDATE SET
        handle = COALESCE(EXCLUDED.handle, identity.handle),
        name = COALESCE(EXCLUDED.name, identity.name),
        profile_url = COALESCE(EXCLUDED.profile_url, identity.profile_url),
        avatar_url = COALESCE(EXCLUDED.avatar_url, identity.avatar_url),
        bio = COALESCE(EXCLUDED.bio, identity.bio),
        followers_count = CASE WHEN EXCLUDED.followers_count > 0
            THEN EXCLUDED.followers_count ELSE identity.followers_count END,
        following_count = CASE WHEN EXCLUDED.following_count > 0
            THEN EXCLUDED.following_count ELSE identity.following_count END,
        post_count = GREATEST(EXCLUDED.post_count, identity.post_count),
        verified = EXCLUDED.verified OR identity.verified,
        -- The posts' dates, not the fetch's: a page of old posts read today
        -- does not make the author new, nor make them seen today.
        first_seen = LEAST(identity.first_seen, EXCLUDED.first_seen),
        last_seen = GREATEST(identity.last_seen, EXCLUDED.last_seen),
        write_uid = EXCLUDED.write_uid,
        write_date = EXCLUDED.write_date
    RETURNING id, network, external_id, (xmax = 0), partner_id
"""


#: The columns of the authors the ingestion path writes, in its rows' order.
UPSERT_COLUMNS = (
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
    "company_id",
    "first_seen",
    "last_seen",
    "create_uid",
    "write_uid",
    "create_date",
    "write_date",
)


class SocialIdentity(models.Model):
    """One account on one network, as its posts show it.

    Identities are written in bulk by the ingestion service; their link to a
    contact is made automatically only on strong evidence
    (:meth:`_auto_match_partners`) and otherwise by hand.
    """

    _name = "social.identity"
    _description = "Social Identity"
    _inherit = ["mail.thread"]
    _order = "influence_score desc, id desc"
    _rec_names_search = ["handle", "name"]

    network = fields.Selection(NETWORKS, required=True, index=True)
    external_id = fields.Char(required=True, string="External ID")
    handle = fields.Char(index="trigram")
    name = fields.Char()
    profile_url = fields.Char(string="Profile URL")
    avatar_url = fields.Char(string="Avatar URL")
    bio = fields.Text()
    followers_count = fields.Integer(string="Network Followers")
    following_count = fields.Integer(string="Following")
    post_count = fields.Integer(string="Posts")
    verified = fields.Boolean()
    partner_id = fields.Many2one(
        "res.partner", string="Contact", index=True, tracking=True, ondelete="set null"
    )
    match_note = fields.Char(
        readonly=True,
        help="Why the identity was, or could not be, linked automatically.",
    )
    first_seen = fields.Datetime(
        readonly=True, index=True, help="The date of the author's first post we hold."
    )
    last_seen = fields.Datetime(
        readonly=True, help="The date of the author's latest post we hold."
    )
    mention_ids = fields.One2many("social.mention", "identity_id", string="Mentions")
    mention_count = fields.Integer(compute="_compute_mention_count")
    influence_score = fields.Float(
        digits=(5, 1),
        readonly=True,
        aggregator="avg",
        help=INFLUENCE_HELP,
    )
    is_influencer = fields.Boolean(
        string="Influencer",
        readonly=True,
        index=True,
        help=INFLUENCER_HELP,
    )
    influence_type = fields.Selection(
        INFLUENCE_TYPES,
        default="neutral",
        readonly=True,
        help="Whether this author's influence works for or against the brand.",
    )
    influence_reach = fields.Float(digits=(5, 1), readonly=True, string="Reach")
    influence_engagement = fields.Float(
        digits=(5, 1), readonly=True, string="Engagement"
    )
    influence_activity = fields.Float(digits=(5, 1), readonly=True, string="Activity")
    influence_amplification = fields.Float(
        digits=(5, 1), readonly=True, string="Amplification"
    )
    influence_polarity = fields.Float(
        digits=(4, 2),
        readonly=True,
        string="Polarity",
        help="Average sentiment of what the author says, -1 to 1.",
    )
    score_ids = fields.One2many(
        "social.influence.score", "identity_id", string="Score History"
    )
    # Each company knows an author on its own (see readme/CONFIGURE.md): its
    # contact, its notes and its influence stand on that company's mentions.
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )

    _sql_constraints = [
        (
            "network_external_id_unique",
            "unique(company_id, network, external_id)",
            "An account exists once per network and company.",
        ),
    ]

    def init(self):
        result = super().init()
        # Cross-links look identities up by normalized profile URL.
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS social_identity_profile_url_key_index"
                " ON social_identity (%s) WHERE profile_url IS NOT NULL",
                sql_normalized_link(SQL("profile_url")),
            )
        )
        return result

    @api.depends("handle", "name", "network")
    def _compute_display_name(self):
        labels = dict(self._fields["network"]._description_selection(self.env))
        for identity in self:
            who = identity.name or identity.handle or identity.external_id
            if identity.handle and identity.name:
                who = f"{identity.name} ({identity.handle})"
            identity.display_name = f"{who} · {labels.get(identity.network, '')}"

    def _compute_mention_count(self):
        counts = dict(
            self.env["social.mention"]._read_group(
                [("identity_id", "in", self.ids)], ["identity_id"], ["__count"]
            )
        )
        for identity in self:
            identity.mention_count = counts.get(identity, 0)

    # ------------------------------------------------------------------ actions
    def action_view_influence_history(self):
        self.ensure_one()
        return filtered_window_action(
            self.env,
            "social_crm.social_influence_score_action",
            [("identity_id", "=", self.id)],
        )

    def action_view_mentions(self):
        self.ensure_one()
        return filtered_window_action(
            self.env,
            "social_crm.social_mention_action",
            [("identity_id", "=", self.id)],
        )

    def action_open_partner(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "view_mode": "form",
        }

    def action_open_profile(self):
        self.ensure_one()
        if not self.profile_url:
            raise UserError(_("This identity has no profile URL."))
        return {"type": "ir.actions.act_url", "url": self.profile_url, "target": "new"}

    def action_auto_match(self):
        matched = self._auto_match_partners()
        if len(self) == 1 and not matched and not self.partner_id:
            # Nothing strong enough on its own: propose the candidates, and why.
            return self.env["social.identity.match"]._open_for(self)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Match contacts"),
                "message": _(
                    "%(matched)s of %(total)s identities linked to a contact.",
                    matched=len(matched),
                    total=len(self),
                ),
                "type": "success" if matched else "info",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_create_partner(self):
        """Create a contact from the profile (name, avatar, website) and link it."""
        partners = self.env["res.partner"]
        for identity in self:
            if identity.partner_id:
                raise UserError(
                    _("%s is already linked to a contact.", identity.display_name)
                )
            values = {
                "name": identity.name or identity.handle or identity.external_id,
                "website": identity.profile_url or False,
                "social_handles": identity.handle or False,
            }
            avatar = identity._download_avatar()
            if avatar:
                values["image_1920"] = avatar
            partner = partners.create(values)
            identity.write({"partner_id": partner.id, "match_note": False})
            identity._message_log(
                body=_(
                    "Contact %s created from this profile.", partner._get_html_link()
                )
            )
            partners |= partner
        if len(partners) == 1:
            return {
                "type": "ir.actions.act_window",
                "res_model": "res.partner",
                "res_id": partners.id,
                "view_mode": "form",
            }
        return True

    def _download_avatar(self):
        """The avatar as base64, or False: a missing picture never blocks anything."""
        if not self.avatar_url:
            return False
        source_model = self.env["social.source"]
        try:
            response = source_model._http_client().request("GET", self.avatar_url)
        except ConnectorError as error:
            _logger.info("Avatar of identity %s not downloaded: %s", self.id, error)
            return False
        if response.status != 200 or not response.headers.get(
            "Content-Type", ""
        ).startswith("image/"):
            return False
        return base64.b64encode(response.body)

    # ------------------------------------------------------------------ matching
    def _match_keys(self):
        """The normalized links under which a contact may list this identity."""
        self.ensure_one()
        keys = set()
        if self.profile_url:
            keys.add(normalize_link(self.profile_url))
        if self.handle and self.network in GLOBAL_HANDLE_NETWORKS:
            handle = normalize_link(self.handle)
            keys.add(handle)
            keys.add(handle.lstrip("@"))
            keys.add("@" + handle.lstrip("@"))
        keys.discard("")
        return keys

    def _partners_by_link(self, keys, company):
        """Map each key to the ids of the active contacts of ``company`` (or
        shared by all companies) listing it, in one query."""
        if not keys:
            return {}
        self.env["res.partner"].flush_model(
            ["active", "company_id", "website", "social_handles"]
        )
        # One GIN lookup per key (the index of create_partner_link_indexes).
        # The company is checked apart, on the contacts found: a condition on
        # it in this query leads the planner, before the table is analyzed,
        # to scan every contact with the link function (a hundred times
        # slower ingestion).
        self.env.cr.execute(
            SQL(
                """
                SELECT wanted.key, array_agg(DISTINCT partner.id)
                  FROM unnest(%(keys)s::text[]) AS wanted(key)
                  JOIN res_partner partner
                    ON %(links)s @> ARRAY[wanted.key]
                 WHERE partner.active
                   AND (partner.website IS NOT NULL
                        OR partner.social_handles IS NOT NULL)
                 GROUP BY wanted.key
                """,
                links=sql_partner_link_keys("partner"),
                keys=list(keys),
            )
        )
        found = dict(self.env.cr.fetchall())
        if not found:
            return {}
        self.env.cr.execute(
            "SELECT id FROM res_partner WHERE id = ANY(%s)"
            " AND (company_id IS NULL OR company_id = %s)",
            [list(set().union(*found.values())), company.id],
        )
        allowed = {row[0] for row in self.env.cr.fetchall()}
        return {
            key: [partner_id for partner_id in ids if partner_id in allowed]
            for key, ids in found.items()
        }

    def _auto_match_partners(self):
        """Link unlinked identities to a contact where the evidence is strong.

        Evidence, each enough on its own when it points to exactly one contact:

        1. the identity's profile URL, or its handle on networks whose handles
           are global (Mastodon, Bluesky), written on a contact's website or
           social handles;
        2. an e-mail address in the bio that exactly one contact has;
        3. a verified cross-link: this profile and an identity already linked
           on another network each link to the other (both ways, so one
           account cannot claim another).

        Evidence pointing to several contacts, or rules that disagree, leave
        the identity unlinked with a note, for the "To match" list. Only the
        contacts of the identity's company, or shared by every company, are
        candidates. Returns the identities linked. Queries are per batch and
        company, not per identity.
        """
        # Only what matching reads, not every column of the model.
        self.fetch(
            ["partner_id", "network", "handle", "profile_url", "bio", "company_id"]
        )
        identities = self.filtered(lambda i: not i.partner_id)
        matched = self.browse()
        for company in identities.company_id:
            matched |= identities.filtered(
                lambda i, company=company: i.company_id == company
            )._match_partners_in_company(company)
        return matched

    def _match_partners_in_company(self, company):
        """:meth:`_auto_match_partners` for unlinked identities of ``company``."""
        matched = self.browse()
        ambiguous = {}
        to_link = {}
        for identity, candidates in self._match_candidates(company).items():
            if len(candidates) == 1:
                partner_id, reasons = next(iter(candidates.items()))
                to_link[identity] = (partner_id, reasons)
            elif len(candidates) > 1:
                ambiguous[identity] = sorted(candidates)
        # The note logged on each identity says what linked it, so the write
        # itself is not tracked too; notes go in one batch, not one post each.
        untracked = self.with_context(tracking_disable=True)
        # The contacts' names for the notes, computed together.
        self.env["res.partner"].browse(
            {partner_id for partner_id, _reasons in to_link.values()}
        ).mapped("display_name")
        bodies = {}
        for identity, (partner_id, reasons) in to_link.items():
            untracked.browse(identity.id).write(
                {"partner_id": partner_id, "match_note": "; ".join(reasons)}
            )
            bodies[identity.id] = _(
                "Linked automatically to %(partner)s: %(reasons)s.",
                partner=identity.partner_id._get_html_link(),
                reasons="; ".join(reasons),
            )
            matched |= identity
        if bodies:
            matched._message_log_batch(bodies=bodies)
        for identity, partner_ids in ambiguous.items():
            names = "; ".join(
                self.env["res.partner"].browse(partner_ids).mapped("display_name")
            )
            identity.match_note = _("Ambiguous: the evidence points to %s.", names)
        return matched

    def _match_candidates(self, company):
        """identity -> {partner id: [reasons]}: the strong evidence of each.

        The evidence of :meth:`_auto_match_partners` (a profile or handle on
        the contact, an e-mail of the bio, a two-way cross-link), among the
        contacts of ``company`` or shared by every company, in a few queries
        for the batch.
        """
        identities = self
        keys_by_identity = {identity: identity._match_keys() for identity in identities}
        by_link = self._partners_by_link(
            set().union(*keys_by_identity.values()), company
        )
        emails_by_identity = {
            identity: {e.lower() for e in EMAIL_RE.findall(identity.bio or "")}
            for identity in identities
        }
        all_emails = set().union(*emails_by_identity.values())
        by_email = {}
        if all_emails:
            for email, partner_ids in self.env["res.partner"]._read_group(
                [
                    ("email_normalized", "in", list(all_emails)),
                    ("company_id", "in", [False, company.id]),
                ],
                ["email_normalized"],
                ["id:array_agg"],
            ):
                by_email[email] = set(partner_ids)
        cross_links = identities._cross_linked_partners()
        result = {}
        for identity in identities:
            candidates = result[identity] = {}
            for key in keys_by_identity[identity]:
                for partner_id in by_link.get(key, []):
                    candidates.setdefault(partner_id, []).append(
                        _("its profile %s is on the contact", key)
                    )
            for email in emails_by_identity[identity]:
                for partner_id in by_email.get(email, ()):
                    candidates.setdefault(partner_id, []).append(
                        _("the e-mail %s in its bio is the contact's", email)
                    )
            for partner_id, other in cross_links.get(identity.id, []):
                candidates.setdefault(partner_id, []).append(
                    _("it and %s link to each other", other)
                )
        return result

    def _suggested_partners(self, limit=MATCH_SUGGESTIONS):
        """``[(partner, reasons, strong)]`` for linking this identity by hand.

        The strong evidence first (what automatic matching reads, here even
        when it points to several contacts), then contacts of the same name,
        which is never enough on its own to link automatically.
        """
        self.ensure_one()
        Partner = self.env["res.partner"]
        strong = self._match_candidates(self.company_id).get(self, {})
        suggestions = [
            (Partner.browse(partner_id), reasons, True)
            for partner_id, reasons in sorted(strong.items())
        ]
        name = (self.name or "").strip()
        if name and len(suggestions) < limit:
            same_name = Partner.search(
                [
                    ("name", "=ilike", name),
                    ("id", "not in", list(strong)),
                    ("company_id", "in", [False, self.company_id.id]),
                ],
                limit=limit - len(suggestions),
            )
            suggestions += [
                (partner, [_("the contact has the same name")], False)
                for partner in same_name
            ]
        return suggestions[:limit]

    def _cross_linked_partners(self):
        """identity id -> [(partner id, other identity name)] for two-way links."""
        urls = {}
        for identity in self:
            for url in URL_RE.findall(identity.bio or ""):
                urls.setdefault(normalize_link(url), []).append(identity)
        if not urls:
            return {}
        # Only the linked identities whose profile one of the bios names (by
        # the expression index of init, or else with the normalization
        # computed for linked identities only), not every linked identity.
        self.flush_model(["partner_id", "profile_url", "company_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM social_identity
                 WHERE partner_id IS NOT NULL
                   AND profile_url IS NOT NULL
                   AND %s = ANY(%s)
                   AND company_id = ANY(%s)
                """,
                sql_normalized_link(SQL("profile_url")),
                list(urls),
                self.company_id.ids,
            )
        )
        named_ids = [row[0] for row in self.env.cr.fetchall()]
        if not named_ids:
            return {}
        others = self.search(
            [
                ("id", "in", named_ids),
                ("partner_id", "!=", False),
                ("profile_url", "!=", False),
                ("id", "not in", self.ids),
            ]
        ).filtered(lambda other: normalize_link(other.profile_url) in urls)
        result = {}
        for other in others:
            other_links = {normalize_link(u) for u in URL_RE.findall(other.bio or "")}
            for identity in urls[normalize_link(other.profile_url)]:
                if (
                    identity.network != other.network
                    and identity.company_id == other.company_id
                    and identity.profile_url
                    and (normalize_link(identity.profile_url) in other_links)
                ):
                    result.setdefault(identity.id, []).append(
                        (other.partner_id.id, other.display_name)
                    )
        return result

    # ------------------------------------------------------------------ influence
    @api.model
    def _recompute_influencers(self, companies=None):
        """Set-based: who is an influencer, by their company's two floors.

        An influencer has an influence score of at least the company's
        minimum score AND at least its minimum of followers: the score is
        relative within a network (the best-followed account of a small
        network scores high with a dozen followers), the floor of followers
        is absolute. Only the identities whose flag changes are written.
        Returns how many changed.
        """
        self.flush_model(["influence_score", "followers_count", "is_influencer"])
        self.env["res.company"].flush_model(
            ["social_influencer_min_score", "social_influencer_min_followers"]
        )
        where = SQL("company.id = ANY(%s)", companies.ids) if companies else SQL("TRUE")
        self.env.cr.execute(
            SQL(
                """
                UPDATE social_identity identity
                   SET is_influencer = flag.value
                  FROM (SELECT identity.id,
                               COALESCE(identity.influence_score, 0)
                                   >= COALESCE(company.social_influencer_min_score,
                                               %(score)s)
                               AND COALESCE(identity.followers_count, 0)
                                   >= COALESCE(company.social_influencer_min_followers,
                                               %(followers)s) AS value
                          FROM social_identity identity
                          JOIN res_company company ON company.id = identity.company_id
                         WHERE %(where)s) AS flag
                 WHERE flag.id = identity.id
                   AND identity.is_influencer IS DISTINCT FROM flag.value
                """,
                score=INFLUENCER_MIN_SCORE,
                followers=INFLUENCER_MIN_FOLLOWERS,
                where=where,
            )
        )
        self.invalidate_model(["is_influencer"])
        return self.env.cr.rowcount

    # ------------------------------------------------------------------ ingestion
    @api.model
    def _upsert_authors(self, source, authors, seen=None):
        """Insert or refresh the authors of a page in one statement.

        ``seen`` maps ``(network, external_id)`` to the (first, last) dates of
        the author's posts in the page: first and last seen are the posts'
        dates (the fetch's time when not given).

        Returns ``{(network, external_id): id}``, the ids inserted now and
        ``{id: partner id}`` of the linked ones; the new ones are matched to
        contacts in one batch first.
        """
        unique = {}
        for author in authors:
            if author.network and author.external_id:
                # The key as stored: two ids equal once cut are one author.
                unique[(author.network, author.external_id[:512])] = author
        if not unique:
            return {}, [], {}
        self.flush_model()
        now = fields.Datetime.now()
        uid = self.env.uid
        seen = seen or {}
        rows = [
            (
                a.network,
                a.external_id[:512],
                a.handle or None,
                a.name or None,
                a.profile_url or None,
                a.avatar_url or None,
                a.bio or None,
                count_value(a.followers_count),
                count_value(a.following_count),
                count_value(a.post_count),
                bool(a.verified),
                source.company_id.id,
                *seen.get((a.network, a.external_id), (now, now)),
                uid,
                uid,
                now,
                now,
            )
            for a in unique.values()
        ]
        # One statement whatever the page size.
        self.env.cr.execute(
            SQL(
                UPSERT_IDENTITIES,
                staged=stage_rows(self.env.cr, self._table, UPSERT_COLUMNS, rows),
                columns=SQL(", ".join(UPSERT_COLUMNS)),
            )
        )
        result = self.env.cr.fetchall()
        ids = {(network, external_id): id_ for id_, network, external_id, *_ in result}
        new_ids = [row[0] for row in result if row[3]]
        partner_ids = {row[0]: row[4] for row in result if row[4]}
        if new_ids:
            self.invalidate_model()
            for identity in self.browse(new_ids)._auto_match_partners():
                partner_ids[identity.id] = identity.partner_id.id
        return ids, new_ids, partner_ids
