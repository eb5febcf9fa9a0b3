"""RSS 2.0 / RSS 1.0 (RDF) and Atom 1.0 feeds.

The feed URL is the source's query, or its base URL when the query is empty.

XML from the internet is parsed with a hardened lxml parser (no entity
expansion, no DTD or network loading, no huge trees), and a document whose
DTD declares entities (billion laughs, XXE) is refused before parsing.

Encoding: the bytes are decoded here, not by libxml2, by the rules of RFC
7303 and the XML specification, first match wins:

1. a byte-order mark (UTF-8, UTF-16, UTF-32);
2. the ``charset`` of the HTTP ``Content-Type`` when it is ``text/*``,
   ``application/xml`` (``-dtd``, ``-external-parsed-entity``) or
   ``application/*+xml``; a charset whose code unit width contradicts the
   bytes (``utf-16`` on an ASCII body) is ignored;
3. the ``encoding`` of the XML declaration;
4. UTF-8 (UTF-16/32 when the first bytes show it, XML spec appendix F).

Labels are read the way browsers read them (WHATWG): ISO-8859-1 and ASCII as
windows-1252, GB2312/GBK as GB18030, Shift_JIS as windows-31J, EUC-KR as
windows-949. Bytes the encoding cannot decode become U+FFFD rather than
losing the whole feed. Whitespace and a byte-order mark before ``<?xml`` are
dropped. libxml2 is then given the text as UTF-8 with the encoding forced,
so the entity check runs on exactly what it parses, whatever encoding the
document came in (an entity declaration in UTF-16 or UTF-7 is refused too).
A document libxml2 refuses for an HTML entity XML does not define
(``&eacute;``, ``&nbsp;``) or a bare ``&`` is parsed once more with those
references made numeric and those ampersands escaped.

Links: relative URLs (entry and feed links, permalink guids, author URIs)
are resolved against ``xml:base`` (on any ancestor, nested ones relative to
the outer ones) and then the URL the document was fetched from, after
redirects. Only http(s) URLs are kept as a post's ``url``; without a link,
an RSS ``guid`` is the URL when it is a permalink (``isPermaLink`` is not
``false``) that looks like one (``http(s)://…`` or ``/…``: feeds leave the
attribute out of guids such as ``12345``). Links inside the content HTML are
left as they are.

Titles: Atom titles follow their ``type`` (``text`` as it is, ``html``
decoded, ``xhtml`` the text of the div). RSS titles are plain text that
publishers often fill with HTML: markup (a known inline tag) is turned to
text, otherwise only complete entity references left after XML parsing
(``&amp;#163;`` in the XML) are decoded, so ``a < b`` stays as it is.
``dc:title`` stands in for a missing title.

Bodies: RSS ``content:encoded``, else ``description``, else
``dc:description``; Atom ``content``, else ``summary`` (see
:func:`_atom_content`).

Dates: the first that parses, in the order of :data:`RSS_DATES` (``pubDate``,
``dc:date``, ``dcterms:issued``, ``created``, ``modified``) and
:data:`ATOM_DATES` (``published``, ``dcterms:issued``, ``created``, then
``updated``, ``dcterms:modified``, ``dc:date``): publication before revision.

External ids: the Atom ``id``, else the RSS ``guid`` (resolved against the
base when it is a relative permalink) or ``rdf:about``, else the link, else a
hash of the entry. Google Alerts entries link to a ``google.com/url``
redirect and carry per-alert ids (``tag:google.com,2013:googlealerts/feed:
…``) that differ for the same article in two alerts: their ``url`` is the
article (the redirect's ``url`` or ``q`` parameter) and so is their
``external_id``, so the article found by several alerts is one mention (and
the same mention as the publisher's own feed when its guid is the
permalink). Any entry whose link is a Google redirect is treated so.

Cursor: the newest entry date seen, as ISO 8601 naive UTC. A fetch only
returns entries dated strictly after it; the cursor moves to the newest date
of the entries returned. Feeds have no paging and no server-side filter, so
this only spares re-reading old entries: entries whose date cannot be parsed
(dated at the fetch time, with a warning) are returned by every fetch and
never move the cursor; the Odoo side deduplicates on ``external_id``.
"""

