"""Text, number and date normalization shared by every connector.

Connectors hand the Odoo layer plain text (HTML is kept aside, raw, in
``Post.content_html``, for the Odoo side to store what
:func:`.html_clean.sanitize_html` keeps of it) and naive UTC datetimes, the
way Odoo stores ``Datetime`` fields.
"""

import re
from datetime import datetime, timedelta, timezone

from dateutil import parser as date_parser
from lxml import etree

# Elements before and after which the text continues on a new line.
_BLOCK_TAGS = frozenset(
    (
        "address",
        "article",
        "blockquote",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tr",
        "ul",
    )
)

#: The parser of post HTML: comments and processing instructions are left
#: out, nothing is fetched from the network.
HTML_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
# A whole page rather than a fragment (as lxml.html tells them apart).
_FULL_HTML_RE = re.compile(r"\s*<(?:html|!doctype)", re.IGNORECASE)
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
# SVG's text that no browser shows (the tooltip, metadata such as RDF),
# dropped inside an <svg>: plain "title" and prefixed "svg:title" alike, as
# libxml2's HTML parser may give either. ``desc`` stays, as feedparser (the
# reading real feeds are checked against) keeps it.
_SVG_TAGS = frozenset(("svg", "svg:svg"))
_SVG_HIDDEN_TAGS = ("title", "metadata", "svg:title", "svg:metadata")

# C1 control characters (U+0080-U+009F) in text are bytes of another
# encoding read as ISO-8859-1, raw or as references (&#146;), see
# repair_c1_controls; windows-1252 gives them the characters browsers show
# (HTML's rules for numeric references), but for the five it leaves undefined.
_C1_RE = re.compile("[\x80-\x9f]")
_CP1252_C1 = {
    code: char
    for code in range(0x80, 0xA0)
    if (char := bytes((code,)).decode("cp1252", "replace")) != "\ufffd"
}

# US zone abbreviations still found in RFC 822 dates of RSS feeds; dateutil
# knows UT/GMT/Z and would otherwise ignore these with a warning.
_TZINFOS = {
    "EST": -5 * 3600,
    "EDT": -4 * 3600,
    "CST": -6 * 3600,
    "CDT": -5 * 3600,
    "MST": -7 * 3600,
    "MDT": -6 * 3600,
    "PST": -8 * 3600,
    "PDT": -7 * 3600,
}


# Complete RFC 3339 date-times (2026-11-24T10:00:00.5Z, …+05:30), read field
# by field: ``datetime.fromisoformat`` only takes ``Z`` and fractions of other
# than 3 or 6 digits from Python 3.11 on, and Odoo 18 runs on 3.10 too.
_RFC3339_RE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?"
    r"(?:([Zz])|([+-])(\d{2}):?(\d{2}))?\Z",
    re.ASCII,
)


def _parse_rfc3339(match):
    """The naive UTC datetime of a :data:`_RFC3339_RE` match (ValueError if invalid)."""
    year, month, day, hour, minute, second, fraction, _z, sign, tz_h, tz_m = (
        match.groups()
    )
    value = datetime(
        int(year),
        int(month),
        int(day),
        int(hour),
        int(minute),
        # A leap second (…:60) is read as the last second of its minute.
        min(int(second), 59),
        int((fraction or "0")[:6].ljust(6, "0")),
    )
    if sign:
        offset = timedelta(hours=int(tz_h), minutes=int(tz_m))
        value -= offset if sign == "+" else -offset
    return value


def repair_c1_controls(text):
    """``text`` with its C1 control characters read as what was meant.

    Text that is UTF-8 once written back as ISO-8859-1 was UTF-8 read as
    ISO-8859-1 (``â\\x80¦`` for ``…``) and is read again as UTF-8, as
    feedparser does; otherwise the controls are windows-1252 characters
    (``\\x92``: ``’``), as browsers read ``&#146;``. Text without any C1
    control comes back as it is, after one scan.
    """
    if text.isascii() or not _C1_RE.search(text):
        return text
    try:
        return text.encode("latin-1").decode("utf-8").translate(_CP1252_C1)
    except UnicodeError:
        # Not mis-decoded UTF-8: the controls are windows-1252's.
        return text.translate(_CP1252_C1)


