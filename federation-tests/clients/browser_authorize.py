"""A real browser (headless Chromium through Selenium and chromedriver) signs in on Cohort's OAuth
authorize page, as a GUI Mastodon app (Elk, Phanpy, Tusky) makes its users do: the app registers
itself, sends the browser to /oauth/authorize with PKCE, the member signs in and consents, and the
browser lands on the app's redirect_uri with a code that the app exchanges for a token.

Covers: approve (state round trip, PKCE), a wrong password (error shown, no code; the re-shown form
still works), a wrong code_verifier, deny (error=access_denied) and the out-of-band page.

Usage: browser_authorize.py BASE_URL USERNAME PASSWORD
Environment: COHORT_TEST_CHROMIUM, COHORT_TEST_CHROMEDRIVER (defaults /usr/bin/chromium,
/usr/bin/chromedriver); COHORT_BROWSER_SCREENSHOT, a PNG path for a screenshot of the sign-in page.
"""
import base64
import hashlib
import http.server
import os
import secrets
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse

# Selenium Manager must never run: it would try to download drivers over the network.
os.environ.setdefault("SE_OFFLINE", "true")

import requests
from mastodon import Mastodon
from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.expected_conditions import staleness_of
from selenium.webdriver.support.ui import WebDriverWait

base, username, password = sys.argv[1:4]
CHROMIUM = os.environ.get("COHORT_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("COHORT_TEST_CHROMEDRIVER", "/usr/bin/chromedriver")
SCREENSHOT = os.environ.get("COHORT_BROWSER_SCREENSHOT")
OOB = "urn:ietf:wg:oauth:2.0:oob"
SCOPES = ["read", "write", "follow"]
# Markup characters in the app name and state check that the page escapes what it echoes.
APP_NAME = 'Browser test <Elk & "Phanpy">'
WAIT = 20


class Failure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)


def step(msg):
    print(f"[browser] {msg}", flush=True)


# The app's redirect_uri: a loopback HTTP server that records every query it receives.
class Callback(http.server.BaseHTTPRequestHandler):
    hits = []
    lock = threading.Condition()

    def do_GET(self):
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        with Callback.lock:
            Callback.hits.append(query)
            Callback.lock.notify_all()
        body = b"<!doctype html><title>App callback</title><p>Back in the app.</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def callback_hit(after, timeout=WAIT):
    """The query of the first callback request after the first `after` ones; fails at once when
    the page shows an error instead."""
    deadline = time.monotonic() + timeout
    while True:
        with Callback.lock:
            if len(Callback.hits) > after:
                return {k: v[0] for k, v in Callback.hits[after].items()}
            Callback.lock.wait(0.2)
        alerts = [a.text for a in driver.find_elements(By.CSS_SELECTOR, "[role=alert]")]
        if alerts:
            raise Failure(f"the page shows an error instead of redirecting to the app: {alerts}")
        if time.monotonic() > deadline:
            raise Failure(f"the browser never reached the app's redirect_uri (url: {driver.current_url})")


def pkce():
    verifier = base64.urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=").decode()
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def authorize_url(client_id, redirect_uri, state=None, challenge=None):
    params = {"response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri,
              "scope": " ".join(SCOPES)}
    if state is not None:
        params["state"] = state
    if challenge is not None:
        params.update(code_challenge=challenge, code_challenge_method="S256")
    return base + "/oauth/authorize?" + urllib.parse.urlencode(params)


def token_request(client_id, client_secret, code, redirect_uri, verifier=None):
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
            "client_id": client_id, "client_secret": client_secret}
    if verifier is not None:
        data["code_verifier"] = verifier
    return requests.post(base + "/oauth/token", data=data)


def exchange(client_id, client_secret, code, redirect_uri, verifier=None):
    r = token_request(client_id, client_secret, code, redirect_uri, verifier)
    check(r.status_code == 200, f"token exchange failed: {r.status_code} {r.text}")
    check(r.headers.get("cache-control") == "no-store", f"token response may be cached: {r.headers}")
    tok = r.json()
    check(tok.get("token_type") == "Bearer" and tok.get("access_token"), f"bad token response: {tok}")
    check(set(tok["scope"].split()) == set(SCOPES), f"token scopes {tok['scope']!r}, expected {SCOPES}")
    me = Mastodon(access_token=tok["access_token"], api_base_url=base).account_verify_credentials()
    check(me["username"] == username, f"verify_credentials returned {me['username']!r}, expected {username!r}")
    return tok


def open_sign_in(url):
    """Opens the authorize page and checks what it tells the member."""
    driver.get(url)
    check(driver.title == "Authorize app", f"unexpected page title {driver.title!r}")
    text = driver.find_element(By.TAG_NAME, "main").text
    check(APP_NAME in text, f"the page does not name the app {APP_NAME!r}:\n{text}")
    shown = driver.find_element(By.CSS_SELECTOR, "main p code").text.split()
    check(sorted(shown) == sorted(SCOPES), f"the page shows scopes {shown}, expected {SCOPES}")


def sign_in(user, pw):
    """Types the credentials and clicks Authorize, as a person would."""
    name = driver.find_element(By.NAME, "username")
    secret = driver.find_element(By.NAME, "password")
    check(secret.get_attribute("type") == "password", "the password field does not mask its input")
    name.clear()
    name.send_keys(user)
    secret.clear()
    secret.send_keys(pw)
    submit_with("Authorize")


def submit_with(label):
    """Clicks a form button and waits until the browser has left the page."""
    page = driver.find_element(By.TAG_NAME, "html")
    button(driver, label).click()
    wait_for(lambda: staleness_of(page)(driver), f"the browser to submit the form with {label!r}")


