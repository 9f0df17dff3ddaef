//! The inbox under load: bounded places with 503 + Retry-After, the signing-key cache and its
//! invalidation when an actor's key changes, duplicates processed once, and a bad Digest refused.
//! Each test runs on SQLite and, when available, PostgreSQL.

use cohort::{config::Config, db, domain::policy::PeerLevel};
use federation_tests::{
    database_url, free_port, group,
    load::{self, Peer},
    signing::{self, Post, Signer},
    Store, TestNode,
};
use serde_json::{json, Value};
use std::sync::atomic::Ordering;

struct Setup {
    node: TestNode,
    group: db::actors::ActorRow,
    peer: Peer,
    /// A second peer, whose member may join the group to receive what it relays (a group does not
    /// relay an activity back to the node it came from).
    other: Peer,
}

async fn setup(store: Store, tweak: impl FnOnce(&mut Config)) -> Option<Setup> {
    let dir = tempfile::tempdir().expect("dir");
    let url = database_url(store, dir.path(), "inboundload")?;
    let mut peers = load::peers(2, 1).await;
    let (other, peer) = (peers.remove(1), peers.remove(0));
    let levels = [&peer, &other]
        .iter()
        .map(|p| (format!("localhost:{}", p.server.port), PeerLevel::Full))
        .collect();
    let node = TestNode::start_with("A", free_port().await, url, dir, levels, tweak).await;
    let group = group(&node, "wg", Default::default(), false, None).await;
    Some(Setup {
        node,
        group,
        peer,
        other,
    })
}

/// Signs `body` with `signer` and posts it to the shared inbox: status, Retry-After, JSON body.
async fn send(s: &Setup, signer: &Signer, body: &Value) -> (u16, Option<String>, Value) {
    let inbox = format!("{}/inbox", s.node.base());
    let bytes = body.to_string().into_bytes();
    let headers = signing::sign(
        signer,
        &Post {
            url: &inbox,
            body: &bytes,
            content_type: "application/activity+json",
            covered: signing::FULL,
        },
    );
    send_signed(&inbox, bytes, headers).await
}

async fn send_signed(
    inbox: &str,
    body: Vec<u8>,
    headers: Vec<(String, String)>,
) -> (u16, Option<String>, Value) {
    let mut req = reqwest::Client::new().post(inbox).body(body);
    for (k, v) in headers {
        req = req.header(k, v);
    }
    let res = req.send().await.expect("send");
    let status = res.status().as_u16();
    let retry = res
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(String::from);
    (status, retry, res.json().await.unwrap_or(Value::Null))
}

fn follow(s: &Setup, n: u32) -> Value {
    follow_by(&s.peer, s, n)
}

/// A `Follow` of the group by the first member of `peer`.
fn follow_by(peer: &Peer, s: &Setup, n: u32) -> Value {
    let actor = &peer.members[0].ap_id;
    json!({"@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{actor}/follows/{n}"), "type": "Follow",
        "actor": actor, "object": s.group.ap_id})
}

async fn followers(s: &Setup) -> i64 {
    let g = s.group.id.clone();
    s.node
        .node_state
        .db
        .run(move |c| db::follows::count_followers(c, &g, db::follows::FollowState::Accepted))
        .await
        .expect("count")
}

async fn backpressure(store: Store) {
    let Some(s) = setup(store, |c| {
        c.federation.inbox_workers = 1;
        c.federation.inbox_queue = 0;
        c.federation.inbox_retry_after_secs = 7;
    })
    .await
    else {
        return;
    };
    let signer = s.peer.members[0].signer.clone();
    let state = s.node.node_state.clone();
    let held = state.inbox_gate.try_enter().expect("the only place");
    let (status, retry, body) = send(&s, &signer, &follow(&s, 1)).await;
    assert_eq!(status, 503, "every place is taken: {body}");
    assert_eq!(retry.as_deref(), Some("7"), "Retry-After as configured");
    assert!(body["error"].is_string(), "a JSON error body: {body}");
    assert_eq!(followers(&s).await, 0, "nothing processed");
    assert_eq!(state.metrics.inbox_overloaded.load(Ordering::Relaxed), 1);
    let metrics = reqwest::get(format!("{}/metrics", s.node.base()))
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    assert!(
        metrics.contains("cohort_inbox_overloaded_total 1"),
        "{metrics}"
    );
    drop(held);
    let (status, _, body) = send(&s, &signer, &follow(&s, 2)).await;
    assert_eq!(status, 202, "accepted once the place is free: {body}");
    assert_eq!(followers(&s).await, 1, "and processed before the answer");
    assert_eq!(state.inbox_gate.free_places(), 1, "the place came back");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_inbox_answers_503_with_retry_after_then_accepts_again() {
    backpressure(Store::Sqlite).await;
    backpressure(Store::Postgres).await;
}

mod keys;
