"""Mastodon.py 2.3.3 against a Cohort node: app registration, password and authorization-code
logins (with the browser page driven over HTTP), token use, app-only tokens, and revocation.

Usage: oauth_flows.py BASE_URL USERNAME PASSWORD
(allow_http: the test nodes listen on plain-http loopback.)
"""
import re
import sys

import requests
from mastodon import Mastodon, MastodonAPIError, MastodonUnauthorizedError
from mastodon.errors import MastodonError

base, username, password = sys.argv[1:4]
OOB = "urn:ietf:wg:oauth:2.0:oob"
SCOPES = ["read", "write", "follow"]

client_id, client_secret = Mastodon.create_app(
    "cohort-client-tests", api_base_url=base, scopes=SCOPES, redirect_uris=OOB
)

# Password grant.
m = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=base)
token = m.log_in(username=username, password=password, scopes=SCOPES, allow_http=True)
me = m.account_verify_credentials()
assert me["username"] == username, me
assert me["source"]["privacy"] == "public", me
assert m.app_verify_credentials()["name"] == "cohort-client-tests"
info = requests.get(base + "/oauth/userinfo", headers={"Authorization": "Bearer " + token}).json()
assert info["preferred_username"] == username, info
assert m.account_lookup(username)["id"] == me["id"]
assert m.account(me["id"])["acct"] == username

# Wrong password: refused.
try:
    Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=base).log_in(
        username=username, password="wrong-password", scopes=SCOPES, allow_http=True
    )
    raise SystemExit("a wrong password was accepted")
except MastodonError as e:
    assert "invalid_grant" in str(e), e

# Authorization-code flow through the HTML page, as a browser would.
m2 = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=base)
url = m2.auth_request_url(redirect_uris=OOB, scopes=["read"], allow_http=True)
page = requests.get(url)
assert page.status_code == 200 and "<form" in page.text, page.text
# The sign-in page cannot be framed by another site, nor cached.
assert page.headers.get("x-frame-options") == "DENY", page.headers
assert "frame-ancestors 'none'" in page.headers.get("content-security-policy", ""), page.headers
assert page.headers.get("cache-control") == "no-store", page.headers
fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page.text))
fields.update(username=username, password=password, decision="approve")
wrong = requests.post(base + "/oauth/authorize", data={**fields, "password": "wrong-password"})
assert wrong.status_code == 422 and "Invalid username or password" in wrong.text, wrong.status_code
assert f'value="{username}"' in wrong.text, "the username is kept after a failed sign-in"
assert '<code id="code">' not in wrong.text
shown = requests.post(base + "/oauth/authorize", data=fields)
assert shown.headers.get("cache-control") == "no-store", shown.headers
found = re.search(r'<code id="code">([^<]+)</code>', shown.text)
assert found, shown.text
code = found.group(1)
token2 = m2.log_in(code=code, redirect_uri=OOB, scopes=["read"], allow_http=True)
assert m2.account_verify_credentials()["id"] == me["id"]

# Scopes are enforced: a token for statuses only cannot read the account.
m3 = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=base)
m3.log_in(username=username, password=password, scopes=["read:statuses"], allow_http=True)
try:
    m3.account_verify_credentials()
    raise SystemExit("a read:statuses token could read the account")
except MastodonAPIError as e:
    assert "outside the authorized scopes" in str(e), e

# A scope the app did not register is refused.
try:
    Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=base).log_in(
        username=username, password=password, scopes=["push"], allow_http=True
    )
    raise SystemExit("a scope beyond the app's was granted")
except MastodonError as e:
    assert "invalid_scope" in str(e), e

# A code is single-use.
try:
    m2.log_in(code=code, redirect_uri=OOB, scopes=["read"], allow_http=True)
    raise SystemExit("an authorization code was accepted twice")
except MastodonError as e:
    assert "invalid_grant" in str(e), e

# App-only tokens (client_credentials), multipart bodies and trailing slashes.
app_token = requests.post(base + "/oauth/token/", files={
    "grant_type": (None, "client_credentials"), "client_id": (None, client_id),
    "client_secret": (None, client_secret), "scope": (None, "read"), "ignored_extra": (None, "x"),
}).json()
assert app_token["scope"] == "read" and app_token["token_type"] == "Bearer", app_token
assert Mastodon(access_token=app_token["access_token"], api_base_url=base).app_verify_credentials()["name"] == "cohort-client-tests"
only_app = requests.get(base + "/api/v1/accounts/verify_credentials/", headers={"Authorization": "Bearer " + app_token["access_token"]})
assert only_app.status_code == 422, only_app.text
assert [a["acct"] for a in m.account_search(username)] == [username]
nodeinfo = requests.get(requests.get(base + "/.well-known/nodeinfo").json()["links"][0]["href"]).json()
assert "mastodon_api" in nodeinfo["metadata"]["features"], nodeinfo

# Instance documents.
inst = m.instance()
assert "Cohort" in inst["version"], inst

# What apps call at start answers validly (empty where Cohort has no such feature).
assert m.preferences()["posting:default:visibility"] == "public"
for call in (m.custom_emojis, m.lists, m.followed_tags, m.trending_tags, m.trending_statuses,
             m.announcements, m.blocks, m.mutes, m.domain_blocks, m.conversations, m.follow_requests,
             m.filters_v2):
    assert call() == [], call.__name__

# Revocation: the token stops working.
m.revoke_access_token(allow_http=True)
try:
    Mastodon(access_token=token, api_base_url=base).account_verify_credentials()
    raise SystemExit("a revoked token still works")
except (MastodonUnauthorizedError, MastodonAPIError):
    pass
print("oauth flows ok")
