//! Remote accounts in the profile directory, on SQLite and on PostgreSQL: a peer's member and
//! groups fetched over HTTP from a real second node (whose actor documents say
//! `discoverable`), and actors of other servers read from the shared real-server fixtures. Only
//! those that say they are discoverable are listed, never those of a blocked node, and a
//! members-only group only to its members here; `local=true` lists this node's accounts alone.
//! A refreshed document that stops saying it takes the account out.

use activitypub_federation::traits::Object;
use cohort::{
    db,
    domain::policy::{FederationMode, PeerLevel, Visibility},
    federation::{objects::actor::DbActor, protocol::actor::ApubActor},
};
use federation_tests::{
    api::Api, cohort_calls::signed_get, database_url, fixtures::fixtures_dir, free_port, group,
    wait_until, Store, TestNode,
};
use serde_json::{json, Value};
use std::collections::BTreeMap;

const PW: &str = "correct horse battery";

fn names(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("a list: {v}"))
        .iter()
        .map(|a| a["acct"].as_str().expect("acct").to_string())
        .collect()
}

/// Stores a fixture actor document as a fetch would (verified, then stored); its row id.
async fn store(n: &TestNode, doc: Value) -> String {
    let json: ApubActor = serde_json::from_value(doc).expect("fixture actor parses");
    let id = json.id.clone();
    DbActor::verify(&json, &id, &n.ctx).await.expect("verify");
    DbActor::from_json(json, &n.ctx)
        .await
        .expect("store")
        .row
        .id
}

async fn discoverable(n: &TestNode, id: &str) -> bool {
    let id = id.to_string();
    n.node_state
        .db
        .run(move |c| {
            use diesel::prelude::*;
            Ok(db::schema::actors::table
                .find(id)
                .select(db::schema::actors::discoverable)
                .first::<bool>(c)?)
        })
        .await
        .expect("read")
}

/// Sets the signed-in member's `discoverable` through the client API; the updated account.
async fn set_discoverable(api: &Api, on: bool) -> Value {
    let (s, v) = api
        .patch(
            "/api/v1/accounts/update_credentials",
            json!({"discoverable": on}),
        )
        .await;
    assert_eq!(s, 200, "{v}");
    v
}

/// The account's `discoverable` in the client API.
async fn assert_says(api: &Api, id: &str, want: bool) {
    let (s, v) = api.get(&format!("/api/v1/accounts/{id}")).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["discoverable"], Value::Bool(want), "{v}");
}