import codecs
import hashlib
import re
from copy import deepcopy
from functools import lru_cache
from html import escape, unescape
from html.entities import html5
from urllib.parse import parse_qsl, urljoin, urlsplit

from lxml import etree

from .base import Author, Connector, ConnectorError, Page, ParseError, Post
from .text import date_or_now, html_to_text, normalize_space, parse_date, utcnow

ATOM = "http://www.w3.org/2005/Atom"
RSS1 = "http://purl.org/rss/1.0/"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XHTML = "http://www.w3.org/1999/xhtml"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"

#: The elements an entry's date is read from, best first (module doc).
RSS_DATES = (
    "pubDate",
    f"{{{DC}}}date",
    f"{{{DCTERMS}}}issued",
    f"{{{DCTERMS}}}created",
    f"{{{DCTERMS}}}modified",
)
ATOM_DATES = (
    f"{{{ATOM}}}published",
    f"{{{DCTERMS}}}issued",
    f"{{{DCTERMS}}}created",
    f"{{{ATOM}}}updated",
    f"{{{DCTERMS}}}modified",
    f"{{{DC}}}date",
)

FEED_ACCEPT = (
    "application/atom+xml, application/rss+xml, application/xml;q=0.9, */*;q=0.1"
)

# An entity declaration in the first bytes (the prolog, where a DTD lives) of
# the document as libxml2 gets it (always UTF-8, see decode_xml).
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)
_PROLOG_BYTES = 64 * 1024

