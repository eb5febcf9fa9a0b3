#!/usr/bin/env python3
"""Run every connector parser over the recorded real payloads and judge the result.

The payloads are the 2,222 responses and feeds of ``../shared/real-payloads``
(recorded by feedparser's, PRAW's, Mastodon.py's and tweepy's test suites, see
its ``README.md``). They are read in place: nothing from them is copied into
the project. The connectors are loaded as a standalone package
(``social_crm/connectors`` only uses relative imports), so no Odoo is needed::

    ~/.cache/social_crm/venv/bin/python tools/check_real_payloads.py \\
        [PAYLOADS] [--budget N] [--verbose] [--network NAME]... \\
        [--connectors DIR] [--require-payloads]

``PAYLOADS`` defaults to ``$SOCIAL_CRM_REAL_PAYLOADS``, else
``../shared/real-payloads`` beside the project root; ``--connectors`` checks
another copy of ``social_crm/connectors`` (e.g. an older commit's, exported).

It prints one table row per network (payloads read, posts parsed, payloads
that agree, accepted, unexplained, refusals, crashes, no post responses),
then per network the accepted disagreements by reason, every crash, the
unexplained disagreements (file, entry, field and a one-line diff; the first
30 payloads) and the refusals grouped by message. ``--verbose`` lists every
disagreement, refusal and accepted disagreement, with the description of
feedparser's test file.

Exit codes:

* 0: no crash and no more unexplained disagreements than ``--budget``
  (default 0); also when the payload folder is absent (one line says the
  check was not run and why), unless ``--require-payloads``;
* 1: a parser crashed (raised anything but the connector's
  ``ConnectorError``/``ParseError``), the check itself failed on a payload,
  or the unexplained disagreements exceed the budget;
* 2: the check cannot run: bad arguments, unreadable manifest, a file it lists
  is missing, feedparser is not installed, or (with ``--require-payloads``)
  no payload folder.

How each payload is judged
--------------------------

The manifest's ``kind`` (the response shape) chooses the parser:
``feed`` -> ``rss.parse_feed``; ``mastodon_statuses``/``mastodon_search`` ->
``mastodon.parse_statuses``; ``mastodon_notifications`` ->
``mastodon.parse_notifications``; ``mastodon_status`` ->
``mastodon.parse_status``; ``mastodon_account`` -> ``mastodon.parse_account``;
``reddit_listing`` -> ``reddit.parse_listing``; ``x_search`` ->
``x.parse_search``. Other kinds (OAuth tokens, instance info, a status
context...) are no post response: they are counted and listed by kind.

A ``ConnectorError`` (``ParseError`` included) is a *refusal*: counted, listed
with its message, and a disagreement of its own unless an accepted reason
below explains it (a well-formed feed refused is a disagreement). Any other
exception is a *crash*.

Feeds are compared with feedparser (a development dependency, see
``requirements-dev.txt``), both given the same bytes, the same document URL
(where feedparser's test suite serves them, the base of relative links) and,
when the file declares one in its header (``Header: Content-type: ...``) and
``parse_feed`` takes a ``content_type``, that Content-Type; no other header.
Per entry, in document order, after the number of
entries: the title text, the link, the date (to the second, UTC: feedparser's
published, else updated, else created) and the content text (the first
content, else the summary). Text is compared as text, not markup: HTML is
turned to text by an HTML parser of the standard library (block elements and
``<br>`` separate words; script, style, head and title hold no readable text;
``<![CDATA[`` opens a comment, as in HTML) and every run of whitespace counts
as one space, so markup-only differences (sanitized attributes, relative URIs
resolved inside content) do not count. The connector's ``Post.content`` is its
title and body text (the body alone when it starts with the title): it is
split back into the two with ``html_to_text(content_html)``.

Mastodon, Reddit and X have no library oracle here, so each post is checked
against the raw JSON it came from:

* the page holds one post per status/thing/tweet (after unwrapping), none
  twice, and only those (Mastodon notifications: the mentions only; Reddit:
  the ``t1``/``t3`` things);
* external id: Mastodon the status ``uri``, Reddit the ``name``, X the ``id``;
* author id: Mastodon the account ``url``, Reddit ``author_fullname`` (no
  author for ``[deleted]``), X ``author_id`` when ``includes.users`` has it;
* text: Mastodon the text of ``content`` after ``spoiler_text``; Reddit the
  text of ``body_html`` (comments) or the title then the text of
  ``selftext_html`` (posts), what a reader sees rather than the Markdown
  source; X the ``text`` with the ``&amp; &lt; &gt;`` X adds decoded;
* date: the payload's date to the second, or the fetch time with a warning
  when the payload has none;
* counts are ``int`` and equal the payload's (likes, shares, replies, and
  the author's followers/following/posts where the payload has them);
* reblogs (Mastodon ``reblog``) and retweets (X ``referenced_tweets`` of type
  ``retweeted`` found in ``includes.tweets``) become the original post, by
  the original author.

Accepted disagreements (feeds)
------------------------------

A disagreement is accepted only for one of these named reasons, each decided
from the document or from feedparser itself, never from what the connector
returned (``feedparser_sanitizer`` and ``mojibake_repair`` compare with a
second reading by feedparser); anything else is unexplained.

======================  =============================================================
reason                  why accepted
======================  =============================================================
format_not_claimed      Atom 0.3, RSS 0.90, Netscape CDF, an ``<rss>`` in a
                        namespace (Userland's) or a ``<feed>`` outside the Atom
                        namespace: ``rss.py`` reads RSS 2.0, RSS 1.0 and Atom
                        1.0 (its docstring). A scope decision, not a parsing bug.
ill_formed_xml          feedparser itself flags the document as not well-formed
                        (bozo: syntax error, undefined entity, undeclared
                        prefix, bytes not in the declared encoding) and recovers
                        by guessing; XML 1.0 makes these fatal errors. Accepted
                        for a refusal or another number of entries; for a field
                        only when feedparser decoded the bytes in another
                        encoding than the declared one.
entity_dtd              the DTD declares entities: refused by design (billion
                        laughs, XXE), see ``rss.py``.
no_channel              an ``<rss>`` or ``<rdf:RDF>`` without ``<channel>`` that
                        feedparser finds no entry in either: nothing is lost.
python_codec_name       the XML declaration names the encoding by a Python codec
                        alias (``u16``, ``utf_16``...), no IANA charset name:
                        libxml2 does not know it, as XML processors need not.
atom03_construct        an Atom 1.0 element in Atom 0.3 syntax: a ``mode``
                        attribute, or a MIME type on a text construct (title,
                        summary; RFC 4287 §3.1.1 allows text, html, xhtml).
binary_content          ``atom:content`` of a non-text, non-XML media type
                        (base64, RFC 4287 §4.1.3.3): bytes, not text to show.
extension_element       feedparser took the value from an extension element
                        (iTunes, Media RSS, an XHTML ``body``...) and no standard
                        element of the entry gives it (for a title, content or
                        date: the entry has no standard one with text): the
                        connector reads the standard ones (RSS 2.0, RSS 1.0
                        with Dublin Core, DCMI terms and content, Atom 1.0).
not_in_spec             the value comes from markup the format does not define
                        there (``fullitem``, ``summary`` or ``updated`` in RSS, an
                        ``<item>`` outside ``<channel>`` or in Atom, a title
                        nested in a category, a link's text instead of its
                        ``href``; found as for extension_element): feedparser
                        guesses, the connector does not.
atom_id_as_link         feedparser used an Atom entry's id as its link: an Atom
                        id is an identifier, not a link (RFC 4287 §4.2.6); RSS
                        ``guid`` permalinks are *not* excused by this.
repeated_element        the entry repeats a single-valued element (two
                        ``atom:updated``) and feedparser kept a later one:
                        either choice is a guess.
feedparser_sanitizer    the connector's text equals feedparser's own text with
                        its sanitizer off: feedparser's sanitizer removed text
                        (``object``/``embed``... with their content) or misread
                        broken markup; the connector keeps text and sanitizes
                        HTML apart (``html_clean.py``).
mojibake_repair         the document writes UTF-8-read-as-Latin-1 as character
                        references (``&#226;&#128;&#166;``) and feedparser
                        repairs them: the connector reads what is written.
======================  =============================================================

A payload counts once: as agreeing, as accepted (under the reason of its first
disagreement) when every disagreement is accepted, or as unexplained.
"""

