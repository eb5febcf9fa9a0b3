#!/usr/bin/env python3
"""Benchmark the scheduled fetch path end to end (a benchmark, not a test).

Serves N mentions from M authors over real HTTP on 127.0.0.1, in the recorded
shape of one network (Mastodon hashtag timeline pages of 40, or X recent
search pages of 100 with ``includes.users``), and times what the scheduled
action does with them: ``social.source._cron_fetch_mentions()`` on one source
of that connector pointing at the local server. The cron fetches at most
``MAX_PAGES_PER_RUN`` pages of a source per run, so it is run again (its
``next_run`` reset, as the next trigger would find it due) until the server
has served its last page; the whole time counts, commits included.

Before the timed part, the scratch database gets background contacts, 10 % of
the authors as known identities (some of them linked to a contact), and
contacts that some new authors match on their profile URL or the e-mail in
their bio, so that contact matching does real work.

Printed: mentions per second, SQL queries per 100 mentions (the cursor's
``sql_log_count``), peak memory (growth of the process's peak RSS over the
run), and the time of a raw ``psycopg2.extras.execute_values`` insert of the
same mention rows into a scratch copy of ``social_mention`` (same columns,
defaults, constraints and indexes; statements as large as the batches the
fetch writes, one commit), with the ratio of the two.

The scratch database (``social_crm_bench``) is copied for every run from a
template (``social_crm_bench_tpl``) where ``social_crm`` is installed without
demo data; the template is made when missing, or anew with ``--reinstall``
(needed after changing fields or indexes of the addon)::

    /root/.cache/social_crm/venv/bin/python tools/bench_ingest.py \\
        --mentions 20000 --authors 5000
    /root/.cache/social_crm/venv/bin/python tools/bench_ingest.py --network x
    /root/.cache/social_crm/venv/bin/python tools/bench_ingest.py \\
        --mentions 4000 --authors 1000 --profile /tmp/ingest.prof

Target on a 2-core machine: at least 3,000 mentions/s and at most 20 times
the raw insert time.
"""

import argparse
import html
import json
import os
import random
import resource
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from bench_database import prepare_databases

REPO = Path(__file__).resolve().parent.parent
HOME = Path(os.environ.get("SOCIAL_CRM_HOME", Path.home() / ".cache" / "social_crm"))
DEFAULT_ADDONS = f"{REPO},{HOME / 'odoo' / 'odoo' / 'addons'}"

#: Columns of ``social.mention``'s bulk insert, for the raw comparison.
RAW_COLUMNS = (
    "network, external_id, url, content, content_html, posted_at, identity_id,"
    " partner_id, lang, like_count, share_count, reply_count, parent_external_id,"
    " sentiment, sentiment_score, category_id, matched_terms, state, priority,"
    " source_id, user_id, team_id, company_id, create_uid, write_uid,"
    " create_date, write_date"
)

TEXTS = {
    "en": [
        "Thinking of buying the Acme router, has anyone tried it?",
        "Acme support never answers my tickets, so frustrating",
        "Switched from Globex to Acme last week and I love it",
        "Is AcmeCloud down again? Cannot log in since this morning",
        "Great review of the new Acme phone, the battery is amazing",
        "I will cancel my Acme subscription if this is not fixed today",
        "How do I reset the password of my Acme account?",
        "Acme leaked customer data? That would be a scandal",
        "Still waiting for a reply on ticket 4411, Acme please follow up",
        "The Acme store near me has the new model in stock",
    ],
    "ru": [
        "Кто-нибудь знает, как настроить роутер Acme?",
        "Поддержка Acme не отвечает уже неделю, это ужасно",
        "Очень доволен новым телефоном Acme, спасибо",
        "Хочу купить Acme, где дешевле?",
        "Перешёл на Globex, Acme стал слишком дорогим",
    ],
    "uk": [
        "Хтось знає, як налаштувати роутер Acme?",
        "Дуже задоволений новим телефоном Acme, дякую",
        "Підтримка Acme не відповідає вже тиждень",
        "Чому Acme знову не працює?",
    ],
    "bg": [
        "Някой знае ли как да настроя рутер Acme?",
        "Много съм доволен от новия телефон Acme, благодаря",
        "Поддръжката на Acme не отговаря вече седмица",
        "Защо Acme пак не работи?",
    ],
}
FILLERS = [
    "Posted from the train.",
    "What do you think?",
    "More later today.",
    "Thread below.",
    "",
    "",
]
INSTANCES = ["mastodon.social", "fosstodon.org", "hachyderm.io", "mstdn.io"]
BASE_ID = 113_000_000_000_000_000


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=20_000)
    parser.add_argument("--authors", type=int, default=5_000)
    parser.add_argument(
        "--network", choices=("mastodon", "x"), default="mastodon", help="page shape"
    )
    parser.add_argument(
        "--partners", type=int, default=2_000, help="background contacts"
    )
    parser.add_argument("--db", default="social_crm_bench")
    parser.add_argument("--template", default="social_crm_bench_tpl")
    parser.add_argument("--reinstall", action="store_true", help="remake the template")
    parser.add_argument("--addons-path", default=DEFAULT_ADDONS)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--profile", help="write a cProfile of the timed part here")
    parser.add_argument(
        "--tracemalloc", action="store_true", help="also trace Python allocations"
    )
    return parser.parse_args()


