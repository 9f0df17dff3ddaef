"""Mastodon.py 2.3.3 across two Cohort nodes: find a group on another node by search, follow it, see
its posts on the home timeline, post into it by mentioning it, reply, paginate, read, delete, and
retry a post with an Idempotency-Key.

Usage: groups_flow.py BASE_A BASE_B PASSWORD   (group `wg` and member `amy` on A, member `bea` on B)
"""
import requests

from mastodon.errors import MastodonNotFoundError
from two_nodes import base_a, base_b, host_a, host_b, login, refused, wait

amy = login(base_a, "amy", "groups-flow")
bea = login(base_b, "bea", "groups-flow")

# bea (node B) finds the group on node A and joins it.
found = bea.search_v2(f"@wg@{host_a}", resolve=True)
assert len(found["accounts"]) == 1, found
group = found["accounts"][0]
assert group["group"] is True and group["acct"] == f"wg@{host_a}", group
rel = bea.account_follow(group["id"])
assert rel["following"] or rel["requested"], rel
wait("bea follows the group", lambda: bea.account_relationships(group["id"])[0]["following"])

# amy (node A) joins too, locally.
local_group = amy.account_lookup("wg")
assert local_group["group"] is True
assert amy.account_follow(local_group["id"])["following"] is True

# amy posts into the group by mentioning it; bea sees it on her home timeline on B.
posted = amy.status_post(f"Kick-off call notes are up @wg@{host_a}")
assert posted["mentions"][0]["acct"] == "wg", posted
wait("the group's post reaches bea", lambda: any("Kick-off call" in s["content"] for s in bea.timeline_home()))
remote = next(s for s in bea.timeline_home() if "Kick-off call" in s["content"])
assert remote["account"]["acct"] == f"amy@{host_a}", remote["account"]

# bea replies from B; the reply goes into the group and amy sees it on A.
reply = bea.status_post("Thanks, I will review the consent section", in_reply_to_id=remote["id"])
assert reply["in_reply_to_id"] == remote["id"], reply
wait("bea's reply reaches amy", lambda: any("consent section" in s["content"] for s in amy.timeline_home()))
context = amy.status_context(posted["id"])
assert any("consent section" in s["content"] for s in context["descendants"]), context

# Idempotency-Key: a retried request returns the first status, not a second one.
first = bea.status_post("Only once please", idempotency_key="retry-1")
again = bea.status_post("Only once please", idempotency_key="retry-1")
assert first["id"] == again["id"], (first["id"], again["id"])

# Pagination of the home timeline with max_id / Link headers.
for i in range(5):
    bea.status_post(f"page item {i}")
page = bea.timeline_home(limit=2)
seen = [str(s["id"]) for s in page]
for _ in range(10):
    page = bea.fetch_next(page)
    if not page:
        break
    seen.extend(str(s["id"]) for s in page)
assert len(seen) == len(set(seen)) and len(seen) >= 8, seen
assert seen == sorted(seen, reverse=True), seen
newer = bea.timeline_home(min_id=seen[3])
assert [str(s["id"]) for s in newer] == seen[:3], ([s["id"] for s in newer], seen[:3])

# Read and delete.
assert bea.status(first["id"])["content"].startswith("<p>Only once")
deleted = bea.status_delete(first["id"])
assert deleted["text"] == "Only once please", deleted
try:
    bea.status(first["id"])
    raise SystemExit("a deleted status is still readable")
except MastodonNotFoundError:
    pass

# Public and tag timelines.
tagged = bea.status_post(f"Looking for co-authors #Biobank #consent_2026 @wg@{host_a}")
assert sorted(t["name"] for t in tagged["tags"]) == ["biobank", "consent_2026"], tagged["tags"]
assert 'rel="tag"' in tagged["content"] and "/tags/biobank" in tagged["content"], tagged["content"]
assert any("co-authors" in s["content"] for s in bea.timeline_hashtag("biobank")), "tag timeline"
assert not any("co-authors" in s["content"] for s in bea.timeline_hashtag("bio")), "whole tags only"
# The other node files the post under the hashtags it carries; search and the tag page find it.
wait("A files the post under its hashtag", lambda: any(
    "co-authors" in s["content"] for s in amy.timeline_hashtag("consent_2026")))