import argparse
import html
import importlib
import importlib.util
import inspect
import json
import os
import re
import sys
import time
import traceback
import warnings
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from lxml import etree

PROJECT = Path(__file__).resolve().parent.parent
CONNECTORS_DIR = PROJECT / "social_crm" / "connectors"
DEFAULT_PAYLOADS = PROJECT.parent / "shared" / "real-payloads"
ENV_VAR = "SOCIAL_CRM_REAL_PAYLOADS"
PACKAGE = "_social_crm_connectors"
# Where feedparser's test suite serves its feeds (tests/helpers.py).
FEEDPARSER_REPO = "kurtmckee/feedparser"
FEEDPARSER_BASE = "http://127.0.0.1:8097/"
# The "fetch time" handed to parsers: a post dated so had no usable date.
NOW = datetime(1900, 1, 1)
# Unexplained disagreements listed without --verbose.
LIST_LIMIT = 30

ATOM = "http://www.w3.org/2005/Atom"
ATOM03 = "http://purl.org/atom/ns#"
RSS1 = "http://purl.org/rss/1.0/"
RSS090 = "http://my.netscape.com/rdf/simple/0.9/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
#: Namespaces of the formats the connector claims, and of their standard modules.
STANDARD_NAMESPACES = frozenset(("", ATOM, RSS1, RDF, DC, DCTERMS, CONTENT))
NOT_CLAIMED = frozenset(("atom03", "rss090", "cdf", "rss-namespaced", "feed-not-atom"))
#: feedparser's bozo exceptions meaning "not well-formed XML"...
SYNTAX_BOZO = frozenset(("SAXParseException", "UndeclaredNamespace"))
#: ... and "the bytes are not in the declared encoding" (it guessed another).
ENCODING_BOZO = frozenset(("CharacterEncodingOverride", "CharacterEncodingUnknown"))

#: The elements of an entry that the formats define for each compared field.
SPEC_ELEMENTS = {
    "title": frozenset(
        ("title", f"{{{RSS1}}}title", f"{{{ATOM}}}title", f"{{{DC}}}title")
    ),
    "content": frozenset(
        (
            "description",
            f"{{{RSS1}}}description",
            f"{{{CONTENT}}}encoded",
            f"{{{ATOM}}}content",
            f"{{{ATOM}}}summary",
            f"{{{DC}}}description",
        )
    ),
    "date": frozenset(
        (
            "pubDate",
            f"{{{DC}}}date",
            f"{{{DCTERMS}}}issued",
            f"{{{DCTERMS}}}created",
            f"{{{DCTERMS}}}modified",
            f"{{{DCTERMS}}}date",
            f"{{{ATOM}}}published",
            f"{{{ATOM}}}updated",
        )
    ),
    "link": frozenset(("link", f"{{{RSS1}}}link", "guid", f"{{{ATOM}}}link")),
}
ATOM_TEXT_TYPES = frozenset(("text", "html", "xhtml"))
#: Encoding names only Python knows (codec aliases, not IANA charset names).
PYTHON_CODEC_NAMES = frozenset(
    "u7 u8 u16 u32 utf_7 utf_8 utf_16 utf_32 utf_16_be utf_16_le utf_32_be"
    " utf_32_le utf8_ucs2 utf8_ucs4".split()
)
_XML_ENCODING_RE = re.compile(rb"""^[^<]*<\?xml[^>]*encoding=["']([^"']+)["']""")
_ENTITY_DECL_RE = re.compile(rb"<!ENTITY", re.IGNORECASE)
_LATIN1_CHARREF_RE = re.compile(r"&#(1[2-9]\d|2[0-4]\d|25[0-5]);")
_DESCRIPTION_RE = re.compile(r"Description:\s*(.*?)\s*\n")
_CONTENT_TYPE_RE = re.compile(r"^Header:\s+Content-type:(.*)$", re.MULTILINE | re.I)
_BLOCK_TAGS = frozenset(
    "address article blockquote br dd div dl dt figcaption footer h1 h2 h3 h4 h5"
    " h6 header hr li ol p pre section table td th tr ul".split()
)
_HIDDEN_TAGS = frozenset(("script", "style", "head", "title"))
_HTML_CDATA_RE = re.compile(r"<!\[CDATA\[[^>]*>")

REASONS = (
    "format_not_claimed",
    "ill_formed_xml",
    "entity_dtd",
    "no_channel",
    "python_codec_name",
    "atom03_construct",
    "binary_content",
    "extension_element",
    "not_in_spec",
    "atom_id_as_link",
    "repeated_element",
    "feedparser_sanitizer",
    "mojibake_repair",
)


class CannotRun(Exception):
    """The check cannot run at all (exit code 2)."""


# ---------------------------------------------------------------- text helpers


