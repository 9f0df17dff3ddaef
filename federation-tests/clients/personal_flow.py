"""Mastodon.py 2.3.3 across two nodes: lists, conversations, filters v2 and follow requests.

bea (on B) lists amy and the group `wg` (both on A), reads the list timeline as their posts arrive
over federation and hears them on the list stream; conversations between amy and bea; bea's
filters warn about or hide what she reads at home, in notifications and on the user stream;
amy locks her account and authorizes cai's request to follow her.

Usage: personal_flow.py BASE_A BASE_B PASSWORD   (group `wg` and member `amy` on A; `bea` and
`cai` on B)
"""
import threading
import time

from mastodon import StreamListener
from mastodon.errors import MastodonNotFoundError

from two_nodes import base_a, base_b, host_a, host_b, login, refused, wait

amy = login(base_a, "amy", "personal")
bea = login(base_b, "bea", "personal")
cai = login(base_b, "cai", "personal")
bea._Mastodon__streaming_base = base_b
amy.account_follow(amy.account_lookup("wg")["id"])

group = bea.search_v2(f"@wg@{host_a}", resolve=True)["accounts"][0]
amy_on_b = bea.search_v2(f"@amy@{host_a}", resolve=True)["accounts"][0]
cai_on_b = bea.account_lookup("cai")

# Only accounts bea follows may go on a list; refusals change nothing.
lst = bea.list_create("Biobank", replies_policy="list")
assert lst["exclusive"] is False and lst["replies_policy"] == "list", lst
refused("a list without a title", lambda: bea.list_create(""))
refused("an account bea does not follow", lambda: bea.list_accounts_add(lst["id"], [amy_on_b["id"]]))
assert bea.list_accounts(lst["id"]) == []
bea.account_follow(group["id"])
bea.account_follow(amy_on_b["id"])
bea.account_follow(cai_on_b["id"])
wait("bea joins wg and follows amy", lambda: all(
    r["following"] for r in bea.account_relationships([group["id"], amy_on_b["id"]])))
bea.list_accounts_add(lst["id"], [group["id"], amy_on_b["id"]])
assert sorted(str(a["id"]) for a in bea.list_accounts(lst["id"])) == sorted([str(group["id"]), str(amy_on_b["id"])])
assert [x["id"] for x in bea.account_lists(amy_on_b["id"])] == [lst["id"]]
assert [x["id"] for x in bea.lists()] == [lst["id"]]

# Someone else's list is a missing one.
for call in (lambda: cai.list(lst["id"]), lambda: cai.timeline_list(lst["id"])):
    try:
        call()
        raise SystemExit("cai read bea's list")
    except MastodonNotFoundError:
        pass


class Recorder(StreamListener):
    def __init__(self):
        self.lock = threading.Lock()
        self.events = []

    def on_update(self, status):
        with self.lock:
            self.events.append(("update", status))

    def on_notification(self, notification):
        with self.lock:
            self.events.append(("notification", notification))

    def on_conversation(self, conversation):
        with self.lock:
            self.events.append(("conversation", conversation))

    def on_unknown_event(self, name, unknown_event=None):
        with self.lock:
            self.events.append((name, unknown_event))

    def texts(self, kind="update"):
        with self.lock:
            return [p["content"] for (n, p) in self.events if n == kind]

    def heard(self, words):
        return any(words in t for t in self.texts())


# The list stream (HTTP event stream) hears the list's posts as they arrive from A.
listed = Recorder()
handle = bea.stream_list(lst["id"], listed, run_async=True)
deadline = time.monotonic() + 60
while True:
    warm = amy.status_post("warming up the list stream")
    try:
        wait("the warm-up on B", lambda: any(
            "warming up" in s["content"] for s in bea.timeline_list(lst["id"])), seconds=10)
        wait("the warm-up on the list stream", lambda: listed.heard("warming up"), seconds=2)
        break
    except SystemExit:
        if time.monotonic() > deadline:
            raise
amy.status_post(f"Freezer inventory @wg@{host_a}")
bea.status_post(f"Labels are printed @wg@{host_a}")
cai.status_post("cai is followed but not on the list")
amy.status_post("amy's own note on sample intake")
words = ("Freezer inventory", "Labels are printed", "sample intake")
wait("all three on bea's list", lambda: set(words) <= {
    w for s in bea.timeline_list(lst["id"]) for w in words if w in s["content"]})
page = bea.timeline_list(lst["id"], limit=2)
whole = bea.timeline_list(lst["id"])
assert [str(s["id"]) for s in page] == [str(s["id"]) for s in whole[:2]], (page, whole)
older = bea.fetch_next(page)
assert older and len(older) <= 2 and all(str(o["id"]) < str(page[-1]["id"]) for o in older), older
wait("the list stream hears all three", lambda: all(listed.heard(w) for w in words))
# cai's post came before the last one, so it would have arrived by now.
assert not listed.heard("cai is followed")
assert not any("cai is followed" in s["content"] for s in bea.timeline_list(lst["id"]))
handle.close()

