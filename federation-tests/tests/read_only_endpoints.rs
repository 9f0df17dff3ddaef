//! Read-only endpoints apps call at start and on profiles: instance peers, extended description,
//! privacy policy, translation languages, the directory, familiar followers and several statuses
//! at once, each through the audience rule where it applies (anonymous, non-member, member). On
//! SQLite and on PostgreSQL.

use federation_tests::{api::Api, database_url, free_port, group, Store, TestNode};
use serde_json::{json, Value};

const PASSWORD: &str = "correct horse battery";

async fn node(store: Store, label: &str, open: bool) -> Option<TestNode> {
    let dir = tempfile::tempdir().expect("dir");
    let url = database_url(store, dir.path(), label)?;
    let mut peers = std::collections::BTreeMap::new();
    peers.insert(
        "friends.example".to_string(),
        cohort::domain::policy::PeerLevel::Full,
    );
    peers.insert(
        "shunned.example".to_string(),
        cohort::domain::policy::PeerLevel::Blocked,
    );
    let n = TestNode::start_with(label, free_port().await, url, dir, peers, |c| {
        if open {
            c.federation.mode = cohort::domain::policy::FederationMode::Open;
        }
        c.instance.extended_description = "We study <cells>.\nTogether.\n\nJoin us.".into();
    })
    .await;
    for name in ["alice", "bob", "carol", "dave"] {
        cohort::service::users::create_user(&n.node_state, name, false, Some(PASSWORD.into()))
            .await
            .expect("user");
    }
    Some(n)
}

fn ids(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("a list: {v}"))
        .iter()
        .map(|i| i["id"].as_str().expect("id").to_string())
        .collect()
}

fn names(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("a list: {v}"))
        .iter()
        .map(|i| i["username"].as_str().expect("username").to_string())
        .collect()
}

