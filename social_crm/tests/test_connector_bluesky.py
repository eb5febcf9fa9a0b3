import json
from datetime import datetime

from odoo.tests import tagged

from odoo.addons.social_crm.connectors import get_connector
from odoo.addons.social_crm.connectors.base import ConnectorError
from odoo.addons.social_crm.connectors.bluesky import (
    BlueskyConnector,
    parse_search,
    post_url,
)

from .connector_common import ConnectorCase, fixture
from .http_server import Reply, json_reply

NOW = datetime(2024, 3, 6, 12, 0)
APP_PASSWORD = "abcd-efgh-ijkl-mnop"
SESSION = json.loads(fixture("bluesky/create_session.json"))
REFRESHED = json.loads(fixture("bluesky/refresh_session.json"))
SEARCH = "/xrpc/app.bsky.feed.searchPosts"
PROFILES = "/xrpc/app.bsky.actor.getProfiles"
CREATE = "/xrpc/com.atproto.server.createSession"
REFRESH = "/xrpc/com.atproto.server.refreshSession"


def reply(name, status=200):
    return Reply(status=status, body=fixture(f"bluesky/{name}.json"))


@tagged("post_install", "-at_install")
class TestConnectorBluesky(ConnectorCase):
    def connector(self, password=APP_PASSWORD):
        return BlueskyConnector(
            self.client(),
            query="acme",
            base_url=self.server.base_url,
            login="acme.example.com",
            token=password,
            page_size=25,
        )

    def test_parse_search(self):
        (quiet, grumpy), cursor = parse_search(
            fixture("bluesky/search_posts.json"), NOW
        )
        self.assertEqual(cursor, "25")  # the duplicate URI was dropped
        uri = "at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/3kmxyz2abcd2k"
        self.assertEqual(quiet.external_id, uri)
        self.assertEqual(
            quiet.url, "https://bsky.app/profile/teafan.bsky.social/post/3kmxyz2abcd2k"
        )
        self.assertEqual(quiet.posted_at, datetime(2024, 3, 5, 16, 20))
        self.assertEqual(quiet.lang, "en")
        self.assertEqual(
            (quiet.like_count, quiet.share_count, quiet.reply_count), (22, 4, 1)
        )
        self.assertEqual(quiet.author.external_id, "did:plc:z72i7hdynmk6r22z27h6tvur")
        self.assertEqual(quiet.author.handle, "@teafan.bsky.social")
        self.assertEqual(grumpy.parent_external_id, uri)
        self.assertEqual(grumpy.author.name, "grumpy.example.org")
        self.assertEqual(
            post_url("at://did:plc:abc/app.bsky.feed.post/3k"),
            "https://bsky.app/profile/did:plc:abc/post/3k",
        )

    def test_session_search_and_profiles(self):
        self.server.route(CREATE, reply("create_session"))
        self.server.route(SEARCH, reply("search_posts"))
        self.server.route(PROFILES, reply("get_profiles"))
        page = self.connector().fetch(None)
        quiet, grumpy = page.posts
        # Counts come from getProfiles.
        self.assertEqual(quiet.author.followers_count, 2048)
        self.assertEqual(quiet.author.bio, "Tea, kettles and trains.")
        self.assertEqual(grumpy.author.following_count, 40)
        self.assertTrue(page.has_more)
        cursor = json.loads(page.cursor)
        # The 2099 createdAt does not push the anchor to the future.
        self.assertEqual(cursor, {"newest": "2024-03-05T16:20:00", "page": "25"})
        (create,) = self.server.requests_to(CREATE)
        self.assertEqual(
            create.json(), {"identifier": "acme.example.com", "password": APP_PASSWORD}
        )
        (search,) = self.server.requests_to(SEARCH)
        self.assertEqual(
            search.headers["Authorization"], f"Bearer {SESSION['accessJwt']}"
        )
        self.assertEqual(
            {k: v[0] for k, v in search.query.items()},
            {"q": "acme", "sort": "latest", "limit": "25"},
        )
        (profiles,) = self.server.requests_to(PROFILES)
        self.assertEqual(
            profiles.query["actors"],
            ["did:plc:z72i7hdynmk6r22z27h6tvur", "did:plc:kettlehater00000000000"],
        )

    def test_since_and_cursor_paging(self):
        self.server.route(CREATE, reply("create_session"))
        self.server.route(SEARCH, json_reply({"posts": []}))
        cursor = json.dumps({"since": "2024-03-05T16:20:00", "page": "25"})
        page = self.connector().fetch(cursor)
        self.assertEqual((page.posts, page.has_more), ([], False))
        self.assertEqual(json.loads(page.cursor), {"since": "2024-03-05T16:20:00"})
        (search,) = self.server.requests_to(SEARCH)
        self.assertEqual(search.param("since"), "2024-03-05T16:20:00Z")
        self.assertEqual(search.param("cursor"), "25")
        self.assertEqual(self.server.requests_to(PROFILES), [])

    def test_profiles_in_batches_of_25(self):
        posts = [
            {
                "uri": f"at://did:plc:user{n}/app.bsky.feed.post/{n}",
                "author": {"did": f"did:plc:user{n}", "handle": f"u{n}.bsky.social"},
                "record": {"text": "acme", "createdAt": "2024-03-05T10:00:00Z"},
            }
            for n in range(30)
        ]
        self.server.route(CREATE, reply("create_session"))
        self.server.route(SEARCH, json_reply({"posts": posts}))
        self.server.route(PROFILES, json_reply({"profiles": []}))
        page = self.connector().fetch(None)
        self.assertEqual(len(page.posts), 30)
        batches = [r.query["actors"] for r in self.server.requests_to(PROFILES)]
        self.assertEqual([len(batch) for batch in batches], [25, 5])

    def test_expired_token_refreshes_once(self):
        self.server.route(CREATE, reply("create_session"))
        self.server.route(REFRESH, reply("refresh_session"))
        self.server.route(
            SEARCH, reply("expired_token", status=400), reply("search_posts")
        )
        self.server.route(PROFILES, reply("get_profiles"))
        page = self.connector().fetch(None)
        self.assertEqual(len(page.posts), 2)
        (refresh,) = self.server.requests_to(REFRESH)
        self.assertEqual(
            refresh.headers["Authorization"], f"Bearer {SESSION['refreshJwt']}"
        )
        expired, retried = self.server.requests_to(SEARCH)
        self.assertEqual(
            retried.headers["Authorization"], f"Bearer {REFRESHED['accessJwt']}"
        )
        self.assertEqual(len(self.server.requests_to(CREATE)), 1)

    def test_profile_failure_is_a_warning(self):
        self.server.route(CREATE, reply("create_session"))
        self.server.route(SEARCH, reply("search_posts"))
        self.server.route(PROFILES, Reply(status=502))
        page = self.connector().fetch(None)
        self.assertEqual(len(page.posts), 2)
        self.assertIn("502", page.warnings[0])
        self.assertEqual(page.posts[0].author.followers_count, 0)

    def test_bad_password_does_not_leak(self):
        self.assertIs(get_connector("bluesky"), BlueskyConnector)
        self.server.route(
            CREATE,
            json_reply(
                {
                    "error": "AuthenticationRequired",
                    "message": f"Invalid identifier or password {APP_PASSWORD}",
                },
                status=401,
            ),
        )
        with self.assertRaises(ConnectorError) as caught:
            self.connector().fetch(None)
        self.assertIn("AuthenticationRequired", str(caught.exception))
        self.assertNotIn(APP_PASSWORD, str(caught.exception))
        with self.assertRaisesRegex(ConnectorError, "app password"):
            self.connector(password="").fetch(None)
