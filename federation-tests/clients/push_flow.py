"""Mastodon.py 2.3.3 against Cohort's Mastodon 4.3 features: a Web Push subscription made with
keys from `push_subscription_generate_keys` and a push service on loopback (in this script) that
decrypts what the node sends; grouped notifications (v2) and unread counts; scheduled statuses.

Usage: push_flow.py BASE PASSWORD  (alice and bob exist with PASSWORD)

Cohort encrypts per RFC 8291 (`aes128gcm`, the standard Mastodon 4.4 calls `standard`);
Mastodon.py's `push_subscription_decrypt_push` reads only the draft `aesgcm` scheme, so the body is
decrypted here with `http_ece` (which Mastodon.py uses too) in its `aes128gcm` mode.
"""
import json
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, HTTPServer

import http_ece
from cryptography.hazmat.primitives.asymmetric import ec
from mastodon import Mastodon

base, password = sys.argv[1:3]


def login(username, scopes):
    cid, secret = Mastodon.create_app("cohort-push-test", api_base_url=base, scopes=scopes)
    m = Mastodon(client_id=cid, client_secret=secret, api_base_url=base)
    m.log_in(username=username, password=password, scopes=scopes, allow_http=True)
    return m


def wait_for(what, check, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.05)
    raise SystemExit(f"timed out waiting for {what}")


received = []


class PushService(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        received.append(({k.lower(): v for k, v in self.headers.items()}, body))
        self.send_response(201)
        self.end_headers()

    def log_message(self, *args):
        pass


server = HTTPServer(("127.0.0.1", 0), PushService)
threading.Thread(target=server.serve_forever, daemon=True).start()
endpoint = f"http://127.0.0.1:{server.server_port}/push/alice"

alice = login("alice", ["read", "write", "follow", "push"])
bob = login("bob", ["read", "write", "follow"])

# Web Push
priv, pub = alice.push_subscription_generate_keys()
sub = alice.push_subscription_set(endpoint, pub, mention_events=True, follow_events=True,
                                  favourite_events=False, policy="all")
assert sub.endpoint == endpoint, sub
assert sub.alerts.mention and not sub.alerts.favourite, sub
assert alice.push_subscription().id == sub.id
host = base.split("://", 1)[1].rstrip("/")
bob.status_post(f"@alice@{host} the budget sheet is shared")
headers, body = wait_for("a push message", lambda: received[0] if received else None)
assert headers.get("content-encoding") == "aes128gcm", headers
assert headers.get("authorization", "").startswith("vapid t="), headers
assert sub.server_key in headers["authorization"], headers
key = ec.derive_private_key(priv["privkey"], ec.SECP256R1())
message = json.loads(http_ece.decrypt(body, private_key=key, auth_secret=priv["auth"], version="aes128gcm"))
assert message["notification_type"] == "mention", message
assert message["access_token"] == alice.access_token, message
assert "budget sheet" in message["body"], message
updated = alice.push_subscription_update(favourite_events=True)
# As in Mastodon, the alerts sent replace the earlier ones.
assert updated.alerts.favourite and not updated.alerts.mention, updated
alice.push_subscription_delete()

# Grouped notifications and unread counts
mine = alice.status_post("Consortium agreement, final draft")
bob.status_favourite(mine)
assert alice.notifications_unread_count().count == 2
groups = alice.grouped_notifications()
kinds = [g.type for g in groups.notification_groups]
assert kinds == ["favourite", "mention"], kinds
fav = groups.notification_groups[0]
one = alice.grouped_notification(fav.group_key)
assert one.notification_groups[0].notifications_count == 1
assert [a.username for a in alice.grouped_notification_accounts(fav.group_key)] == ["bob"]
assert alice.unread_grouped_notifications_count() == 2
alice.dismiss_grouped_notification(fav.group_key)
assert [g.type for g in alice.grouped_notifications(expand_accounts="full").notification_groups] == ["mention"]

# Scheduled statuses
later = datetime.now(timezone.utc) + timedelta(minutes=30)
scheduled = alice.status_post("Reminder: reports due Friday", scheduled_at=later)
assert scheduled.params.text == "Reminder: reports due Friday", scheduled
assert [s.id for s in alice.scheduled_statuses()] == [scheduled.id]
assert alice.scheduled_status(scheduled).id == scheduled.id
moved = alice.scheduled_status_update(scheduled, later + timedelta(hours=1))
assert moved.scheduled_at > scheduled.scheduled_at, (moved.scheduled_at, scheduled.scheduled_at)
alice.scheduled_status_delete(scheduled)
assert list(alice.scheduled_statuses()) == []
print("push, grouped notifications and scheduled statuses: ok")
