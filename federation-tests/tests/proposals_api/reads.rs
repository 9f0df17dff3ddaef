//! Reading through the API: a members-only group's proposal, templates and governance documents.

use super::world::{ok, refused, World, V1};
use serde_json::{json, Value};

/// A members-only group's proposal: hidden from visitors and non-members, shown to members.
pub async fn members_only(w: &World) {
    let body = json!({"group": "inner", "title": "Share the cohort list", "kind": "documentChange",
        "scope": "documents", "body": "Within the group."});
    let d = ok(
        "draft",
        w.alice.post(&format!("{V1}/proposals"), body).await,
    );
    let pp = format!("{V1}/proposals/{}", d["id"].as_str().expect("id"));
    ok(
        "open",
        w.alice
            .post(&format!("{pp}/transition"), json!({"to": "open"}))
            .await,
    );
    refused("anonymous", w.anon.get(&pp).await, 404, "no proposal");
    refused("non-member", w.bob.get(&pp).await, 404, "no proposal");
    refused(
        "anonymous log",
        w.anon.get(&format!("{pp}/log")).await,
        404,
        "no proposal",
    );
    assert_eq!(ok("member", w.alice.get(&pp).await)["group"], "inner");
    assert_eq!(ok("lead", w.lead.get(&pp).await)["state"], "open");
    let anon = ok(
        "anon list",
        w.anon.get(&format!("{V1}/groups/inner/proposals")).await,
    );
    assert_eq!(anon, json!([]));
    let mine = ok(
        "member list",
        w.alice.get(&format!("{V1}/groups/inner/proposals")).await,
    );
    assert_eq!(mine.as_array().map(Vec::len), Some(1));
}

/// Templates and governance documents; an accepted governance rule adds a version.
pub async fn published(w: &World) {
    let g = format!("{V1}/groups/wg");
    let t = ok("templates", w.anon.get(&format!("{g}/templates")).await);
    let rq = t
        .as_array()
        .expect("list")
        .iter()
        .find(|t| t["slug"] == "research-question")
        .expect("research-question");
    assert_eq!(
        (rq["decision_rule"].clone(), rq["fields"][0]["name"].clone()),
        (json!("majority"), json!("question"))
    );
    refused(
        "no group",
        w.anon.get(&format!("{V1}/groups/nosuch/templates")).await,
        404,
        "nosuch",
    );
    let node = ok("node", w.anon.get(&format!("{V1}/governance")).await);
    assert_eq!(node["current"]["scopes"]["data-access"], "reserved");
    let before = ok(
        "group governance",
        w.anon.get(&format!("{g}/governance")).await,
    );
    assert_eq!(
        (
            before["current"]["version"].clone(),
            before["history"].as_array().map(Vec::len)
        ),
        (json!(1), Some(1))
    );

    let mut doc: Value = json!({"scopes": before["current"]["scopes"].clone(),
        "text": "Members decide; budget is advisory.", "code_of_conduct": "Be kind."});
    doc["scopes"]["weather"] = json!("open");
    refused(
        "bad document",
        w.alice
            .post(
                &format!("{V1}/proposals"),
                json!({"group": "wg", "title": "New rules",
        "template": "governance-rule", "answers": {"document": "not json"}}),
            )
            .await,
        422,
        "not valid",
    );
    let d = ok(
        "rule",
        w.alice
            .post(
                &format!("{V1}/proposals"),
                json!({"group": "wg", "title": "New rules",
        "template": "governance-rule", "answers": {"document": doc.to_string()}}),
            )
            .await,
    );
    let pp = format!("{V1}/proposals/{}", d["id"].as_str().expect("id"));
    for (who, to) in [(&w.alice, "open"), (&w.alice, "voting")] {
        ok(
            to,
            who.post(&format!("{pp}/transition"), json!({"to": to}))
                .await,
        );
    }
    ok(
        "vote",
        w.bob
            .post(&format!("{pp}/votes"), json!({"choice": "approve"}))
            .await,
    );
    ok(
        "accept",
        w.lead
            .post(
                &format!("{pp}/transition"),
                json!({"to": "accepted", "reason": "Adopted."}),
            )
            .await,
    );
    let after = ok(
        "group governance",
        w.anon.get(&format!("{g}/governance")).await,
    );
    assert_eq!(after["current"]["version"], 2);
    assert_eq!(after["current"]["scopes"]["weather"], "open");
    assert_eq!(after["current"]["proposal_id"], d["id"]);
    assert_eq!(after["history"].as_array().map(Vec::len), Some(2));
    assert_eq!(after["history"][1]["version"], 1);
}