def button(d, label):
    found = [b for b in d.find_elements(By.TAG_NAME, "button") if b.text.strip() == label]
    check(len(found) == 1, f"expected one {label!r} button, found {len(found)}")
    return found[0]


def wait_for(cond, what):
    try:
        WebDriverWait(driver, WAIT).until(lambda d: cond())
    except TimeoutException:
        raise Failure(f"timed out waiting for {what} (url: {driver.current_url})") from None


def start_browser(profile):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--no-default-browser-check", "--no-proxy-server",
                "--window-size=1000,800", f"--user-data-dir={profile}"):
        options.add_argument(arg)
    d = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    d.set_page_load_timeout(WAIT)
    return d


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Callback)
threading.Thread(target=server.serve_forever, daemon=True).start()
redirect_uri = f"http://127.0.0.1:{server.server_address[1]}/callback"
profile = tempfile.TemporaryDirectory(prefix="cohort-chromium-")
driver = None
started = time.monotonic()
try:
    client_id, client_secret = Mastodon.create_app(
        APP_NAME, api_base_url=base, scopes=SCOPES, redirect_uris=redirect_uri
    )
    step(f"app registered; callback {redirect_uri}")
    driver = start_browser(profile.name)
    step(f"{driver.capabilities.get('browserName')} {driver.capabilities.get('browserVersion')} started")

    # c. Approve, with state and PKCE as Elk and Phanpy send them.
    state = "st-" + secrets.token_urlsafe(12) + " \"<&>'"
    verifier, challenge = pkce()
    open_sign_in(authorize_url(client_id, redirect_uri, state, challenge))
    if SCREENSHOT:
        check(driver.save_screenshot(SCREENSHOT), f"could not save a screenshot to {SCREENSHOT}")
        step(f"screenshot of the sign-in page: {SCREENSHOT}")
    sign_in(username, password)
    got = callback_hit(0)
    wait_for(lambda: driver.current_url.startswith(redirect_uri), "the browser to land on the callback")
    check("error" not in got and got.get("code"), f"no code on the callback: {got}")
    check(got.get("state") == state, f"state came back as {got.get('state')!r}, sent {state!r}")
    exchange(client_id, client_secret, got["code"], redirect_uri, verifier)
    step("approve: code on the callback, state kept, PKCE exchange and verify_credentials ok")

    # d. Wrong password: an error on the page, no code; the re-shown form then works.
    hits = len(Callback.hits)
    state = "st-" + secrets.token_urlsafe(12)
    verifier, challenge = pkce()
    open_sign_in(authorize_url(client_id, redirect_uri, state, challenge))
    sign_in(username, password + "-wrong")
    wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "[role=alert]"), "the sign-in error")
    alert = driver.find_element(By.CSS_SELECTOR, "[role=alert]").text
    check("Invalid username or password" in alert, f"unexpected error text {alert!r}")
    check(driver.current_url.startswith(base + "/oauth/authorize"), f"left the page: {driver.current_url}")
    time.sleep(0.5)
    check(len(Callback.hits) == hits, f"a wrong password reached the callback: {Callback.hits[hits:]}")
    step("wrong password: error shown, callback not hit")
    sign_in(username, password)
    got = callback_hit(hits)
    check(got.get("code") and got.get("state") == state, f"retry after the error: {got}")
    bad = token_request(client_id, client_secret, got["code"], redirect_uri, pkce()[0])
    check(bad.status_code == 400 and bad.json().get("error") == "invalid_grant",
          f"a wrong code_verifier was not refused: {bad.status_code} {bad.text}")
    again = token_request(client_id, client_secret, got["code"], redirect_uri, verifier)
    check(again.status_code == 400, f"a code was usable after a failed PKCE check: {again.text}")
    step("retry on the re-shown form: code issued; a wrong code_verifier is refused")

    # e. Deny: the app is told access_denied (with its state) and gets no code.
    hits = len(Callback.hits)
    state = "st-" + secrets.token_urlsafe(12)
    open_sign_in(authorize_url(client_id, redirect_uri, state, pkce()[1]))
    submit_with("Deny")
    got = callback_hit(hits)
    check(got == {"error": "access_denied", "state": state}, f"deny sent {got}")
    step("deny: callback got error=access_denied")

    # f. Out of band (no redirect): the browser shows the code to copy into the app.
    oob_id, oob_secret = Mastodon.create_app(APP_NAME, api_base_url=base, scopes=SCOPES, redirect_uris=OOB)
    hits = len(Callback.hits)
    open_sign_in(authorize_url(oob_id, OOB))
    sign_in(username, password)
    wait_for(lambda: driver.find_elements(By.ID, "code"), "the code on the out-of-band page")
    check(driver.title == "Authorization code", f"unexpected page title {driver.title!r}")
    code = driver.find_element(By.ID, "code").text.strip()
    check(code, "the out-of-band page shows an empty code")
    check(APP_NAME in driver.find_element(By.TAG_NAME, "main").text, "the out-of-band page does not name the app")
    check(len(Callback.hits) == hits, "the out-of-band flow hit the callback")
    exchange(oob_id, oob_secret, code, OOB)
    step("out-of-band: code read from the page and exchanged")
except Exception as e:
    print(f"[browser] FAILED: {e}", file=sys.stderr)
    if not isinstance(e, Failure):
        traceback.print_exc()
    if driver is not None:
        try:
            print(f"[browser] at {driver.current_url}\n{driver.page_source[:3000]}", file=sys.stderr)
        except Exception:
            pass
    sys.exit(1)
finally:
    if driver is not None:
        driver.quit()
    server.shutdown()
    profile.cleanup()
print(f"browser authorize flows ok ({time.monotonic() - started:.1f}s)")