_BOMS = (
    # UTF-32 LE first: its mark starts with UTF-16 LE's.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CHARSET_RE = re.compile(r"""charset\s*=\s*["']?([^"';,\s]+)""", re.IGNORECASE)
# The XML declaration, dropped once decoded: libxml2 would still read its encoding.
_XML_DECLARATION_RE = re.compile(r"<\?xml\s[^>]*?\?>")
_DECLARED_ENCODING_RE = re.compile(
    r"""\s*<\?xml\s[^>]*?\bencoding\s*=\s*["']([A-Za-z][\w.:-]*)["']"""
)
# Labels Python does not know, and the codec browsers use for them.
_LABELS = {
    "x-sjis": "cp932",
    "windows-31j": "cp932",
    "x-gbk": "gb18030",
    "ucs-2": "utf-16",
    "iso-10646-ucs-2": "utf-16",
}
# Python codec names read the way browsers read the label (WHATWG Encoding).
_WHATWG = {
    "ascii": "cp1252",
    "iso8859-1": "cp1252",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
    "big5": "big5hkscs",
}
# Python codecs that are no document encoding.
_NOT_CHARSETS = frozenset(
    ("idna", "punycode", "raw-unicode-escape", "unicode-escape", "mbcs", "oem")
)
# Leading characters dropped before the first "<" (XML white space, a BOM).
_LEADING = " \t\r\n\ufeff"

# An ampersand and the reference it starts, if any (see _repair_references).
_AMPERSAND_RE = re.compile(r"&(#[0-9]+;|#[xX][0-9a-fA-F]+;|([A-Za-z][A-Za-z0-9]*);)?")
_XML_ENTITIES = frozenset(("amp", "lt", "gt", "quot", "apos"))

# An inline HTML tag in an RSS title, once XML parsing decoded it.
_TITLE_MARKUP_RE = re.compile(
    r"</?(?:a|abbr|b|big|br|cite|code|del|em|font|i|img|ins|mark|p|q|s|small"
    r"|span|strike|strong|sub|sup|u)(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)
# A complete (";"-terminated) character or entity reference.
_REFERENCE_RE = re.compile(
    r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
)
# Google's redirect hosts: google.com, google.co.uk, google.com.au...
_GOOGLE_HOST_RE = re.compile(r"(?:www\.)?google(?:\.[a-z]{2,3}){1,2}\Z")
_RSS_AUTHOR_RE = re.compile(r"^\s*(\S+@\S+)\s*\((.*)\)\s*$")
_PERMALINK_RE = re.compile(r"(?:https?://|/)", re.IGNORECASE)
# A URL with a scheme (RFC 3986), which no base changes.
_ABSOLUTE_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def _parser():
    return etree.XMLParser(
        # decode_xml hands over UTF-8 whatever the document declares.
        encoding="utf-8",
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        remove_comments=True,
        remove_pis=True,
    )


def _codec(label):
    """The Python codec to read an encoding ``label`` with, or None if unknown."""
    label = label.strip().lower()
    try:
        name = codecs.lookup(_LABELS.get(label, label)).name
    except LookupError:
        return None
    if name in _NOT_CHARSETS:
        return None
    return _WHATWG.get(name, name)


def _width(head):
    """The code unit width the first bytes show (XML spec appendix F)."""
    head = head[:4].ljust(4, b"\x01")
    if head[1:4] == b"\0\0\0" or head[:3] == b"\0\0\0":
        return "utf-32-le" if head[0] else "utf-32-be"
    if head[1] == 0 and head[3] == 0:
        return "utf-16-le"
    if head[0] == 0 and head[2] == 0:
        return "utf-16-be"
    return "utf-8"


def _fit(codec, width):
    """``codec`` when the bytes can be in it (``width``, see :func:`_width`).

    A UTF-16/32 label without a byte order takes the one the bytes show.
    None when the label contradicts the bytes (``utf-16`` on an ASCII body).
    """
    family = codec[:6] if codec.startswith(("utf-16", "utf-32")) else "utf-8"
    if family != width[:6]:
        return None
    if codec in ("utf-16", "utf-32"):
        return width
    return codec


def _http_charset(content_type):
    """The charset of a ``Content-Type`` that RFC 7303 lets decide, or ""."""
    media, _sep, params = (content_type or "").partition(";")
    media = media.strip().lower()
    # application/xml, -dtd, -external-parsed-entity and */*+xml (RFC 7303).
    xml = media.startswith("application/xml") or media.endswith("+xml")
    if not (xml or media.startswith("text/")):
        return ""
    match = _CHARSET_RE.search(params)
    return match.group(1) if match else ""


def decode_xml(body, content_type=""):
    """The text of an XML document (bytes), decoded as the module doc says.

    ``content_type`` is the HTTP ``Content-Type`` header, if any. White space
    and a byte-order mark before the first ``<`` are left out.
    """
    codec, start = None, 0
    for bom, name in _BOMS:
        if body.startswith(bom):
            codec, start = name, len(bom)
            break
    if codec is None:
        width = _width(body)
        charset = _codec(_http_charset(content_type))
        codec = charset and _fit(charset, width)
        if not codec and width == "utf-8":
            match = _DECLARED_ENCODING_RE.match(body[:1024].decode("latin-1"))
            declared = match and _codec(match.group(1))
            codec = declared and _fit(declared, width)
        codec = codec or width
    data = body[start:] if start else body
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        text = data.decode(codec, "replace")
    except LookupError:
        # A codec Python knows that is no text encoding (rot13...).
        text = data.decode("utf-8", "replace")
    text = text.lstrip(_LEADING)
    if text.startswith("<?xml"):
        match = _XML_DECLARATION_RE.match(text)
        if match:
            text = text[match.end() :].lstrip(_LEADING)
    return text


def _repair_reference(match):
    name = match.group(2)
    if match.group(1) is None:
        return "&amp;"
    if name is None or name in _XML_ENTITIES:
        return match.group()
    char = html5.get(f"{name};")
    if char is None:
        # An unknown name: kept as the text it shows.
        return f"&amp;{name};"
    return "".join(f"&#{ord(c)};" for c in char)


def _repair_references(text):
    """``text`` with HTML entity references made numeric and bare "&" escaped.

    Feeds use HTML's entities (``&eacute;``, ``&nbsp;``) that XML does not
    define without a DTD, and leave ``&`` unescaped in URLs; libxml2 refuses
    both. Used only once a parse failed on them (CDATA is rewritten alike,
    which the HTML read from it decodes the same).
    """
    return _AMPERSAND_RE.sub(_repair_reference, text)


def parse_xml(body, content_type=""):
    """Parse untrusted XML, refusing any DTD that declares entities.

    ``body`` is decoded by :func:`decode_xml` (``content_type`` is the HTTP
    header) and handed to libxml2 as UTF-8.
    """
    text = decode_xml(body, content_type)
    data = text.encode("utf-8")
    if _ENTITY_DECL.search(data, 0, _PROLOG_BYTES):
        raise ParseError("Refusing an XML document whose DTD declares entities")
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        if "Entity" not in exc.msg:
            raise ParseError(f"Invalid XML: {exc.msg}") from None
        # HTML entities (&eacute;) or a bare "&": repaired, parsed once more.
        try:
            root = etree.fromstring(
                _repair_references(text).encode("utf-8"), parser=_parser()
            )
        except etree.XMLSyntaxError:
            raise ParseError(f"Invalid XML: {exc.msg}") from None
    # Past the prolog bytes scanned above.
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _entity in dtd.iterentities()):
        raise ParseError("Refusing an XML document whose DTD declares entities")
    return root


def _text(element):
    """Stripped text of ``element`` (None: "")."""
    if element is None:
        return ""
    return "".join(element.itertext()).strip()


def _children(element):
    """``{tag: first child element with that tag}`` (one pass over children)."""
    found = {}
    for child in element:
        if child.tag not in found:
            found[child.tag] = child
    return found


def _stable_id(*parts):
    """An id for entries with neither id/guid nor link."""
    return "sha1:" + hashlib.sha1("\x1f".join(parts).encode()).hexdigest()


# The same xml:base chain is joined again for every entry of a feed.
_join_base = lru_cache(maxsize=256)(urljoin)


def _base(element, base_url):
    """The base URL of ``element``: its and its ancestors' ``xml:base``.

    Each ``xml:base`` is relative to the one around it, the outermost to
    ``base_url`` (where the document was fetched from).
    """
    bases = [element.get(XML_BASE)]
    bases.extend(ancestor.get(XML_BASE) for ancestor in element.iterancestors())
    for value in reversed(bases):
        if value:
            try:
                base_url = _join_base(base_url, value.strip())
            except ValueError:
                # Not a URL (an unclosed IPv6 bracket...): ignored.
                continue
    return base_url


def _resolve(element, value, base_url):
    """``value`` (a URL in ``element``) made absolute, or "" when empty."""
    value = (value or "").strip()
    if not value or _ABSOLUTE_RE.match(value):
        # Absolute already (most links): kept as sent, no base to look up.
        return value
    try:
        return urljoin(_base(element, base_url), value)
    except ValueError:
        return value


def _http_url(url):
    """``url`` when it is an http(s) URL (what a post may link to), else ""."""
    return url if _split(url).scheme.lower() in ("http", "https") else ""


def _split(url):
    """``urlsplit(url)``, empty for what is no URL (urlsplit raises on some)."""
    try:
        return urlsplit(url)
    except ValueError:
        return urlsplit("")


def _host(url):
    """The host name of ``url``, or ""."""
    return _split(url).hostname or ""


def _unwrap_redirect(url):
    """The target of a Google redirect (``google.com/url?url=…`` or ``?q=``).

    None when ``url`` is no such redirect.
    """
    if "google." not in url:
        return None
    parts = _split(url)
    if parts.path != "/url" or not _GOOGLE_HOST_RE.match(parts.hostname or ""):
        return None
    params = dict(parse_qsl(parts.query))
    for name in ("url", "q"):
        target = _http_url(params.get(name, "").strip())
        if target and _host(target):
            return target
    return None


def _first_date(values):
    """The first of ``values`` that parses, else the first non-empty one.

    Returns ``(datetime or None, raw value)``.
    """
    values = [value for value in values if value]
    for value in values:
        parsed = parse_date(value)
        if parsed is not None:
            return parsed, value
    return None, values[0] if values else ""


def _post(feed, entry_id, link, title, html, dates, author, now):
    """Build a :class:`Post`; ``feed`` is the feed-level fallback author.

    ``link`` is absolute (or as absolute as the base allowed) and ``dates``
    the entry's date values, best first.
    """
    warnings = []
    body = html_to_text(html)
    title = normalize_space(title)
    content = (
        body if not title or body.startswith(title) else f"{title}\n{body}".strip()
    )
    posted_at, date_value = _first_date(dates)
    if posted_at is None:
        posted_at = date_or_now(date_value, now, warnings)
    article = _unwrap_redirect(link)
    if article:
        # Google Alerts: the article, whichever alert found it (module doc).
        link = entry_id = article
    return Post(
        network="rss",
        external_id=entry_id or link or _stable_id(title, body, date_value),
        content=content,
        posted_at=posted_at,
        url=_http_url(link),
        content_html=html,
        author=author or feed,
        warnings=warnings,
    )


def _author(name, uri_or_email, feed_url):
    """An entry author, identified by URI or e-mail, else by name on the feed's host."""
    name = normalize_space(name)
    if not name and not uri_or_email:
        return None
    host = _host(feed_url)
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
        handle=_host(link or feed_url),
        profile_url=link or feed_url,
    )


