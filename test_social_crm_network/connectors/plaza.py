"""Plaza, an imaginary network with a small JSON search API.

``GET <base>/api/search?q=<query>[&after=<cursor>]`` answers
``{"posts": [{"id", "text", "created", "url", "likes", "author": {"id",
"handle", "name", "followers"}}], "next": <cursor or null>}``, newest first.
"""

from datetime import datetime

from odoo.addons.social_crm.connectors.base import (
    Author,
    Connector,
    Page,
    ParseError,
    Post,
)


def parse_post(data):
    """A :class:`Post` of one item of a Plaza answer."""
    try:
        author = data.get("author") or {}
        return Post(
            network="plaza",
            external_id=str(data["id"]),
            content=data.get("text") or "",
            posted_at=datetime.fromisoformat(
                data["created"].replace("Z", "+00:00")
            ).replace(tzinfo=None),
            url=data.get("url") or "",
            like_count=int(data.get("likes") or 0),
            author=Author(
                network="plaza",
                external_id=str(author["id"]),
                handle=author.get("handle") or "",
                name=author.get("name") or "",
                followers_count=int(author.get("followers") or 0),
            )
            if author.get("id")
            else None,
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ParseError(f"Plaza sent a post that cannot be read: {error}") from error


class PlazaConnector(Connector):
    code = "plaza"
    label = "Plaza"
    default_base_url = "https://plaza.example"
    network = "plaza"

    def fetch(self, cursor=None):
        params = {"q": self.query}
        if cursor:
            params["after"] = cursor
        body = self.http.get_json(f"{self.base_url}/api/search", params=params)
        if not isinstance(body, dict) or not isinstance(body.get("posts"), list):
            raise ParseError("Plaza answered without a list of posts.")
        return Page(
            posts=[parse_post(item) for item in body["posts"]],
            cursor=body.get("next") or cursor,
            has_more=bool(body.get("next")),
        )