async fn run(store_kind: Store) {
    let Some(fixtures) = fixtures_dir() else {
        return;
    };
    let (da, db_dir) = (
        tempfile::tempdir().expect("dir"),
        tempfile::tempdir().expect("dir"),
    );
    let (Some(ua), Some(ub)) = (
        database_url(store_kind, da.path(), "dira"),
        database_url(store_kind, db_dir.path(), "dirb"),
    ) else {
        return; // PostgreSQL unavailable outside CI: skipped loudly by the harness.
    };
    let (pa, pb) = (free_port().await, free_port().await);
    let peers_a: BTreeMap<String, PeerLevel> = [
        (format!("localhost:{pb}"), PeerLevel::Full),
        ("soc.schuerz.at".to_string(), PeerLevel::Blocked),
    ]
    .into();
    let peers_b: BTreeMap<String, PeerLevel> =
        [(format!("localhost:{pa}"), PeerLevel::Full)].into();
    let a = TestNode::start_with("A", pa, ua, da, peers_a, |c| {
        c.federation.mode = FederationMode::Open;
    })
    .await;
    let b = TestNode::start("B", pb, ub, db_dir, peers_b).await;
    for (n, who) in [(&a, "alice"), (&a, "carol"), (&b, "bob")] {
        cohort::service::users::create_user(&n.node_state, who, false, Some(PW.into()))
            .await
            .expect("user");
    }
    group(&b, "hidden", Visibility::Members, false, None).await;
    let bd = b.domain.clone();

    // Other servers' actors, as their fixtures have them.
    let read = |path: &str| -> Value {
        let text = std::fs::read_to_string(fixtures.join(path)).expect("fixture");
        serde_json::from_str(&text).expect("json")
    };
    let mastodon = store(&a, read("mastodon/objects/person.json")).await; // discoverable: false
    let wordpress_doc = read("wordpress/objects/person.json"); // discoverable: true
    let wordpress = store(&a, wordpress_doc.clone()).await;
    store(&a, read("pleroma/objects/person.json")).await; // false
    store(&a, read("mobilizon/objects/group.json")).await; // a group, true
    store(&a, read("friendica/objects/person_1.json")).await; // true, but A blocks its node
    assert!(!discoverable(&a, &mastodon).await);
    assert!(discoverable(&a, &wordpress).await);
    // Their accounts say it too; this node's members are listed until they say no.
    let anon = Api::anonymous(&a.base());
    assert_says(&anon, &mastodon, false).await;
    assert_says(&anon, &wordpress, true).await;
    let (s, v) = anon.get("/api/v1/accounts/lookup?acct=alice").await;
    assert_eq!((s, &v["discoverable"]), (200, &Value::Bool(true)), "{v}");

    // bob's and the members-only group's documents come from B, which says they are
    // discoverable; alice joins the group.
    let alice = Api::login(&a.base(), "alice", PW).await;
    let carol = Api::login(&a.base(), "carol", PW).await;
    alice
        .follow(&format!("bob@{bd}"))
        .await
        .expect("follow bob");
    alice
        .follow(&format!("hidden@{bd}"))
        .await
        .expect("join hidden");
    let hidden_acct = format!("hidden@{bd}");
    wait_until(20, "alice's membership of hidden is accepted", || {
        let alice = alice.clone();
        let acct = hidden_acct.clone();
        async move {
            let Some(id) = alice.account_id(&acct).await else {
                return false;
            };
            alice.relationship(&id).await.0
        }
    })
    .await;

    let bob = format!("bob@{bd}");
    for query in ["", "local=false&", "local=0&"] {
        let (s, v) = anon
            .get(&format!("/api/v1/directory?{query}order=new&limit=80"))
            .await;
        assert_eq!(s, 200, "{v}");
        let listed = names(&v);
        for who in [
            "alice",
            "carol",
            bob.as_str(),
            "matthias@pfefferle.org",
            "contribateliers@mobilizon.fr",
        ] {
            assert!(listed.iter().any(|l| l == who), "{who} in {listed:?}");
        }
        for never in [
            "mastodon@masto.qa.urbanwildlife.biz",
            "lanodan@queer.hacktivis.me",
            "jakob@soc.schuerz.at",
            hidden_acct.as_str(),
        ] {
            assert!(!listed.iter().any(|l| l == never), "{never} in {listed:?}");
        }
    }
    // The members-only group of B: for its member here only.
    let (_, v) = alice.get("/api/v1/directory?limit=80").await;
    assert!(names(&v).contains(&hidden_acct), "{v}");
    let (_, v) = carol.get("/api/v1/directory?limit=80").await;
    assert!(!names(&v).contains(&hidden_acct), "{v}");
    // local=true: this node's accounts only.
    let (s, v) = alice.get("/api/v1/directory?local=true&limit=80").await;
    assert_eq!(s, 200, "{v}");
    let listed = names(&v);
    assert!(listed.contains(&"alice".to_string()), "{listed:?}");
    assert!(listed.iter().all(|l| !l.contains('@')), "{listed:?}");

    // carol no longer wants to be listed: out of this node's directory, local or not, and her
    // actor document (as B reads it) says so.
    let v = set_discoverable(&carol, false).await;
    assert_eq!(v["discoverable"], json!(false), "{v}");
    assert_eq!(v["source"]["discoverable"], json!(false), "{v}");
    for query in ["", "local=true&"] {
        let (_, v) = anon
            .get(&format!("/api/v1/directory?{query}limit=80"))
            .await;
        let listed = names(&v);
        assert!(!listed.contains(&"carol".to_string()), "{listed:?}");
        assert!(listed.contains(&"alice".to_string()), "{listed:?}");
    }
    let carol_id = format!("{}/users/carol", a.base());
    let doc = signed_get(&b, &carol_id).await.expect("carol's document");
    assert_eq!(doc["discoverable"], json!(false), "{doc}");

    // bob on B does the same: the Update(Person) that reaches his follower's node takes him out
    // of A's directory.
    let bob_api = Api::login(&b.base(), "bob", PW).await;
    set_discoverable(&bob_api, false).await;
    wait_until(20, "A hears that bob is no longer discoverable", || {
        let (anon, bob) = (anon.clone(), bob.clone());
        async move {
            let (_, v) = anon.get("/api/v1/directory?limit=80").await;
            !names(&v).contains(&bob)
        }
    })
    .await;

    // The wordpress author's refreshed document no longer says it: gone from the directory.
    let mut changed = wordpress_doc;
    changed["discoverable"] = Value::Bool(false);
    assert_eq!(store(&a, changed).await, wordpress, "the same stored actor");
    assert!(!discoverable(&a, &wordpress).await);
    assert_says(&anon, &wordpress, false).await;
    let (_, v) = anon.get("/api/v1/directory?limit=80").await;
    assert!(
        !names(&v).contains(&"matthias@pfefferle.org".to_string()),
        "{v}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn remote_discoverable_accounts_in_the_directory_sqlite() {
    run(Store::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn remote_discoverable_accounts_in_the_directory_postgres() {
    run(Store::Postgres).await;
}
