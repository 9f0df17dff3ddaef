//! Follow suggestions over HTTP, on SQLite and on PostgreSQL: friends of friends, this node's
//! most followed accounts and groups, authors in a member's groups whose posts the member
//! favourited; never the member, accounts followed or requested, blocked either way, muted,
//! dismissed, remote accounts that are not discoverable or whose node is blocked, nor a
//! members-only group the member may not see. Dismissals are stored; bad input answers the
//! Mastodon way and changes nothing.

use activitypub_federation::traits::Object;
use cohort::{
    db,
    domain::{
        ids::new_id,
        policy::{PeerLevel, Visibility},
        time::now_ms,
    },
    federation::{objects::actor::DbActor, protocol::actor::ApubActor},
};
use federation_tests::{api::Api, database_url, free_port, group, Store, TestNode};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};

const PW: &str = "correct horse battery";

/// Stores a remote actor from its document, as a fetch does.
async fn remote(n: &TestNode, domain: &str, name: &str, discoverable: Option<bool>) -> String {
    let id = format!("https://{domain}/users/{name}");
    let mut doc = json!({
        "@context": ["https://www.w3.org/ns/activitystreams"],
        "id": id, "type": "Person", "preferredUsername": name, "inbox": format!("{id}/inbox"),
        "publicKey": {"id": format!("{id}#main-key"), "owner": id,
                      "publicKeyPem": "-----BEGIN PUBLIC KEY-----\nAA==\n-----END PUBLIC KEY-----\n"},
    });
    if let Some(d) = discoverable {
        doc["discoverable"] = json!(d);
    }
    let json: ApubActor = serde_json::from_value(doc).expect("actor document");
    DbActor::from_json(json, &n.ctx)
        .await
        .expect("store")
        .row
        .id
}

/// `follower` follows `target` (accepted), straight in storage (no delivery to a peer).
async fn follows(n: &TestNode, follower: &str, target: &str) {
    let row = db::follows::FollowRow {
        id: new_id(),
        follower_id: follower.into(),
        target_id: target.into(),
        activity_ap_id: format!("https://example.invalid/follows/{}", new_id()),
        state: db::follows::FollowState::Accepted,
        created_at: now_ms(),
        notify: false,
    };
    n.node_state
        .db
        .run(move |c| db::follows::upsert(c, &row))
        .await
        .expect("follow");
}

fn accts(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("a list: {v}"))
        .iter()
        .map(|s| {
            let a = if s.get("account").is_some() {
                &s["account"]
            } else {
                s
            };
            a["acct"].as_str().expect("acct").to_string()
        })
        .collect()
}

fn set(v: &Value) -> BTreeSet<String> {
    accts(v).into_iter().collect()
}

fn sources(v: &Value, acct: &str) -> Vec<String> {
    let s = v
        .as_array()
        .expect("list")
        .iter()
        .find(|s| s["account"]["acct"] == acct)
        .unwrap_or_else(|| panic!("{acct} in {v}"));
    s["sources"]
        .as_array()
        .expect("sources")
        .iter()
        .map(|x| x.as_str().expect("source").to_string())
        .collect()
}

