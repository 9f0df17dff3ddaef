//! Drafting through the API: every bad draft refused with nothing stored; a draft from a template
//! (sent as a form) seen by its author only; editing it; refused moves; opening it.

use super::world::{ok, refused, state_of, World, V1};
use serde_json::{json, Value};

/// Bad drafts: each refused with its message; nothing is stored.
pub async fn bad_drafts(w: &World) {
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

/// A draft, edited, then opened; returns its id.
pub async fn draft_and_open(w: &World) -> String {
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

    id
}
