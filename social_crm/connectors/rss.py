"""RSS 2.0 / RSS 1.0 (RDF) and Atom 1.0 feeds.

The feed URL is the source's query, or its base URL when the query is empty.

XML from the internet is parsed with a hardened lxml parser (no entity
expansion, no DTD or network loading, no huge trees), and a document whose
DTD declares entities (billion laughs, XXE) is refused before parsing.

Cursor: the newest entry date seen, as ISO 8601 naive UTC. A fetch only
returns entries dated strictly after it; the cursor moves to the newest date
of the entries returned. Feeds have no paging and no server-side filter, so
this only spares re-reading old entries: entries whose date cannot be parsed
(dated at the fetch time, with a warning) are returned by every fetch and
never move the cursor; the Odoo side deduplicates on ``external_id``.
"""

import hashlib
import re
from copy import deepcopy
from html import escape
from urllib.parse import urlsplit

from lxml import etree

from .base import Author, Connector, ConnectorError, Page, ParseError, Post
from .text import date_or_now, html_to_text, normalize_space, parse_date, utcnow

ATOM = "http://www.w3.org/2005/Atom"
RSS1 = "http://purl.org/rss/1.0/"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
DC = "http://purl.org/dc/elements/1.1/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XHTML = "http://www.w3.org/1999/xhtml"

FEED_ACCEPT = (
    "application/atom+xml, application/rss+xml, application/xml;q=0.9, */*;q=0.1"
)

# An entity declaration in the first bytes (the prolog, where a DTD lives);
# UTF-16 documents escape this check and are caught after parsing.
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)
_PROLOG_BYTES = 64 * 1024


def _parser():
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml(body):
    """Parse untrusted XML, refusing any DTD that declares entities."""
    if _ENTITY_DECL.search(body[:_PROLOG_BYTES]):
        raise ParseError("Refusing an XML document whose DTD declares entities")
    try:
        root = etree.fromstring(body, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"Invalid XML: {exc.msg}") from None
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _entity in dtd.iterentities()):
        raise ParseError("Refusing an XML document whose DTD declares entities")
    return root


def _text(element, path, namespaces=None):
    """Stripped text of the first ``path`` match under ``element``, or ""."""
    found = element.find(path, namespaces)
    if found is None:
        return ""
    return "".join(found.itertext()).strip()


def _stable_id(*parts):
    """An id for entries with neither id/guid nor link."""
    return "sha1:" + hashlib.sha1("\x1f".join(parts).encode()).hexdigest()


def _post(feed, entry_id, link, title, html, date_value, author, now):
    """Build a :class:`Post`; ``feed`` is the feed-level fallback author."""
    warnings = []
    body = html_to_text(html)
    title = normalize_space(title)
    content = (
        body if not title or body.startswith(title) else f"{title}\n{body}".strip()
    )
    return Post(
        network="rss",
        external_id=entry_id or link or _stable_id(title, body, date_value),
        content=content,
        posted_at=date_or_now(date_value, now, warnings),
        url=link,
        content_html=html,
        author=author or feed,
        warnings=warnings,
    )


def _author(name, uri_or_email, feed_url):
    """An entry author, identified by URI or e-mail, else by name on the feed's host."""
    name = normalize_space(name)
    if not name and not uri_or_email:
        return None
    host = urlsplit(feed_url).hostname or ""
    return Author(
        network="rss",
        external_id=uri_or_email or f"{host}/{name}",
        name=name or uri_or_email,
        handle=name or uri_or_email,
        profile_url=uri_or_email if uri_or_email.startswith("http") else "",
    )


def _feed_author(title, link, feed_url):
    """The feed itself, author of the entries that name nobody."""
    return Author(
        network="rss",
        external_id=link or feed_url,
        name=normalize_space(title) or link or feed_url,
        handle=urlsplit(link or feed_url).hostname or "",
        profile_url=link or feed_url,
    )


def _rss_author(value, feed_url):
    """RSS ``<author>`` is ``email (Name)`` or a bare name or e-mail."""
    match = re.match(r"^\s*(\S+@\S+)\s*\((.*)\)\s*$", value)
    if match:
        return _author(match.group(2), match.group(1), feed_url)
    if "@" in value and " " not in value.strip():
        return _author("", value.strip(), feed_url)
    return _author(value, "", feed_url)


