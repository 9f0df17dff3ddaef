//! What a peer answers to a delivery is kept: a refusal (4xx) ends the delivery with the peer's
//! status and the start of its answer, counted in `/metrics` and listed for the operator; a busy
//! peer (429) or a failing one (5xx) is tried again. The deliveries are real: a remote actor
//! follows a local group, and the node's queue signs and POSTs the `Accept` to a fake peer.

use cohort::{db, domain::policy::PeerLevel, service};
use federation_tests::{
    database_url,
    fake_peer::{self, Answer},
    free_port, group, signing,
    signing::{Post, Signer},
    wait_until, Store, TestNode,
};
use serde_json::json;
use std::collections::HashMap;

const REFUSAL: &str = "data did not match any variant of untagged enum AnnouncableActivities";

/// The peer's three followers, each with its own inbox and answer.
fn docs(base: &str, pem: &str) -> HashMap<String, Answer> {
    let mut docs = HashMap::new();
    for (name, status, body) in [
        ("refuser", 400, REFUSAL.to_string()),
        (
            "verbose",
            403,
            format!("<html>{}</html>", "no entry ".repeat(500)),
        ),
        ("busy", 429, "slow down".to_string()),
        ("broken", 500, "<html>oops</html>".to_string()),
    ] {
        let mut person = fake_peer::person(base, name, pem);
        person["endpoints"]["sharedInbox"] = json!(format!("{base}/{name}-inbox"));
        docs.insert(format!("/users/{name}"), Answer::json(&person));
        docs.insert(
            format!("/{name}-inbox"),
            Answer {
                status,
                content_type: "text/plain",
                body,
            },
        );
    }
    docs
}

/// The fake peer's `name` follows A's group with a signed Follow; A answers with an `Accept`.
async fn follow(a: &TestNode, base: &str, group: &str, name: &str, private_pem: &str) {
    let actor = format!("{base}/users/{name}");
    let body = serde_json::to_vec(&json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{actor}/follows/1"), "type": "Follow",
        "actor": actor, "object": group,
    }))
    .expect("json");
    let signer = Signer {
        key_id: format!("{actor}#main-key"),
        private_pem: private_pem.into(),
    };
    let inbox = format!("{}/inbox", a.base());
    let post = Post {
        url: &inbox,
        body: &body,
        content_type: "application/activity+json",
        covered: signing::FULL,
    };
    let (status, answer) = signing::post(&signer, &post).await;
    assert!(status < 300, "follow from {name}: {status} {answer}");
}

/// A's deliveries to the inbox of `name`.
async fn deliveries_to(a: &TestNode, base: &str, name: &str) -> Vec<db::deliveries::DeliveryRow> {
    let inbox = format!("{base}/{name}-inbox");
    a.node_state
        .db
        .run(move |c| {
            use diesel::prelude::*;
            Ok(db::schema::deliveries::table
                .filter(db::schema::deliveries::inbox.eq(inbox))
                .select(db::deliveries::DeliveryRow::as_select())
                .load(c)?)
        })
        .await
        .expect("deliveries")
}

