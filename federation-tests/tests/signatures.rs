//! Inbox transport checks on hand-signed requests: what a signature must cover, whose key may
//! sign for an actor, and which content types an inbox reads. Each refusal stores nothing.

use cohort::{db, db::actors::ActorRow, domain::policy::PeerLevel, service};
use federation_tests::{
    free_port, group, signing, signing::Post, signing::Signer, sqlite_node, TestNode,
};
use serde_json::json;

struct Setup {
    a: TestNode,
    _b: TestNode,
    group: ActorRow,
    bob: ActorRow,
    /// A port A allows as a full peer but where nothing listens.
    idle_peer: u16,
}

async fn setup() -> Setup {
    let (pa, pb, idle_peer) = (free_port().await, free_port().await, free_port().await);
    let peers = |ports: &[u16]| {
        ports
            .iter()
            .map(|p| (format!("localhost:{p}"), PeerLevel::Full))
            .collect()
    };
    let a = sqlite_node("A", pa, peers(&[pb, idle_peer])).await;
    let b = sqlite_node("B", pb, peers(&[pa])).await;
    let group = group(&a, "wg", Default::default(), false, None).await;
    let (bob, _) = service::users::create_user(&b.node_state, "bob", false, None)
        .await
        .expect("bob");
    let bob = b
        .node_state
        .db
        .run(move |c| db::actors::by_id(c, &bob.id))
        .await
        .expect("row")
        .expect("bob");
    Setup {
        a,
        _b: b,
        group,
        bob,
        idle_peer,
    }
}

fn follow(s: &Setup, n: u32) -> Vec<u8> {
    let id = format!("{}/activities/sig-follow-{n}", s.bob.ap_id);
    serde_json::to_vec(&json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": id, "type": "Follow", "actor": s.bob.ap_id, "object": s.group.ap_id,
    }))
    .expect("json")
}

async fn followers(s: &Setup) -> i64 {
    let g = s.group.id.clone();
    s.a.node_state
        .db
        .run(move |c| {
            Ok(
                db::follows::count_followers(c, &g, db::follows::FollowState::Accepted)?
                    + db::follows::count_followers(c, &g, db::follows::FollowState::Pending)?,
            )
        })
        .await
        .expect("count")
}

async fn send(s: &Setup, signer: &Signer, n: u32, content_type: &str, covered: &[&str]) -> u16 {
    let inbox = format!("{}/inbox", s.a.base());
    let body = follow(s, n);
    let (status, e) = signing::post(
        signer,
        &Post {
            url: &inbox,
            body: &body,
            content_type,
            covered,
        },
    )
    .await;
    if status >= 400 {
        assert!(e["error"].is_string(), "a JSON error body: {e}");
    }
    status
}

const AP: &str = "application/activity+json";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signatures_must_cover_target_host_date_and_digest() {
    let s = setup().await;
    let bob = Signer::of(&s.bob);
    for (n, covered) in [
        ["host", "date", "digest"].as_slice(),
        &["(request-target)", "date", "digest"],
        &["(request-target)", "host", "digest"],
        &["(request-target)", "host", "date"],
        &["date"],
    ]
    .into_iter()
    .enumerate()
    {
        let status = send(&s, &bob, n as u32, AP, covered).await;
        assert_eq!(status, 401, "a signature over only {covered:?} is refused");
        assert_eq!(followers(&s).await, 0, "nothing stored for {covered:?}");
    }
    assert_eq!(send(&s, &bob, 10, AP, signing::FULL).await, 202);
    assert_eq!(followers(&s).await, 1, "a complete signature is accepted");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_signing_key_must_live_on_the_actors_host() {
    let s = setup().await;
    // Bob's own key, named as if it lived on another (allowed) peer.
    let elsewhere = Signer {
        key_id: format!("http://localhost:{}/users/bob#main-key", s.idle_peer),
        private_pem: Signer::of(&s.bob).private_pem,
    };
    let status = send(&s, &elsewhere, 1, AP, signing::FULL).await;
    assert!(
        status == 401 || status == 403,
        "keyId on another host: {status}"
    );
    assert_eq!(followers(&s).await, 0, "nothing stored");
    assert_eq!(
        send(&s, &Signer::of(&s.bob), 2, AP, signing::FULL).await,
        202
    );
    assert_eq!(followers(&s).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inboxes_read_only_activitypub_json() {
    let s = setup().await;
    let bob = Signer::of(&s.bob);
    for (n, ct) in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "text/html; charset=utf-8",
    ]
    .into_iter()
    .enumerate()
    {
        assert_eq!(
            send(&s, &bob, n as u32, ct, signing::FULL).await,
            415,
            "{ct}"
        );
        assert_eq!(followers(&s).await, 0, "nothing stored for {ct}");
    }
    for (n, ct) in [
        "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"",
        "application/json",
        "application/activity+json; charset=utf-8",
        "application/ld+json",
    ]
    .into_iter()
    .enumerate()
    {
        assert_eq!(
            send(&s, &bob, 10 + n as u32, ct, signing::FULL).await,
            202,
            "{ct}"
        );
    }
    assert_eq!(followers(&s).await, 1);
}
