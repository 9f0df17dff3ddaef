//! Reports on one node, over the client API and with the federation port (its deliveries stay
//! queued, so the `Flag`s peers would get are read from the queue), on SQLite and on PostgreSQL.
//! A member reports what they may see, and only that; every refused report stores nothing and
//! tells nobody. The admins and the moderators of the group concerned hear of a report, the
//! reported account and everyone else do not; a peer's node gets a `Flag` from this node's own
//! actor, naming only the statuses it may see, and a blocked peer gets none. A peer's `Flag`
//! becomes a report here once, and only when it is about this node.

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod support;

use cohort::{
    db::{self, actors::ActorRow},
    domain::{actor::ActorKind, policy::PeerLevel, policy::Visibility},
    error::AppError,
    service::{groups, members, posting, reports, users},
    Node,
};
use serde_json::{json, Value};
use support::{http::Client, personal::Member, *};

const PW: &str = "a-long-password";

/// The `Flag`s queued for `peer`.
async fn flags(n: &Node, peer: &str) -> Vec<Value> {
    let p = peer.to_string();
    n.state
        .db
        .run(move |c| db::deliveries::payloads_for_peer(c, &p))
        .await
        .unwrap()
        .iter()
        .map(|s| serde_json::from_str::<Value>(s).unwrap())
        .filter(|v| v["type"] == "Flag")
        .collect()
}

/// The reports stored, newest first.
async fn stored(n: &Node) -> Vec<reports::admin::AdminReport> {
    reports::admin::list(&n.state, false, 100).await.unwrap()
}

/// The `admin.report` notifications of `who`, over the API.
async fn report_notes(who: &Client) -> Vec<Value> {
    let all = who.get("/api/v1/notifications?types[]=admin.report").await;
    all.as_array()
        .unwrap()
        .iter()
        .filter(|n| n["type"] == "admin.report")
        .cloned()
        .collect()
}

async fn refused_count(n: &Node, peer: &str) -> usize {
    let p = peer.to_string();
    n.state
        .db
        .run(move |c| db::audit::recent(c, Some(&p), 100))
        .await
        .unwrap()
        .iter()
        .filter(|r| r.action == "refuse-deliver" && r.object.starts_with("report "))
        .count()
}

