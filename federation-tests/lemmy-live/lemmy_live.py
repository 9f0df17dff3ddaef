#!/usr/bin/env python3
"""Cohort and a live Lemmy 0.19 node, tried step by step as their users would.

Not part of the test suite (CI has no Lemmy node): run by hand as docs/FEDERATION.md ("Trying it
with a live Lemmy node") describes. It needs a running Cohort node and a running Lemmy node that
reach each other by name, the Cohort members `alice` (moderator of the group `wg`) and `bob` with
one password, and the Lemmy admin's name and password. Cohort members act through Mastodon.py,
the Lemmy user through Lemmy's HTTP API (v3). Every step prints PASS or FAIL with what was seen;
a failed step does not stop the run (steps that need it fail too) and the exit status is non-zero
when any step failed.

  python3 lemmy_live.py --cohort http://cohort.test:8090 --lemmy http://lemmy.test:8536 \
      --cohort-password PASSWORD --lemmy-user ladmin --lemmy-password PASSWORD
"""
import argparse
import sys
import time
import uuid

import requests
from mastodon import Mastodon
from mastodon.errors import MastodonNotFoundError

RESULTS = []


def step(name):
    def wrap(fn):
        def run(*a, **k):
            try:
                seen = fn(*a, **k)
                RESULTS.append((name, True, seen))
                print(f"PASS  {name}: {seen}", flush=True)
                return seen
            except Exception as e:  # a failed step is reported, the run goes on
                RESULTS.append((name, False, repr(e)))
                print(f"FAIL  {name}: {e!r}", flush=True)
                return None
        return run
    return wrap


def until(what, fn, timeout=30.0):
    """Polls fn until it returns something truthy (remote nodes answer asynchronously)."""
    end = time.time() + timeout
    last = None
    while time.time() < end:
        try:
            last = fn()
            if last:
                return last
        except KeyError:  # an earlier step failed
            raise
        except Exception as e:  # not there yet
            last = e
        time.sleep(0.3)
    raise AssertionError(f"{what}: not seen within {timeout:.0f} s (last: {last!r})")


class Lemmy:
    def __init__(self, base, user, password):
        self.base = base.rstrip("/")
        self.s = requests.Session()
        r = self.s.post(f"{self.base}/api/v3/user/login",
                        json={"username_or_email": user, "password": password})
        r.raise_for_status()
        self.s.headers["Authorization"] = f"Bearer {r.json()['jwt']}"

    def get(self, path, **params):
        r = self.s.get(f"{self.base}/api/v3/{path}", params=params)
        if r.status_code >= 400:
            raise AssertionError(f"GET {path}: {r.status_code} {r.text[:300]}")
        return r.json()

    def call(self, method, path, body):
        r = self.s.request(method, f"{self.base}/api/v3/{path}", json=body)
        if r.status_code >= 400:
            raise AssertionError(f"{method} {path}: {r.status_code} {r.text[:300]}")
        return r.json()

    def resolve(self, q):
        return self.get("resolve_object", q=q)

    def listed(self, what, ap_id, **params):
        """The view of `what` ("post" or "comment") with this ActivityPub id in a listing."""
        views = self.get(f"{what}/list", sort="New", type_="All", limit=50, **params)[f"{what}s"]
        return next((v for v in views if v[what]["ap_id"] == ap_id), None)

    def post_by_ap(self, community_id, ap_id):
        return self.listed("post", ap_id, community_id=community_id)

    def post(self, post_id):
        return self.get("post", id=post_id)["post_view"]

    def comment_by_ap(self, post_id, ap_id):
        return self.listed("comment", ap_id, post_id=post_id)


def gone(m, status_id):
    """Waits until the status answers 404 for the member's client."""
    def missing():
        try:
            m.status(status_id)
            return False
        except MastodonNotFoundError:
            return True
    until("gone", missing)
    return "404 on Cohort"