found = amy.search_v2("#consent", result_type="hashtags")["hashtags"]
assert [h["name"] for h in found] == ["consent_2026"], found
info = amy.tag("Biobank")
assert info["name"] == "biobank" and int(info["history"][0]["uses"]) >= 1, info
page = requests.get(info["url"])
assert page.status_code == 200 and "co-authors" in page.text, page.status_code
assert any("co-authors" in s["content"] for s in bea.timeline_public(local=True))
assert not any("co-authors" in s["content"] for s in bea.timeline_public(remote=True))
assert any("Kick-off call" in s["content"] for s in bea.timeline_public(remote=True))

# Language and edits: the edit reaches the other node, the earlier version stays in the history.
draft = bea.status_post(f"Draft agenda: intro, budget #planning @wg@{host_a}", language="EN")
assert draft["language"] == "en", draft["language"]
wait("A shows the draft in English", lambda: any(
    "Draft agenda" in s["content"] and s["language"] == "en" for s in amy.timeline_home()))
edited = bea.status_update(draft["id"], f"Final agenda: intro, budget, votes #planning @wg@{host_a}",
                           spoiler_text="agenda")
assert "Final agenda" in edited["content"] and edited["edited_at"], edited
assert edited["spoiler_text"] == "agenda" and edited["sensitive"] is True and edited["language"] == "en", edited
history = bea.status_history(draft["id"])
assert [("Draft" in h["content"], "Final" in h["content"]) for h in history] == [(True, False), (False, True)], history
assert bea.status_source(draft["id"])["text"].startswith("Final agenda"), bea.status_source(draft["id"])
wait("A shows the edit", lambda: any(
    "Final agenda" in s["content"] and s["edited_at"] and s["spoiler_text"] == "agenda" for s in amy.timeline_home()))
on_a = next(s for s in amy.timeline_home() if "Final agenda" in s["content"])
assert len(amy.status_history(on_a["id"])) == 2, amy.status_history(on_a["id"])
refused("an edit of someone else's status", lambda: amy.status_update(on_a["id"], "hijacked"), ("403",))
refused("an empty edit", lambda: bea.status_update(draft["id"], " "))
refused("a language that is no code", lambda: bea.status_post("Hallo", language="deutsch"))
assert len(bea.status_history(draft["id"])) == 2, "refused edits change nothing"

# Followers of the group as A sees them; following of bea as B sees it.
members = amy.account_followers(local_group["id"])
assert {m["acct"] for m in members} == {"amy", f"bea@{host_b}"}, members
assert [a["acct"] for a in bea.account_following(bea.me()["id"])] == [f"wg@{host_a}"]

# Profile changes federate (Update(Person)).
updated = bea.account_update_credentials(display_name="Bea (biobank)", note="Data steward")
assert updated["display_name"] == "Bea (biobank)" and updated["source"]["note"] == "Data steward", updated
bea_on_a = amy.search_v2(f"@bea@{host_b}")["accounts"][0]
wait("A sees the new display name", lambda: amy.account(bea_on_a["id"])["display_name"] == "Bea (biobank)")

# Leaving the directories: the choice federates too, and A's directory follows it.
def listed_on_a():
    return f"bea@{host_b}" in [a["acct"] for a in amy.directory(local=False, limit=80)]
assert bea_on_a["discoverable"] is True and listed_on_a(), bea_on_a
hidden = bea.account_update_credentials(discoverable=False)
assert hidden["discoverable"] is False and hidden["source"]["discoverable"] is False, hidden
wait("A hears bea is not discoverable", lambda: amy.account(bea_on_a["id"])["discoverable"] is False)
assert not listed_on_a()
assert bea.account_update_credentials(discoverable=True)["discoverable"] is True
wait("A lists bea again", listed_on_a)

# Leaving the group.
assert bea.account_unfollow(group["id"])["following"] is False
print("groups flow ok")