def normalize_space(text):
    """Collapse runs of spaces inside each line and drop empty lines.

    C1 control characters are repaired first (:func:`repair_c1_controls`):
    U+0085 would otherwise break the line where an ellipsis was meant.
    """
    lines = (
        " ".join(line.split()) for line in repair_c1_controls(text or "").splitlines()
    )
    return "\n".join(line for line in lines if line)


def parse_html(html):
    """The ``<body>`` element of ``html``, a fragment or a whole page, or None.

    Parsed by libxml2's HTML parser (:data:`HTML_PARSER`): whatever the
    markup, a tree comes out, without comments or processing instructions.
    None for empty input.
    """
    if not html or not html.strip():
        return None
    if not html.isascii() and _SURROGATE_RE.search(html):
        # Half of an emoji cut by a truncation: libxml2 would drop everything
        # from there on; it becomes "?" instead.
        html = html.encode("utf-8", "replace").decode("utf-8")
    if not _FULL_HTML_RE.match(html):
        html = f"<html><body>{html}</body></html>"
    try:
        root = etree.fromstring(html, HTML_PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None
    return root.find("body") if root is not None else None


def html_to_text(html):
    """Return the readable text of an HTML fragment.

    Block elements and ``<br>`` become line breaks (so Mastodon's
    ``<p>a</p><p>b</p>`` does not read ``ab``), scripts, styles and the
    hidden text of SVG images (``title``, ``metadata``) are dropped,
    whitespace is normalized (:func:`normalize_space`, which also repairs C1
    controls, such as those of ``&#146;``). Text that is not HTML comes back
    normalized.
    """
    if not html or not html.strip():
        return ""
    body = parse_html(html)
    if body is None:
        return normalize_space(html)
    scripts = False
    svgs = []
    for element in body.iterdescendants():
        tag = element.tag
        if tag in _BLOCK_TAGS:
            # Before a block too: Hacker News separates paragraphs with a lone <p>.
            element.text = "\n" + (element.text or "")
            element.tail = "\n" + (element.tail or "")
        elif tag == "br":
            element.tail = "\n" + (element.tail or "")
        elif tag in ("script", "style"):
            scripts = True
        elif tag in _SVG_TAGS:
            svgs.append(element)
    if scripts:
        etree.strip_elements(body, "script", "style", with_tail=False)
    for svg in svgs:
        etree.strip_elements(svg, *_SVG_HIDDEN_TAGS, with_tail=False)
    return normalize_space("".join(body.itertext()))


def excerpt(text, limit=120):
    """A one-line excerpt of ``text`` (str or bytes) for error messages."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def to_int(value, default=0):
    """``int(value)``, or ``default`` for None, empty or garbage values."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def utcnow():
    """The current time as a naive UTC datetime."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def to_naive_utc(value):
    """Convert an aware datetime to naive UTC; naive ones are taken as UTC."""
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value


def parse_date(value):
    """Parse an RFC 822, RFC 3339 or ISO 8601 date to naive UTC, or None."""
    if isinstance(value, datetime):
        return to_naive_utc(value)
    if not value or not str(value).strip():
        return None
    # The usual API form (2026-11-24T10:00:00.000Z) without dateutil's
    # general parser, which costs more than the rest of a post's parsing.
    text = str(value).strip()
    try:
        match = _RFC3339_RE.match(text)
        if match:
            return _parse_rfc3339(match)
        return to_naive_utc(date_parser.parse(text, tzinfos=_TZINFOS))
    except (ValueError, OverflowError, TypeError):
        return None


def from_timestamp(value):
    """A Unix timestamp (int, float or numeric string) as naive UTC, or None."""
    try:
        return datetime.fromtimestamp(float(value), timezone.utc).replace(tzinfo=None)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def date_or_now(value, now, warnings, label="date"):
    """``parse_date(value)``, falling back to ``now`` with a warning appended."""
    parsed = parse_date(value)
    if parsed is None:
        shown = excerpt(str(value or ""), 60)
        warnings.append(f"Unparseable {label} {shown!r}: using the fetch time")
        return now
    return parsed
