"""Mastodon.py 2.3.3 across two nodes: a poll posted into a group (a proposal with approve / object /
abstain), seen on the other node, voted on from there (the vote federates to the poll's origin, which
counts it), and the bad-input answers.

Usage: polls_flow.py BASE_A BASE_B PASSWORD   (group `wg` and member `amy` on A, `bea` on B)
"""
from two_nodes import base_a, base_b, host_a, login, refused, wait

amy = login(base_a, "amy", "polls")
bea = login(base_b, "bea", "polls")
group = bea.search_v2(f"@wg@{host_a}", resolve=True)["accounts"][0]
bea.account_follow(group["id"])
wait("bea joins", lambda: bea.account_relationships(group["id"])[0]["following"])
amy.account_follow(amy.account_lookup("wg")["id"])

poll = amy.make_poll(["approve", "object", "abstain"], expires_in=3600)
proposal = amy.status_post(f"Proposal: adopt the shared consent template @wg@{host_a}", poll=poll)
assert [o["title"] for o in proposal["poll"]["options"]] == ["approve", "object", "abstain"], proposal["poll"]

wait("bea sees the proposal", lambda: any(s["poll"] for s in bea.timeline_home()))
remote = next(s for s in bea.timeline_home() if s["poll"])
assert remote["poll"]["votes_count"] == 0 and remote["poll"]["voted"] is False, remote["poll"]

voted = bea.poll_vote(remote["poll"]["id"], [0])
assert voted["voted"] is True and list(voted["own_votes"]) == [0], voted
refused("a second vote", lambda: bea.poll_vote(remote["poll"]["id"], [1]))
wait("A counts bea's vote", lambda: amy.poll(proposal["poll"]["id"])["votes_count"] == 1)

amy.poll_vote(proposal["poll"]["id"], [2])
counts = [o["votes_count"] for o in amy.poll(proposal["poll"]["id"])["options"]]
assert counts == [1, 0, 1], counts
refused("an option that does not exist", lambda: amy.poll_vote(proposal["poll"]["id"], [7]))
refused("a poll with one option", lambda: amy.status_post("bad", poll=amy.make_poll(["only"], expires_in=3600)))
gif = amy.media_post(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", mime_type="image/gif")
refused("a poll with an attachment", lambda: amy.status_post(
    "bad", poll=amy.make_poll(["a", "b"], expires_in=3600), media_ids=[gif["id"]]))
assert amy.status_post("The attachment is still free", media_ids=[gif["id"]])["media_attachments"], "refusal changed nothing"
refused("a poll that ends too soon", lambda: amy.status_post("bad", poll=amy.make_poll(["a", "b"], expires_in=1)))

# Results travel: amy's vote, counted on A, reaches B as Update(Question).
remote_counts = lambda: [o["votes_count"] for o in bea.poll(remote["poll"]["id"])["options"]]
wait("B shows amy's vote too", lambda: remote_counts() == [1, 0, 1])
assert bea.poll(remote["poll"]["id"])["voters_count"] == 2, bea.poll(remote["poll"]["id"])
assert bea.status(remote["id"])["edited_at"] is None, "new counts are not an edit"

# A poll that ends: its author and its voters on both nodes are notified; final results reach B.
quick = amy.status_post(f"Quick check: meet on Thursday? @wg@{host_a}", poll=amy.make_poll(["yes", "no"], expires_in=6))
wait("bea sees the quick poll", lambda: any(s["poll"] and "Thursday" in s["content"] for s in bea.timeline_home()))
quick_b = next(s for s in bea.timeline_home() if s["poll"] and "Thursday" in s["content"])
bea.poll_vote(quick_b["poll"]["id"], [1])
wait("A counts bea's vote on the quick poll", lambda: amy.poll(quick["poll"]["id"])["votes_count"] == 1)
ended = lambda client, kind: any(
    n["type"] == kind and "Thursday" in n["status"]["content"] for n in client.notifications())
wait("amy is told her poll ended", lambda: ended(amy, "poll"))
wait("bea is told the poll she voted in ended", lambda: ended(bea, "poll"))
assert not ended(bea, "mention")
final = amy.poll(quick["poll"]["id"])
assert final["expired"] is True and [o["votes_count"] for o in final["options"]] == [0, 1], final
final_b = bea.poll(quick_b["poll"]["id"])
assert final_b["expired"] is True and [o["votes_count"] for o in final_b["options"]] == [0, 1], final_b
refused("a vote after the end", lambda: bea.poll_vote(quick_b["poll"]["id"], [0]))
assert len([n for n in amy.notifications() if n["type"] == "poll"]) == 1, "the end is announced once"
print("polls ok")