async fn instance_texts_and_peers(store: Store) {
    let Some(mut n) = node(store, "texts", false).await else {
        return;
    };
    let base = n.base();
    let anon = Api::anonymous(&base);
    let alice = Api::login(&base, "alice", PASSWORD).await;

    // Peers of an allowlist node: for its members only; blocked peers never.
    let (s, v) = anon.get("/api/v1/instance/peers").await;
    assert_eq!(s, 401, "{v}");
    assert!(v["error"].is_string());
    let (s, v) = alice.get("/api/v1/instance/peers").await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v, json!(["friends.example"]));

    let (s, v) = anon.get("/api/v1/instance/translation_languages").await;
    assert_eq!((s, v), (200, json!({})));

    let (s, ext) = anon.get("/api/v1/instance/extended_description").await;
    assert_eq!(s, 200, "{ext}");
    assert_eq!(
        ext["content"],
        "<p>We study &lt;cells&gt;.<br>Together.</p><p>Join us.</p>"
    );
    let (s, policy) = anon.get("/api/v1/instance/privacy_policy").await;
    assert_eq!(s, 200, "{policy}");
    assert_eq!(
        policy["content"],
        "<p>The operators of this node have not published a privacy policy.</p>"
    );
    for t in [&ext, &policy] {
        let at = t["updated_at"].as_str().expect("updated_at");
        let b = at.as_bytes();
        assert!(
            b.len() >= 20 && b[4] == b'-' && b[10] == b'T' && at.ends_with('Z'),
            "an RFC 3339 time: {at}"
        );
    }

    // A restart with the same texts keeps their times; a changed text gets a new one.
    n.stop().await;
    n.config.instance.privacy_policy = "Server logs are kept for 7 days.".into();
    n.restart().await;
    let (_, ext2) = anon.get("/api/v1/instance/extended_description").await;
    let (_, policy2) = anon.get("/api/v1/instance/privacy_policy").await;
    assert_eq!(ext2, ext, "unchanged text, unchanged time");
    assert_eq!(
        policy2["content"],
        "<p>Server logs are kept for 7 days.</p>"
    );
    assert!(
        policy2["updated_at"].as_str() > policy["updated_at"].as_str(),
        "{policy2} after {policy}"
    );

    // On an open node anyone may see the peers (still never the blocked one).
    let Some(open) = node(store, "open", true).await else {
        return;
    };
    let (s, v) = Api::anonymous(&open.base())
        .get("/api/v1/instance/peers")
        .await;
    assert_eq!((s, v), (200, json!(["friends.example"])));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instance_peers_texts_and_translation_languages() {
    instance_texts_and_peers(Store::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instance_peers_texts_and_translation_languages_on_postgres() {
    instance_texts_and_peers(Store::Postgres).await;
}

async fn directory_familiar_and_statuses(store: Store) {
    let Some(n) = node(store, "people", false).await else {
        return;
    };
    let base = n.base();
    use cohort::domain::policy::Visibility;
    let wg = group(&n, "wg", Visibility::Members, false, Some("alice")).await;
    group(&n, "open", Visibility::Public, false, None).await;
    let anon = Api::anonymous(&base);
    let mut api = std::collections::HashMap::new();
    for name in ["alice", "bob", "carol", "dave"] {
        api.insert(name, Api::login(&base, name, PASSWORD).await);
    }
    let id_of = |v: &Value| v["id"].as_str().expect("id").to_string();
    let mut account = std::collections::HashMap::new();
    for name in ["alice", "bob", "carol", "dave"] {
        let (_, v) = api[name].get("/api/v1/accounts/verify_credentials").await;
        account.insert(name, id_of(&v));
    }
    let follow = |who: &'static str, whom: String| {
        let a = api[who].clone();
        async move {
            let (s, v) = a
                .post(&format!("/api/v1/accounts/{whom}/follow"), json!({}))
                .await;
            assert_eq!(s, 200, "{who} follows {whom}: {v}");
        }
    };
    follow("alice", account["bob"].clone()).await;
    follow("carol", account["bob"].clone()).await;
    follow("bob", account["carol"].clone()).await;
    follow("dave", account["carol"].clone()).await;
    follow("bob", wg.id.clone()).await;

    // Directory: this node's people and the public group; the members-only group only for
    // those who may see its members.
    let (s, v) = anon.get("/api/v1/directory?order=new&limit=80").await;
    assert_eq!(s, 200, "{v}");
    let listed = names(&v);
    for who in ["admin", "alice", "bob", "carol", "dave", "open"] {
        assert!(listed.contains(&who.to_string()), "{who} in {listed:?}");
    }
    assert!(!listed.contains(&"wg".to_string()), "{listed:?}");
    assert_eq!(listed[0], "open", "newest first: {listed:?}");
    let (_, v) = api["carol"]
        .get("/api/v1/directory?order=new&limit=80")
        .await;
    assert!(!names(&v).contains(&"wg".to_string()), "carol is no member");
    let (_, v) = api["bob"].get("/api/v1/directory?order=new&limit=80").await;
    assert!(names(&v).contains(&"wg".to_string()), "bob is a member");
    // Active: the last to post first; offset and limit page through.
    let (s, _) = api["dave"]
        .post("/api/v1/statuses", json!({"status": "first light"}))
        .await;
    assert_eq!(s, 200);
    let (_, v) = anon.get("/api/v1/directory?limit=2").await;
    assert_eq!(names(&v)[0], "dave");
    assert_eq!(names(&v).len(), 2);
    let (_, second) = anon.get("/api/v1/directory?limit=2&offset=1").await;
    assert_eq!(names(&second)[0], names(&v)[1]);
    for bad in ["order=popular", "limit=many", "offset=x"] {
        let (s, v) = anon.get(&format!("/api/v1/directory?{bad}")).await;
        assert_eq!(s, 422, "{bad}: {v}");
        assert!(v["error"].is_string());
    }

    // Familiar followers: who of the accounts I follow follows them.
    let (s, v) = api["alice"]
        .get(&format!(
            "/api/v1/accounts/familiar_followers?id[]={}&id[]=01ARZ3NDEKTSV4RRFFQ69G5FAV&id[]={}",
            account["carol"], wg.id
        ))
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(
        v.as_array().expect("list").len(),
        2,
        "unknown ids are left out: {v}"
    );
    assert_eq!(v[0]["id"], json!(account["carol"]));
    assert_eq!(names(&v[0]["accounts"]), vec!["bob"]);
    assert_eq!(
        v[1]["id"],
        json!(wg.id),
        "alice, a member, sees wg's members"
    );
    assert_eq!(names(&v[1]["accounts"]), vec!["bob"]);
    let (_, v) = api["carol"]
        .get(&format!("/api/v1/accounts/familiar_followers?id={}", wg.id))
        .await;
    assert_eq!(
        v,
        json!([{"id": wg.id, "accounts": []}]),
        "carol follows bob but may not see wg's members"
    );
    let (s, _) = anon
        .get(&format!(
            "/api/v1/accounts/familiar_followers?id={}",
            account["bob"]
        ))
        .await;
    assert_eq!(s, 401);

    // Several statuses at once: each through the audience rule, in the order asked.
    let status = |who: &'static str, body: Value| {
        let a = api[who].clone();
        async move {
            let (s, v) = a.post("/api/v1/statuses", body).await;
            assert_eq!(s, 200, "{v}");
            v["id"].as_str().expect("id").to_string()
        }
    };
    let public = status("alice", json!({"status": "open notes"})).await;
    let direct = status(
        "bob",
        json!({"status": format!("@carol@{} just us", n.domain), "visibility": "direct"}),
    )
    .await;
    let private = status(
        "carol",
        json!({"status": "followers only", "visibility": "private"}),
    )
    .await;
    let in_group = status(
        "alice",
        json!({"status": format!("@wg@{} members' agenda", n.domain)}),
    )
    .await;
    let query = format!(
        "/api/v1/statuses?id[]={direct}&id[]={public}&id[]=01ARZ3NDEKTSV4RRFFQ69G5FAV&id[]={private}&id[]={in_group}&id[]={public}"
    );
    let (s, v) = anon.get(&query).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(ids(&v), vec![public.clone()], "anonymous");
    let (_, v) = api["alice"].get(&query).await;
    assert_eq!(ids(&v), vec![public.clone(), in_group.clone()], "alice");
    let (_, v) = api["bob"].get(&query).await;
    assert_eq!(
        ids(&v),
        vec![
            direct.clone(),
            public.clone(),
            private.clone(),
            in_group.clone()
        ],
        "bob: his own, carol's for followers, the group's"
    );
    let (_, v) = api["carol"].get(&query).await;
    assert_eq!(
        ids(&v),
        vec![direct.clone(), public.clone(), private.clone()],
        "carol is no member of wg"
    );
    let many: String = (0..21).map(|_| format!("id[]={public}&")).collect();
    let (s, v) = anon.get(&format!("/api/v1/statuses?{many}")).await;
    assert_eq!(s, 422, "{v}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn directory_familiar_followers_and_statuses_by_id() {
    directory_familiar_and_statuses(Store::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn directory_familiar_followers_and_statuses_by_id_on_postgres() {
    directory_familiar_and_statuses(Store::Postgres).await;
}