# Exclusive: the list's accounts leave bea's home timeline.
bea.list_update(lst["id"], "Biobank", replies_policy="none", exclusive=True)
assert bea.list(lst["id"])["exclusive"] is True
assert not any("sample intake" in s["content"] for s in bea.timeline_home())
bea.list_update(lst["id"], "Biobank", replies_policy="list", exclusive=False)
assert any("sample intake" in s["content"] for s in bea.timeline_home())

# Conversations between the nodes: one per thread, unread for the addressee.
dm = amy.status_post(f"@bea@{host_b} can you send the consent forms?", visibility="direct")
wait("bea's conversation", lambda: len(bea.conversations()) == 1)
conv = bea.conversations()[0]
assert conv["unread"] is True and [a["acct"] for a in conv["accounts"]] == [f"amy@{host_a}"], conv
assert "consent forms" in conv["last_status"]["content"]
assert cai.conversations() == []
seen = bea.conversations_read(conv["id"])
assert seen["unread"] is False and seen["id"] == conv["id"]
reply = bea.status_post(f"@amy@{host_a} shipped today", visibility="direct",
                        in_reply_to_id=conv["last_status"]["id"])
wait("amy sees the reply in the same conversation", lambda: (lambda cs: len(cs) == 1 and
     "shipped today" in cs[0]["last_status"]["content"])(amy.conversations()))
assert amy.conversations()[0]["unread"] is True
assert len(bea.conversations()) == 1 and bea.conversations()[0]["last_status"]["id"] == reply["id"]

# Filters v2: warn at home, hide in notifications and at home, on the user stream too.
refused("a filter with an unknown context", lambda: bea.create_filter_v2("x", ["everywhere"], "warn"))
refused("a filter with an unknown action", lambda: bea.create_filter_v2("x", ["home"], "explode"))
assert bea.filters_v2() == []
warn = bea.create_filter_v2("Spoilers", ["home"], "warn",
                            keywords_attributes=[{"keyword": "finale", "whole_word": True}])
hide = bea.create_filter_v2("Noise", ["home", "notifications"], "hide",
                            keywords_attributes=[{"keyword": "giveaway", "whole_word": False}])
kw = bea.add_filter_keyword_v2(warn["id"], "ending", whole_word=True)
assert [k["keyword"] for k in bea.filter_keywords_v2(warn["id"])] == ["finale", "ending"]
bea.delete_filter_keyword_v2(kw["id"])
home = Recorder()
user = bea.stream_user(home, run_async=True)
deadline = time.monotonic() + 60
while True:
    amy.status_post("warming up the user stream")
    try:
        wait("the warm-up on the user stream", lambda: home.heard("warming up the user"), seconds=5)
        break
    except SystemExit:
        if time.monotonic() > deadline:
            raise
amy.status_post("The finale of the series was great")
amy.status_post(f"@bea@{host_b} giveaway: free pipettes")
wait("B stores both", lambda: sum(1 for s in bea.account_statuses(amy_on_b["id"])
                                  if "finale" in s["content"] or "giveaway" in s["content"]) == 2)
# Events reach a stream in the order they were stored: the marker comes after the others.
amy.status_post("marker after the filtered posts")
wait("the marker on the user stream", lambda: home.heard("marker after"), seconds=30)
timeline = bea.timeline_home()
warned = [s for s in timeline if "finale" in s["content"]]
assert warned and warned[0]["filtered"][0]["filter"]["id"] == warn["id"], warned
assert warned[0]["filtered"][0]["keyword_matches"] == ["finale"]
assert not any("giveaway" in s["content"] for s in timeline)
assert not any(n.get("status") and "giveaway" in n["status"]["content"] for n in bea.notifications())
user.close()
# The marker came after the hidden post: had the stream sent it, it would be here.
assert not home.heard("giveaway"), home.texts()
assert not any(n.get("status") and "giveaway" in n["status"]["content"]
               for (k, n) in home.events if k == "notification")
streamed = [p for (n, p) in home.events if n == "update" and "finale" in p["content"]]
assert streamed and streamed[0]["filtered"][0]["filter"]["id"] == warn["id"], streamed
bea.delete_filter_v2(hide["id"])
wait("the hidden post shows once its filter is gone", lambda: any(
    "giveaway" in s["content"] for s in bea.timeline_home()))
assert [f["id"] for f in bea.filters_v2()] == [warn["id"]]

# Follow requests: amy locks her account; cai (on B) asks to follow her and is listed, then
# authorized from the app; B hears the Accept.
amy.account_update_credentials(locked=True)
amy_for_cai = cai.search_v2(f"@amy@{host_a}", resolve=True)["accounts"][0]
cai.account_follow(amy_for_cai["id"])
wait("cai waits for amy", lambda: [a["acct"] for a in amy.follow_requests()] == [f"cai@{host_b}"])
cai_on_a = amy.follow_requests()[0]
refused("an account that asked nothing", lambda: amy.follow_request_authorize(amy.account_lookup("wg")["id"]),
        statuses=("404",))
rel = amy.follow_request_authorize(cai_on_a["id"])
assert rel["followed_by"] is True, rel
wait("cai follows amy on B", lambda: cai.account_relationships([amy_for_cai["id"]])[0]["following"])
assert amy.follow_requests() == []
print("lists, conversations, filters and follow requests: ok")