async fn run(store: Store) {
    let dir = tempfile::tempdir().expect("dir");
    let Some(url) = database_url(store, dir.path(), "suggest") else {
        return; // PostgreSQL unavailable outside CI: skipped loudly by the harness.
    };
    let peers: BTreeMap<String, PeerLevel> = [
        ("far.example".to_string(), PeerLevel::Full),
        ("shunned.example".to_string(), PeerLevel::Blocked),
    ]
    .into();
    let n = TestNode::start("A", free_port().await, url, dir, peers).await;
    let base = n.base();
    let names = [
        "alice", "bob", "carol", "dave", "erin", "frank", "gina", "hal", "ivy", "newbie",
    ];
    for name in names {
        cohort::service::users::create_user(&n.node_state, name, false, Some(PW.into()))
            .await
            .expect("user");
    }
    let mut api = HashMap::new();
    let mut id = HashMap::new();
    for name in names {
        let a = Api::login(&base, name, PW).await;
        let (_, me) = a.get("/api/v1/accounts/verify_credentials").await;
        id.insert(name, me["id"].as_str().expect("id").to_string());
        api.insert(name, a);
    }
    let open = group(&n, "open", Visibility::Public, false, None).await;
    let secret = group(&n, "secret", Visibility::Members, false, None).await;
    id.insert("open", open.id.clone());
    id.insert("secret", secret.id.clone());
    let loud = remote(&n, "far.example", "loud", Some(true)).await;
    let quiet = remote(&n, "far.example", "quiet", Some(false)).await;
    let silent = remote(&n, "far.example", "silent", None).await;
    let shunned = remote(&n, "shunned.example", "shunned", Some(true)).await;

    let follow = |who: &'static str, whom: &'static str| {
        let (a, target) = (api[who].clone(), id[whom].clone());
        async move {
            let (s, v) = a
                .post(&format!("/api/v1/accounts/{target}/follow"), json!({}))
                .await;
            assert_eq!(s, 200, "{who} follows {whom}: {v}");
        }
    };
    follow("alice", "bob").await;
    follow("alice", "hal").await;
    follow("hal", "carol").await;
    for whom in ["carol", "dave", "erin", "frank", "ivy", "secret"] {
        follow("bob", whom).await;
    }
    for r in [&loud, &quiet, &silent, &shunned] {
        follows(&n, &id["bob"], r).await;
    }
    // dave locks his account after bob followed: alice's follow is only requested.
    let (s, v) = api["dave"]
        .patch(
            "/api/v1/accounts/update_credentials",
            json!({"locked": true}),
        )
        .await;
    assert_eq!(s, 200, "{v}");
    follow("alice", "dave").await;
    // erin blocks alice; alice blocks ivy and mutes frank.
    for (who, what, whom) in [
        ("erin", "block", "alice"),
        ("alice", "block", "ivy"),
        ("alice", "mute", "frank"),
    ] {
        let (s, v) = api[who]
            .post(&format!("/api/v1/accounts/{}/{what}", id[whom]), json!({}))
            .await;
        assert_eq!(s, 200, "{who} {what} {whom}: {v}");
    }
    // gina posts in the group alice belongs to; alice favourites it.
    follow("gina", "open").await;
    follow("alice", "open").await;
    let text = format!("{} the cohort data is in", n.handle("open"));
    let (s, post) = api["gina"]
        .post("/api/v1/statuses", json!({"status": text}))
        .await;
    assert_eq!(s, 200, "{post}");
    let pid = post["id"].as_str().expect("id");
    let (s, v) = api["alice"]
        .post(&format!("/api/v1/statuses/{pid}/favourite"), json!({}))
        .await;
    assert_eq!(s, 200, "{v}");

    // alice: carol (followed by bob and hal, and among the most followed), gina (interactions),
    // loud@far.example (followed by bob, discoverable). Nobody else.
    let (s, v2) = api["alice"].get("/api/v2/suggestions").await;
    assert_eq!(s, 200, "{v2}");
    let expected: BTreeSet<String> = ["carol", "gina", "loud@far.example"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(set(&v2), expected, "{v2}");
    assert_eq!(accts(&v2)[0], "carol", "two sources first: {v2}");
    assert_eq!(
        sources(&v2, "carol"),
        ["friends_of_friends", "most_followed"]
    );
    assert_eq!(sources(&v2, "gina"), ["most_interactions"]);
    assert_eq!(sources(&v2, "loud@far.example"), ["friends_of_friends"]);
    assert_eq!(v2[0]["source"], "past_interactions");
    assert_eq!(v2[0]["account"]["id"], id["carol"].as_str());
    let (s, v1) = api["alice"].get("/api/v1/suggestions").await;
    assert_eq!(s, 200, "{v1}");
    assert_eq!(accts(&v1), accts(&v2), "v1 lists the same accounts");

    // gina no longer wants to be listed: nobody is suggested her, until she wants it again.
    for (listed, want) in [
        (false, vec!["carol", "loud@far.example"]),
        (true, vec!["carol", "gina", "loud@far.example"]),
    ] {
        let (s, v) = api["gina"]
            .patch(
                "/api/v1/accounts/update_credentials",
                json!({"discoverable": listed}),
            )
            .await;
        assert_eq!(s, 200, "{v}");
        assert_eq!(v["discoverable"], json!(listed), "{v}");
        let (_, v2) = api["alice"].get("/api/v2/suggestions").await;
        let want: BTreeSet<String> = want.iter().map(|s| s.to_string()).collect();
        assert_eq!(set(&v2), want, "gina discoverable: {listed}: {v2}");
    }

    // Limits clamp as Mastodon's: 1 to 80, default 40; a non-number is the default.
    for (q, len) in [
        ("limit=1", 1),
        ("limit=0", 1),
        ("limit=-5", 1),
        ("limit=2", 2),
        ("limit=500", 3),
        ("limit=lots", 3),
    ] {
        let (s, v) = api["alice"].get(&format!("/api/v2/suggestions?{q}")).await;
        assert_eq!(s, 200, "{q}: {v}");
        assert_eq!(v.as_array().expect("list").len(), len, "{q}: {v}");
    }
    let (_, one) = api["alice"].get("/api/v2/suggestions?limit=1").await;
    assert_eq!(accts(&one), ["carol"]);

    // Bad input changes nothing: unknown and hidden accounts are 404, anonymous is 401.
    for bad in ["01ARZ3NDEKTSV4RRFFQ69G5FAV", secret.id.as_str()] {
        let (s, v) = api["alice"]
            .delete(&format!("/api/v1/suggestions/{bad}"))
            .await;
        assert_eq!(s, 404, "{bad}: {v}");
        assert!(v["error"].is_string(), "{v}");
    }
    let anon = Api::anonymous(&base);
    for path in ["/api/v2/suggestions", "/api/v1/suggestions"] {
        let (s, v) = anon.get(path).await;
        assert_eq!(s, 401, "{path}: {v}");
        assert!(v["error"].is_string());
    }
    let (s, _) = anon
        .delete(&format!("/api/v1/suggestions/{}", id["carol"]))
        .await;
    assert_eq!(s, 401);
    let (_, again) = api["alice"].get("/api/v2/suggestions").await;
    assert_eq!(set(&again), expected, "refusals changed nothing");

    // Dismissing is stored: carol is never suggested to alice again (twice is fine).
    for _ in 0..2 {
        let (s, v) = api["alice"]
            .delete(&format!("/api/v1/suggestions/{}", id["carol"]))
            .await;
        assert_eq!((s, v), (200, json!({})));
    }
    let (_, after) = api["alice"].get("/api/v2/suggestions").await;
    let left: BTreeSet<String> = ["gina", "loud@far.example"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(set(&after), left, "{after}");
    let (_, v1) = api["alice"].get("/api/v1/suggestions").await;
    assert_eq!(set(&v1), left);
    // ... to alice only.
    let (_, hals) = api["hal"].get("/api/v2/suggestions").await;
    assert!(!set(&hals).contains("carol"), "hal already follows carol");
    let (_, newbies) = api["newbie"].get("/api/v2/suggestions?limit=80").await;
    let listed = set(&newbies);
    assert!(listed.contains("carol"), "{newbies}");

    // A new member: this node's most followed accounts and the public group, never the
    // members-only group, never remote accounts (not this node's), never the member.
    for who in ["carol", "bob", "hal", "open", "dave"] {
        assert!(listed.contains(who), "{who} in {listed:?}");
        assert_eq!(sources(&newbies, who), ["most_followed"]);
    }
    for never in [
        "secret",
        "newbie",
        "loud@far.example",
        "quiet@far.example",
        "shunned@shunned.example",
    ] {
        assert!(!listed.contains(never), "{never} in {listed:?}");
    }
    let i = newbies
        .as_array()
        .expect("list")
        .iter()
        .position(|s| s["account"]["acct"] == "open")
        .expect("open");
    assert_eq!(newbies[i]["source"], "global");
    assert_eq!(newbies[i]["account"]["group"], true);

    // carol, who follows nobody, would get the members-only group as most followed; she may
    // not see it.
    let (_, carols) = api["carol"].get("/api/v2/suggestions?limit=80").await;
    assert!(!set(&carols).contains("secret"), "{carols}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn suggestions_on_sqlite() {
    run(Store::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn suggestions_on_postgres() {
    run(Store::Postgres).await;
}
