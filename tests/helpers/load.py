#!/usr/bin/env python3
"""load.py: a mixed JSON:API load (single records, lists, POSTs of new
contacts) over N keep-alive connections, each request signed with a fresh
WSSE header (section 3.1: PasswordDigest = base64(sha1(nonce bytes +
Created + key))). Standard library only. Used by tests/zz_faults.bats and
`make soak` (tests/soak/soak.sh), which check what it writes.

One line per request, tab-separated, to --out:
  start  method  status  ms  id  lastName  note  path
start: Unix time the request began (s, 6 decimals); status: the HTTP
status, or RESET (connection reset / closed without an answer), TIMEOUT
(no answer within --timeout), ERROR (anything else on the client side:
note says what); id: the created id for a 201 ("-" otherwise); note: "-" for a 200
whose body is a JSON document with "data", or a 201 whose id is the same
in the body and in Location (something else otherwise); for a 503,
"json+retry" when it is a JSON:API error document with Retry-After (what
the service sends), something else otherwise (e.g. a page lighttpd made).
A summary goes to stdout (--quiet: none).
"""
import argparse
import base64
import hashlib
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

GETS = ["/api/users/1", "/api/contacts/1", "/api/accounts/1"]
LISTS = ["/api/contacts?page%5Bsize%5D=10",
         "/api/accounts?page%5Bsize%5D=5&sort=-id",
         "/api/contacts?page%5Bsize%5D=20&sort=-id&filter%5BlastName%5D%5Bcontains%5D=a"]


def wsse(user, key):
    nonce = base64.b64encode(os.urandom(16)).decode()
    created = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    digest = base64.b64encode(hashlib.sha1(
        base64.b64decode(nonce) + created.encode() + key.encode()).digest()).decode()
    return ('UsernameToken Username="%s", PasswordDigest="%s", Nonce="%s", Created="%s"'
            % (user, digest, nonce, created))