def _rss_author(value, feed_url):
    """RSS ``<author>`` is ``email (Name)`` or a bare name or e-mail."""
    match = _RSS_AUTHOR_RE.match(value)
    if match:
        return _author(match.group(2), match.group(1), feed_url)
    if "@" in value and " " not in value.strip():
        return _author("", value.strip(), feed_url)
    return _author(value, "", feed_url)


def _unescape_references(text):
    """Decode the complete entity references left in ``text``; nothing else."""
    if "&" not in text:
        return text
    return _REFERENCE_RE.sub(lambda match: unescape(match.group()), text)


def _rss_title(element):
    """An RSS title as text: its markup turned to text, else its references decoded.

    RSS says nothing of HTML in titles, yet publishers escape it once more
    (``&amp;#163;``) or put tags there; literal text (``a < b``) is kept.
    """
    title = _text(element)
    if "<" in title and _TITLE_MARKUP_RE.search(title):
        return html_to_text(title)
    return _unescape_references(title)


def _guid_link(guid, base_url):
    """The URL of a permalink ``<guid>`` (``isPermaLink`` not "false"), or "".

    Only guids that look like a URL or an absolute path count: many feeds
    leave ``isPermaLink`` out of guids such as ``12345``.
    """
    value = _text(guid)
    if (
        not value
        or (guid.get("isPermaLink") or "").strip().lower() == "false"
        or not _PERMALINK_RE.match(value)
    ):
        return ""
    return _resolve(guid, value, base_url)


