"""Hacker News, through the Algolia search API (no account needed).

``GET {base}/api/v1/search_by_date`` returns stories and comments, newest
first. Cursor (:class:`~.base.RunCursor`): ``since`` is the newest
``created_at_i`` of the previous run, sent as ``numericFilters=created_at_i>=N``
(inclusive, so an item posted in the same second as the last one is not
lost; the boundary item comes again and the Odoo side deduplicates it on
``external_id``); ``page`` walks Algolia's pages up to ``nbPages``.

A comment names the story it answers: ``thread_title`` (``story_title``),
``thread_url`` (the story's Hacker News page) and ``thread_link_url`` (the
story's own ``story_url``, when it links elsewhere).
"""

from .base import Author, Connector, Page, Post, RunCursor
from .http import load_json
from .text import from_timestamp, html_to_text, to_int, utcnow

ITEM_URL = "https://news.ycombinator.com/item?id={}"
USER_URL = "https://news.ycombinator.com/user?id={}"
MAX_HITS_PER_PAGE = 1000


def parse_hit(hit, now):
    """A :class:`Post` from an Algolia hit (a story or a comment)."""
    object_id = str(hit["objectID"])
    warnings = []
    posted_at = from_timestamp(hit.get("created_at_i"))
    if posted_at is None:
        warnings.append(
            f"Hacker News item {object_id} has no date: using the fetch time"
        )
        posted_at = now
    html = hit.get("comment_text") or hit.get("story_text") or ""
    title = hit.get("title") or ""
    content = "\n".join(
        part for part in (title, hit.get("url") or "", html_to_text(html)) if part
    )
    username = hit.get("author") or ""
    author = None
    if username:
        author = Author(
            network="hackernews",
            external_id=username,
            handle=username,
            name=username,
            profile_url=USER_URL.format(username),
        )
    is_comment = "comment" in (hit.get("_tags") or []) or bool(hit.get("comment_text"))
    thread = {}
    if is_comment:
        story_id = hit.get("story_id")
        thread = {
            "thread_title": hit.get("story_title") or "",
            "thread_url": ITEM_URL.format(story_id) if story_id else "",
            "thread_link_url": hit.get("story_url") or "",
        }
    return Post(
        network="hackernews",
        external_id=object_id,
        content=content,
        content_html=html,
        posted_at=posted_at,
        url=ITEM_URL.format(object_id),
        author=author,
        like_count=to_int(hit.get("points")),
        reply_count=to_int(hit.get("num_comments")),
        parent_external_id=str(hit.get("parent_id") or "") if is_comment else "",
        warnings=warnings,
        **thread,
    )


def parse_search(body, now=None):
    """``(posts, next_page)`` of a ``search_by_date`` answer (bytes or decoded).

    ``next_page`` is the next Algolia page number as a string, "" on the last.
    """
    data = load_json(body)
    now = now or utcnow()
    posts = [
        parse_hit(hit, now) for hit in data.get("hits") or [] if hit.get("objectID")
    ]
    page, pages = to_int(data.get("page")), to_int(data.get("nbPages"))
    return posts, str(page + 1) if page + 1 < pages else ""


class HackerNewsConnector(Connector):
    code = "hackernews"
    label = "Hacker News (Algolia)"
    default_base_url = "https://hn.algolia.com"
    network = "hackernews"

    def fetch(self, cursor=None):
        state = RunCursor.load(cursor)
        params = {
            "query": self.query,
            "tags": "(story,comment)",
            "hitsPerPage": min(self.page_size, MAX_HITS_PER_PAGE),
            "page": state.page or 0,
        }
        if state.since:
            params["numericFilters"] = f"created_at_i>={state.since}"
        data = self.http.get_json(
            f"{self.base_url}/api/v1/search_by_date", params=params
        )
        posts, next_page = parse_search(data)
        anchors = [str(hit.get("created_at_i") or "") for hit in data.get("hits") or []]
        cursor, has_more = state.advance(anchors, next_page, key=int)
        return Page(posts=posts, cursor=cursor, has_more=has_more)
