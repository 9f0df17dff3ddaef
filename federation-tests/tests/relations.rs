//! Blocks, mutes and pins between real nodes over HTTP, on SQLite and on PostgreSQL. A is the
//! home of ann and dan; B a full peer (bob, cat); C a peer A treats as limited; D a peer A blocks.
//! ann's block of bob reaches B as `Block` (and `Undo(Block)`); cat's block of ann reaches A,
//! which stops sending ann's posts to cat; a mute stays on A; ann's pins reach B as `Add` and her
//! `featured` collection shows each reader only the pins the audience rule lets it see.

use cohort::{db, domain::policy::PeerLevel};
use federation_tests::{
    api::Api, cohort_calls, database_url, free_port, group, wait_until, Store, TestNode,
};
use serde_json::{json, Value};
use std::collections::BTreeMap;

const PW: &str = "correct horse battery";

fn peers(list: &[(&str, PeerLevel)]) -> BTreeMap<String, PeerLevel> {
    list.iter().map(|(d, l)| (d.to_string(), *l)).collect()
}

/// Whether `n` stores a block of the actor `target_ap` by the actor `actor_ap`.
async fn stores_block(n: &TestNode, actor_ap: &str, target_ap: &str) -> bool {
    let (a, t) = (actor_ap.to_string(), target_ap.to_string());
    n.node_state
        .db
        .run(move |c| {
            let (Some(a), Some(t)) = (db::actors::by_ap_id(c, &a)?, db::actors::by_ap_id(c, &t)?)
            else {
                return Ok(false);
            };
            Ok(db::blocks::by_pair(c, &a.id, &t.id)?.is_some())
        })
        .await
        .expect("blocks")
}

async fn relationship(api: &Api, id: &str) -> Value {
    let (s, v) = api
        .get(&format!("/api/v1/accounts/relationships?id[]={id}"))
        .await;
    assert_eq!(s, 200, "{v}");
    v[0].clone()
}