class Worker(threading.Thread):
    def __init__(self, n, args, budget, lines, lock):
        super().__init__(daemon=True)
        self.n, self.args, self.budget, self.lines, self.lock = n, args, budget, lines, lock
        u = urllib.parse.urlsplit(args.url)
        self.host, self.port = u.hostname, u.port or 80
        self.conn = None
        self.seq = 0
        self.created = []  # ids this worker made, to GET some of them back
        self.rng = random.Random(os.urandom(8))

    def pick(self):
        x = self.rng.random()
        a = self.args
        if x < a.post:
            self.seq += 1
            name = "%s-%d-%d" % (a.tag, self.n, self.seq)
            body = json.dumps({"data": {"type": "contacts", "attributes": {"lastName": name}}})
            return "POST", "/api/contacts", body, name
        if x < a.post + a.list:
            return "GET", self.rng.choice(a.list_path or LISTS), None, "-"
        if self.created and self.rng.random() < 0.3:
            return "GET", "/api/contacts/%s" % self.rng.choice(self.created), None, "-"
        return "GET", self.rng.choice(GETS), None, "-"

    def one(self, method, path, body):
        """Returns (status, note, id)."""
        a = self.args
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=a.timeout)
        headers = {"Accept": "application/vnd.api+json", "X-WSSE": wsse(a.user, a.key)}
        if body is not None:
            headers["Content-Type"] = "application/vnd.api+json"
        try:
            self.conn.request(method, a.prefix + path, body=body, headers=headers)
            resp = self.conn.getresponse()
            data = resp.read()
        except (socket.timeout, TimeoutError):
            self.drop()
            return "TIMEOUT", "-", "-"
        except (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected,
                ConnectionAbortedError) as e:
            self.drop()
            return "RESET", type(e).__name__, "-"
        except Exception as e:  # noqa: BLE001 - every client-side failure is reported
            self.drop()
            return "ERROR", type(e).__name__ + ":" + str(e).replace("\t", " ")[:80], "-"
        if resp.will_close:
            self.drop()
        st, note, cid = resp.status, "-", "-"
        if st == 200:
            try:
                json.loads(data)["data"]
            except Exception:  # noqa: BLE001
                note = "not-a-document"
        elif st == 201:
            try:
                cid = json.loads(data)["data"]["id"]
            except Exception:  # noqa: BLE001
                cid = "?"
            loc = resp.getheader("Location") or ""
            if not loc.endswith("/api/contacts/" + cid):
                note = "location-mismatch:" + loc
            else:
                self.created.append(cid)
                if len(self.created) > 50:
                    self.created.pop(0)
        elif st == 503:
            ok_json = False
            try:
                ok_json = json.loads(data)["errors"][0]["status"] == "503"
            except Exception:  # noqa: BLE001
                pass
            ra = resp.getheader("Retry-After")
            note = ("json" if ok_json else "notjson") + ("+retry" if ra else "+noretry")
        return st, note, cid

    def drop(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def run(self):
        while self.budget.take():
            method, path, body, name = self.pick()
            t0 = time.time()
            st, note, cid = self.one(method, path, body)
            ms = (time.time() - t0) * 1000
            line = "%.6f\t%s\t%s\t%.1f\t%s\t%s\t%s\t%s\n" % (t0, method, st, ms, cid, name, note, path)
            with self.lock:
                self.lines.append(line)
        self.drop()


class Budget:
    """Until a deadline, or a number of requests, whichever comes first."""

    def __init__(self, duration, requests, stop_file):
        self.deadline = time.time() + duration if duration else None
        self.left = requests
        self.stop_file = stop_file
        self.lock = threading.Lock()

    def take(self):
        if self.deadline is not None and time.time() >= self.deadline:
            return False
        if self.stop_file and os.path.exists(self.stop_file):
            return False
        if self.left is None:
            return True
        with self.lock:
            if self.left <= 0:
                return False
            self.left -= 1
            return True


def percentile(sorted_ms, p):
    if not sorted_ms:
        return 0.0
    return sorted_ms[min(len(sorted_ms) - 1, int(len(sorted_ms) * p / 100.0))]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", help="http://127.0.0.1:PORT")
    ap.add_argument("--prefix", default="", help="path prefix before /api")
    ap.add_argument("--user", default="admin")
    ap.add_argument("--key", help="the user's API key (default: a new one from"
                    " `$API_APICTL apikey USER`)")
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--duration", type=float, default=0, help="seconds (0: until --requests)")
    ap.add_argument("--stop-file", help="stop early once this file exists")
    ap.add_argument("--requests", type=int, default=None, help="total requests")
    ap.add_argument("--timeout", type=float, default=10.0, help="client timeout per request, s")
    ap.add_argument("--post", type=float, default=0.2, help="share of POSTs")
    ap.add_argument("--list", type=float, default=0.3, help="share of list GETs")
    ap.add_argument("--list-path", action="append",
                    help="a list URL (path and query) to use instead of the built-in ones; repeatable")
    ap.add_argument("--tag", default="Load", help="lastName prefix of the contacts made")
    ap.add_argument("--out", help="file for the per-request lines (appended)")
    ap.add_argument("--quiet", action="store_true")
    ap.add_argument("--summarize", metavar="FILE",
                    help="send nothing: print the summary of a file of lines written before")
    a = ap.parse_args()
    if a.summarize:
        with open(a.summarize) as f:
            lines = f.readlines()
        took = (max(float(x.split("\t")[0]) + float(x.split("\t")[3]) / 1000 for x in lines)
                - min(float(x.split("\t")[0]) for x in lines)) if lines else 0
        print(summary(lines, took))
        return 0
    if not a.out or not a.url:
        ap.error("--url and --out are required")
    if not a.duration and a.requests is None:
        ap.error("give --duration or --requests")
    if not a.key:
        apictl = os.environ.get("API_APICTL")
        if not apictl:
            ap.error("give --key, or API_APICTL (with API_CONFIG) to make one")
        a.key = subprocess.run([apictl, "apikey", a.user], check=True, capture_output=True,
                               text=True).stdout.strip().splitlines()[-1]
    lines, lock = [], threading.Lock()
    budget = Budget(a.duration, a.requests, a.stop_file)
    t0 = time.time()
    workers = [Worker(i, a, budget, lines, lock) for i in range(a.connections)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    took = time.time() - t0
    with open(a.out, "a") as f:
        f.writelines(lines)
    if not a.quiet:
        print(summary(lines, took))
    return 0


def summary(lines, took):
    statuses, ms, served = {}, [], []
    for ln in lines:
        f = ln.split("\t")
        statuses[f[2]] = statuses.get(f[2], 0) + 1
        ms.append(float(f[3]))
        if f[2] in ("200", "201"):
            served.append(float(f[3]))
    ms.sort()
    served.sort()
    text = ("requests %d in %.1f s (%.0f/s); statuses %s; latency ms p50 %.1f p99 %.1f max %.1f"
            % (len(lines), took, len(lines) / took if took else 0,
               " ".join("%s:%d" % kv for kv in sorted(statuses.items())),
               percentile(ms, 50), percentile(ms, 99), ms[-1] if ms else 0))
    if len(served) != len(ms):
        text += " (200/201 only: p50 %.1f p99 %.1f)" % (percentile(served, 50), percentile(served, 99))
    return text


if __name__ == "__main__":
    sys.exit(main())