def _parse_rss(root, feed_url, base_url, now):
    channel = root.find("channel")
    if channel is None:
        channel = root.find(f"{{{RSS1}}}channel")
    if channel is None:
        raise ParseError("RSS document without a channel")
    channel_fields = _children(channel)
    channel_link = channel_fields.get("link")
    if channel_link is None:
        channel_link = channel_fields.get(f"{{{RSS1}}}link")
    feed = _feed_author(
        _rss_title(channel_fields.get("title"))
        or _rss_title(channel_fields.get(f"{{{RSS1}}}title"))
        or _rss_title(channel_fields.get(f"{{{DC}}}title")),
        _resolve(channel_link, _text(channel_link), base_url)
        if channel_link is not None
        else "",
        feed_url,
    )
    # RSS 2.0 items live in the channel, RSS 1.0 items next to it.
    items = channel.findall("item") or root.findall(f"{{{RSS1}}}item")
    posts = []
    for item in items:
        fields = _children(item)
        get = fields.get
        link_element = get("link")
        if link_element is None:
            link_element = get(f"{{{RSS1}}}link")
        link = (
            _resolve(link_element, _text(link_element), base_url)
            if link_element is not None
            else ""
        )
        guid_element = get("guid")
        guid = _text(guid_element)
        permalink = _guid_link(guid_element, base_url) if guid else ""
        title = (
            _rss_title(get("title"))
            or _rss_title(get(f"{{{RSS1}}}title"))
            or _rss_title(get(f"{{{DC}}}title"))
        )
        author = _rss_author(_text(get("author")), feed_url) or _author(
            _text(get(f"{{{DC}}}creator")), "", feed_url
        )
        posts.append(
            _post(
                feed,
                # A relative permalink guid is only unique once resolved.
                entry_id=(permalink if permalink and guid.startswith("/") else guid)
                or item.get(f"{{{RDF}}}about", ""),
                link=link or permalink,
                title=title,
                html=_text(get(f"{{{CONTENT}}}encoded"))
                or _text(get("description"))
                or _text(get(f"{{{RSS1}}}description"))
                or _text(get(f"{{{DC}}}description")),
                dates=[_text(get(tag)) for tag in RSS_DATES],
                author=author,
                now=now,
            )
        )
    return posts