async fn run(store: Store) {
    let dirs: Vec<tempfile::TempDir> = (0..4).map(|_| tempfile::tempdir().expect("dir")).collect();
    let mut urls = Vec::new();
    for (i, d) in dirs.iter().enumerate() {
        match database_url(store, d.path(), &format!("rel{i}")) {
            Some(u) => urls.push(u),
            None => return, // PostgreSQL unavailable outside CI: skipped loudly by the harness.
        }
    }
    let ports = [
        free_port().await,
        free_port().await,
        free_port().await,
        free_port().await,
    ];
    let d = |i: usize| format!("localhost:{}", ports[i]);
    let levels = [
        vec![
            (d(1), PeerLevel::Full),
            (d(2), PeerLevel::Limited),
            (d(3), PeerLevel::Blocked),
        ],
        vec![(d(0), PeerLevel::Full)],
        vec![(d(0), PeerLevel::Full)],
        vec![(d(0), PeerLevel::Full)],
    ];
    let mut nodes = Vec::new();
    for (i, dir) in dirs.into_iter().enumerate() {
        let list: Vec<(&str, PeerLevel)> =
            levels[i].iter().map(|(d, l)| (d.as_str(), *l)).collect();
        let name = ["A", "B", "C", "D"][i];
        nodes.push(TestNode::start(name, ports[i], urls[i].clone(), dir, peers(&list)).await);
    }
    let (a, b, c, dn) = (&nodes[0], &nodes[1], &nodes[2], &nodes[3]);
    for (n, who) in [(a, "ann"), (a, "dan"), (b, "bob"), (b, "cat")] {
        cohort_calls::create_user(n, who, PW).await;
    }
    let ann = Api::login(&a.base(), "ann", PW).await;
    let dan = Api::login(&a.base(), "dan", PW).await;
    let bob = Api::login(&b.base(), "bob", PW).await;
    let cat = Api::login(&b.base(), "cat", PW).await;
    let ann_ap = format!("{}/users/ann", a.base());
    let (bob_ap, cat_ap) = (
        format!("{}/users/bob", b.base()),
        format!("{}/users/cat", b.base()),
    );

    // bob and cat follow ann; ann follows bob; dan follows ann.
    let ann_on_b = bob
        .follow(&format!("ann@{}", a.domain))
        .await
        .expect("bob follows");
    cat.follow(&format!("ann@{}", a.domain))
        .await
        .expect("cat follows");
    let bob_on_a = ann
        .follow(&format!("bob@{}", b.domain))
        .await
        .expect("ann follows");
    let ann_id = dan.account_id("ann").await.expect("ann on A");
    dan.follow("ann").await.expect("dan follows");
    wait_until(20, "B's follows of ann are accepted", || async {
        relationship(&bob, &ann_on_b).await["following"] == true
            && relationship(&cat, &ann_on_b).await["following"] == true
    })
    .await;
    wait_until(20, "ann's follow of bob is accepted", || async {
        relationship(&ann, &bob_on_a).await["following"] == true
    })
    .await;

    // Bad input changes nothing: blocking yourself, an unknown account.
    let (s, v) = ann
        .post(&format!("/api/v1/accounts/{ann_id}/block"), json!({}))
        .await;
    assert_eq!(s, 422, "{v}");
    assert!(
        v["error"].as_str().is_some_and(|e| e.contains("yourself")),
        "{v}"
    );
    let (s, v) = ann
        .post(
            "/api/v1/accounts/01HZZZZZZZZZZZZZZZZZZZZZZZ/block",
            json!({}),
        )
        .await;
    assert_eq!(s, 404, "{v}");
    let (_, blocks) = ann.get("/api/v1/blocks").await;
    assert_eq!(blocks, json!([]));

    // ann blocks bob: the follows end on both nodes, B stores the block and bob cannot follow.
    let (s, rel) = ann
        .post(&format!("/api/v1/accounts/{bob_on_a}/block"), json!({}))
        .await;
    assert_eq!(s, 200, "{rel}");
    assert_eq!(
        (rel["blocking"].clone(), rel["following"].clone()),
        (json!(true), json!(false))
    );
    assert_eq!(rel["followed_by"], false);
    let (_, blocks) = ann.get("/api/v1/blocks").await;
    assert_eq!(blocks[0]["id"], bob_on_a.as_str(), "{blocks}");
    wait_until(20, "B stores ann's block of bob", || async {
        stores_block(b, &ann_ap, &bob_ap).await
    })
    .await;
    let rel = relationship(&bob, &ann_on_b).await;
    assert_eq!(
        (rel["blocked_by"].clone(), rel["following"].clone()),
        (json!(true), json!(false)),
        "{rel}"
    );
    wait_until(20, "B dropped ann's follow of bob", || async {
        relationship(&bob, &ann_on_b).await["followed_by"] == false
    })
    .await;
    let (s, v) = bob
        .post(&format!("/api/v1/accounts/{ann_on_b}/follow"), json!({}))
        .await;
    assert_eq!(s, 403, "{v}");
    let (s, _) = ann
        .post(&format!("/api/v1/accounts/{bob_on_a}/unblock"), json!({}))
        .await;
    assert_eq!(s, 200);
    wait_until(20, "B drops the block on Undo(Block)", || async {
        !stores_block(b, &ann_ap, &bob_ap).await
    })
    .await;
    assert_eq!(relationship(&bob, &ann_on_b).await["blocked_by"], false);

    // cat (on B) blocks ann: A stores it and ends cat's follow, so ann's followers-only posts no
    // longer go to B (no one there follows her now).
    let (s, rel) = cat
        .post(&format!("/api/v1/accounts/{ann_on_b}/block"), json!({}))
        .await;
    assert_eq!((s, rel["blocking"].clone()), (200, json!(true)), "{rel}");
    wait_until(20, "A stores cat's block of ann", || async {
        stores_block(a, &cat_ap, &ann_ap).await
    })
    .await;
    let cat_on_a = ann
        .account_id(&format!("cat@{}", b.domain))
        .await
        .expect("cat");
    let rel = relationship(&ann, &cat_on_a).await;
    assert_eq!(
        (rel["blocked_by"].clone(), rel["followed_by"].clone()),
        (json!(true), json!(false))
    );
    let private = ann
        .status("for my followers", "private", None)
        .await
        .expect("post");
    let create = cohort_calls::create_activity_id(a, "ann", private["uri"].as_str().unwrap())
        .await
        .expect("create");
    let queued = {
        let (id, peer) = (create.clone(), b.domain.clone());
        a.node_state
            .db
            .run(move |c| db::deliveries::for_activity(c, &id))
            .await
            .expect("deliveries")
            .into_iter()
            .filter(|r| r.peer == peer)
            .count()
    };
    assert_eq!(queued, 0, "nothing of ann's followers-only post goes to B");

    // Mutes stay on A: dan mutes ann for an hour, her posts leave his home timeline; a bad
    // duration is refused and changes nothing.
    let (s, v) = dan
        .post(
            &format!("/api/v1/accounts/{ann_id}/mute"),
            json!({"duration": "soon"}),
        )
        .await;
    assert_eq!(s, 422, "{v}");
    assert_eq!(relationship(&dan, &ann_id).await["muting"], false);
    let (s, rel) = dan
        .post(
            &format!("/api/v1/accounts/{ann_id}/mute"),
            json!({"duration": 3600}),
        )
        .await;
    assert_eq!((s, rel["muting"].clone()), (200, json!(true)), "{rel}");
    assert!(rel["muting_expires_at"].is_string(), "{rel}");
    ann.status("muted words", "public", None)
        .await
        .expect("post");
    let (_, home) = dan.get("/api/v1/timelines/home").await;
    assert!(home
        .as_array()
        .is_some_and(|h| h.iter().all(|s| s["account"]["id"] != ann_id.as_str())));
    let (_, mutes) = dan.get("/api/v1/mutes").await;
    assert_eq!(mutes[0]["id"], ann_id.as_str());

    // Pins: a public post and a public post in a members-only group that bob belongs to; bob
    // follows ann again, so B hears of her pins.
    bob.follow(&format!("ann@{}", a.domain))
        .await
        .expect("bob follows again");
    wait_until(20, "bob's new follow of ann is accepted", || async {
        relationship(&bob, &ann_on_b).await["following"] == true
    })
    .await;
    let wg = group(
        a,
        "wg",
        cohort_calls::visibility("members"),
        false,
        Some("ann"),
    )
    .await;
    bob.follow(&format!("wg@{}", a.domain))
        .await
        .expect("bob joins");
    wait_until(20, "bob joins wg", || async {
        federation_tests::follow_state(b, "bob", &wg.ap_id)
            .await
            .as_deref()
            == Some("accepted")
    })
    .await;
    let plain = ann
        .status("pinned for everyone", "public", None)
        .await
        .expect("post");
    let inner = ann
        .status(
            &format!("pinned for members @wg@{}", a.domain),
            "public",
            None,
        )
        .await
        .expect("group post");
    for p in [&plain, &inner] {
        let (s, v) = ann
            .post(
                &format!("/api/v1/statuses/{}/pin", p["id"].as_str().unwrap()),
                json!({}),
            )
            .await;
        assert_eq!((s, v["pinned"].clone()), (200, json!(true)), "{v}");
    }
    let (s, v) = ann
        .post(
            &format!("/api/v1/statuses/{}/pin", private["id"].as_str().unwrap()),
            json!({}),
        )
        .await;
    assert_eq!(s, 422, "a followers-only post cannot be pinned: {v}");
    wait_until(20, "B shows ann's pinned post", || async {
        let (_, v) = bob
            .get(&format!("/api/v1/accounts/{ann_on_b}/statuses?pinned=true"))
            .await;
        v.as_array()
            .is_some_and(|l| l.iter().any(|s| s["uri"] == plain["uri"]))
    })
    .await;

    // The featured collection, through the audience rule for each reader.
    let featured = format!("{ann_ap}/collections/featured");
    let actor = cohort_calls::signed_get(b, &ann_ap).await;
    assert_eq!(actor.expect("actor")["featured"], featured.as_str());
    let items = |v: Option<Value>| -> Option<Vec<String>> {
        v.map(|v| {
            v["orderedItems"]
                .as_array()
                .expect("items")
                .iter()
                .map(|i| i["id"].as_str().unwrap_or_default().to_string())
                .collect()
        })
    };
    let (plain_uri, inner_uri) = (
        plain["uri"].as_str().unwrap().to_string(),
        inner["uri"].as_str().unwrap().to_string(),
    );
    let by_b = items(cohort_calls::signed_get(b, &featured).await).expect("B reads featured");
    assert!(
        by_b.contains(&plain_uri) && by_b.contains(&inner_uri),
        "{by_b:?}"
    );
    let by_c = items(cohort_calls::signed_get(c, &featured).await).expect("C reads featured");
    assert_eq!(
        by_c,
        vec![plain_uri.clone()],
        "a limited peer sees no group pin"
    );
    assert!(
        cohort_calls::signed_get(dn, &featured).await.is_none(),
        "a blocked peer reads nothing"
    );
    let anon = reqwest::Client::new()
        .get(&featured)
        .header("accept", "application/activity+json")
        .send()
        .await
        .expect("anonymous GET");
    let status = anon.status().as_u16();
    let body: Value = anon.json().await.unwrap_or(Value::Null);
    assert!(
        status == 401 || items(Some(body.clone())) == Some(vec![plain_uri.clone()]),
        "anonymous: {status} {body}"
    );

    // Through the client API: a member of A who is not in wg sees only the plain pin.
    let (_, by_dan) = dan
        .get(&format!("/api/v1/accounts/{ann_id}/statuses?pinned=true"))
        .await;
    let by_dan: Vec<&str> = by_dan
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|s| s["uri"].as_str())
        .collect();
    assert_eq!(
        by_dan,
        vec![plain_uri.as_str()],
        "a non-member sees no group pin"
    );

    // Unpinning reaches B as Remove.
    let (s, _) = ann
        .post(
            &format!("/api/v1/statuses/{}/unpin", plain["id"].as_str().unwrap()),
            json!({}),
        )
        .await;
    assert_eq!(s, 200);
    wait_until(20, "B drops the pin", || async {
        let (_, v) = bob
            .get(&format!("/api/v1/accounts/{ann_on_b}/statuses?pinned=true"))
            .await;
        v.as_array()
            .is_some_and(|l| l.iter().all(|s| s["uri"] != plain["uri"]))
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn relations_between_nodes() {
    run(Store::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn relations_between_nodes_on_postgres() {
    run(Store::Postgres).await;
}
