//! Reports between two real nodes over HTTP, on SQLite and on PostgreSQL. ann (on A) reports bob
//! (on B) and forwards it: B gets a `Flag` from A's own actor and stores it as a report that B's
//! admin hears of, and bob does not. A report that is not forwarded sends nothing (checked once
//! A's delivery queue has settled), and once A blocks B, a forwarded report sends nothing either.

use cohort::{domain::policy::PeerLevel, service};
use federation_tests::{
    api::Api, cohort_calls, database_url, free_port, wait_until, Store, TestNode,
};
use serde_json::{json, Value};
use std::collections::BTreeMap;

const PW: &str = "correct horse battery";

fn peers(list: &[(String, PeerLevel)]) -> BTreeMap<String, PeerLevel> {
    list.iter().cloned().collect()
}

/// The reports stored on `n`.
async fn reports_on(n: &TestNode) -> Vec<service::reports::admin::AdminReport> {
    service::reports::admin::list(&n.node_state, false, 100)
        .await
        .expect("reports")
}

/// The `Flag`s A queued (or sent) for `peer`.
async fn flags_for(n: &TestNode, peer: &str) -> Vec<Value> {
    let p = peer.to_string();
    n.node_state
        .db
        .run(move |c| cohort::db::deliveries::payloads_for_peer(c, &p))
        .await
        .expect("deliveries")
        .iter()
        .filter_map(|s| serde_json::from_str::<Value>(s).ok())
        .filter(|v| v["type"] == "Flag")
        .collect()
}

/// Waits until A's queue has no delivery left to send (each one delivered or refused).
async fn settled(n: &TestNode) {
    wait_until(30, "A's delivery queue settles", || async {
        cohort_calls::pending_deliveries(n).await == 0
    })
    .await;
}

async fn report_notes(api: &Api) -> Vec<Value> {
    let (s, v) = api.get("/api/v1/notifications").await;
    assert_eq!(s, 200, "{v}");
    v.as_array()
        .expect("list")
        .iter()
        .filter(|n| n["type"] == "admin.report")
        .cloned()
        .collect()
}

async fn run(store: Store) {
    let dirs: Vec<tempfile::TempDir> = (0..2).map(|_| tempfile::tempdir().expect("dir")).collect();
    let mut urls = Vec::new();
    for (i, d) in dirs.iter().enumerate() {
        match database_url(store, d.path(), &format!("reports{i}")) {
            Some(u) => urls.push(u),
            None => return, // PostgreSQL unavailable outside CI: skipped loudly by the harness.
        }
    }
    let ports = [free_port().await, free_port().await];
    let d = |i: usize| format!("localhost:{}", ports[i]);
    let levels = [vec![(d(1), PeerLevel::Full)], vec![(d(0), PeerLevel::Full)]];
    let mut nodes = Vec::new();
    for (i, dir) in dirs.into_iter().enumerate() {
        let name = ["A", "B"][i];
        nodes.push(TestNode::start(name, ports[i], urls[i].clone(), dir, peers(&levels[i])).await);
    }
    let (a, b) = (&nodes[0], &nodes[1]);
    cohort_calls::create_user(a, "ann", PW).await;
    cohort_calls::create_user(b, "bob", PW).await;
    service::users::create_user(&b.node_state, "boss", true, Some(PW.into()))
        .await
        .expect("admin");
    let ann = Api::login(&a.base(), "ann", PW).await;
    let bob = Api::login(&b.base(), "bob", PW).await;
    let boss = Api::login(&b.base(), "boss", PW).await;

    // ann follows bob, so his post reaches A.
    let bob_on_a = ann
        .follow(&format!("bob@{}", b.domain))
        .await
        .expect("ann follows bob");
    wait_until(20, "ann's follow of bob is accepted", || async {
        ann.relationship(&bob_on_a).await.0
    })
    .await;
    let post = bob.status("buy pills", "public", None).await.expect("post");
    let uri = post["uri"].as_str().expect("uri").to_string();
    wait_until(20, "A stores bob's post", || async {
        cohort_calls::stores_post(a, &uri).await
    })
    .await;
    let post_on_a = cohort_calls::local_id(a, &uri).await.expect("post on A");

    // Forwarded: B stores a report from A's actor about bob and his post; B's admin hears.
    let (s, v) = ann
        .post(
            "/api/v1/reports",
            json!({"account_id": bob_on_a, "status_ids": [post_on_a], "comment": "spam",
                   "forward": true, "category": "spam"}),
        )
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["forwarded"], true);
    wait_until(30, "B stores the forwarded report", || async {
        !reports_on(b).await.is_empty()
    })
    .await;
    let on_b = reports_on(b).await;
    assert_eq!(on_b.len(), 1);
    let r = &on_b[0];
    assert_eq!(r.reporter.ap_id, format!("{}/actor", a.base()));
    assert_eq!(r.target.username, "bob");
    assert!(r.target.local);
    assert_eq!(r.status_ap_ids, vec![uri.clone()]);
    assert_eq!(r.report.comment, "spam");
    let notes = report_notes(&boss).await;
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(notes[0]["report"]["target_account"]["username"], "bob");
    assert!(report_notes(&bob).await.is_empty(), "bob never hears of it");
    let sent = flags_for(a, &b.domain).await;
    assert_eq!(sent.len(), 1);
    assert!(!sent[0].to_string().contains("/users/ann"), "{}", sent[0]);

    // Not forwarded: nothing more goes to B.
    let (s, v) = ann
        .post(
            "/api/v1/reports",
            json!({"account_id": bob_on_a, "status_ids": [post_on_a], "forward": false}),
        )
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["forwarded"], false);
    settled(a).await;
    assert_eq!(flags_for(a, &b.domain).await.len(), 1);
    assert_eq!(reports_on(b).await.len(), 1);
    assert_eq!(reports_on(a).await.len(), 2);

    // A blocks B: a forwarded report is stored on A and B gets nothing.
    cohort_calls::set_peer_level(a, &b.domain, PeerLevel::Blocked).await;
    let (s, v) = ann
        .post(
            "/api/v1/reports",
            json!({"account_id": bob_on_a, "forward": true, "comment": "again"}),
        )
        .await;
    assert_eq!(s, 200, "{v}");
    settled(a).await;
    assert_eq!(flags_for(a, &b.domain).await.len(), 1);
    assert_eq!(reports_on(b).await.len(), 1);
    assert_eq!(reports_on(a).await.len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn reports_between_nodes() {
    run(Store::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn reports_between_nodes_on_postgres() {
    run(Store::Postgres).await;
}