def _kind(element):
    """What an Atom text construct or content holds, from its ``type``.

    ``text``, ``html`` or ``xhtml``, the MIME forms of those (RFC 4287
    4.1.3.1), or ``other`` (another XML or a base64 media type).
    """
    kind = (element.get("type") or "text").strip().lower()
    if kind in ("text", "text/plain"):
        return "text"
    if kind in ("html", "text/html"):
        return "html"
    if kind in ("xhtml", "application/xhtml+xml"):
        return "xhtml"
    return "text" if kind.startswith("text/") else "other"


def _xhtml_source(element):
    """The XHTML ``div`` wrapping an xhtml construct (the element if none)."""
    div = element.find(f"{{{XHTML}}}div")
    return div if div is not None else element


def _xhtml_inner(element, text_is_html=False):
    """Inner markup of an Atom ``type="xhtml"`` element, without namespaces.

    Its text is text, escaped in the markup (``&lt;blink&gt;`` stays text).
    With ``text_is_html``, for a ``type="html"`` element holding elements
    (TypePad wraps escaped HTML in a ``div``), the text before the first
    element is HTML, kept as it is.
    """
    source = _xhtml_source(element)
    # A detached copy, so no namespace declaration is inherited from the feed.
    container = etree.Element("div")
    container.text = source.text
    container.extend(deepcopy(node) for node in source)
    for node in container.iter():
        node.tag = etree.QName(node).localname
    etree.cleanup_namespaces(container)
    text = container.text or ""
    inner = (text if text_is_html else escape(text, quote=False)) + "".join(
        etree.tostring(node, encoding="unicode", with_tail=True) for node in container
    )
    return inner.strip()


def _atom_content(fields):
    """HTML of an Atom entry's content (else summary), whatever its type.

    Out-of-line (``src``) and non-text content give way to the summary.
    """
    for tag in (f"{{{ATOM}}}content", f"{{{ATOM}}}summary"):
        element = fields.get(tag)
        if element is None or element.get("src"):
            continue
        kind = _kind(element)
        if kind == "xhtml" or (kind == "html" and len(element)):
            # Unescaped markup in type="html" is read as the XHTML it is.
            html = _xhtml_inner(element, text_is_html=kind == "html")
        elif kind == "html":
            html = (element.text or "").strip()
        elif kind == "text":
            text = (element.text or "").strip()
            # content_html must be HTML.
            html = f"<p>{escape(text)}</p>" if text else ""
        else:
            html = ""
        if html:
            return html
    return ""