async fn metric(a: &TestNode, name: &str) -> u64 {
    let text = reqwest::get(format!("{}/metrics", a.base()))
        .await
        .expect("metrics")
        .text()
        .await
        .expect("body");
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("{name} ")))
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("{name} missing from /metrics"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_peer_refusal_is_kept_and_shown_and_busy_or_failing_peers_are_retried() {
    run(Store::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_peer_refusal_is_kept_and_shown_and_busy_or_failing_peers_are_retried_on_postgres() {
    run(Store::Postgres).await;
}

async fn run(store: Store) {
    let (pa, pf) = (free_port().await, free_port().await);
    let peer_domain = format!("localhost:{pf}");
    let dir = tempfile::tempdir().expect("dir");
    let Some(url) = database_url(store, dir.path(), "refusals") else {
        return;
    };
    let peers = [(peer_domain.clone(), PeerLevel::Full)].into();
    let a = TestNode::start("A", pa, url, dir, peers).await;
    let g = group(&a, "wg", Default::default(), false, None).await;
    let key = activitypub_federation::http_signatures::generate_actor_keypair().expect("key");
    let base = format!("http://localhost:{pf}");
    let _peer = fake_peer::start(pf, docs(&base, &key.public_key)).await;

    // Refused: the delivery ends at once, with the peer's status and answer.
    follow(&a, &base, &g.ap_id, "refuser", &key.private_key).await;
    wait_until(30, "the Accept to reach a final state", || async {
        deliveries_to(&a, &base, "refuser")
            .await
            .iter()
            .any(|d| d.status != db::deliveries::PENDING)
    })
    .await;
    let rows = deliveries_to(&a, &base, "refuser").await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    let refused = &rows[0];
    assert_eq!(refused.status, db::deliveries::REFUSED);
    assert_eq!(refused.last_status, Some(400));
    assert_eq!(refused.last_error.as_deref(), Some(REFUSAL));
    assert_eq!(refused.attempts, 1, "a refusal is not tried again");
    assert_eq!(metric(&a, "cohort_deliveries_refused_total").await, 1);

    // The operator sees it: the latest problems and the peer's health.
    let problems = service::peers::recent_problems(&a.node_state, None, 10)
        .await
        .expect("problems");
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].id, refused.id);
    let health = service::peers::list(&a.node_state).await.expect("peers");
    let mine = health
        .iter()
        .find(|h| h.peer.domain == peer_domain)
        .expect("the peer is listed");
    assert_eq!(mine.refused, 1);
    assert_eq!(
        mine.peer.consecutive_failures, 0,
        "a refusing peer is alive"
    );
    assert_eq!(
        mine.last_problem.as_ref().map(|p| p.id.clone()),
        Some(refused.id.clone())
    );

    // A long answer keeps only its start (300 characters and an ellipsis), whitespace folded.
    follow(&a, &base, &g.ap_id, "verbose", &key.private_key).await;
    wait_until(30, "the second refusal", || async {
        deliveries_to(&a, &base, "verbose")
            .await
            .iter()
            .any(|d| d.status != db::deliveries::PENDING)
    })
    .await;
    let rows = deliveries_to(&a, &base, "verbose").await;
    assert_eq!(rows[0].status, db::deliveries::REFUSED);
    assert_eq!(rows[0].last_status, Some(403));
    let kept = rows[0].last_error.clone().unwrap_or_default();
    assert!(kept.starts_with("<html>no entry no entry"), "{kept}");
    assert!(kept.ends_with('…') && kept.chars().count() <= 301, "{kept}");
    assert_eq!(metric(&a, "cohort_deliveries_refused_total").await, 2);

    // Busy (429) and failing (500) peers: the delivery stays pending and is tried again, with
    // the answer kept as its error; neither counts as a refusal.
    for (name, expected) in [("busy", "HTTP 429: slow down"), ("broken", "500")] {
        follow(&a, &base, &g.ap_id, name, &key.private_key).await;
        wait_until(30, "a second attempt", || async {
            deliveries_to(&a, &base, name)
                .await
                .iter()
                .any(|d| d.attempts >= 2)
        })
        .await;
        let rows = deliveries_to(&a, &base, name).await;
        assert_eq!(rows.len(), 1, "{rows:?}");
        assert_eq!(rows[0].status, db::deliveries::PENDING, "{name}");
        assert_eq!(rows[0].last_status, None);
        let error = rows[0].last_error.clone().unwrap_or_default();
        assert!(error.contains(expected), "{name}: {error}");
    }
    assert_eq!(metric(&a, "cohort_deliveries_refused_total").await, 2);
    assert!(metric(&a, "cohort_deliveries_failed_total").await >= 4);
}
