//! The Cohort API for proposals over HTTP, on one real node, on SQLite and on PostgreSQL: a
//! proposal made from a template goes draft → open → voting → accepted → implemented through
//! `/api/cohort/v1/`; every bad input is a 4xx with its message and changes nothing; a draft is
//! its author's alone; a members-only group's proposal is hidden (404) from visitors and shown to
//! members; an accepted governance rule adds a version to the group's document.

use federation_tests::{api::Api, cohort_calls, database_url, free_port, Store, TestNode};
use serde_json::{json, Value};

const PW: &str = "proposals-test-password-1";
const V1: &str = "/api/cohort/v1";

/// Asserts a 4xx answer whose `error` contains `needle`.
fn refused(what: &str, (status, body): (u16, Value), code: u16, needle: &str) {
    let msg = body["error"].as_str().unwrap_or_default();
    assert_eq!(status, code, "{what}: {body}");
    assert!(msg.contains(needle), "{what}: {msg:?} lacks {needle:?}");
}

fn ok(what: &str, (status, body): (u16, Value)) -> Value {
    assert_eq!(status, 200, "{what}: {body}");
    body
}

async fn state_of(api: &Api, id: &str) -> String {
    let p = ok("read back", api.get(&format!("{V1}/proposals/{id}")).await);
    p["state"].as_str().unwrap_or_default().to_string()
}

struct World {
    node: TestNode,
    anon: Api,
    lead: Api,
    alice: Api,
    bob: Api,
    carol: Api,
    outsider: Api,
}

async fn world(store: Store) -> Option<World> {
    let dir = tempfile::tempdir().expect("dir");
    let url = database_url(store, dir.path(), "proposals_api")?;
    let node = TestNode::start("A", free_port().await, url, dir, Default::default()).await;
    for u in ["lead", "alice", "bob", "carol", "outsider"] {
        cohort_calls::create_user(&node, u, PW).await;
    }
    let members = cohort_calls::visibility("members");
    cohort_calls::create_group(
        &node,
        "wg",
        cohort_calls::visibility("public"),
        false,
        "lead",
    )
    .await;
    cohort_calls::create_group(&node, "inner", members, false, "lead").await;
    let base = node.base();
    let login = |u: &'static str| Api::login(&base, u, PW);
    let w = World {
        anon: Api::anonymous(&base),
        lead: login("lead").await,
        alice: login("alice").await,
        bob: login("bob").await,
        carol: login("carol").await,
        outsider: login("outsider").await,
        node,
    };
    for m in [&w.alice, &w.bob, &w.carol] {
        m.follow(&format!("wg@{}", w.node.domain))
            .await
            .expect("join wg");
    }
    w.alice
        .follow(&format!("inner@{}", w.node.domain))
        .await
        .expect("join inner");
    Some(w)
}

/// Bad drafts: each refused with its message; nothing is stored.
async fn bad_drafts(w: &World) {
    let p = format!("{V1}/proposals");
    let good = json!({"group": "wg", "title": "T", "template": "research-question",
        "answers": {"question": "Q?", "background": "B."}});
    let with = |k: &str, v: Value| {
        let mut b = good.clone();
        b[k] = v;
        b
    };
    refused(
        "anonymous",
        w.anon.post(&p, good.clone()).await,
        401,
        "token",
    );
    refused(
        "malformed JSON",
        w.alice.post_raw(&p, "{\"group\": ").await,
        400,
        "malformed JSON",
    );
    refused(
        "no title",
        w.alice.post(&p, with("title", json!(""))).await,
        422,
        "a title of 1 to 200",
    );
    refused(
        "no group",
        w.alice.post(&p, with("group", json!(null))).await,
        422,
        "group is required",
    );
    refused(
        "bad rule",
        w.alice.post(&p, with("rule", json!("sometimes"))).await,
        422,
        "unknown decision rule",
    );
    refused(
        "bad quorum",
        w.alice.post(&p, with("quorum", json!("many"))).await,
        422,
        "quorum \"many\"",
    );
    refused(
        "bad fraction",
        w.alice
            .post(&p, with("rule", json!("supermajority:3/2")))
            .await,
        422,
        "not a fraction",
    );
    refused(
        "no template",
        w.alice.post(&p, with("template", json!("nope"))).await,
        422,
        "has no template \"nope\"",
    );
    refused(
        "answer type",
        w.alice
            .post(&p, with("answers", json!({"question": 5})))
            .await,
        422,
        "invalid parameters",
    );
    refused(
        "missing answer",
        w.alice
            .post(&p, with("answers", json!({"question": "Q?"})))
            .await,
        422,
        "needs the field \"background\"",
    );
    refused(
        "reserved scope",
        w.alice.post(&p, with("scope", json!("data-access"))).await,
        422,
        "reserved to the organization",
    );
    refused(
        "voting days",
        w.alice.post(&p, with("voting_days", json!(0))).await,
        422,
        "voting_days must be between 1 and 90",
    );
    refused(
        "no group here",
        w.alice.post(&p, with("group", json!("nosuch"))).await,
        404,
        "nosuch",
    );
    refused(
        "non-member",
        w.outsider.post(&p, good.clone()).await,
        403,
        "",
    );
    let mine = ok(
        "list",
        w.alice.get(&format!("{V1}/groups/wg/proposals")).await,
    );
    assert_eq!(mine, json!([]), "refused drafts stored nothing");
}

