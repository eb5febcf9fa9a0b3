"""Offline demo connector: replays a bundled dataset, a page at a time.

The dataset is a JSON file (``DEMO_DATASET``, or the source's base URL when it
is the path of another ``.json`` file inside this addon) with ``authors`` and
``posts``; each post names its
network and author, and is dated ``age_hours`` before the fetch, so the demo
always looks recent. It never touches the network.

Cursor: the offset of the next post in the dataset, as a string.
"""

import json
import os
from datetime import timedelta

from .base import Author, Connector, ConnectorError, Page, ParseError, Post
from .text import normalize_space, to_int, utcnow

#: The addon's folder: the only place a dataset is read from.
ADDON_ROOT = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
DEMO_DATASET = os.path.join(ADDON_ROOT, "data", "demo_feed", "mentions.json")


def _author(data):
    return Author(
        network=data.get("network") or "",
        external_id=str(data["id"]),
        handle=data.get("handle") or "",
        name=data.get("name") or "",
        profile_url=data.get("profile_url") or "",
        avatar_url=data.get("avatar_url") or "",
        bio=data.get("bio") or "",
        followers_count=to_int(data.get("followers_count")),
        following_count=to_int(data.get("following_count")),
        post_count=to_int(data.get("post_count")),
        verified=bool(data.get("verified")),
    )


def parse_demo(body, now=None):
    """The posts of a demo dataset (bytes), dated relative to ``now``."""
    now = now or utcnow()
    try:
        data = json.loads(body)
        authors = {str(a["id"]): _author(a) for a in data.get("authors") or []}
        posts = []
        for item in data.get("posts") or []:
            warnings = []
            author = authors.get(str(item.get("author") or ""))
            if author is None:
                warnings.append(f"Unknown demo author {item.get('author')!r}")
            posts.append(
                Post(
                    network=item.get("network") or (author and author.network) or "",
                    external_id=str(item["id"]),
                    content=normalize_space(item.get("content") or ""),
                    posted_at=now - timedelta(hours=float(item.get("age_hours") or 0)),
                    url=item.get("url") or "",
                    author=author,
                    lang=item.get("lang") or "",
                    like_count=to_int(item.get("like_count")),
                    share_count=to_int(item.get("share_count")),
                    reply_count=to_int(item.get("reply_count")),
                    parent_external_id=item.get("parent_id") or "",
                    warnings=warnings,
                )
            )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ParseError(f"Invalid demo dataset: {exc!r}") from None
    return posts


class DemoConnector(Connector):
    code = "demo"
    label = "Demo (offline sample data)"
    default_base_url = ""
    network = ""

    @property
    def dataset_path(self):
        """The dataset's path: the bundled one, or a JSON file of this addon.

        A source's base URL is written by a Social CRM manager, who must not
        be able to make the server read any file it can.
        """
        path = self.base_url or DEMO_DATASET
        if "://" in path:
            raise ConnectorError("The demo connector reads a local file, not a URL")
        real = os.path.realpath(path)
        if not real.startswith(ADDON_ROOT + os.sep) or not real.endswith(".json"):
            raise ConnectorError(
                "The demo connector only reads the JSON datasets of the social_crm "
                "addon"
            )
        return real

    def fetch(self, cursor=None):
        try:
            with open(self.dataset_path, "rb") as dataset:
                posts = parse_demo(dataset.read())
        except OSError as exc:
            raise ConnectorError(
                f"Cannot read the demo dataset: {exc.strerror}"
            ) from None
        offset = max(0, to_int(cursor))
        end = offset + max(1, self.page_size)
        return Page(
            posts=posts[offset:end],
            cursor=str(min(end, len(posts))),
            has_more=end < len(posts),
        )