# --------------------------------------------------------------------- payloads
class Dataset:
    """The authors and posts served, built once before the timed part."""

    def __init__(self, mentions, authors, seed):
        rng = random.Random(seed)
        self.now = datetime.utcnow().replace(microsecond=0)
        self.authors = []
        for index in range(authors):
            instance = INSTANCES[index % len(INSTANCES)]
            username = f"user{index}"
            self.authors.append(
                {
                    "index": index,
                    "id": str(900_000 + index),
                    "username": username,
                    "instance": instance,
                    "name": f"User {index}",
                    "url": f"https://{instance}/@{username}",
                    "bio": f"Tinkerer #{index}, opinions my own."
                    + (f" https://blog.example.net/{username}" if index % 5 else ""),
                    "followers": rng.randint(0, 50_000),
                    "following": rng.randint(0, 2_000),
                    "statuses": rng.randint(1, 40_000),
                }
            )
        languages = ["en"] * 6 + ["ru", "uk", "bg"]
        self.posts = []
        for index in range(mentions):
            lang = rng.choice(languages)
            text = f"{rng.choice(TEXTS[lang])} {rng.choice(FILLERS)}".strip()
            self.posts.append(
                {
                    "index": index,
                    "id": str(BASE_ID + index),
                    "author": self.authors[rng.randrange(authors)],
                    "text": text,
                    # A third say nothing about their language: it is detected.
                    "lang": lang if rng.random() > 0.33 else None,
                    "created": self.now - timedelta(seconds=mentions - index),
                    "likes": rng.randint(0, 300),
                    "shares": rng.randint(0, 50),
                    "replies": rng.randint(0, 20),
                }
            )

    # Mastodon: /api/v1/timelines/tag/:tag, newest first, ``min_id`` paging.
    def mastodon_account(self, author):
        return {
            "id": author["id"],
            "username": author["username"],
            "acct": f"{author['username']}@{author['instance']}",
            "display_name": author["name"],
            "locked": False,
            "bot": False,
            "discoverable": True,
            "group": False,
            "created_at": "2022-11-01T00:00:00.000Z",
            "note": f"<p>{html.escape(author['bio'])}</p>",
            "url": author["url"],
            "uri": f"https://{author['instance']}/users/{author['username']}",
            "avatar": f"https://files.{author['instance']}/avatars/{author['id']}.png",
            "avatar_static": f"https://files.{author['instance']}/a/{author['id']}.png",
            "header": f"https://files.{author['instance']}/headers/{author['id']}.png",
            "followers_count": author["followers"],
            "following_count": author["following"],
            "statuses_count": author["statuses"],
            "last_status_at": self.now.date().isoformat(),
            "emojis": [],
            "fields": [
                {
                    "name": "Web",
                    "value": '<a href="https://example.com" rel="me">example.com</a>',
                    "verified_at": None,
                }
            ],
        }

    def mastodon_status(self, post):
        author = post["author"]
        instance = author["instance"]
        link = f"example.com/articles/{post['index']}"
        content = (
            f"<p>{html.escape(post['text'])} "
            f'<a href="https://{instance}/tags/acme" class="mention hashtag" '
            f'rel="tag">#<span>acme</span></a></p>'
            f'<p><a href="https://{link}" target="_blank" '
            f'rel="nofollow noopener noreferrer"><span class="invisible">https://'
            f'</span><span class="">{link}</span><span class="invisible"></span>'
            f"</a></p>"
        )
        return {
            "id": post["id"],
            "created_at": post["created"].isoformat() + ".000Z",
            "in_reply_to_id": None,
            "in_reply_to_account_id": None,
            "sensitive": False,
            "spoiler_text": "",
            "visibility": "public",
            "language": post["lang"],
            "uri": f"https://{instance}/users/{author['username']}/statuses/"
            f"{post['id']}",
            "url": f"https://{instance}/@{author['username']}/{post['id']}",
            "replies_count": post["replies"],
            "reblogs_count": post["shares"],
            "favourites_count": post["likes"],
            "edited_at": None,
            "content": content,
            "reblog": None,
            "account": self.mastodon_account(author),
            "media_attachments": [],
            "mentions": [],
            "tags": [{"name": "acme", "url": f"https://{instance}/tags/acme"}],
            "emojis": [],
            "card": None,
            "poll": None,
        }

    def mastodon_pages(self, limit=40):
        """``{min_id: (body, last)}``: the page above each cursor the walk meets."""
        pages = {}
        for start in range(0, len(self.posts) + 1, limit):
            chunk = self.posts[start : start + limit]
            min_id = str(BASE_ID + start - 1)
            body = [self.mastodon_status(post) for post in reversed(chunk)]
            pages[min_id] = (json.dumps(body).encode(), len(chunk) < limit)
        return pages

    # X: /2/tweets/search/recent, newest first, ``next_token`` paging.
    def x_user(self, author):
        return {
            "id": author["id"],
            "username": author["username"],
            "name": author["name"],
            "description": author["bio"],
            "profile_image_url": f"https://pbs.twimg.com/profile_images/"
            f"{author['id']}/a_normal.jpg",
            "verified": False,
            "public_metrics": {
                "followers_count": author["followers"],
                "following_count": author["following"],
                "tweet_count": author["statuses"],
                "listed_count": 3,
            },
        }

    def x_pages(self, limit=100):
        """``{next_token or "": body}`` of the pages of one search run."""
        pages = {}
        newest_first = list(reversed(self.posts))
        count = (len(newest_first) + limit - 1) // limit
        for number in range(count):
            chunk = newest_first[number * limit : (number + 1) * limit]
            users = {post["author"]["id"]: post["author"] for post in chunk}
            meta = {
                "newest_id": chunk[0]["id"],
                "oldest_id": chunk[-1]["id"],
                "result_count": len(chunk),
            }
            if number + 1 < count:
                meta["next_token"] = f"b26v89c19zqg8o3f{number + 1:06d}"
            body = {
                "data": [
                    {
                        "id": post["id"],
                        "text": f"{post['text']} #acme https://t.co/x{post['index']}",
                        "author_id": post["author"]["id"],
                        "created_at": post["created"].isoformat() + ".000Z",
                        "lang": post["lang"] or "und",
                        "conversation_id": post["id"],
                        "edit_history_tweet_ids": [post["id"]],
                        "public_metrics": {
                            "retweet_count": post["shares"],
                            "reply_count": post["replies"],
                            "like_count": post["likes"],
                            "quote_count": 0,
                            "bookmark_count": 0,
                            "impression_count": post["likes"] * 40,
                        },
                    }
                    for post in chunk
                ],
                "includes": {"users": [self.x_user(a) for a in users.values()]},
                "meta": meta,
            }
            token = f"b26v89c19zqg8o3f{number:06d}" if number else ""
            pages[token] = json.dumps(body).encode()
        return pages

    def profile_url(self, author, network):
        if network == "x":
            return f"https://x.com/{author['username']}"
        return author["url"]

    def external_id(self, author, network):
        return author["id"] if network == "x" else author["url"]


