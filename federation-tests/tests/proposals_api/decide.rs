//! Voting and deciding through the API: refused votes and decisions change nothing; the decision
//! follows the count; the log and the group's lists show it.

use super::world::{ok, refused, state_of, World, V1};
use serde_json::{json, Value};

/// Votes on the open proposal `id` and decides it.
pub async fn vote_and_decide(w: &World, id: &str) {
    let pp = format!("{V1}/proposals/{id}");
    let (tr, log) = (format!("{pp}/transition"), format!("{pp}/log"));
    let vp = format!("{pp}/votes");
    refused(
        "vote while open",
        w.bob.post(&vp, json!({"choice": "approve"})).await,
        422,
        "not in voting (it is open)",
    );
    let v = ok("voting", w.alice.post(&tr, json!({"to": "voting"})).await);
    assert_eq!(v["members_at_open"], 4, "three members and the lead");
    assert!(
        v["voting_ends_at"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z')),
        "{v}"
    );

    // Votes; bad ones change nothing.
    refused(
        "bad choice",
        w.bob.post(&vp, json!({"choice": "maybe"})).await,
        422,
        "choice \"maybe\" is not approve, object or abstain",
    );
    refused(
        "no choice",
        w.bob.post(&vp, json!({})).await,
        422,
        "is not approve",
    );
    refused(
        "malformed vote",
        w.bob.post_raw(&vp, "{choice").await,
        400,
        "malformed JSON",
    );
    refused(
        "outsider votes",
        w.outsider.post(&vp, json!({"choice": "object"})).await,
        403,
        "",
    );
    refused(
        "anonymous votes",
        w.anon.post(&vp, json!({"choice": "object"})).await,
        401,
        "",
    );
    ok(
        "alice",
        w.alice.post(&vp, json!({"choice": "approve"})).await,
    );
    let b = ok(
        "bob objects",
        w.bob
            .post(&vp, json!({"choice": "object", "reason": "unclear"}))
            .await,
    );
    assert_eq!(
        b["own_vote"],
        json!({"choice": "object", "reason": "unclear"})
    );
    assert_eq!(b["tally"]["reasoned_objections"], 1);
    ok(
        "bob changes",
        w.bob.post_form(&vp, &[("choice", "approve")]).await,
    );
    let c = ok(
        "carol",
        w.carol.post(&vp, json!({"choice": "abstain"})).await,
    );
    let t = &c["tally"];
    assert_eq!(
        (
            t["approve"].clone(),
            t["object"].clone(),
            t["abstain"].clone(),
            t["voters"].clone()
        ),
        (json!(2), json!(0), json!(1), json!(3))
    );
    let host = w.node.domain.clone();
    assert_eq!(
        t["institutions"][&host],
        json!({"approve": 2, "object": 0, "abstain": 1})
    );
    assert_eq!(
        ok("anon view", w.anon.get(&pp).await)["own_vote"],
        Value::Null
    );
    refused(
        "withdraw",
        w.alice.post(&tr, json!({"to": "withdrawn"})).await,
        422,
        "once votes have been cast",
    );

    // The decision: a lead's, with a rationale, as the count decides.
    refused(
        "author decides",
        w.alice
            .post(&tr, json!({"to": "accepted", "reason": "yes"}))
            .await,
        422,
        "only a lead",
    );
    refused(
        "no rationale",
        w.lead.post(&tr, json!({"to": "accepted"})).await,
        422,
        "only with a written rationale",
    );
    refused(
        "against the count",
        w.lead
            .post(&tr, json!({"to": "rejected", "reason": "no"}))
            .await,
        422,
        "the count decides accepted",
    );
    assert_eq!(state_of(&w.anon, id).await, "voting");
    let a = ok(
        "accept",
        w.lead
            .post(&tr, json!({"to": "accepted", "reason": "Clear support."}))
            .await,
    );
    assert_eq!(
        (a["outcome"].clone(), a["rationale"].clone()),
        (json!("accepted"), json!("Clear support."))
    );
    assert!(a["decided_at"].is_string(), "{a}");
    refused(
        "late vote",
        w.carol.post(&vp, json!({"choice": "object"})).await,
        422,
        "not in voting (it is accepted)",
    );
    ok(
        "implemented",
        w.lead
            .post(&tr, json!({"to": "implemented", "reason": "done"}))
            .await,
    );

    let entries = ok("log", w.anon.get(&log).await);
    let moves: Vec<&str> = entries
        .as_array()
        .expect("log")
        .iter()
        .map(|e| e["to"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        moves,
        ["draft", "open", "voting", "accepted", "implemented"]
    );
    assert_eq!(
        (
            entries[3]["actor"].clone(),
            entries[3]["reason"].clone(),
            entries[3]["from"].clone()
        ),
        (json!("lead"), json!("Clear support."), json!("voting"))
    );

    // Lists.
    let g = format!("{V1}/groups/wg");
    assert_eq!(
        ok("decisions", w.anon.get(&format!("{g}/decisions")).await)
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    assert_eq!(
        ok(
            "implemented",
            w.anon
                .get(&format!("{g}/proposals?state=implemented"))
                .await
        )[0]["id"],
        json!(id)
    );
    assert_eq!(
        ok(
            "accepted",
            w.anon
                .get(&format!("{g}/proposals?state=accepted&limit=5"))
                .await
        ),
        json!([])
    );
    refused(
        "bad state filter",
        w.anon.get(&format!("{g}/proposals?state=lost")).await,
        422,
        "unknown state \"lost\"",
    );
    refused(
        "bad limit",
        w.anon.get(&format!("{g}/proposals?limit=lots")).await,
        422,
        "limit \"lots\"",
    );
    refused(
        "no group",
        w.anon.get(&format!("{V1}/groups/nosuch/proposals")).await,
        404,
        "nosuch",
    );
}
