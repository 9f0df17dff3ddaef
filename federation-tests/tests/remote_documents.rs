//! Peers that serve bad actor documents: an invalid document is the sender's fault (4xx with a
//! clear error), an unreachable or failing peer is an upstream failure (502); a document whose
//! inboxes live on another origin is refused. Nothing is stored in any of these cases.

use cohort::{db, domain::policy::PeerLevel};
use federation_tests::{
    fake_peer::{self, Answer},
    free_port, group, signing,
    signing::{Post, Signer},
    sqlite_node, TestNode,
};
use serde_json::{json, Value};
use std::collections::HashMap;

struct Setup {
    a: TestNode,
    group: cohort::db::actors::ActorRow,
    peer: fake_peer::FakePeer,
    /// An allowed peer where nothing listens.
    unreachable: String,
    key: activitypub_federation::http_signatures::Keypair,
}

/// Node A, and a fake peer serving `docs(base, public_pem)` by path.
async fn setup(docs: impl FnOnce(&str, &str) -> HashMap<String, Answer>) -> Setup {
    let (pa, pf, idle) = (free_port().await, free_port().await, free_port().await);
    let a = sqlite_node(
        "A",
        pa,
        [pf, idle]
            .iter()
            .map(|p| (format!("localhost:{p}"), PeerLevel::Full))
            .collect(),
    )
    .await;
    let group = group(&a, "wg", Default::default(), false, None).await;
    let key = activitypub_federation::http_signatures::generate_actor_keypair().expect("key");
    let base = format!("http://localhost:{pf}");
    let peer = fake_peer::start(pf, docs(&base, &key.public_key)).await;
    Setup {
        a,
        group,
        peer,
        unreachable: format!("http://localhost:{idle}"),
        key,
    }
}

/// A signed Follow of the group from the fake peer's actor `name`: (status, body).
async fn follow_from(s: &Setup, name: &str) -> (u16, Value) {
    follow_at(s, &s.peer.base, name).await
}

/// A signed Follow of the group from the actor `name` of the peer at `base`.
async fn follow_at(s: &Setup, base: &str, name: &str) -> (u16, Value) {
    let actor = format!("{base}/users/{name}");
    let body = serde_json::to_vec(&json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{actor}/follows/1"), "type": "Follow",
        "actor": actor, "object": s.group.ap_id,
    }))
    .expect("json");
    let signer = Signer {
        key_id: format!("{actor}#main-key"),
        private_pem: s.key.private_key.clone(),
    };
    let inbox = format!("{}/inbox", s.a.base());
    signing::post(
        &signer,
        &Post {
            url: &inbox,
            body: &body,
            content_type: "application/activity+json",
            covered: signing::FULL,
        },
    )
    .await
}

/// Whether A stored the fake peer's actor `name`, and how many follows its group has.
async fn stored(s: &Setup, name: &str) -> (bool, i64) {
    let (id, g) = (format!("{}/users/{name}", s.peer.base), s.group.id.clone());
    s.a.node_state
        .db
        .run(move |c| {
            Ok((
                db::actors::by_ap_id(c, &id)?.is_some(),
                db::follows::count_followers(c, &g, db::follows::FollowState::Accepted)?
                    + db::follows::count_followers(c, &g, db::follows::FollowState::Pending)?,
            ))
        })
        .await
        .expect("read")
}

fn with(base: &str, pem: &str, name: &str, change: impl FnOnce(&mut Value)) -> (String, Answer) {
    let mut doc = fake_peer::person(base, name, pem);
    change(&mut doc);
    (format!("/users/{name}"), Answer::json(&doc))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_actor_documents_are_client_errors() {
    let s = setup(|base, pem| {
        let mut m: HashMap<String, Answer> = [
            with(base, pem, "nokey", |d| {
                d.as_object_mut().expect("obj").remove("publicKey");
            }),
            with(base, pem, "noinbox", |d| {
                d.as_object_mut().expect("obj").remove("inbox");
            }),
            with(base, pem, "wrongid", |d| {
                d["id"] = json!("http://elsewhere.example/users/wrongid");
            }),
        ]
        .into();
        m.insert(
            "/users/broken".into(),
            Answer {
                status: 200,
                content_type: "application/activity+json",
                body: "{\"id\": \"not finished".into(),
            },
        );
        m.insert(
            "/users/html".into(),
            Answer {
                status: 200,
                content_type: "text/html",
                body: fake_peer::person(base, "html", pem).to_string(),
            },
        );
        m.insert(
            "/users/failing".into(),
            Answer {
                status: 503,
                content_type: "text/html",
                body: "<h1>Service Unavailable</h1>".into(),
            },
        );
        m
    })
    .await;
    for name in ["broken", "nokey", "noinbox", "wrongid", "html"] {
        let (status, e) = follow_from(&s, name).await;
        assert!(
            status == 422 || status == 400,
            "{name}: an invalid actor document is a client error, got {status} {e}"
        );
        let msg = e["error"].as_str().unwrap_or_default();
        assert!(
            msg.contains(&s.peer.base),
            "{name}: the error names the document: {e}"
        );
        assert_eq!(stored(&s, name).await, (false, 0), "{name}: nothing stored");
    }
    // A peer that fails (5xx) is an upstream failure; the sender may retry.
    let (status, _) = follow_from(&s, "failing").await;
    assert_eq!(status, 502, "a failing peer stays a bad gateway");
    assert_eq!(stored(&s, "failing").await, (false, 0));
    let (status, _) = follow_at(&s, &s.unreachable, "nobody").await;
    assert_eq!(status, 502, "an unreachable peer stays a bad gateway");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn actor_inboxes_must_share_the_actor_origin() {
    let other = free_port().await;
    let s = setup(|base, pem| {
        [
            with(base, pem, "good", |_| {}),
            with(base, pem, "inbox", |d| {
                d["inbox"] = json!(format!("http://localhost:{other}/users/inbox/inbox"));
            }),
            with(base, pem, "outbox", |d| {
                d["outbox"] = json!("http://elsewhere.example/users/outbox/outbox");
            }),
            with(base, pem, "shared", |d| {
                d["endpoints"]["sharedInbox"] = json!("http://elsewhere.example/inbox");
            }),
        ]
        .into()
    })
    .await;
    for name in ["inbox", "outbox", "shared"] {
        let (status, e) = follow_from(&s, name).await;
        assert!(
            (400..500).contains(&status) && e["error"].is_string(),
            "{name}: refused, got {status} {e}"
        );
        assert_eq!(stored(&s, name).await, (false, 0), "{name}: nothing stored");
    }
    let (status, e) = follow_from(&s, "good").await;
    assert_eq!(status, 202, "{e}");
    assert_eq!(stored(&s, "good").await, (true, 1));
}
