"""Shared set-up of the two-node Mastodon.py scripts: arguments, sign-in and waiting.

Scripts are run as `SCRIPT BASE_A BASE_B PASSWORD` (group `wg` and member `amy` on A, `bea` on B).
"""
import sys
import time

from mastodon import Mastodon
from mastodon.errors import MastodonAPIError

base_a, base_b, password = sys.argv[1:4]
host_a = base_a.split("://", 1)[1]
host_b = base_b.split("://", 1)[1]
SCOPES = ["read", "write", "follow"]


def login(base, user, app):
    """Registers app `app` on the node at `base` and signs `user` in with the password grant."""
    cid, secret = Mastodon.create_app(app, api_base_url=base, scopes=SCOPES)
    m = Mastodon(client_id=cid, client_secret=secret, api_base_url=base)
    m.log_in(username=user, password=password, scopes=SCOPES, allow_http=True)
    return m


def wait(what, check, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if check():
            return
        time.sleep(0.3)
    raise SystemExit(f"timed out waiting for: {what}")


def refused(what, call, statuses=("422",)):
    """Fails unless `call` is answered with an API error carrying one of `statuses`."""
    try:
        call()
    except MastodonAPIError as e:
        assert any(s in str(e) for s in statuses), (what, e)
        return
    raise SystemExit(f"accepted: {what}")
