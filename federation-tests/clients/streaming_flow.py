"""Mastodon.py 2.3.3's streaming clients against Cohort: the HTTP event stream (`stream_user`) and
the multiplexed WebSocket (`stream_open_websocket` + `stream_public`), on one process while statuses
and notifications are produced through another (the same process on SQLite).

Usage: streaming_flow.py PRODUCER_BASE SUBSCRIBER_BASE PASSWORD
(alice and fran exist with PASSWORD; fran is made to follow alice.)

Every wait has a deadline; that something arrived only once is checked when a later marker status,
which must come after it, has arrived.
"""
import sys
import threading
import time

from mastodon import Mastodon, StreamListener

producer_base, subscriber_base, password = sys.argv[1:4]
SCOPES = ["read", "write", "follow"]


def login(base, username):
    cid, secret = Mastodon.create_app("cohort-streaming-test", api_base_url=base, scopes=SCOPES)
    m = Mastodon(client_id=cid, client_secret=secret, api_base_url=base)
    m.log_in(username=username, password=password, scopes=SCOPES, allow_http=True)
    return m


class Recorder(StreamListener):
    def __init__(self):
        self.lock = threading.Lock()
        self.events = []  # (name, payload)

    def on_update(self, status):
        with self.lock:
            self.events.append(("update", status))

    def on_notification(self, notification):
        with self.lock:
            self.events.append(("notification", notification))

    def on_abort(self, err):
        with self.lock:
            self.events.append(("abort", repr(err)))

    def on_unknown_event(self, name, unknown_event=None):
        with self.lock:
            self.events.append((name, unknown_event))

    def snapshot(self):
        with self.lock:
            return list(self.events)


def wait_for(what, check, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.05)
    raise SystemExit(f"timed out waiting for {what}; events: {[e[0] for e in home.snapshot()]}")


def updates_of(rec, status_id):
    return [p for (n, p) in rec.snapshot() if n == "update" and p["id"] == status_id]


alice = login(producer_base, "alice")
fran_writer = login(producer_base, "fran")
fran = login(subscriber_base, "fran")
alice_id = alice.account_verify_credentials()["id"]
fran_writer.account_follow(alice_id)

advertised = fran.instance_v1()["urls"]["streaming_api"]
assert advertised == producer_base.replace("http://", "ws://"), advertised
assert fran.instance_v2()["configuration"]["urls"]["streaming"] == advertised
if subscriber_base != producer_base:
    # Behind the node's one host name a load balancer picks the process; here fran's streams are
    # sent to the second process, as it would send them.
    fran._Mastodon__streaming_base = subscriber_base
assert fran.stream_healthy()

# The user stream over HTTP (text/event-stream); Mastodon.py opens it at the advertised URL.
home = Recorder()
home_handle = fran.stream_user(home, run_async=True)

# The public stream through a multiplexed WebSocket. The subscribe message is applied
# asynchronously: public warm-up statuses are posted until one arrives.
public = Recorder()
ws = fran.stream_open_websocket(public)
fran.stream_public(public, websocket_handle=ws)
warm = None
deadline = time.monotonic() + 30
while time.monotonic() < deadline:
    warm = alice.status_post("warming up the public stream")
    try:
        wait_for("a warm-up status", lambda: updates_of(public, warm["id"]), seconds=1)
        break
    except SystemExit:
        continue
else:
    raise SystemExit(f"the WebSocket public stream never delivered: {public.snapshot()}")

# A status from alice reaches fran's home stream and the public stream.
first = alice.status_post("Agenda for the biobank call")
wait_for("the status on the user stream", lambda: updates_of(home, first["id"]))
wait_for("the status on the public stream", lambda: updates_of(public, first["id"]))

# A mention notifies fran on the user stream.
host = producer_base.split("://", 1)[1]
mention = alice.status_post(f"@fran@{host} please review the protocol")


def mention_notification():
    return [
        p for (n, p) in home.snapshot()
        if n == "notification" and p["type"] == "mention" and p["status"]["id"] == mention["id"]
    ]


notes = wait_for("the mention notification", mention_notification)
assert notes[0]["account"]["id"] == alice_id, notes[0]

# Exactly once: a marker posted after everything arrives after any duplicate would have.
marker = alice.status_post("marker")
wait_for("the marker on the user stream", lambda: updates_of(home, marker["id"]))
wait_for("the marker on the public stream", lambda: updates_of(public, marker["id"]))
for rec, name in ((home, "user"), (public, "public")):
    for status in (first, mention, marker):
        got = updates_of(rec, status["id"])
        assert len(got) == 1, f"{name} stream: {len(got)} updates for {status['id']}: {rec.snapshot()}"
assert len(mention_notification()) == 1, home.snapshot()
aborts = [e for e in home.snapshot() + public.snapshot() if e[0] == "abort"]
assert not aborts, aborts

home_handle.close()
ws.close()
print(f"streamed: user {len(home.snapshot())} events, public {len(public.snapshot())} events")