async fn lifecycle(w: &World) {
    bad_drafts(w).await;
    // A draft from a template, sent as a form.
    let form = [
        ("group", "wg"),
        ("title", "Study sleep"),
        ("body", "We should ask this."),
        ("template", "research-question"),
        ("answers[question]", "Does sleep help recovery?"),
        ("answers[background]", "Prior work."),
    ];
    let d = ok(
        "draft",
        w.alice.post_form(&format!("{V1}/proposals"), &form).await,
    );
    let id = d["id"].as_str().expect("id").to_string();
    let (pp, log) = (
        format!("{V1}/proposals/{id}"),
        format!("{V1}/proposals/{id}/log"),
    );
    assert_eq!(
        (d["state"].clone(), d["status_id"].clone()),
        (json!("draft"), Value::Null)
    );
    assert_eq!(d["answers"]["question"], "Does sleep help recovery?");
    assert_eq!(
        (d["scope"].clone(), d["scope_level"].clone()),
        (json!("research"), json!("open"))
    );
    assert_eq!(
        (d["author"].clone(), d["group"].clone()),
        (json!("alice"), json!("wg"))
    );

    // A draft is its author's alone.
    refused("anonymous draft", w.anon.get(&pp).await, 404, "no proposal");
    refused("bob's draft read", w.bob.get(&pp).await, 404, "no proposal");
    refused(
        "anonymous draft log",
        w.anon.get(&log).await,
        404,
        "no proposal",
    );
    let bob_sees = ok(
        "bob lists",
        w.bob.get(&format!("{V1}/groups/wg/proposals")).await,
    );
    assert_eq!(bob_sees, json!([]), "another member does not see the draft");

    // Editing the draft.
    refused(
        "bob edits",
        w.bob.patch(&pp, json!({"title": "Mine"})).await,
        403,
        "only the author",
    );
    refused(
        "edit kind",
        w.alice.patch(&pp, json!({"kind": "leadElection"})).await,
        422,
        "kind cannot be edited",
    );
    refused(
        "edit rule",
        w.alice.patch(&pp, json!({"rule": "loudest"})).await,
        422,
        "unknown decision rule",
    );
    refused(
        "edit blank",
        w.alice.patch(&pp, json!({"title": "  "})).await,
        422,
        "a title",
    );
    let e = ok(
        "edit",
        w.alice
            .patch(
                &pp,
                json!({"title": "Study sleep and recovery", "quorum": "1/2"}),
            )
            .await,
    );
    assert_eq!(
        (e["title"].clone(), e["quorum"].clone()),
        (json!("Study sleep and recovery"), json!("1/2"))
    );

    // Moves that are refused change nothing.
    let tr = format!("{pp}/transition");
    refused(
        "unknown state",
        w.alice.post(&tr, json!({"to": "sideways"})).await,
        422,
        "unknown state \"sideways\"",
    );
    refused(
        "no state",
        w.alice.post(&tr, json!({})).await,
        422,
        "to is required",
    );
    refused(
        "malformed move",
        w.alice.post_raw(&tr, "to=open").await,
        400,
        "malformed JSON",
    );
    refused(
        "lead opens",
        w.lead.post(&tr, json!({"to": "open"})).await,
        422,
        "only the author may move a proposal to open",
    );
    refused(
        "skip",
        w.alice.post(&tr, json!({"to": "voting"})).await,
        422,
        "cannot go from draft to voting",
    );
    refused(
        "unknown id",
        w.alice
            .post(
                &format!("{V1}/proposals/01ARZ3NDEKTSV4RRFFQ69G5FAV/transition"),
                json!({"to": "open"}),
            )
            .await,
        404,
        "no proposal",
    );
    assert_eq!(state_of(&w.alice, &id).await, "draft");

    let o = ok(
        "open",
        w.alice
            .post(&tr, json!({"to": "open", "reason": "ready"}))
            .await,
    );
    let status_id = o["status_id"].as_str().expect("status").to_string();
    assert!(
        o["uri"].as_str().is_some_and(|u| u.starts_with("http")),
        "{o}"
    );
    assert_eq!(
        ok("public once open", w.anon.get(&pp).await)["state"],
        "open"
    );
    ok(
        "its status",
        w.anon.get(&format!("/api/v1/statuses/{status_id}")).await,
    );

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
    assert_eq!(state_of(&w.anon, &id).await, "voting");
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

/// A members-only group's proposal: hidden from visitors and non-members, shown to members.
async fn members_only(w: &World) {
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
async fn published(w: &World) {
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

async fn run(store: Store) {
    let Some(w) = world(store).await else {
        return; // PostgreSQL unavailable outside CI: skipped loudly by the harness.
    };
    lifecycle(&w).await;
    members_only(&w).await;
    published(&w).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn proposals_api_on_sqlite() {
    run(Store::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn proposals_api_on_postgres() {
    run(Store::Postgres).await;
}
