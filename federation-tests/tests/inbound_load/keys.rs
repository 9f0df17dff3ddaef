//! The signing-key cache follows key rotation; duplicates are processed once; a body that does not
//! match its Digest is refused and changes nothing.

use super::{follow, follow_by, followers, send, send_signed, setup, Setup};
use cohort::db;
use federation_tests::{fake_peer, signing::Signer, Store};
use serde_json::{json, Value};
use std::sync::atomic::Ordering;

fn rotated_key() -> activitypub_federation::http_signatures::Keypair {
    activitypub_federation::http_signatures::generate_actor_keypair().expect("key")
}

async fn rotation(store: Store) {
    let Some(s) = setup(store, |_| {}).await else {
        return;
    };
    let member = &s.peer.members[0];
    let old = member.signer.clone();
    assert_eq!(send(&s, &old, &follow(&s, 1)).await.0, 202);
    let cache = &s.node.node_state.key_cache;
    assert!(
        cache.get(&member.ap_id).await.is_some(),
        "the signer is cached"
    );

    let new = rotated_key();
    let base = s.peer.server.base.clone();
    let update = json!({"@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/updates/1", member.ap_id), "type": "Update", "actor": member.ap_id,
        "object": fake_peer::person(&base, "m0", &new.public_key)});
    assert_eq!(
        send(&s, &old, &update).await.0,
        202,
        "the actor announces its new key"
    );
    assert!(
        cache.get(&member.ap_id).await.is_none(),
        "the cached key was dropped when the actor was stored again"
    );
    let rotated = Signer {
        key_id: old.key_id.clone(),
        private_pem: new.private_key.clone(),
    };
    let undo = |n: u32| {
        json!({"@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{}/undo/{n}", member.ap_id), "type": "Undo",
            "actor": member.ap_id, "object": follow(&s, 1)})
    };
    let (status, _, body) = send(&s, &old, &undo(1)).await;
    assert_eq!(
        status, 401,
        "the old key no longer signs for the actor: {body}"
    );
    assert_eq!(followers(&s).await, 1, "the refused Undo changed nothing");
    assert_eq!(
        send(&s, &rotated, &undo(2)).await.0,
        202,
        "the new key does"
    );
    assert_eq!(followers(&s).await, 0, "and its Undo was processed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rotated_key_replaces_the_cached_one() {
    rotation(Store::Sqlite).await;
    rotation(Store::Postgres).await;
}

fn create(s: &Setup) -> Value {
    let actor = &s.peer.members[0].ap_id;
    let note = json!({"id": format!("{actor}/notes/1"), "type": "Note", "attributedTo": actor,
        "content": "<p>once</p>", "to": [s.group.ap_id],
        "cc": ["https://www.w3.org/ns/activitystreams#Public"], "audience": s.group.ap_id});
    json!({"@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{actor}/notes/1/create"), "type": "Create", "actor": actor,
        "to": [s.group.ap_id], "object": note})
}

async fn queued(s: &Setup) -> i64 {
    s.node
        .node_state
        .db
        .run(|c| db::deliveries::count_by_status(c, None))
        .await
        .expect("count")
        .iter()
        .map(|(_, n)| n)
        .sum()
}

async fn duplicates(store: Store) {
    let Some(s) = setup(store, |_| {}).await else {
        return;
    };
    let signer = s.peer.members[0].signer.clone();
    assert_eq!(send(&s, &signer, &follow(&s, 1)).await.0, 202);
    // A member of the other peer joins too: the group relays the post to that node.
    let other = s.other.members[0].signer.clone();
    assert_eq!(send(&s, &other, &follow_by(&s.other, &s, 1)).await.0, 202);
    let before = queued(&s).await;
    let inbox = format!("{}/inbox", s.node.base());
    let body = create(&s).to_string().into_bytes();
    let headers = federation_tests::signing::sign(
        &signer,
        &federation_tests::signing::Post {
            url: &inbox,
            body: &body,
            content_type: "application/activity+json",
            covered: federation_tests::signing::FULL,
        },
    );
    let first = send_signed(&inbox, body.clone(), headers.clone()).await;
    assert_eq!(first.0, 202, "{}", first.2);
    let relayed = queued(&s).await - before;
    assert!(relayed > 0, "the group relayed the post");
    // The same delivery twice more, at once.
    let (a, b) = tokio::join!(
        send_signed(&inbox, body.clone(), headers.clone()),
        send_signed(&inbox, body, headers)
    );
    assert_eq!((a.0, b.0), (202, 202), "replays are acknowledged");
    let m = &s.node.node_state.metrics;
    assert_eq!(
        m.inbox_duplicates.load(Ordering::Relaxed),
        2,
        "both were replays"
    );
    assert_eq!(queued(&s).await - before, relayed, "nothing relayed again");
    let note = format!("{}/notes/1", s.peer.members[0].ap_id);
    let stored = s
        .node
        .node_state
        .db
        .run(move |c| db::posts::by_ap_id(c, &note))
        .await
        .expect("post");
    assert!(stored.is_some(), "the post was stored");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_duplicate_delivery_is_processed_once() {
    duplicates(Store::Sqlite).await;
    duplicates(Store::Postgres).await;
}

async fn bad_digest(store: Store) {
    let Some(s) = setup(store, |_| {}).await else {
        return;
    };
    let inbox = format!("{}/inbox", s.node.base());
    let signed = follow(&s, 1).to_string().into_bytes();
    let headers = federation_tests::signing::sign(
        &s.peer.members[0].signer,
        &federation_tests::signing::Post {
            url: &inbox,
            body: &signed,
            content_type: "application/activity+json",
            covered: federation_tests::signing::FULL,
        },
    );
    let other = follow(&s, 2).to_string().into_bytes();
    let (status, _, body) = send_signed(&inbox, other, headers).await;
    assert_eq!(status, 401, "a body other than the signed one: {body}");
    assert!(
        body["error"].as_str().is_some_and(|e| e.contains("Digest")),
        "{body}"
    );
    assert_eq!(followers(&s).await, 0, "nothing stored");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_does_not_match_its_digest_is_refused() {
    bad_digest(Store::Sqlite).await;
    bad_digest(Store::Postgres).await;
}
