"""Mastodon.py 2.3.3 across two nodes on a proposal: the lead drafts, opens and moves it to voting
through the Cohort API on the group's node; a member on the other node votes in its poll from her
own node, the group's node counts the vote, bad votes are refused, the lead decides and the member
is told and sees the decision, with the same count on both nodes.

Usage: proposals_flow.py BASE_A BASE_B PASSWORD   (group `wg` on A with `amy` its moderator, `bea` on B)
"""
import requests

from two_nodes import base_a, base_b, host_a, login, refused, wait

amy = login(base_a, "amy", "proposals")
bea = login(base_b, "bea", "proposals")
group = bea.search_v2(f"@wg@{host_a}", resolve=True)["accounts"][0]
bea.account_follow(group["id"])
wait("bea joins", lambda: bea.account_relationships(group["id"])[0]["following"])
amy.account_follow(amy.account_lookup("wg")["id"])


def cohort(client, base, method, path, **body):
    """A call to the Cohort API with the client's token; answers (status, JSON)."""
    r = requests.request(method, f"{base}/api/cohort/v1{path}", json=body or None,
                         headers={"Authorization": f"Bearer {client.access_token}"}, timeout=30)
    return r.status_code, r.json()


def ok(client, base, method, path, **body):
    status, json = cohort(client, base, method, path, **body)
    assert status == 200, (method, path, status, json)
    return json


def draft(title):
    p = ok(amy, base_a, "POST", "/proposals", group="wg", title=title, body="For the consortium.",
           template="research-question",
           answers={"question": "Does sleep speed recovery?", "background": "Two small trials."})
    assert p["state"] == "draft" and p["status_id"] is None and p["template"] == "research-question", p
    p = ok(amy, base_a, "POST", f"/proposals/{p['id']}/transition", to="open", reason="ready")
    assert p["state"] == "open" and p["status_id"], p
    return p


def on_b(title):
    """B's view of the proposal (its local copy), once B knows it."""
    listed = ok(bea, base_b, "GET", f"/groups/wg@{host_a}/proposals")
    return next((p for p in listed if p["title"] == title), None)


def status_on_b(title):
    return next((s for s in bea.timeline_home() if s["poll"] and title in s["content"]), None)


title = "Sleep and recovery after surgery"
proposal = draft(title)
status = amy.status(proposal["status_id"])
assert [o["title"] for o in status["poll"]["options"]] == ["approve", "object", "abstain"], status["poll"]
proposal = ok(amy, base_a, "POST", f"/proposals/{proposal['id']}/transition", to="voting", reason="discussed")
assert proposal["state"] == "voting" and proposal["voting_ends_at"], proposal

wait("B knows the proposal is in voting", lambda: (on_b(title) or {}).get("state") == "voting")
wait("bea sees the proposal", lambda: status_on_b(title) is not None)
remote = status_on_b(title)
assert remote["poll"]["voted"] is False and remote["poll"]["votes_count"] == 0, remote["poll"]
assert on_b(title)["status_id"] == remote["id"], (on_b(title), remote["id"])
found = bea.search_v2(proposal["url"], resolve=True)["statuses"]
assert [s["id"] for s in found] == [remote["id"]] and found[0]["poll"], found

voted = bea.poll_vote(remote["poll"]["id"], [0])
assert voted["voted"] is True and list(voted["own_votes"]) == [0], voted
tally = lambda: ok(amy, base_a, "GET", f"/proposals/{proposal['id']}")["tally"]
wait("A counts bea's vote", lambda: tally()["voters"] == 1)
assert (tally()["approve"], tally()["object"], tally()["abstain"]) == (1, 0, 0), tally()
wait("amy's poll shows it", lambda: amy.poll(status["poll"]["id"])["votes_count"] == 1)

# Bad votes: refused by B, nothing counted on A.
refused("a vote with two choices", lambda: bea.poll_vote(remote["poll"]["id"], [0, 1]))
refused("an option that does not exist", lambda: bea.poll_vote(remote["poll"]["id"], [7]))
early_title = "Share the sleep questionnaire"
early = draft(early_title)
wait("B knows the open proposal", lambda: (on_b(early_title) or {}).get("state") == "open")
wait("bea sees the open proposal", lambda: status_on_b(early_title) is not None)
early_b = status_on_b(early_title)
refused("a vote before voting opens", lambda: bea.poll_vote(early_b["poll"]["id"], [0]))
assert ok(amy, base_a, "GET", f"/proposals/{early['id']}")["tally"]["voters"] == 0
assert bea.poll(early_b["poll"]["id"])["voted"] is False
assert tally()["voters"] == 1 and tally()["approve"] == 1, tally()
assert list(bea.poll(remote["poll"]["id"])["own_votes"]) == [0]

# Only a lead decides, with a rationale.
status_code, _ = cohort(bea, base_b, "POST", f"/proposals/{on_b(title)['id']}/transition", to="accepted", reason="mine")
assert status_code in (403, 422), status_code
status_code, body = cohort(amy, base_a, "POST", f"/proposals/{proposal['id']}/transition", to="accepted")
assert status_code == 422 and "rationale" in body["error"], (status_code, body)
decided = ok(amy, base_a, "POST", f"/proposals/{proposal['id']}/transition", to="accepted", reason="Clear support.")
assert decided["state"] == "accepted" and decided["outcome"] == "accepted", decided
assert decided["rationale"] == "Clear support." and decided["decided_at"], decided

told = lambda: any(n["type"] == "poll" and n["status"]["id"] == remote["id"] for n in bea.notifications())
wait("bea is told of the decision", told)
wait("bea sees the decision", lambda: "Decision: accepted" in bea.status(remote["id"])["content"])
assert "Decision: accepted" in amy.status(status["id"])["content"]
assert any(n["type"] == "poll" and n["status"]["id"] == status["id"] for n in amy.notifications())
wait("B shows the decision", lambda: on_b(title)["state"] == "accepted")
seen_b = ok(bea, base_b, "GET", f"/proposals/{on_b(title)['id']}")
seen_a = ok(amy, base_a, "GET", f"/proposals/{proposal['id']}")
assert seen_b["tally"] == seen_a["tally"], (seen_a["tally"], seen_b["tally"])
assert (seen_b["outcome"], seen_b["rationale"]) == ("accepted", "Clear support."), seen_b
assert seen_b["own_vote"]["choice"] == "approve", seen_b["own_vote"]
counts = lambda client, poll_id: [o["votes_count"] for o in client.poll(poll_id)["options"]]
assert counts(amy, status["poll"]["id"]) == [1, 0, 0], amy.poll(status["poll"]["id"])
wait("B's poll shows the final count", lambda: counts(bea, remote["poll"]["id"]) == [1, 0, 0])
assert amy.poll(status["poll"]["id"])["expired"] and bea.poll(remote["poll"]["id"])["expired"], "the vote is closed"
assert len([n for n in bea.notifications() if n["type"] == "poll"]) == 1, "the decision is announced once"
refused("a vote after the decision", lambda: bea.poll_vote(remote["poll"]["id"], [1]))
assert ok(amy, base_a, "GET", f"/proposals/{proposal['id']}")["tally"] == seen_a["tally"]
print("proposals ok")