class _TextExtractor(HTMLParser):
    """The readable text of HTML, by the standard library's HTML parser."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in _HIDDEN_TAGS:
            self.hidden += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_startendtag(self, tag, attrs):
        if tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in _HIDDEN_TAGS:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def collapse(text):
    """``text`` with every run of whitespace as one space, stripped."""
    return " ".join((text or "").split())


def html_text(markup):
    """The collapsed readable text of an HTML fragment or page."""
    if not markup:
        return ""
    if "<![" in markup:
        # HTML (unlike XML) reads "<![CDATA[" as a comment up to the next ">".
        markup = _HTML_CDATA_RE.sub("", markup)
    extractor = _TextExtractor()
    extractor.feed(markup)
    extractor.close()
    return collapse("".join(extractor.parts))


def typed_text(value, content_type):
    """Text of a feedparser value of MIME type ``content_type``."""
    if "html" in (content_type or "") or "xml" in (content_type or ""):
        return html_text(value)
    return collapse(value)


def clip(value, limit=70):
    shown = repr(value)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def one_line_diff(ours, expected, limit=70):
    """``ours != expected`` around their first difference, on one line."""
    if not (isinstance(ours, str) and isinstance(expected, str)):
        return f"ours {clip(ours, limit)} != {clip(expected, limit)}"
    start = 0
    while start < min(len(ours), len(expected)) and ours[start] == expected[start]:
        start += 1
    start = max(0, start - 20)
    prefix = "…" if start else ""
    return (
        f"ours {prefix}{clip(ours[start:], limit)} != {prefix}"
        f"{clip(expected[start:], limit)}"
    )


def localname(element):
    return etree.QName(element).localname


def namespace(element):
    return etree.QName(element).namespace or ""


# ---------------------------------------------------------------- results


@dataclass
class Finding:
    """One disagreement of a payload: ``reason`` is "" when unexplained."""

    field: str
    detail: str
    entry: int | None = None
    reason: str = ""

    def __post_init__(self):
        if self.reason and self.reason not in REASONS:
            raise ValueError(f"undocumented reason {self.reason!r}")

    def line(self, file):
        where = f" [{self.entry}]" if self.entry is not None else ""
        why = f" ({self.reason})" if self.reason else ""
        return f"{file}{where} {self.field}: {self.detail}{why}"


@dataclass
class Outcome:
    """What the check made of one payload."""

    file: str
    kind: str
    posts: int = 0
    findings: list[Finding] = field(default_factory=list)
    refusal: str = ""
    crash: str = ""
    not_post: bool = False
    note: str = ""

    @property
    def unexplained(self):
        return [finding for finding in self.findings if not finding.reason]

    @property
    def status(self):
        if self.crash:
            return "crash"
        if self.not_post:
            return "not_post"
        if self.unexplained:
            return "unexplained"
        return "accepted" if self.findings else "agree"


@dataclass
class NetworkReport:
    name: str
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, status):
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def accepted_by_reason(self):
        return Counter(
            outcome.findings[0].reason
            for outcome in self.outcomes
            if outcome.status == "accepted"
        )


# ---------------------------------------------------------------- loading


def load_connectors(path=CONNECTORS_DIR):
    """Import ``social_crm/connectors`` as a standalone package (no Odoo)."""
    sys.dont_write_bytecode = True  # leave no __pycache__ in the checkout
    spec = importlib.util.spec_from_file_location(
        PACKAGE, path / "__init__.py", submodule_search_locations=[str(path)]
    )
    package = importlib.util.module_from_spec(spec)
    sys.modules[PACKAGE] = package
    spec.loader.exec_module(package)
    return {
        name: importlib.import_module(f"{PACKAGE}.{name}")
        for name in ("base", "http", "text", "rss", "mastodon", "reddit", "x")
    }


def payloads_dir(argument):
    if argument:
        return Path(argument)
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    return DEFAULT_PAYLOADS


def read_manifest(root):
    try:
        manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CannotRun(f"cannot read {root / 'manifest.json'}: {exc}") from None
    missing = [item["file"] for item in manifest if not (root / item["file"]).is_file()]
    if missing:
        raise CannotRun(
            f"{len(missing)} file(s) of the manifest are missing, e.g. {missing[0]}"
        )
    return manifest


def request_url(item):
    """The URL a payload answered (feedparser's feeds: where its tests serve them)."""
    method, _, url = (item.get("request") or "").partition(" ")
    if method in ("GET", "POST") and url.startswith("http"):
        return url
    if item.get("repo") == FEEDPARSER_REPO and item.get("path"):
        return FEEDPARSER_BASE + item["path"]
    return ""


# ---------------------------------------------------------------- checker


class Checker:
    """Runs the parser a payload's kind calls for and judges its result."""

    def __init__(self, modules, feedparser):
        self.m = modules
        self.feedparser = feedparser
        self.connector_error = modules["base"].ConnectorError
        parameters = inspect.signature(modules["rss"].parse_feed).parameters
        self.feed_content_type = "content_type" in parameters
        self.kinds = {
            "feed": self.check_feed,
            "mastodon_statuses": self.check_mastodon_statuses,
            "mastodon_search": self.check_mastodon_statuses,
            "mastodon_notifications": self.check_mastodon_notifications,
            "mastodon_status": self.check_mastodon_status,
            "mastodon_account": self.check_mastodon_account,
            "reddit_listing": self.check_reddit,
            "x_search": self.check_x,
        }

    def check(self, item, body):
        outcome = Outcome(file=item["file"], kind=item["kind"])
        check = self.kinds.get(item["kind"])
        if check is None:
            outcome.not_post = True
            return outcome
        try:
            check(item, body, outcome)
        except _ParserCrash as crash:
            outcome.crash = crash.text
        except Exception:  # a bug of the check itself: reported, not hidden
            outcome.crash = "in the check itself: " + _last_line(traceback.format_exc())
        return outcome

    def call(self, outcome, parser, *args, **kwargs):
        """``parser(...)``, or None after recording a refusal; crashes propagate."""
        try:
            return parser(*args, **kwargs)
        except self.connector_error as exc:
            outcome.refusal = f"{type(exc).__name__}: {exc}"
            return None
        except Exception:  # anything else is the crash this check looks for
            raise _ParserCrash(_last_line(traceback.format_exc())) from None

    # ------------------------------------------------------------ feeds

    def check_feed(self, item, body, outcome):
        url = request_url(item)
        text = _decode_for_header(body)
        # A feedparser test's "Header: Content-type:", given to both parsers
        # when parse_feed takes a Content-Type (as fetch gives it).
        match = _CONTENT_TYPE_RE.search(text) if self.feed_content_type else None
        content_type = match.group(1).strip() if match else ""
        options = {"content_type": content_type} if content_type else {}
        parse_feed = self.m["rss"].parse_feed
        posts = self.call(outcome, parse_feed, body, now=NOW, feed_url=url, **options)
        oracle = self.read_with_feedparser(body, url, content_type)
        doc = FeedDocument(body, url, oracle, text, content_type)
        outcome.note = doc.description
        if posts is None:
            outcome.findings.append(
                Finding("refusal", outcome.refusal, reason=doc.refusal_reason())
            )
            return
        outcome.posts = len(posts)
        outcome.findings.extend(_post_type_findings(posts))
        entries = oracle.entries
        if len(posts) != len(entries):
            outcome.findings.append(
                Finding(
                    "count",
                    f"ours {len(posts)} entries != feedparser {len(entries)}",
                    reason=doc.count_reason(len(posts), len(entries)),
                )
            )
            return
        for index, (post, entry) in enumerate(zip(posts, entries, strict=True)):
            for finding in self.compare_entry(post, entry, doc, index):
                outcome.findings.append(finding)

    def read_with_feedparser(self, body, url, content_type="", sanitize=True):
        # Without a Content-Type feedparser reads the bytes as parse_feed
        # does without one (BOM, XML declaration, UTF-8); application/xml
        # means the same to it, and lets the Content-Location be the base.
        headers = {
            "content-location": url,
            "content-type": content_type or "application/xml",
        }
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return self.feedparser.parse(
                body,
                response_headers=headers if url or content_type else None,
                sanitize_html=sanitize,
            )

    def compare_entry(self, post, entry, doc, index):
        ours = self.our_fields(post)
        expected = oracle_fields(entry)
        title, body = ours["title"], ours["content"]
        if title is None:
            # The title is not apart: it is empty or the body starts with it.
            title_ok = not expected["title"] or body.startswith(expected["title"])
            title = "" if not title_ok else expected["title"]
        for name in ("title", "link", "date", "content"):
            mine = title if name == "title" else ours[name]
            if mine == expected[name]:
                continue
            reason = doc.field_reason(name, index, expected[name])
            if not reason and name == "content":
                reason = self.content_reason(doc, index, body, expected["content"])
            yield Finding(
                name, one_line_diff(mine, expected[name]), entry=index, reason=reason
            )

    def our_fields(self, post):
        content = collapse(post.content)
        body = collapse(self.m["text"].html_to_text(post.content_html or ""))
        if content == body:
            title = None
        elif body and content.endswith(" " + body):
            title = content[: -len(body) - 1]
        elif not body:
            title = content
        else:
            # Not "title, then body": judge the whole text as the content.
            title, body = None, content
        posted = None if post.posted_at == NOW else _to_second(post.posted_at)
        return {"title": title, "content": body, "link": post.url, "date": posted}

    def content_reason(self, doc, index, ours, expected):
        """Reasons found by reading the feed again: unsanitized, or repaired."""
        if doc.unsanitized is None:
            doc.unsanitized = self.read_with_feedparser(
                doc.body, doc.url, doc.content_type, sanitize=False
            )
        entries = doc.unsanitized.entries
        if index < len(entries) and oracle_fields(entries[index])["content"] == ours:
            return "feedparser_sanitizer"
        try:
            repaired = ours.encode("latin-1").decode("utf-8")
        except UnicodeError:
            return ""
        if repaired == expected and _LATIN1_CHARREF_RE.search(doc.text):
            return "mojibake_repair"
        return ""

    # ------------------------------------------------------------ Mastodon

    def check_mastodon_statuses(self, item, body, outcome):
        host = urlsplit(request_url(item)).hostname or ""
        posts = self.call(
            outcome,
            self.m["mastodon"].parse_statuses,
            body,
            now=NOW,
            instance_host=host,
        )
        data = json.loads(body)
        statuses = (data.get("statuses") or []) if isinstance(data, dict) else data
        if isinstance(data, dict):
            for account in data.get("accounts") or []:
                self._mastodon_account(outcome, account, host)
        self._mastodon_page(outcome, posts, statuses)

    def check_mastodon_notifications(self, item, body, outcome):
        host = urlsplit(request_url(item)).hostname or ""
        posts = self.call(
            outcome,
            self.m["mastodon"].parse_notifications,
            body,
            now=NOW,
            instance_host=host,
        )
        statuses = [
            notification["status"]
            for notification in json.loads(body)
            if notification.get("type") == "mention" and notification.get("status")
        ]
        self._mastodon_page(outcome, posts, statuses)

    def check_mastodon_status(self, item, body, outcome):
        host = urlsplit(request_url(item)).hostname or ""
        mastodon = self.m["mastodon"]
        status = self.call(outcome, self.m["http"].load_json, body)
        post = None
        if status is not None:
            post = self.call(outcome, mastodon.parse_status, status, NOW, host)
        self._mastodon_page(outcome, None if post is None else [post], [status])

    def check_mastodon_account(self, item, body, outcome):
        host = urlsplit(request_url(item)).hostname or ""
        self._mastodon_account(outcome, json.loads(body), host)

    def _mastodon_account(self, outcome, account, host):
        author = self.call(outcome, self.m["mastodon"].parse_account, account, host)
        if author is None:
            outcome.findings.append(Finding("refusal", outcome.refusal))
            return
        expected = {
            "external_id": account.get("url") or author.external_id,
            "followers_count": account.get("followers_count", 0),
            "following_count": account.get("following_count", 0),
            "post_count": account.get("statuses_count", 0),
        }
        outcome.findings.extend(_author_findings(author, expected, account.get("id")))

    def _mastodon_page(self, outcome, posts, raw_items):
        if posts is None:
            outcome.findings.append(Finding("refusal", outcome.refusal))
            return
        outcome.posts = len(posts)
        expected = {}
        wrappers = set()
        for raw in raw_items:
            status = raw.get("reblog") or raw
            if raw.get("reblog"):
                wrappers.add(raw.get("uri"))
            expected.setdefault(status.get("uri") or status.get("url"), status)
        uri_by_id = {str(status.get("id")): uri for uri, status in expected.items()}
        findings = _page_findings(posts, list(expected), wrappers)
        for index, post in enumerate(posts):
            status = expected.get(post.external_id)
            if status is not None:
                findings += self._mastodon_post(post, status, uri_by_id, index)
        outcome.findings.extend(findings)

    def _mastodon_post(self, post, status, uri_by_id, index):
        text = html_text(status.get("content") or "")
        if status.get("spoiler_text"):
            text = collapse(f"{status['spoiler_text']} {text}")
        account = status.get("account") or {}
        parent = uri_by_id.get(str(status.get("in_reply_to_id")), "")
        expected = {
            "author": account.get("url") or (post.author and post.author.external_id),
            "text": text,
            "date": status.get("created_at"),
            "url": status.get("url") or status.get("uri") or "",
            "like_count": status.get("favourites_count", 0),
            "share_count": status.get("reblogs_count", 0),
            "reply_count": status.get("replies_count", 0),
            "parent": parent if status.get("in_reply_to_id") else "",
        }
        findings = _post_findings(post, expected, index)
        if post.author is not None:
            author = {
                "external_id": expected["author"],
                "followers_count": account.get("followers_count", 0),
                "following_count": account.get("following_count", 0),
                "post_count": account.get("statuses_count", 0),
            }
            findings += _author_findings(post.author, author, index)
        return findings

    # ------------------------------------------------------------ Reddit

    def check_reddit(self, item, body, outcome):
        result = self.call(outcome, self.m["reddit"].parse_listing, body, now=NOW)
        if result is None:
            outcome.findings.append(Finding("refusal", outcome.refusal))
            return
        posts, _after = result
        outcome.posts = len(posts)
        listing = json.loads(body).get("data") or {}
        things = {}
        for thing in listing.get("children") or []:
            data = thing.get("data") or {}
            if thing.get("kind") in ("t1", "t3") and data.get("name"):
                things.setdefault(data["name"], thing)
        findings = _page_findings(posts, list(things), set())
        for index, post in enumerate(posts):
            thing = things.get(post.external_id)
            if thing is not None:
                findings += _post_findings(post, reddit_expected(thing), index)
        outcome.findings.extend(findings)

    # ------------------------------------------------------------ X

    def check_x(self, item, body, outcome):
        result = self.call(outcome, self.m["x"].parse_search, body, now=NOW)
        if result is None:
            outcome.findings.append(Finding("refusal", outcome.refusal))
            return
        posts, _next = result
        outcome.posts = len(posts)
        data = json.loads(body)
        includes = data.get("includes") or {}
        users = {str(user.get("id")): user for user in includes.get("users") or []}
        included = {
            str(tweet.get("id")): tweet for tweet in includes.get("tweets") or []
        }
        expected = {}
        wrappers = set()
        unverifiable = 0
        for tweet in data.get("data") or []:
            original = _retweeted(tweet, included)
            if original is not tweet:
                wrappers.add(str(tweet["id"]))
            elif tweet.get("text", "").startswith("RT @"):
                unverifiable += 1
            expected.setdefault(str(original["id"]), original)
        if unverifiable:
            outcome.note = f"{unverifiable} retweet(s) without referenced_tweets"
        findings = _page_findings(posts, list(expected), wrappers)
        for index, post in enumerate(posts):
            tweet = expected.get(post.external_id)
            if tweet is not None:
                findings += _post_findings(post, x_expected(tweet, users), index)
        outcome.findings.extend(findings)


class _ParserCrash(Exception):
    def __init__(self, text):
        super().__init__(text)
        self.text = text


def _last_line(formatted):
    lines = [line for line in formatted.strip().splitlines() if line.strip()]
    frames = [line.strip() for line in lines if line.strip().startswith("File ")]
    where = frames[-1] if frames else ""
    return f"{lines[-1]} ({where})" if where else lines[-1]


def _to_second(value):
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value.replace(microsecond=0)


def oracle_fields(entry):
    """The compared fields of a feedparser entry."""
    contents = entry.get("content") or []
    if contents:
        body = typed_text(contents[0].get("value", ""), contents[0].get("type", ""))
    else:
        detail = entry.get("summary_detail") or {}
        body = typed_text(entry.get("summary", ""), detail.get("type", ""))
    parsed = (
        entry.get("published_parsed")
        or entry.get("updated_parsed")
        or entry.get("created_parsed")
    )
    return {
        "title": typed_text(
            entry.get("title", ""), (entry.get("title_detail") or {}).get("type", "")
        ),
        "content": body,
        "link": entry.get("link", ""),
        "date": datetime(*parsed[:6]) if parsed else None,
    }


# ---------------------------------------------------------------- feed document


class FeedDocument:
    """The feed as XML, to tell which element a value of feedparser came from."""

    def __init__(self, body, url, oracle, text, content_type):
        self.body = body
        self.url = url
        self.oracle = oracle
        self.content_type = content_type
        self.unsanitized = None
        self.text = text
        match = _DESCRIPTION_RE.search(self.text)
        self.description = match.group(1) if match else ""
        self.root = self._parse(body, url)
        self.format = self._format()
        self.entries = self._entries()

    @staticmethod
    def _parse(body, url):
        parser = etree.XMLParser(
            resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
        )
        try:
            return etree.fromstring(body, parser=parser, base_url=url or None)
        except (etree.XMLSyntaxError, ValueError):
            return None

    def _format(self):
        root = self.root
        if root is None:
            return ""
        tag = root.tag if isinstance(root.tag, str) else ""
        ns = namespace(root) if tag else ""
        name = localname(root) if tag else ""
        if name == "feed":
            return {ATOM: "atom10", ATOM03: "atom03"}.get(ns, "feed-not-atom")
        if name == "rss":
            return "rss-namespaced" if ns else "rss2"
        if tag == f"{{{RDF}}}RDF":
            return "rss090" if RSS090 in root.nsmap.values() else "rss1"
        if name.lower() == "channel" and not ns:
            return "cdf"
        return ""

    def _entries(self):
        root = self.root
        if self.format == "atom10":
            return root.findall(f"{{{ATOM}}}entry")
        if self.format == "rss2":
            channel = root.find("channel")
            return channel.findall("item") if channel is not None else []
        if self.format == "rss1":
            return root.findall(f"{{{RSS1}}}item")
        return []

    # ------------------------------------------------------------ reasons

    def document_reason(self, what):
        """A reason for any disagreement of ``what`` (refusal, count, field)."""
        if self.format in NOT_CLAIMED:
            return "format_not_claimed"
        if not self.oracle.get("bozo"):
            return ""
        # feedparser's own verdict: not well-formed, or not in its declared
        # encoding. Then a refusal, or another number of entries, is accepted;
        # a field only when feedparser guessed another encoding than declared.
        broken = type(self.oracle.get("bozo_exception")).__name__
        if broken in ENCODING_BOZO or (what != "field" and broken in SYNTAX_BOZO):
            return "ill_formed_xml"
        return ""

    def refusal_reason(self):
        reason = self.document_reason("refusal")
        if reason:
            return reason
        if _ENTITY_DECL_RE.search(self.body):
            return "entity_dtd"
        declared = _XML_ENCODING_RE.search(self.body[:1024].replace(b"\x00", b""))
        if declared and declared.group(1).decode("ascii", "replace").lower() in (
            PYTHON_CODEC_NAMES
        ):
            return "python_codec_name"
        channel = {"rss2": "channel", "rss1": f"{{{RSS1}}}channel"}.get(self.format)
        if channel and self.root.find(channel) is None:
            return "not_in_spec" if self.oracle.entries else "no_channel"
        return ""

    def count_reason(self, ours, theirs):
        reason = self.document_reason("count")
        if reason:
            return reason
        if ours == len(self.entries) and theirs > ours:
            return (
                "not_in_spec"  # feedparser also read items the format does not define
            )
        return ""

    def field_reason(self, name, index, expected):
        reason = self.document_reason("field")
        if reason or index >= len(self.entries):
            return reason
        entry = self.entries[index]
        if self.format == "atom10" and name in ("title", "content"):
            reason = _atom_construct_reason(entry, name)
            if reason:
                return reason
        return self._source_reason(name, entry, expected)

    def _source_reason(self, name, entry, expected):
        """Why feedparser's value differs, from the element it was read from."""
        if not expected:
            return ""  # feedparser found nothing: nothing to trace back
        spec = SPEC_ELEMENTS[name]
        seen = Counter()
        for child in entry:
            if not isinstance(child.tag, str) or child.tag not in spec:
                continue
            seen[child.tag] += 1
            if self._spec_gives(name, child, expected):
                # A standard element gives feedparser's value: ours is wrong,
                # unless the element is repeated and we kept another one.
                return "repeated_element" if seen[child.tag] > 1 else ""
        for element in _non_spec_elements(entry, spec):
            if self._any_gives(name, element, expected):
                if element.tag == f"{{{ATOM}}}id" and name == "link":
                    return "atom_id_as_link"
                if namespace(element) not in STANDARD_NAMESPACES:
                    return "extension_element"
                return "not_in_spec"
        if name == "link":
            # A standard link element read the wrong way: the text of an
            # Atom link without href, the href of an RSS link, a rel="enclosure".
            for child in entry:
                if child.tag in spec and self._any_gives(name, child, expected):
                    return "not_in_spec"
        if name != "link" and not any(
            _element_text(c).strip() for c in entry if c.tag in spec
        ):
            # No standard element has text: feedparser's value came from one
            # of the others, even when its sanitizer changed it. (Links are
            # attributes: this inference is not made for them.)
            for child in _non_spec_elements(entry, spec):
                if child.getparent() is entry and _element_text(child).strip():
                    if namespace(child) not in STANDARD_NAMESPACES:
                        return "extension_element"
                    return "not_in_spec"
        return ""

    def _spec_gives(self, name, element, expected):
        """Whether a standard element, read as its format says, gives ``expected``."""
        if name != "link":
            return self._text_gives(name, element, expected)
        if element.tag == f"{{{ATOM}}}link":
            href = element.get("href")
            if not href or element.get("rel", "alternate") != "alternate":
                return False
            return expected in self._link_values(element, href)
        if element.tag == "guid" and element.get("isPermaLink", "true") == "false":
            return False
        return self._text_gives(name, element, expected)

    def _any_gives(self, name, element, expected):
        """Whether any reading of an element (text, URL attributes) gives it."""
        if name == "link":
            for attribute in ("href", "url", f"{{{RDF}}}resource"):
                value = element.get(attribute)
                if value and expected in self._link_values(element, value):
                    return True
        return self._text_gives(name, element, expected)

    def _text_gives(self, name, element, expected):
        raw = _element_text(element)
        if name == "link":
            return bool(raw.strip()) and expected in self._link_values(element, raw)
        if name == "date":
            return expected is not None and _feedparser_date(raw) == expected
        return expected in (collapse(raw), html_text(raw))

    def _link_values(self, element, value):
        value = value.strip()
        base = element.base or self.url
        return {value, urljoin(base, value), urljoin(self.url, value)}


def _element_text(element):
    """The text of an element, without what script, style, head, title hold."""
    parts = []

    def walk(node, hidden):
        hidden = hidden or (
            isinstance(node.tag, str)
            and node is not element
            and localname(node) in _HIDDEN_TAGS
        )
        if not hidden and isinstance(node.tag, str):
            parts.append(node.text or "")
        for child in node:
            walk(child, hidden)
            if not hidden:
                parts.append(child.tail or "")

    walk(element, False)
    return "".join(parts)


def _non_spec_elements(entry, spec):
    """Elements of an entry that are not, nor are inside, its standard elements."""
    for child in entry:
        if not isinstance(child.tag, str) or child.tag in spec:
            continue
        yield child
        yield from (e for e in child.iterdescendants() if isinstance(e.tag, str))


def _atom_construct_reason(entry, name):
    tags = ("title",) if name == "title" else ("content", "summary")
    for tag in tags:
        element = entry.find(f"{{{ATOM}}}{tag}")
        if element is None:
            continue
        kind = element.get("type", "text")
        if element.get("mode") is not None:
            return "atom03_construct"
        if tag != "content" and kind not in ATOM_TEXT_TYPES:
            return "atom03_construct"
        if tag == "content" and kind not in ATOM_TEXT_TYPES:
            if not (kind.startswith("text/") or kind.endswith("xml")):
                return "binary_content"
        return ""
    return ""


def _feedparser_date(raw):
    from feedparser.datetimes import _parse_date

    try:
        parsed = _parse_date(raw.strip())
    except Exception:  # feedparser's date handlers are its business
        return None
    return datetime(*parsed[:6]) if parsed else None


def _decode_for_header(body):
    """The document as text, enough to read its leading comment."""
    for bom, codec in (
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\x00\x00\x00<", "utf-32-be"),
        (b"<\x00\x00\x00", "utf-32-le"),
        (b"\xfe\xff", "utf-16-be"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\x00<", "utf-16-be"),
        (b"<\x00", "utf-16-le"),
    ):
        if body.startswith(bom):
            return body.decode(codec, errors="replace")
    return body.decode("utf-8", errors="replace")


# ---------------------------------------------------------------- JSON networks


def _post_type_findings(posts):
    """Shape invariants every post of every network must hold."""
    findings = []
    for index, post in enumerate(posts):
        problems = []
        if not isinstance(post.external_id, str) or not post.external_id:
            problems.append(f"external_id {post.external_id!r}")
        if not isinstance(post.content, str):
            problems.append(f"content is {type(post.content).__name__}")
        if not isinstance(post.posted_at, datetime) or post.posted_at.tzinfo:
            problems.append(f"posted_at {post.posted_at!r} is not naive UTC")
        for name in ("like_count", "share_count", "reply_count"):
            if type(getattr(post, name)) is not int:
                problems.append(f"{name} {getattr(post, name)!r} is not an int")
        if problems:
            findings.append(Finding("shape", "; ".join(problems), entry=index))
    return findings


def _page_findings(posts, expected_ids, wrappers):
    """One post per expected id, in a page without duplicates or wrappers."""
    findings = _post_type_findings(posts)
    ids = [post.external_id for post in posts]
    duplicated = sorted(i for i, n in Counter(ids).items() if n > 1)
    if duplicated:
        findings.append(
            Finding("duplicate", f"{len(duplicated)} id(s) twice, e.g. {duplicated[0]}")
        )
    unwrapped = sorted(set(ids) & wrappers)
    if unwrapped:
        findings.append(
            Finding(
                "unwrap", f"{len(unwrapped)} reblog/retweet kept, e.g. {unwrapped[0]}"
            )
        )
    missing = [i for i in expected_ids if i not in set(ids)]
    extra = sorted(set(ids) - set(expected_ids) - wrappers)
    if missing or extra:
        findings.append(
            Finding(
                "posts",
                f"{len(missing)} missing (e.g. {missing[:1]}), "
                f"{len(extra)} unexpected (e.g. {extra[:1]})",
            )
        )
    return findings


def _post_findings(post, expected, index):
    """Compare a post with what its raw JSON says (``expected``)."""
    findings = []
    author = post.author.external_id if post.author is not None else None
    if author != expected["author"]:
        findings.append(
            Finding("author", one_line_diff(author, expected["author"]), index)
        )
    if expected["text"] is not None and collapse(post.content) != expected["text"]:
        findings.append(
            Finding(
                "text", one_line_diff(collapse(post.content), expected["text"]), index
            )
        )
    raw_date = expected["date"]
    if isinstance(raw_date, datetime):
        wanted = _to_second(raw_date)
    elif raw_date:
        wanted = _iso_date(raw_date)
    else:
        wanted = NOW
    if wanted is not None and _to_second(post.posted_at) != wanted:
        findings.append(Finding("date", one_line_diff(post.posted_at, wanted), index))
    if wanted == NOW and not post.warnings:
        findings.append(Finding("date", "no date in the payload and no warning", index))
    if "url" in expected and post.url != expected["url"]:
        findings.append(Finding("url", one_line_diff(post.url, expected["url"]), index))
    if "parent" in expected and post.parent_external_id != expected["parent"]:
        findings.append(
            Finding(
                "parent",
                one_line_diff(post.parent_external_id, expected["parent"]),
                index,
            )
        )
    for name in ("like_count", "share_count", "reply_count"):
        wanted_count = expected.get(name) or 0
        if getattr(post, name) != wanted_count:
            hint = expected.get("hints", {}).get(name, "")
            findings.append(
                Finding(
                    "counts",
                    f"{name} {getattr(post, name)!r} != {wanted_count!r}{hint}",
                    index,
                )
            )
    return findings


def _author_findings(author, expected, index):
    findings = []
    if author.external_id != expected["external_id"]:
        findings.append(
            Finding(
                "author",
                one_line_diff(author.external_id, expected["external_id"]),
                index,
            )
        )
    for name in ("followers_count", "following_count", "post_count"):
        value = getattr(author, name)
        if type(value) is not int or value != (expected.get(name) or 0):
            findings.append(
                Finding(
                    "counts",
                    f"author {name} {value!r} != {expected.get(name)!r}",
                    index,
                )
            )
    return findings


def _iso_date(value):
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return _to_second(parsed)


def reddit_expected(thing):
    data = thing["data"]
    # Without Reddit's rendering only the Markdown source is there, whose
    # reading is the connector's own: such text is not checked (None).
    if thing["kind"] == "t3":
        rendered = data.get("selftext_html")
        body = html_text(rendered) if rendered else collapse(data.get("selftext"))
        text = collapse(f"{data.get('title') or ''} {body}")
        if not rendered and data.get("selftext"):
            text = None
        parent = ""
        replies = data.get("num_comments", 0)
    else:
        rendered = data.get("body_html")
        text = html_text(rendered) if rendered else None
        parent = data.get("parent_id") or ""
        replies = 0  # a comment's num_comments counts its post's comments
    username = data.get("author") or ""
    author = None
    if username and username != "[deleted]":
        author = data.get("author_fullname") or username
    created = data.get("created_utc")
    permalink = data.get("permalink") or ""
    expected = {
        "author": author,
        "text": text,
        "date": datetime.fromtimestamp(float(created), timezone.utc)
        if created
        else None,
        "like_count": data.get("score", 0),
        "reply_count": replies,
        "parent": parent,
    }
    if thing["kind"] == "t1" and data.get("num_comments"):
        expected["hints"] = {
            "reply_count": f" (num_comments {data['num_comments']} is its post's)"
        }
    if permalink:
        expected["url"] = (
            f"https://www.reddit.com{permalink}"
            if permalink.startswith("/")
            else permalink
        )
    return expected


def _whole_text(tweet):
    """A tweet's text; a long post has its whole text in ``note_tweet``."""
    note = tweet.get("note_tweet") or {}
    return note.get("text") or tweet.get("text") or ""


def _retweeted(tweet, included):
    for ref in tweet.get("referenced_tweets") or []:
        if ref.get("type") == "retweeted" and str(ref.get("id")) in included:
            return included[str(ref["id"])]
    return tweet


def x_expected(tweet, users):
    metrics = tweet.get("public_metrics") or {}
    author_id = str(tweet.get("author_id") or "")
    replied = [
        ref["id"]
        for ref in tweet.get("referenced_tweets") or []
        if ref.get("type") == "replied_to"
    ]
    return {
        "author": author_id if author_id in users else None,
        "text": collapse(html.unescape(_whole_text(tweet))),
        "date": tweet.get("created_at"),
        "like_count": metrics.get("like_count", 0),
        "share_count": metrics.get("retweet_count", 0),
        "reply_count": metrics.get("reply_count", 0),
        "parent": str(replied[0]) if replied else "",
    }


# ---------------------------------------------------------------- report


def network_of(item):
    return item.get("network") or item["file"].split("/", 1)[0]


def run(root, networks=None, connectors=CONNECTORS_DIR):
    try:
        import feedparser
    except ImportError:
        raise CannotRun(
            "feedparser is not installed (pip install -r requirements-dev.txt)"
        ) from None
    if not (connectors / "__init__.py").is_file():
        raise CannotRun(f"no connectors package at {connectors}")
    checker = Checker(load_connectors(connectors), feedparser)
    reports = {}
    for item in read_manifest(root):
        network = network_of(item)
        if networks and network not in networks:
            continue
        body = (root / item["file"]).read_bytes()
        report = reports.setdefault(network, NetworkReport(network))
        report.outcomes.append(checker.check(item, body))
    return reports, feedparser.__version__


def refusal_group(message):
    message = re.sub(r"\d+", "N", message)
    message = re.sub(r"(Entity|encoding) '?[\w.-]+'?", r"\1 …", message)
    return message.split("\n", 1)[0][:90]


def print_report(reports, budget, verbose, out=sys.stdout):
    def say(text=""):
        print(text, file=out)

    header = (
        f"{'network':<9}{'read':>6}{'posts':>7}{'agree':>7}{'accepted':>10}"
        f"{'unexplained':>13}{'refusals':>10}{'crashes':>9}{'not posts':>11}"
    )
    say(header)
    for report in reports.values():
        refusals = sum(1 for o in report.outcomes if o.refusal)
        say(
            f"{report.name:<9}{len(report.outcomes):>6}"
            f"{sum(o.posts for o in report.outcomes):>7}{report.count('agree'):>7}"
            f"{report.count('accepted'):>10}{report.count('unexplained'):>13}"
            f"{refusals:>10}{report.count('crash'):>9}{report.count('not_post'):>11}"
        )
    for report in reports.values():
        _print_network(report, verbose, say)
    unexplained = sum(r.count("unexplained") for r in reports.values())
    crashes = sum(r.count("crash") for r in reports.values())
    failed = crashes or unexplained > budget
    say(
        f"{'FAIL' if failed else 'OK'}: {crashes} crash(es), {unexplained} payload(s) "
        f"with unexplained disagreements (budget {budget})"
    )
    return 1 if failed else 0


def _print_network(report, verbose, say):
    lines = _summary_lines(report)
    lines += [f"  CRASH {o.file}: {o.crash}" for o in report.outcomes if o.crash]
    lines += _unexplained_lines(report, verbose)
    lines += _refusal_lines(report, verbose)
    if verbose:
        lines += _verbose_lines(report)
    if lines:
        say(f"{report.name}:")
        for line in lines:
            say(line)


def _summary_lines(report):
    lines = []
    accepted = report.accepted_by_reason
    if accepted:
        shown = ", ".join(f"{reason} {n}" for reason, n in accepted.most_common())
        lines.append(f"  accepted by reason: {shown}")
    not_posts = Counter(o.kind for o in report.outcomes if o.not_post)
    if not_posts:
        shown = ", ".join(f"{kind} {n}" for kind, n in sorted(not_posts.items()))
        lines.append(f"  not a post response, by kind: {shown}")
    return lines


def _unexplained_lines(report, verbose):
    unexplained = [o for o in report.outcomes if o.status == "unexplained"]
    if not unexplained:
        return []
    fields = Counter(f.field for o in unexplained for f in o.unexplained)
    shown = ", ".join(f"{name} {n}" for name, n in fields.most_common())
    lines = [f"  unexplained ({len(unexplained)} payloads; by field: {shown}):"]
    limit = None if verbose else LIST_LIMIT
    for outcome in unexplained[:limit]:
        findings = outcome.unexplained
        if verbose:
            lines += ["    " + finding.line(outcome.file) for finding in findings]
            if outcome.note and outcome.kind == "feed":
                lines.append(f"      (feedparser's test: {outcome.note})")
        else:
            more = f" (+{len(findings) - 1} more)" if len(findings) > 1 else ""
            lines.append("    " + findings[0].line(outcome.file) + more)
    if limit is not None and len(unexplained) > limit:
        lines.append(f"    … {len(unexplained) - limit} more (--verbose lists all)")
    return lines


def _refusal_lines(report, verbose):
    refused = [o for o in report.outcomes if o.refusal]
    if not refused:
        return []
    lines = [f"  refusals ({len(refused)}):"]
    groups = defaultdict(list)
    for outcome in refused:
        reason = (outcome.findings[0].reason if outcome.findings else "") or (
            "unexplained"
        )
        if verbose:
            message = outcome.refusal.splitlines()[0]
            lines.append(f"    {outcome.file}: {message} ({reason})")
        else:
            groups[reason, refusal_group(outcome.refusal)].append(outcome.file)
    for (reason, message), files in sorted(groups.items(), key=lambda g: -len(g[1])):
        lines.append(f"    {len(files):>4} {message} ({reason}) e.g. {files[0]}")
    return lines


def _verbose_lines(report):
    lines = []
    accepted = [o for o in report.outcomes if o.status == "accepted"]
    if accepted:
        lines.append(f"  accepted ({len(accepted)}):")
    for outcome in accepted:
        lines += ["    " + finding.line(outcome.file) for finding in outcome.findings]
    notes = [o for o in report.outcomes if o.note and o.kind != "feed"]
    if notes:
        lines.append("  notes:")
    lines += [f"    {o.file}: {o.note}" for o in notes]
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "payloads",
        nargs="?",
        help=f"the real-payloads folder (default: ${ENV_VAR}, else {DEFAULT_PAYLOADS})",
    )
    parser.add_argument(
        "--budget",
        type=int,
        default=0,
        help="payloads with unexplained disagreements tolerated (default 0)",
    )
    parser.add_argument("--verbose", "-v", action="store_true", help="list everything")
    parser.add_argument(
        "--network", action="append", help="only this network (repeatable)"
    )
    parser.add_argument(
        "--connectors",
        type=Path,
        default=CONNECTORS_DIR,
        help="the connectors package to check (default: this checkout's)",
    )
    parser.add_argument(
        "--require-payloads",
        action="store_true",
        help="exit 2 instead of 0 when the payload folder is absent",
    )
    args = parser.parse_args(argv)
    if args.budget < 0:
        parser.error("--budget must be 0 or more")
    root = payloads_dir(args.payloads)
    if not root.is_dir():
        print(
            f"check_real_payloads: not run: no recorded payloads at {root} "
            f"(pass the folder or set {ENV_VAR})"
        )
        return 2 if args.require_payloads else 0
    started = time.monotonic()
    try:
        reports, version = run(root, set(args.network or ()), args.connectors)
    except CannotRun as exc:
        print(f"check_real_payloads: cannot run: {exc}", file=sys.stderr)
        return 2
    files = sum(len(report.outcomes) for report in reports.values())
    print(
        f"real payloads: {files} files at {root}, feeds compared with feedparser "
        f"{version} ({time.monotonic() - started:.1f} s)"
    )
    return print_report(reports, args.budget, args.verbose)


if __name__ == "__main__":
    sys.exit(main())
