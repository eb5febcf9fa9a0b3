#!/usr/bin/env python3
"""Screenshots of Social CRM screens from a running Odoo, in headless Chromium.

For looking at what a change does to a screen, in each language, before it
is committed (the README's pictures are taken by browser tests instead)::

    ~/.cache/social_crm/venv/bin/python tools/screenshot.py \\
        --url http://127.0.0.1:8069 --db social_crm_demo --lang en_US --lang ru_RU \\
        --out /tmp/shots mention_form=/odoo/action-social_crm.social_mention_action/1

Each ``NAME=PATH`` is opened as the user (``--login``/``--password``, admin by
default), in each ``--lang`` (installed in the database; the user's language
is set through the web client's own RPC), and saved as
``OUT/NAME.LANG.png`` once the page has stopped loading. Chromium is driven
over its DevTools protocol with ``websocket-client`` (a development
dependency); the server must be reachable on loopback.
"""

import argparse
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import requests
import websocket

READY = (
    "document.querySelector('.o_action_manager .o_view_controller,"
    " .o_action_manager .o_form_view')"
    " && !document.querySelector('.o_loading_indicator')"
    " && !document.querySelector('.o_blockUI')"
)


def rpc(session, url, path, params):
    response = session.post(
        url + path,
        json={"jsonrpc": "2.0", "method": "call", "params": params, "id": 1},
        timeout=30,
    )
    response.raise_for_status()
    data = response.json()
    if data.get("error"):
        raise RuntimeError(json.dumps(data["error"])[:500])
    return data["result"]


class Chromium:
    """A headless Chromium with one page, driven over the DevTools protocol."""

    def __init__(self, width, height):
        binary = shutil.which("chromium") or shutil.which("chromium-browser")
        if not binary:
            sys.exit("No Chromium: install Debian's chromium package.")
        self.profile = tempfile.mkdtemp(prefix="social_crm_shot_")
        port = 9300 + os.getpid() % 500
        self.process = subprocess.Popen(  # noqa: S603
            [
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={self.profile}",
                f"--remote-debugging-port={port}",
                f"--window-size={width},{height}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _attempt in range(100):
            try:
                listing = f"http://127.0.0.1:{port}/json"
                targets = requests.get(listing, timeout=1).json()
                page = next(t for t in targets if t.get("type") == "page")
                break
            except (requests.RequestException, StopIteration, ValueError):
                time.sleep(0.1)
        else:
            self.close()
            sys.exit("Chromium did not start.")
        self.socket = websocket.create_connection(
            page["webSocketDebuggerUrl"], timeout=60, suppress_origin=True
        )
        self.next_id = 0
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )

    def call(self, method, **params):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        self.socket.send(json.dumps(message))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.call(
            "Runtime.evaluate", expression=expression, returnByValue=True
        )
        return result.get("result", {}).get("value")

    def shot(self, url, ready, timeout=30):
        self.call("Page.navigate", url=url)
        deadline = time.monotonic() + timeout
        # Past the first ready moment, a settled page stays ready a while.
        steady = 0
        while time.monotonic() < deadline:
            steady = steady + 1 if self.evaluate(ready) else 0
            if steady >= 4:
                break
            time.sleep(0.25)
        else:
            print(f"  not ready after {timeout} s, taken as it is: {url}")
        return base64.b64decode(self.call("Page.captureScreenshot")["data"])

    def close(self):
        self.process.terminate()
        self.process.wait(10)
        shutil.rmtree(self.profile, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="+", metavar="NAME=PATH")
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--db", default="social_crm_demo")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--lang", action="append", default=[])
    parser.add_argument("--out", default="/tmp/social_crm_shots")
    parser.add_argument("--width", type=int, default=1440)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--ready", default=READY, help="JS expression true once ready")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    session = requests.Session()
    info = rpc(
        session,
        args.url,
        "/web/session/authenticate",
        {"db": args.db, "login": args.login, "password": args.password},
    )
    browser = Chromium(args.width, args.height)
    try:
        browser.call("Network.enable")
        browser.call(
            "Network.setCookie",
            name="session_id",
            value=session.cookies["session_id"],
            url=args.url,
        )
        for lang in args.lang or ["en_US"]:
            rpc(
                session,
                args.url,
                "/web/dataset/call_kw/res.users/write",
                {
                    "model": "res.users",
                    "method": "write",
                    "args": [[info["uid"]], {"lang": lang}],
                    "kwargs": {},
                },
            )
            for page in args.pages:
                name, _sep, path = page.partition("=")
                png = browser.shot(args.url + path, args.ready)
                target = os.path.join(args.out, f"{name}.{lang}.png")
                with open(target, "wb") as file:
                    file.write(png)
                print(target)
    finally:
        browser.close()


if __name__ == "__main__":
    main()
