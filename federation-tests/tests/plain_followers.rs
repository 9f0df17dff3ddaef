//! FEP-1b12 for plain Mastodon followers: besides `Announce(Create)`, a group sends them
//! `Announce(<note>)` (the post embedded), which Mastodon shows as a boost. Cohort and Lemmy
//! followers get only the former (Lemmy refuses an announced post that is not an activity).

use cohort::{
    db::{self, actors::ActorRow, follows::FollowRow},
    domain::{ids::new_id, policy::PeerLevel, time::now_ms},
    service::{self, groups::NewGroup, members::NewPost},
};
use federation_tests::{database_url, free_port, Store, TestNode};
use serde_json::Value;

fn remote_actor(ap_id: &str, domain: &str, speaks_cohort: bool, speaks_lemmy: bool) -> ActorRow {
    let now = now_ms();
    ActorRow {
        id: new_id(),
        ap_id: ap_id.into(),
        kind: cohort::domain::actor::ActorKind::Person,
        username: "m".into(),
        domain: domain.into(),
        local: false,
        display_name: String::new(),
        summary: String::new(),
        inbox: format!("{ap_id}/inbox"),
        shared_inbox: Some(format!("http://{domain}/inbox")),
        outbox: None,
        followers_url: None,
        public_key_pem: String::new(),
        private_key_pem: None,
        ed25519_public: None,
        ed25519_private: None,
        manually_approves: false,
        visibility: "public".into(),
        speaks_cohort,
        created_at: now,
        updated_at: now,
        last_refreshed_at: now,
        avatar_url: None,
        header_url: None,
        speaks_lemmy,
        discoverable: false,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mastodon_followers_also_get_a_boost() {
    let dir = tempfile::tempdir().expect("dir");
    let url = database_url(Store::Sqlite, dir.path(), "a").expect("sqlite");
    // Two peers on closed ports: deliveries stay queued, so the queue can be inspected.
    let (mastodon, cohort_peer, lemmy) = (
        format!("localhost:{}", free_port().await),
        format!("localhost:{}", free_port().await),
        format!("localhost:{}", free_port().await),
    );
    let a = TestNode::start(
        "A",
        free_port().await,
        url,
        dir,
        [
            (mastodon.clone(), PeerLevel::Full),
            (cohort_peer.clone(), PeerLevel::Full),
            (lemmy.clone(), PeerLevel::Full),
        ]
        .into(),
    )
    .await;
    service::users::create_user(&a.node_state, "alice", false, None)
        .await
        .expect("alice");
    let group = service::groups::create_group(
        &a.node_state,
        NewGroup {
            name: "wg".into(),
            display_name: None,
            summary: None,
            approval_required: false,
            visibility: Default::default(),
            moderator: Some("alice".into()),
        },
    )
    .await
    .expect("group");
    for (domain, cohort, lemmy) in [
        (&mastodon, false, false),
        (&cohort_peer, true, false),
        (&lemmy, false, true),
    ] {
        let actor = remote_actor(&format!("http://{domain}/users/m"), domain, cohort, lemmy);
        let follow = FollowRow {
            id: new_id(),
            follower_id: actor.id.clone(),
            target_id: group.id.clone(),
            activity_ap_id: format!("http://{domain}/follows/1"),
            state: cohort::db::follows::FollowState::Accepted,
            created_at: now_ms(),
            notify: false,
        };
        a.node_state
            .db
            .run(move |c| {
                db::actors::insert(c, &actor)?;
                db::follows::upsert(c, &follow).map(|_| ())
            })
            .await
            .expect("store follower");
    }
    let post = service::members::post(
        &a.ctx,
        "alice",
        &a.handle("wg"),
        NewPost {
            text: "hello fediverse".into(),
            title: None,
            in_reply_to: None,
            sensitive: false,
            content_warning: None,
            visibility: None,
            language: None,
        },
    )
    .await
    .expect("post");

    let payloads = |domain: String| {
        let state = a.node_state.clone();
        async move {
            state
                .db
                .run(move |c| db::deliveries::payloads_for_peer(c, &domain))
                .await
                .expect("payloads")
                .into_iter()
                .map(|p| serde_json::from_str::<Value>(&p).expect("json"))
                .collect::<Vec<_>>()
        }
    };
    let to_mastodon = payloads(mastodon).await;
    let to_cohort = payloads(cohort_peer).await;
    let to_lemmy = payloads(lemmy).await;
    let boosts = |v: &[Value]| {
        v.iter()
            .filter(|a| a["type"] == "Announce" && a["object"]["id"] == post.ap_id.as_str())
            .filter(|a| a["object"]["type"] == "Note" && a["object"]["content"].is_string())
            .count()
    };
    let wrapped = |v: &[Value]| {
        v.iter()
            .filter(|a| a["type"] == "Announce" && a["object"]["type"] == "Create")
            .count()
    };
    assert_eq!(
        (wrapped(&to_mastodon), boosts(&to_mastodon)),
        (1, 1),
        "{to_mastodon:?}"
    );
    assert_eq!(
        (wrapped(&to_cohort), boosts(&to_cohort)),
        (1, 0),
        "{to_cohort:?}"
    );
    assert_eq!(
        (wrapped(&to_lemmy), boosts(&to_lemmy)),
        (1, 0),
        "{to_lemmy:?}"
    );
    // No bare-URL Announce reaches anyone any more.
    for a in to_mastodon.iter().chain(&to_cohort).chain(&to_lemmy) {
        assert!(a["object"].is_object(), "{a}");
    }
}