def _atom_title(element):
    """An Atom title as text, by its ``type`` (see :func:`_kind`)."""
    if element is None:
        return ""
    kind = _kind(element)
    if kind == "html":
        return html_to_text(element.text or "")
    if kind == "xhtml":
        return "".join(_xhtml_source(element).itertext())
    # Another media type is no title (RFC 4287 3.1.1).
    return "".join(element.itertext()) if kind == "text" else ""


def _atom_link(element, base_url):
    """The ``alternate`` link of an Atom feed or entry, made absolute."""
    for link in element.iterchildren(f"{{{ATOM}}}link"):
        href = link.get("href")
        if (link.get("rel") or "alternate").strip() == "alternate" and href:
            return _resolve(link, href, base_url)
    return ""


def _atom_author(element, feed_url, base_url):
    author = element.find(f"{{{ATOM}}}author")
    if author is None:
        return None
    fields = _children(author)
    uri = fields.get(f"{{{ATOM}}}uri")
    return _author(
        _text(fields.get(f"{{{ATOM}}}name")),
        (_resolve(uri, _text(uri), base_url) if uri is not None else "")
        or _text(fields.get(f"{{{ATOM}}}email")),
        feed_url,
    )


def _parse_atom(root, feed_url, base_url, now):
    feed_title = root.find(f"{{{ATOM}}}title")
    if feed_title is None:
        feed_title = root.find(f"{{{DC}}}title")
    feed = _atom_author(root, feed_url, base_url) or _feed_author(
        normalize_space(_atom_title(feed_title)),
        _atom_link(root, base_url),
        feed_url,
    )
    posts = []
    for entry in root.iterchildren(f"{{{ATOM}}}entry"):
        fields = _children(entry)
        get = fields.get
        title = get(f"{{{ATOM}}}title")
        posts.append(
            _post(
                feed,
                entry_id=_text(get(f"{{{ATOM}}}id")),
                link=_atom_link(entry, base_url),
                title=_atom_title(title) or _rss_title(get(f"{{{DC}}}title")),
                html=_atom_content(fields),
                dates=[_text(get(tag)) for tag in ATOM_DATES],
                author=_atom_author(entry, feed_url, base_url),
                now=now,
            )
        )
    return posts


def parse_feed(body, now=None, feed_url="", content_type="", base_url=None):
    """Parse an RSS or Atom document (bytes) into posts, in document order.

    ``feed_url`` names the feed (authors without a URI are scoped by its
    host); ``base_url``, by default ``feed_url``, is where the document was
    fetched from, after redirects: relative links are resolved against it.
    ``content_type`` is the HTTP ``Content-Type``, whose charset may decide
    the encoding (see the module doc).
    """
    now = now or utcnow()
    base_url = feed_url if base_url is None else base_url
    root = parse_xml(body, content_type)
    if root.tag == f"{{{ATOM}}}feed":
        return _parse_atom(root, feed_url, base_url, now)
    if root.tag in ("rss", f"{{{RDF}}}RDF"):
        return _parse_rss(root, feed_url, base_url, now)
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
        entries = parse_feed(
            response.body,
            now=now,
            feed_url=self.feed_url,
            content_type=response.headers.get("Content-Type", ""),
            base_url=response.url or self.feed_url,
        )
        # Only date fallbacks put warnings on RSS posts: those are always kept.
        posts = [
            post
            for post in entries
            if since is None or post.warnings or post.posted_at > since
        ]
        dated = [post.posted_at for post in posts if not post.warnings]
        newest = max(dated, default=since)
        return Page(posts=posts, cursor=newest.isoformat() if newest else cursor)