def seed(env, data, args):
    """Contacts and known identities; committed before timing."""
    rng = random.Random(args.seed + 1)
    network = args.network
    env["ir.config_parameter"].set_param(
        "social_crm.allowed_private_hosts", "127.0.0.1"
    )
    Partner = env["res.partner"].with_context(tracking_disable=True)
    Partner.create(
        [
            {
                "name": f"Background contact {i}",
                "email": f"contact{i}@example.org",
                "website": f"https://www.company{i}.example.org/" if i % 2 else False,
                "social_handles": f"@contact{i}@example.social" if i % 5 == 0 else "",
            }
            for i in range(args.partners)
        ]
    )
    authors = list(data.authors)
    rng.shuffle(authors)
    tenth = len(authors) // 10
    known, rest = authors[:tenth], authors[tenth:]
    # 2 % of the new authors are on a contact's website, 1 % give its e-mail.
    by_url = rest[: len(rest) // 50]
    by_email = rest[len(by_url) : len(by_url) + len(rest) // 100]
    Partner.create(
        [
            {"name": f"Website of {a['name']}", "website": data.profile_url(a, network)}
            for a in by_url
        ]
    )
    Partner.create(
        [
            {"name": f"Mail of {a['name']}", "email": f"{a['username']}@mail.example"}
            for a in by_email
        ]
    )
    for author in by_email:
        author["bio"] += f" Write to {author['username']}@mail.example"
    linked = Partner.create(
        [{"name": f"Known {a['name']}"} for a in known[: len(known) // 2]]
    )
    env["social.identity"].with_context(tracking_disable=True).create(
        [
            {
                "network": network,
                "external_id": data.external_id(author, network),
                "handle": f"@{author['username']}",
                "name": author["name"],
                "profile_url": data.profile_url(author, network),
                "partner_id": linked[i].id if i < len(linked) else False,
            }
            for i, author in enumerate(known)
        ]
    )
    env.cr.commit()


def make_source(env, args, base_url):
    """The source of the benchmark's connector, due now, on the local server."""
    network = args.network
    source = env["social.source"].create(
        {
            "name": f"Benchmark ({network})",
            "connector": network,
            "query": "#acme" if network == "mastodon" else "acme",
            "base_url": base_url,
            "token": "bench-token" if network == "x" else False,
            # Mastodon walks forward from min_id: start before the first post.
            "cursor": str(BASE_ID - 1) if network == "mastodon" else False,
            "next_run": datetime.utcnow() - timedelta(minutes=1),
        }
    )
    env.cr.commit()
    return source


# --------------------------------------------------------------------- server
def _serve(pages, path, key, port_pipe, served, last):
    """Child process: answer ``path`` with ``pages[query[key]]`` until killed."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from urllib.parse import parse_qs, urlsplit

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            parts = urlsplit(self.path)
            value = (parse_qs(parts.query).get(key) or [""])[0]
            if parts.path != path:
                body, is_last = b"not found", True
                self.send_response(404)
            else:
                body, is_last = pages.get(value, pages[None])
                self.send_response(200)
                with served.get_lock():
                    served.value += 1
                    last.value = is_last
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port_pipe.send(server.server_address[1])
    server.serve_forever()


class PageServer:
    """The recorded pages served over HTTP on 127.0.0.1 by a child process.

    The server runs in its own process, as a remote API would, so that its
    work is not done by (nor under the GIL of) the process being measured.
    """

    def __init__(self, data, network):
        import multiprocessing

        if network == "mastodon":
            pages = data.mastodon_pages()
            pages[None] = (b"[]", True)
            path, key = "/api/v1/timelines/tag/acme", "min_id"
        else:
            pages = {
                token: (body, b'"next_token"' not in body)
                for token, body in data.x_pages().items()
            }
            pages[None] = (b'{"meta": {}}', True)
            path, key = "/2/tweets/search/recent", "next_token"
        context = multiprocessing.get_context("spawn")
        self._served = context.Value("i", 0)
        self._last = context.Value("b", False)
        receiver, sender = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_serve,
            args=(pages, path, key, sender, self._served, self._last),
            daemon=True,
        )
        self._process.start()
        self.base_url = f"http://127.0.0.1:{receiver.recv()}"

    @property
    def served(self):
        return self._served.value

    @property
    def last(self):
        """True once the page that ends the walk was served."""
        return bool(self._last.value)

    def stop(self):
        self._process.terminate()
        self._process.join(5)


# --------------------------------------------------------------------- run
def run_cron(env, source, server):
    """Run the cron until the server served its last page; return cron runs."""
    Source = env["social.source"]
    runs = 0
    while True:
        Source._cron_fetch_mentions()
        runs += 1
        env.invalidate_all()
        if source.state == "error":
            raise SystemExit(f"The fetch failed: {source.last_error}")
        if server.last:
            return runs
        # The next trigger finds the source due again.
        source.next_run = datetime.utcnow() - timedelta(seconds=1)
        env.cr.commit()


def peak_rss_kib(reset=False):
    """The process's peak RSS in KiB; ``reset`` starts a new peak (Linux)."""
    if reset:
        try:
            with open("/proc/self/clear_refs", "w") as handle:
                handle.write("5")
        except OSError:
            pass
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def raw_insert(cr, source_id, page_size):
    """Seconds to insert the mentions of the run again with bare execute_values."""
    from psycopg2.extras import execute_values

    raw = cr._obj  # the psycopg2 cursor, no ORM in the way
    raw.execute("DROP TABLE IF EXISTS bench_raw_mention")
    raw.execute(
        "CREATE TABLE bench_raw_mention (LIKE social_mention"
        " INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)"
    )
    raw.execute(
        f"SELECT {RAW_COLUMNS} FROM social_mention WHERE source_id = %s ORDER BY id",
        [source_id],
    )
    rows = raw.fetchall()
    cr.commit()
    started = time.perf_counter()
    for start in range(0, len(rows), page_size):
        execute_values(
            raw,
            f"INSERT INTO bench_raw_mention ({RAW_COLUMNS}) VALUES %s"
            " ON CONFLICT DO NOTHING RETURNING id",
            rows[start : start + page_size],
            page_size=page_size,
            fetch=True,
        )
    cr.commit()
    elapsed = time.perf_counter() - started
    raw.execute("DROP TABLE bench_raw_mention")
    cr.commit()
    return elapsed, len(rows)


def main():
    args = parse_args()
    import odoo
    from odoo import SUPERUSER_ID, api

    prepare_databases(args)
    page_size = 40 if args.network == "mastodon" else 100
    print(
        f"Serving {args.mentions} {args.network} mentions from {args.authors} "
        f"authors in pages of {page_size}…",
        flush=True,
    )
    data = Dataset(args.mentions, args.authors, args.seed)
    registry = odoo.modules.registry.Registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        seed(env, data, args)
        server = PageServer(data, args.network)
        try:
            source = make_source(env, args, server.base_url)
            if args.tracemalloc:
                import tracemalloc

                tracemalloc.start()
            profiler = None
            if args.profile:
                import cProfile

                profiler = cProfile.Profile()
            rss_before = peak_rss_kib(reset=True)
            queries_before = cr.sql_log_count
            started = time.perf_counter()
            if profiler:
                profiler.enable()
            runs = run_cron(env, source, server)
            if profiler:
                profiler.disable()
            elapsed = time.perf_counter() - started
            queries = cr.sql_log_count - queries_before
            rss_after = peak_rss_kib()
            traced = tracemalloc.get_traced_memory()[1] if args.tracemalloc else None
        finally:
            server.stop()
        cr.execute(
            "SELECT count(*), count(partner_id), count(DISTINCT identity_id)"
            " FROM social_mention WHERE source_id = %s",
            [source.id],
        )
        written, with_partner, identities = cr.fetchone()
        cr.execute("SELECT count(*) FROM social_identity WHERE partner_id IS NOT NULL")
        (linked,) = cr.fetchone()
        from odoo.addons.social_crm.models.social_source import INGEST_BATCH_POSTS

        # In statements as large as the fetch's own writes.
        raw_seconds, raw_rows = raw_insert(cr, source.id, INGEST_BATCH_POSTS)

    rate = written / elapsed if elapsed else 0.0
    ratio = elapsed / raw_seconds if raw_seconds else float("inf")
    print(
        f"mentions written     {written} of {args.mentions} "
        f"({identities} authors, {with_partner} mentions and {linked} identities "
        f"linked to contacts)"
    )
    print(
        f"end to end           {elapsed:.2f} s in {runs} cron runs, "
        f"{server.served} HTTP pages"
    )
    print(f"mentions per second  {rate:,.0f}")
    print(f"queries / 100        {100 * queries / max(written, 1):.1f} ({queries} SQL)")
    print(
        f"peak memory          {(rss_after - rss_before) / 1024:+.1f} MiB peak RSS "
        f"(peak {rss_after / 1024:.1f} MiB)"
        + (f", {traced / 2**20:.1f} MiB traced" if traced is not None else "")
    )
    print(f"raw insert           {raw_seconds:.3f} s for {raw_rows} rows")
    print(f"ratio to raw insert  {ratio:.1f}x")
    verdict = "PASS" if rate >= 3000 and ratio <= 20 else "FAIL"
    print(f"target (>= 3,000/s and <= 20x raw): {verdict}")
    if args.profile:
        import pstats

        profiler.dump_stats(args.profile)
        pstats.Stats(args.profile).sort_stats("cumulative").print_stats(35)
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