def _parse_rss(root, feed_url, now):
    channel = root.find("channel")
    if channel is None:
        channel = root.find(f"{{{RSS1}}}channel")
    if channel is None:
        raise ParseError("RSS document without a channel")
    ns = {"c": CONTENT, "dc": DC, "r": RSS1}
    feed = _feed_author(
        _text(channel, "title") or _text(channel, "r:title", ns),
        _text(channel, "link") or _text(channel, "r:link", ns),
        feed_url,
    )
    # RSS 2.0 items live in the channel, RSS 1.0 items next to it.
    items = channel.findall("item") or root.findall("r:item", ns)
    posts = []
    for item in items:

        def first(*paths, item=item):
            return next(
                (value for value in (_text(item, p, ns) for p in paths) if value), ""
            )

        guid = first("guid")
        link = first("link", "r:link")
        about = item.get(f"{{{RDF}}}about", "")
        author = _rss_author(first("author"), feed_url) or _author(
            first("dc:creator"), "", feed_url
        )
        posts.append(
            _post(
                feed,
                entry_id=guid or about,
                link=link,
                title=first("title", "r:title"),
                html=first("c:encoded") or first("description", "r:description"),
                date_value=first("pubDate", "dc:date"),
                author=author,
                now=now,
            )
        )
    return posts


def _xhtml_inner(element):
    """Inner markup of an Atom ``type="xhtml"`` element, without namespaces."""
    div = element.find(f"{{{XHTML}}}div")
    source = div if div is not None else element
    # A detached copy, so no namespace declaration is inherited from the feed.
    container = etree.Element("div")
    container.text = source.text
    container.extend(deepcopy(node) for node in source)
    for node in container.iter():
        node.tag = etree.QName(node).localname
    etree.cleanup_namespaces(container)
    inner = (container.text or "") + "".join(
        etree.tostring(node, encoding="unicode", with_tail=True) for node in container
    )
    return inner.strip()


def _atom_content(entry):
    """HTML of an Atom entry's content (or summary), whatever its type."""
    for tag in ("content", "summary"):
        element = entry.find(f"{{{ATOM}}}{tag}")
        if element is None:
            continue
        kind = element.get("type", "text")
        if kind == "xhtml":
            return _xhtml_inner(element)
        text = element.text or ""
        if "html" in kind:
            return text
        # type="text": content_html must be HTML.
        return f"<p>{escape(text.strip())}</p>" if text.strip() else ""
    return ""


def _atom_title(entry):
    """An Atom entry's title as text (``type="html"`` titles are decoded)."""
    title = entry.find(f"{{{ATOM}}}title")
    if title is None:
        return ""
    if "html" in title.get("type", "text"):
        return html_to_text(title.text or "")
    return "".join(title.itertext())


def _atom_link(element):
    """The ``alternate`` link of an Atom feed or entry."""
    for link in element.findall(f"{{{ATOM}}}link"):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link.get("href")
    return ""


def _atom_author(element, feed_url):
    author = element.find(f"{{{ATOM}}}author")
    if author is None:
        return None
    ns = {"a": ATOM}
    return _author(
        _text(author, "a:name", ns),
        _text(author, "a:uri", ns) or _text(author, "a:email", ns),
        feed_url,
    )


def _parse_atom(root, feed_url, now):
    ns = {"a": ATOM}
    feed = _atom_author(root, feed_url) or _feed_author(
        _text(root, "a:title", ns), _atom_link(root), feed_url
    )
    posts = []
    for entry in root.findall("a:entry", ns):
        posts.append(
            _post(
                feed,
                entry_id=_text(entry, "a:id", ns),
                link=_atom_link(entry),
                title=_atom_title(entry),
                html=_atom_content(entry),
                date_value=_text(entry, "a:published", ns)
                or _text(entry, "a:updated", ns),
                author=_atom_author(entry, feed_url),
                now=now,
            )
        )
    return posts


def parse_feed(body, now=None, feed_url=""):
    """Parse an RSS or Atom document (bytes) into posts, in document order."""
    now = now or utcnow()
    root = parse_xml(body)
    if root.tag == f"{{{ATOM}}}feed":
        return _parse_atom(root, feed_url, now)
    if root.tag in ("rss", f"{{{RDF}}}RDF"):
        return _parse_rss(root, feed_url, now)
    raise ParseError(
        f"Not an RSS or Atom feed (root element {etree.QName(root).localname!r})"
    )


class RssConnector(Connector):
    code = "rss"
    label = "RSS / Atom feed"
    default_base_url = ""
    network = "rss"

    @property
    def feed_url(self):
        return self.query or self.base_url

    def fetch(self, cursor=None):
        if not self.feed_url:
            raise ConnectorError(
                "The RSS source needs the feed URL as its query or base URL"
            )
        response = self.http.request(
            "GET",
            self.feed_url,
            headers={"Accept": FEED_ACCEPT},
        )
        response.raise_for_status()
        now = utcnow()
        since = parse_date(cursor) if cursor else None
        # Only date fallbacks put warnings on RSS posts: those are always kept.
        posts = [
            post
            for post in parse_feed(response.body, now=now, feed_url=self.feed_url)
            if since is None or post.warnings or post.posted_at > since
        ]
        dated = [post.posted_at for post in posts if not post.warnings]
        newest = max(dated, default=since)
        return Page(posts=posts, cursor=newest.isoformat() if newest else cursor)