def masto(base, user, password):
    app = Mastodon.create_app(f"live-{user}", api_base_url=base,
                              scopes=["read", "write", "follow"])
    m = Mastodon(client_id=app[0], client_secret=app[1], api_base_url=base)
    m.log_in(username=user, password=password, scopes=["read", "write", "follow"], allow_http=True)
    return m


def status_by_url(m, url):
    found = m.search_v2(url, resolve=True, result_type="statuses")["statuses"]
    return found[0] if found else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cohort", default="http://cohort.test:8090")
    ap.add_argument("--lemmy", default="http://lemmy.test:8536")
    ap.add_argument("--cohort-password", required=True)
    ap.add_argument("--lemmy-user", default="ladmin")
    ap.add_argument("--lemmy-password", required=True)
    ap.add_argument("--group", default="wg")
    ap.add_argument("--community", default="lcomm")
    ap.add_argument("--lemmy-follow-delay", type=float, default=3.0)
    args = ap.parse_args()
    tag = uuid.uuid4().hex[:6]
    ch = args.cohort.split("//", 1)[1]
    lh = args.lemmy.split("//", 1)[1]
    lemmy = Lemmy(args.lemmy, args.lemmy_user, args.lemmy_password)
    lemmy_actor = f"{args.lemmy}/u/{args.lemmy_user}"
    alice = masto(args.cohort, "alice", args.cohort_password)
    bob = masto(args.cohort, "bob", args.cohort_password)
    st = {}

    # ---- A Lemmy user in a Cohort group -----------------------------------------------------
    @step("L1 Lemmy resolves the Cohort group")
    def l1():
        c = lemmy.resolve(f"{args.cohort}/groups/{args.group}")["community"]
        st["gid"] = c["community"]["id"]
        return c["community"]["actor_id"]

    @step("L2 Lemmy lists the group's moderators")
    def l2():
        # Lemmy reads a community's moderators collection in the background after resolving it.
        alice_id = f"{args.cohort}/users/alice"
        return until("moderators", lambda: (lambda names: names if alice_id in names else None)(
            [m["moderator"]["actor_id"] for m in lemmy.get("community", id=st["gid"])["moderators"]]))

    @step("L3 Lemmy user joins the group (Follow, Accept)")
    def l3():
        lemmy.call("POST", "community/follow", {"community_id": st["gid"], "follow": True})
        return until("subscribed", lambda: lemmy.get("community", id=st["gid"])
                     ["community_view"]["subscribed"] == "Subscribed" and "Subscribed")

    @step("L3b A second Cohort member joins the group")
    def l3b():
        grp = bob.search_v2(f"@{args.group}@{ch}", resolve=True, result_type="accounts")["accounts"][0]
        bob.account_follow(grp["id"])
        return until("member", lambda: bob.account_relationships(grp["id"])[0]["following"])

    @step("L4 Cohort member's post in the group shows on Lemmy")
    def l4():
        s = alice.status_post(f"@{args.group}@{ch} Sleep study kickoff {tag}\n\nAgenda follows.")
        st["a_post"] = s
        p = until("post on Lemmy", lambda: lemmy.post_by_ap(st["gid"], s["uri"]))
        st["l_of_a_post"] = p["post"]["id"]
        return f"title={p['post']['name']!r} creator={p['creator']['actor_id']}"

    @step("L5 Lemmy user's comment on it reaches Cohort")
    def l5():
        c = lemmy.call("POST", "comment", {"post_id": st["l_of_a_post"],
                                           "content": f"Count me in {tag}"})["comment_view"]
        st["l_comment"] = c["comment"]
        d = until("reply on Cohort", lambda: [x for x in alice.status_context(st["a_post"]["id"])
                                              ["descendants"] if x["uri"] == c["comment"]["ap_id"]])
        st["c_of_l_comment"] = d[0]
        return d[0]["content"][:60]

    @step("L6 Cohort member's reply to the Lemmy comment shows on Lemmy, threaded")
    def l6():
        s = alice.status_post(f"Thanks! {tag}", in_reply_to_id=st["c_of_l_comment"]["id"])
        c = until("comment on Lemmy", lambda: lemmy.comment_by_ap(st["l_of_a_post"], s["uri"]))
        path = c["comment"]["path"]
        assert str(st["l_comment"]["id"]) in path.split("."), path
        st["a_reply"] = s
        return f"path={path}"

    @step("L7 Cohort member's edit shows on Lemmy")
    def l7():
        alice.status_update(st["a_post"]["id"], status=f"@{args.group}@{ch} Sleep study kickoff {tag}\n\nAgenda: edited {tag}")
        p = until("edit on Lemmy", lambda: (lambda p: p if p and "edited" in (p["post"]["body"] or "") else None)(
            lemmy.post_by_ap(st["gid"], st["a_post"]["uri"])))
        return (p["post"]["body"] or "")[:60]

    @step("L8 Lemmy upvote becomes a favourite on Cohort")
    def l8():
        lemmy.call("POST", "post/like", {"post_id": st["l_of_a_post"], "score": 1})
        s = until("favourite", lambda: (lambda s: s if s["favourites_count"] >= 1 else None)(
            alice.status(st["a_post"]["id"])))
        who = [a["url"] or a["uri"] for a in alice.status_favourited_by(s["id"])]
        return f"favourites={s['favourites_count']} by {who}"

    @step("L9 Lemmy vote withdrawn: favourite undone on Cohort")
    def l9():
        lemmy.call("POST", "post/like", {"post_id": st["l_of_a_post"], "score": 0})
        s = until("unfavourite", lambda: (lambda s: s if s["favourites_count"] == 0 else None)(
            alice.status(st["a_post"]["id"])))
        return f"favourites={s['favourites_count']}"

    @step("L10 Lemmy user's post in the group reaches Cohort members")
    def l10():
        p = lemmy.call("POST", "post", {"community_id": st["gid"], "name": f"From Lemmy {tag}",
                                        "body": f"Body from Lemmy {tag}"})["post_view"]
        st["l_post"] = p["post"]
        s = until("post on Cohort", lambda: status_by_url(bob, p["post"]["ap_id"]))
        st["c_of_l_post"] = s
        home = until("in bob's home", lambda: [x for x in bob.timeline_home(limit=40)
                                                if x["uri"] == p["post"]["ap_id"]
                                                or (x.get("reblog") or {}).get("uri") == p["post"]["ap_id"]])
        return f"{s['content'][:60]} (home: {len(home)})"

    @step("L11 Lemmy user's edit of the post reaches Cohort")
    def l11():
        lemmy.call("PUT", "post", {"post_id": st["l_post"]["id"], "body": f"Edited on Lemmy {tag}"})
        s = until("edit on Cohort", lambda: (lambda s: s if "Edited on Lemmy" in s["content"] else None)(
            bob.status(st["c_of_l_post"]["id"])))
        return s["content"][:60]

    @step("L11b Lemmy user's edit of the comment reaches Cohort")
    def l11b():
        lemmy.call("PUT", "comment", {"comment_id": st["l_comment"]["id"],
                                      "content": f"Count me in, edited {tag}"})
        d = until("edit on Cohort", lambda: [x for x in alice.status_context(st["a_post"]["id"])
                                              ["descendants"] if x["uri"] == st["l_comment"]["ap_id"]
                                              and "edited" in x["content"]])
        return d[0]["content"][:60]

    @step("L12 Cohort member favourites the Lemmy post: upvote on Lemmy")
    def l12():
        bob.status_favourite(st["c_of_l_post"]["id"])
        p = until("upvote on Lemmy", lambda: (lambda p: p if p and p["counts"]["upvotes"] >= 2 else None)(
            lemmy.post_by_ap(st["gid"], st["l_post"]["ap_id"])))
        return f"upvotes={p['counts']['upvotes']} score={p['counts']['score']}"

    @step("L13 Cohort member replies to the Lemmy post: comment on Lemmy")
    def l13():
        s = bob.status_post(f"A reply from Cohort {tag}", in_reply_to_id=st["c_of_l_post"]["id"])
        st["b_reply_l_post"] = s
        c = until("comment on Lemmy", lambda: lemmy.comment_by_ap(st["l_post"]["id"], s["uri"]))
        return c["comment"]["content"][:60]

    @step("L14 Cohort member deletes the reply: deleted on Lemmy")
    def l14():
        bob.status_delete(st["b_reply_l_post"]["id"])
        c = until("deleted on Lemmy", lambda: (lambda c: c if c and c["comment"]["deleted"] else None)(
            lemmy.comment_by_ap(st["l_post"]["id"], st["b_reply_l_post"]["uri"])))
        return f"deleted={c['comment']['deleted']}"

    @step("L15 Lemmy user deletes the comment: gone on Cohort")
    def l15():
        lemmy.call("POST", "comment/delete", {"comment_id": st["l_comment"]["id"], "deleted": True})
        until("gone on Cohort", lambda: not [x for x in alice.status_context(st["a_post"]["id"])["descendants"]
                                              if x["uri"] == st["l_comment"]["ap_id"]])
        return "not in the thread any more"

    @step("L15b Lemmy user deletes a post of theirs in the group: gone on Cohort")
    def l15b():
        p = lemmy.call("POST", "post", {"community_id": st["gid"], "name": f"Short-lived {tag}",
                                        "body": "soon gone"})["post_view"]["post"]
        s = until("post on Cohort", lambda: status_by_url(bob, p["ap_id"]))
        lemmy.call("POST", "post/delete", {"post_id": p["id"], "deleted": True})

        return gone(bob, s["id"])

    @step("L16 Group moderator removes the Lemmy user's post: removed on Lemmy")
    def l16():
        s = status_by_url(alice, st["l_post"]["ap_id"])
        alice.status_delete(s["id"])
        p = until("removed on Lemmy", lambda: (lambda p: p if p["post"]["removed"] else None)(
            lemmy.post(st["l_post"]["id"])))
        return f"removed={p['post']['removed']} deleted={p['post']['deleted']}"

    @step("L17 Cohort poll in the group shows on Lemmy")
    def l17():
        s = alice.status_post(f"@{args.group}@{ch} Which night? {tag}",
                              poll=alice.make_poll(["Monday", "Tuesday"], expires_in=86400))
        st["a_poll"] = s
        p = until("poll on Lemmy", lambda: lemmy.post_by_ap(st["gid"], s["uri"]))
        body = p["post"]["body"] or ""
        assert "Monday" in body and "Tuesday" in body, body
        return f"title={p['post']['name']!r}"

    @step("L18 Cohort member deletes own post: deleted on Lemmy")
    def l18():
        alice.status_delete(st["a_post"]["id"])
        p = until("deleted on Lemmy", lambda: (lambda p: p if p["post"]["deleted"] else None)(
            lemmy.post(st["l_of_a_post"])))
        return f"deleted={p['post']['deleted']}"

    @step("L19 Lemmy user leaves the group")
    def l19():
        lemmy.call("POST", "community/follow", {"community_id": st["gid"], "follow": False})
        grp = alice.account_lookup(f"{args.group}")
        until("member gone", lambda: lemmy_actor not in [a["url"] for a in alice.account_followers(grp["id"], limit=80)]
              and lemmy_actor not in [a.get("uri") for a in alice.account_followers(grp["id"], limit=80)])
        return "not among the group's followers"

    # ---- A Cohort member in a Lemmy community ------------------------------------------------
    @step("C0 Lemmy community exists")
    def c0():
        try:
            c = lemmy.call("POST", "community", {"name": args.community, "title": "Lemmy community"})
        except AssertionError as e:
            if "community_already_exists" not in str(e):
                raise
            c = lemmy.get("community", name=args.community)
        st["lc"] = c["community_view"]["community"]
        st["lc_subs"] = c["community_view"]["counts"]["subscribers"]
        return st["lc"]["actor_id"]

    @step("C1 Cohort member finds the community")
    def c1():
        acct = bob.search_v2(f"@{args.community}@{lh}", resolve=True, result_type="accounts")["accounts"]
        assert acct, "not found"
        st["lc_acct"] = acct[0]
        return f"{acct[0]['acct']} group={acct[0].get('group')}"

    @step("C2 Cohort member joins the community (Follow, Accept)")
    def c2():
        bob.account_follow(st["lc_acct"]["id"])
        r = until("following", lambda: bob.account_relationships(st["lc_acct"]["id"])[0]["following"])
        # Lemmy's sender learns which nodes follow a community on a timer (FOLLOW_ADDITIONS_RECHECK_DELAY:
        # 1 s with LEMMY_TEST_FAST_FEDERATION, 2 minutes otherwise); a post sooner skips the new node.
        time.sleep(args.lemmy_follow_delay)
        return f"following={r}"

    @step("C3 A Lemmy post in the community reaches the member's home")
    def c3():
        p = lemmy.call("POST", "post", {"community_id": st["lc"]["id"], "name": f"Lemmy news {tag}",
                                        "body": f"News body {tag}"})["post_view"]
        st["lp"] = p["post"]
        s = until("in home", lambda: [x for x in bob.timeline_home(limit=40)
                                       if x["uri"] == p["post"]["ap_id"]
                                       or (x.get("reblog") or {}).get("uri") == p["post"]["ap_id"]])
        s = s[0].get("reblog") or s[0]
        st["c_of_lp"] = s
        return s["content"][:80]

    @step("C4 A Lemmy edit reaches Cohort")
    def c4():
        lemmy.call("PUT", "post", {"post_id": st["lp"]["id"], "body": f"News edited {tag}"})
        s = until("edit", lambda: (lambda s: s if "News edited" in s["content"] else None)(
            bob.status(st["c_of_lp"]["id"])))
        return s["content"][:80]

    @step("C5 Cohort member's reply shows on Lemmy as a comment")
    def c5():
        s = bob.status_post(f"Reply from Cohort {tag}", in_reply_to_id=st["c_of_lp"]["id"])
        st["b_c5"] = s
        c = until("comment", lambda: lemmy.comment_by_ap(st["lp"]["id"], s["uri"]))
        st["l_of_b_c5"] = c["comment"]
        return c["comment"]["content"][:60]

    @step("C6 Cohort member's edit of the reply shows on Lemmy")
    def c6():
        bob.status_update(st["b_c5"]["id"], status=f"Reply from Cohort, edited {tag}")
        c = until("edit", lambda: (lambda c: c if c and "edited" in c["comment"]["content"] else None)(
            lemmy.comment_by_ap(st["lp"]["id"], st["b_c5"]["uri"])))
        return c["comment"]["content"][:60]

    @step("C6b Cohort member deletes the reply: deleted on Lemmy")
    def c6b():
        bob.status_delete(st["b_c5"]["id"])
        c = until("deleted", lambda: (lambda c: c if c and c["comment"]["deleted"] else None)(
            lemmy.comment_by_ap(st["lp"]["id"], st["b_c5"]["uri"])))
        return f"deleted={c['comment']['deleted']}"

    @step("C7 Cohort favourite is an upvote on Lemmy")
    def c7():
        bob.status_favourite(st["c_of_lp"]["id"])
        p = until("upvote", lambda: (lambda p: p if p and p["counts"]["upvotes"] >= 2 else None)(
            lemmy.post_by_ap(st["lc"]["id"], st["lp"]["ap_id"])))
        return f"upvotes={p['counts']['upvotes']}"

    @step("C8 Cohort unfavourite withdraws the vote on Lemmy")
    def c8():
        bob.status_unfavourite(st["c_of_lp"]["id"])
        p = until("vote withdrawn", lambda: (lambda p: p if p and p["counts"]["upvotes"] == 1 else None)(
            lemmy.post_by_ap(st["lc"]["id"], st["lp"]["ap_id"])))
        return f"upvotes={p['counts']['upvotes']}"

    @step("C9 Cohort member posts into the community: a post on Lemmy")
    def c9():
        s = bob.status_post(f"@{args.community}@{lh} Question from Cohort {tag}\n\nDetails here.")
        st["b_post"] = s
        p = until("post", lambda: lemmy.post_by_ap(st["lc"]["id"], s["uri"]))
        st["l_of_b_post"] = p["post"]
        return f"title={p['post']['name']!r}"

    @step("C10 Cohort member edits it: updated on Lemmy")
    def c10():
        bob.status_update(st["b_post"]["id"], status=f"@{args.community}@{lh} Question from Cohort {tag}\n\nDetails edited.")
        p = until("edit", lambda: (lambda p: p if p and "edited" in (p["post"]["body"] or "") else None)(
            lemmy.post_by_ap(st["lc"]["id"], st["b_post"]["uri"])))
        return (p["post"]["body"] or "")[:60]

    @step("C10b Cohort member's poll in the community shows on Lemmy")
    def c10b():
        s = bob.status_post(f"@{args.community}@{lh} Which day suits? {tag}",
                            poll=bob.make_poll(["Monday", "Friday"], expires_in=86400))
        p = until("poll", lambda: lemmy.post_by_ap(st["lc"]["id"], s["uri"]))
        body = p["post"]["body"] or ""
        assert "Monday" in body and "Friday" in body, body
        return f"title={p['post']['name']!r}"

    @step("C11 Lemmy comment on the member's post reaches Cohort")
    def c11():
        c = lemmy.call("POST", "comment", {"post_id": st["l_of_b_post"]["id"],
                                           "content": f"Answer from Lemmy {tag}"})["comment_view"]
        st["lc11"] = c["comment"]
        d = until("reply", lambda: [x for x in bob.status_context(st["b_post"]["id"])["descendants"]
                                     if x["uri"] == c["comment"]["ap_id"]])
        return d[0]["content"][:60]

    @step("C12 Lemmy upvote of the member's post: favourite on Cohort")
    def c12():
        lemmy.call("POST", "post/like", {"post_id": st["l_of_b_post"]["id"], "score": 1})
        s = until("favourite", lambda: (lambda s: s if s["favourites_count"] >= 1 else None)(
            bob.status(st["b_post"]["id"])))
        return f"favourites={s['favourites_count']}"

    @step("C13 Lemmy user deletes the post: gone on Cohort")
    def c13():
        sid = st["c_of_lp"]["id"]
        lemmy.call("POST", "post/delete", {"post_id": st["lp"]["id"], "deleted": True})
        return gone(bob, sid)

    @step("C14 Lemmy moderator removes the member's post: gone on Cohort")
    def c14():
        lemmy.call("POST", "post/remove", {"post_id": st["l_of_b_post"]["id"], "removed": True,
                                           "reason": "off topic"})
        return gone(bob, st["b_post"]["id"])

    @step("C15 Cohort member leaves the community")
    def c15():
        bob.account_unfollow(st["lc_acct"]["id"])
        v = until("unsubscribed", lambda: (lambda c: c if c["community_view"]["counts"]["subscribers"] == st["lc_subs"] else None)(
            lemmy.get("community", id=st["lc"]["id"])))
        return f"subscribers={v['community_view']['counts']['subscribers']}"

    for f in [l1, l2, l3, l3b, l4, l5, l6, l7, l8, l9, l10, l11, l11b, l12, l13, l14, l15, l15b,
              l16, l17, l18, l19,
              c0, c1, c2, c3, c4, c5, c6, c6b, c7, c8, c9, c10, c10b, c11, c12, c13, c14, c15]:
        f()
    failed = [r for r in RESULTS if not r[1]]
    print(f"\n{len(RESULTS) - len(failed)} of {len(RESULTS)} steps passed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