async fn scenario(n: Node) {
    let base = http::serve(&n).await;
    let ctx = n.ctx();
    users::create_user(&n.state, "boss", true, Some(PW.into()))
        .await
        .unwrap();
    let boss = Client::login(&base, "boss", PW).await;
    let ann = Member::new(&n, &base, "ann").await;
    let bob = Member::new(&n, &base, "bob").await;
    let _modr = Member::new(&n, &base, "modr").await;
    let eve = Member::new(&n, &base, "eve").await;
    let (modr, bob_c, eve_c) = (
        Client::login(&base, "modr", PW).await,
        Client::login(&base, "bob", PW).await,
        Client::login(&base, "eve", PW).await,
    );
    let spec = groups::NewGroup {
        name: "lab".into(),
        display_name: None,
        summary: None,
        approval_required: false,
        visibility: Visibility::Public,
        moderator: Some("modr".into()),
    };
    groups::create_group(&n.state, spec).await.unwrap();
    members::follow(&ctx, "bob", "@lab@here.example")
        .await
        .unwrap();
    let in_lab = posting::post(
        &ctx,
        "bob",
        "@lab@here.example",
        post("spam in lab", "public"),
    )
    .await
    .unwrap();
    let bob_secret = bob
        .post("only my followers", json!({"visibility": "private"}))
        .await;
    let eve_post = eve.post("eve's words", json!({})).await;

    // Bad input: each answer is a Mastodon error, and nothing is stored or told.
    let anonymous = reqwest::Client::new()
        .post(format!("{base}/api/v1/reports"))
        .json(&json!({"account_id": bob.id}))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status().as_u16(), 401);
    let bad: Vec<(Value, u16, &str)> = vec![
        (json!({}), 422, "account_id"),
        (
            json!({"account_id": "01HZZZZZZZZZZZZZZZZZZZZZZZ"}),
            404,
            "not found",
        ),
        (json!({"account_id": ann.id}), 422, "yourself"),
        (
            json!({"account_id": bob.id, "comment": "x".repeat(1001)}),
            422,
            "too long",
        ),
        (
            json!({"account_id": bob.id, "category": "rude"}),
            422,
            "Category",
        ),
        (
            json!({"account_id": bob.id, "rule_ids": ["1"]}),
            422,
            "Rule",
        ),
        (json!({"account_id": bob.id, "rule_ids": [7]}), 422, "Rule"),
        (
            json!({"account_id": bob.id, "status_ids": [eve_post]}),
            422,
            "not a status of the reported account",
        ),
        // A status the reporter may not see is as unknown as one that does not exist.
        (
            json!({"account_id": bob.id, "status_ids": [bob_secret]}),
            404,
            "not found",
        ),
        (
            json!({"account_id": bob.id, "status_ids": ["01HZZZZZZZZZZZZZZZZZZZZZZZ"]}),
            404,
            "not found",
        ),
        (
            json!({"account_id": bob.id, "status_ids": vec![in_lab.id.clone(); 101]}),
            422,
            "at most",
        ),
    ];
    for (body, want, why) in bad {
        let (s, v, _) = ann
            .call("POST", "/api/v1/reports", Some(body.clone()))
            .await;
        assert_eq!(s, want, "{body}: {v}");
        let e = v["error"].as_str().unwrap_or("");
        assert!(
            e.to_lowercase().contains(&why.to_lowercase()),
            "{body}: {v}"
        );
    }
    assert!(stored(&n).await.is_empty());
    assert!(report_notes(&boss).await.is_empty());

    // ann reports bob's post in the lab: the admin and the lab's moderator hear of it.
    let (s, report, _) = ann
        .call(
            "POST",
            "/api/v1/reports",
            Some(
                json!({"account_id": bob.id, "status_ids": [in_lab.id], "comment": "Selling pills",
                        "category": "spam", "forward": true}),
            ),
        )
        .await;
    assert_eq!(s, 200, "{report}");
    assert_eq!(report["category"], "spam");
    assert_eq!(report["comment"], "Selling pills");
    assert_eq!(report["action_taken"], false);
    assert_eq!(
        report["forwarded"], false,
        "bob is local: nothing to forward"
    );
    assert_eq!(report["status_ids"], json!([in_lab.id]));
    assert_eq!(report["target_account"]["id"], json!(bob.id));
    let report_id = report["id"].as_str().unwrap().to_string();
    for staff in [&boss, &modr] {
        let notes = report_notes(staff).await;
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert_eq!(notes[0]["report"]["id"], json!(report_id));
        assert_eq!(notes[0]["report"]["target_account"]["id"], json!(bob.id));
        assert_eq!(notes[0]["account"]["id"], json!(ann.id));
    }
    // The reported account, the reporter and other members hear nothing.
    for other in [&bob_c, &eve_c] {
        assert!(report_notes(other).await.is_empty());
    }
    let (_, ann_notes, _) = ann.call("GET", "/api/v1/notifications", None).await;
    assert_eq!(ann_notes, json!([]));
    assert_eq!(stored(&n).await.len(), 1);

    // A peer's member (full peer), reported with forward: the Flag goes to its node, from this
    // node's actor, and does not name ann.
    let rob = remote(&n, "rob", "full.example", ActorKind::Person).await;
    let rob_post = personal::remote_post(&n, &rob, None, "buy now").await;
    let v = ann
        .ok(
            "POST",
            "/api/v1/reports",
            Some(
                json!({"account_id": rob.id, "status_ids": [rob_post.id], "comment": "spam",
                        "forward": true}),
            ),
        )
        .await;
    assert_eq!(v["forwarded"], true);
    let sent = flags(&n, "full.example").await;
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0]["actor"], "https://here.example/actor");
    assert_eq!(sent[0]["object"], json!([rob.ap_id, rob_post.ap_id]));
    assert_eq!(sent[0]["content"], "spam");
    assert!(!sent[0].to_string().contains("/users/ann"), "{}", sent[0]);
    // Not forwarded: nothing is queued for anyone.
    let v = ann
        .ok(
            "POST",
            "/api/v1/reports",
            Some(json!({"account_id": rob.id, "status_ids": [rob_post.id], "forward": false})),
        )
        .await;
    assert_eq!(v["forwarded"], false);
    assert_eq!(flags(&n, "full.example").await.len(), 1);

    // A blocked peer's member, forwarded: its node gets nothing, and the refusal is logged.
    let bad = remote(&n, "bad", "blocked.example", ActorKind::Person).await;
    ann.ok(
        "POST",
        "/api/v1/reports",
        Some(json!({"account_id": bad.id, "forward": true})),
    )
    .await;
    assert!(flags(&n, "blocked.example").await.is_empty());
    assert_eq!(refused_count(&n, "blocked.example").await, 1);

    // bob's posts in a group hosted by a limited peer: its node hears of the public post only,
    // and of a report naming only the followers-only post not at all.
    let rg = remote(&n, "rg", "limited.example", ActorKind::Group).await;
    let (ann_row, bob_row) = (
        personal::db_actor(&n, &ann.id).await,
        personal::db_actor(&n, &bob.id).await,
    );
    accepted_follow(&n, &ann_row, &rg).await;
    let open = posting::publish_post(
        &ctx,
        &bob_row,
        Some(rg.clone()),
        post("open", "public"),
        vec![],
        None,
    )
    .await
    .unwrap();
    let closed = posting::publish_post(
        &ctx,
        &bob_row,
        Some(rg.clone()),
        post("closed", "private"),
        vec![],
        None,
    )
    .await
    .unwrap();
    ann.ok(
        "POST",
        "/api/v1/reports",
        Some(json!({"account_id": bob.id, "status_ids": [open.id, closed.id], "comment": "both"})),
    )
    .await;
    let sent = flags(&n, "limited.example").await;
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0]["object"], json!([bob_row.ap_id, open.ap_id]));
    ann.ok(
        "POST",
        "/api/v1/reports",
        Some(json!({"account_id": bob.id, "status_ids": [closed.id], "comment": "hidden"})),
    )
    .await;
    assert_eq!(flags(&n, "limited.example").await.len(), 1);
    assert_eq!(refused_count(&n, "limited.example").await, 1);

    // A peer's Flag: about a local account, stored once, told to the admin; about nothing here,
    // refused; statuses the peer may not see are dropped.
    let org = remote(&n, "actor", "full.example", ActorKind::Organization).await;
    let before = report_notes(&boss).await.len();
    let objects = vec![bob_row.ap_id.clone(), in_lab.ap_id.clone()];
    for _ in 0..2 {
        reports::receive_flag(
            &n.state,
            &org,
            "full.example",
            "https://full.example/flags/1",
            objects.clone(),
            "<p>from afar</p>",
        )
        .await
        .unwrap();
    }
    let all = stored(&n).await;
    let theirs: Vec<_> = all.iter().filter(|r| r.reporter.id == org.id).collect();
    assert_eq!(theirs.len(), 1, "a Flag is stored once");
    assert_eq!(theirs[0].report.comment, "from afar");
    assert_eq!(theirs[0].target.id, bob.id);
    assert_eq!(theirs[0].status_ap_ids, vec![in_lab.ap_id.clone()]);
    assert_eq!(report_notes(&boss).await.len(), before + 1);
    assert!(report_notes(&bob_c).await.is_empty());
    // The followers-only post of bob is not the peer's to report.
    reports::receive_flag(
        &n.state,
        &org,
        "full.example",
        "https://full.example/flags/2",
        vec![bob_row.ap_id.clone(), secret_ap_id(&n, &bob_secret).await],
        "hidden",
    )
    .await
    .unwrap();
    let newest = stored(&n).await.remove(0);
    assert_eq!(
        newest.report.ap_id.as_deref(),
        Some("https://full.example/flags/2")
    );
    assert!(
        newest.status_ap_ids.is_empty(),
        "{:?}",
        newest.status_ap_ids
    );
    let count = stored(&n).await.len();
    for (objects, want) in [
        (
            vec![rob.ap_id.clone(), rob_post.ap_id.clone()],
            "of this node",
        ),
        (vec!["https://nowhere.example/users/x".to_string()], "known"),
    ] {
        let err = reports::receive_flag(
            &n.state,
            &org,
            "full.example",
            "https://full.example/flags/3",
            objects,
            "x",
        )
        .await
        .unwrap_err();
        assert!(
            matches!(&err, AppError::Unprocessable(m) | AppError::NotFound(m) if m.contains(want)),
            "{err:?}"
        );
    }
    assert_eq!(stored(&n).await.len(), count);

    // Admins resolve reports; the listing of open ones leaves them out.
    let r = reports::admin::resolve(&n.state, &report_id, Some("boss"))
        .await
        .unwrap();
    assert!(r.action_taken && r.resolved_at.is_some());
    assert_eq!(
        r.resolved_by.as_deref(),
        Some(users_id(&n, "boss").await.as_str())
    );
    let again = reports::admin::resolve(&n.state, &report_id, None).await;
    assert!(
        matches!(again, Err(AppError::Unprocessable(_))),
        "{again:?}"
    );
    let not_admin = reports::admin::resolve(&n.state, &theirs_id(&all, &org), Some("eve")).await;
    assert!(
        matches!(not_admin, Err(AppError::NotFound(_))),
        "{not_admin:?}"
    );
    let open_ones = reports::admin::list(&n.state, true, 100).await.unwrap();
    assert_eq!(open_ones.len(), count - 1);
    assert!(open_ones.iter().all(|r| r.report.id != report_id));
    let notes = report_notes(&boss).await;
    let first = notes
        .iter()
        .find(|x| x["report"]["id"] == json!(report_id))
        .unwrap();
    assert_eq!(first["report"]["action_taken"], true);
}

async fn secret_ap_id(n: &Node, id: &str) -> String {
    let id = id.to_string();
    n.state
        .db
        .run(move |c| db::posts::by_id(c, &id))
        .await
        .unwrap()
        .unwrap()
        .ap_id
}

async fn users_id(n: &Node, name: &str) -> String {
    let name = name.to_string();
    let row: Option<(ActorRow, _)> = n
        .state
        .db
        .run(move |c| db::users::by_username(c, &name))
        .await
        .unwrap();
    row.unwrap().0.id
}

fn theirs_id(all: &[reports::admin::AdminReport], org: &ActorRow) -> String {
    all.iter()
        .find(|r| r.reporter.id == org.id)
        .unwrap()
        .report
        .id
        .clone()
}

async fn on(url: String, dir: &tempfile::TempDir) -> Node {
    node(
        url,
        dir,
        &[
            ("full.example", PeerLevel::Full),
            ("limited.example", PeerLevel::Limited),
            ("blocked.example", PeerLevel::Blocked),
        ],
        None,
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reports_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    scenario(on(personal::sqlite(&dir), &dir).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reports_on_postgres() {
    let Some(url) = db::test_postgres_database("reports") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    scenario(on(url, &dir).await).await;
}
