from odoo.tests import tagged

from .common import SocialCrmCase

#: Authors of every page that the database knows before the page comes.
KNOWN = 2


@tagged("post_install", "-at_install")
class TestIngestQueries(SocialCrmCase):
    """Ingesting a page costs the same number of queries whatever its size.

    Each page mixes known authors, new authors matching a contact (by profile
    URL on the contact's website, by the e-mail in their bio) and new authors
    matching nothing; only the number of the latter grows with the page.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Routing rules run one query per active rule: none take part here.
        if "social.routing.rule" in cls.env:
            cls.env["social.routing.rule"].search([]).active = False
        Partner = cls.env["res.partner"]
        Identity = cls.env["social.identity"]
        for prefix in ("warm", "small", "large"):
            Partner.create(
                [
                    {
                        "name": f"Site of {prefix}",
                        "website": f"https://mastodon.social/@{prefix}_site",
                    },
                    {"name": f"Mail of {prefix}", "email": f"{prefix}@example.com"},
                ]
            )
            Identity.create(
                [
                    {
                        "network": "mastodon",
                        "external_id": f"https://mastodon.social/@{prefix}_known{i}",
                        "handle": f"@{prefix}_known{i}@mastodon.social",
                    }
                    for i in range(KNOWN)
                ]
            )

    def page(self, prefix, size):
        """``size`` posts: known authors, two that match a contact, new ones."""
        authors = [
            self.author(
                f"https://mastodon.social/@{prefix}_known{i}",
                handle=f"@{prefix}_known{i}@mastodon.social",
                followers_count=10 + i,
            )
            for i in range(KNOWN)
        ]
        authors += [
            self.author(
                f"https://mastodon.social/@{prefix}_site",
                profile_url=f"https://mastodon.social/@{prefix}_site",
            ),
            self.author(
                f"https://mastodon.social/@{prefix}_mail",
                bio=f"Write to {prefix}@example.com, or https://example.org/{prefix}",
            ),
        ]
        authors += [
            self.author(
                f"https://mastodon.social/@{prefix}_new{i}",
                profile_url=f"https://mastodon.social/@{prefix}_new{i}",
                bio=f"Also on https://bsky.app/profile/{prefix}{i}.bsky.social",
            )
            for i in range(size - len(authors))
        ]
        texts = [
            "Acme support never answers, so frustrating!",
            "Thinking of buying an Acme router, anyone tried it?",
            "Очень доволен новым телефоном Acme",
        ]
        return [
            self.post(
                f"{prefix}-{i}",
                author,
                content=texts[i % len(texts)],
                content_html=f"<p>{texts[i % len(texts)]} <a href='#'>#acme</a></p>",
            )
            for i, author in enumerate(authors)
        ]

    def count_queries(self, prefix, size):
        posts = self.page(prefix, size)
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        result = self.ingest(*posts)
        count = self.env.cr.sql_log_count - before
        self.assertEqual(result["new"], size)
        self.assertEqual(result["identities_new"], size - KNOWN)
        return count

    def test_query_count_does_not_grow_with_the_page(self):
        self.count_queries("warm", 10)  # caches every page finds filled
        small = self.count_queries("small", 10)
        large = self.count_queries("large", 100)
        self.assertEqual(small, large, "queries per page, not per post")

        # and the page was written whole, contacts matched
        for prefix, size in (("small", 10), ("large", 100)):
            mentions = self.env["social.mention"].search(
                [("external_id", "=like", f"{prefix}-%")]
            )
            self.assertEqual(len(mentions), size)
            self.assertEqual(
                self.identity(
                    f"https://mastodon.social/@{prefix}_site"
                ).partner_id.name,
                f"Site of {prefix}",
            )
            self.assertEqual(
                self.identity(
                    f"https://mastodon.social/@{prefix}_mail"
                ).partner_id.name,
                f"Mail of {prefix}",
            )
            self.assertEqual(
                len(mentions.filtered("partner_id")), 2, "the two matched authors"
            )
            self.assertTrue(all(mentions.mapped("sentiment")))
