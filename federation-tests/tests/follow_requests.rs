//! Follow requests through the Mastodon API (`GET /api/v1/follow_requests`, `POST
//! /api/v1/follow_requests/{id}/authorize|reject`): a locked member answers those to follow
//! them and, as its moderator, those to join an approval-only group, in one list; the requesters'
//! nodes hear `Accept` or `Reject`. Then she removes followers (`POST
//! /api/v1/accounts/{id}/remove_from_followers`). Two real nodes: A (SQLite or PostgreSQL) and B.

use cohort::{db, domain::policy::PeerLevel, domain::policy::Visibility, service};
use federation_tests::{
    database_url, follow_state, free_port, group,
    paging::{link, Client},
    sqlite_node, wait_until, Store, TestNode,
};
use serde_json::{json, Value};

const PASSWORD: &str = "correct horse battery";

fn usernames(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("a list: {v}"))
        .iter()
        .map(|a| a["acct"].as_str().expect("acct").to_string())
        .collect()
}

/// How many follows of `target` (by name, on A) wait for an answer.
async fn waiting(a: &TestNode, target: &str) -> i64 {
    let name = target.to_string();
    a.node_state
        .db
        .run(move |c| {
            let t = db::actors::local_by_username(c, &name)?.expect("target");
            db::follows::count_followers(c, &t.id, db::follows::FollowState::Pending)
        })
        .await
        .expect("count")
}

async fn account_id(c: &Client, acct: &str) -> String {
    let (s, _, v) = c.get(&format!("/api/v1/accounts/lookup?acct={acct}")).await;
    assert_eq!(s, 200, "{v}");
    v["id"].as_str().expect("id").to_string()
}

async fn requests(store: Store) {
    let (pa, pb) = (free_port().await, free_port().await);
    let dom = |p: u16| format!("localhost:{p}");
    let dir = tempfile::tempdir().expect("dir");
    let Some(url) = database_url(store, dir.path(), "followrequests") else {
        return;
    };
    let a = TestNode::start("A", pa, url, dir, [(dom(pb), PeerLevel::Full)].into()).await;
    let b = sqlite_node("B", pb, [(dom(pa), PeerLevel::Full)].into()).await;
    for name in ["alice", "erin"] {
        service::users::create_user(&a.node_state, name, false, Some(PASSWORD.into()))
            .await
            .expect("user");
    }
    for name in ["bob", "carol"] {
        service::users::create_user(&b.node_state, name, false, None)
            .await
            .expect("user");
    }
    let wg = group(&a, "wg", Visibility::Public, true, Some("alice")).await;
    let base = a.base();
    let alice = Client::login(&base, "alice", PASSWORD).await;
    let erin = Client::login(&base, "erin", PASSWORD).await;
    let r = alice
        .req(
            reqwest::Method::PATCH,
            "/api/v1/accounts/update_credentials",
        )
        .json(&json!({"locked": true}))
        .send()
        .await
        .expect("lock");
    assert_eq!(r.status(), 200);

    // bob asks to follow alice and to join wg; carol to follow alice; erin (here) too.
    for (n, who, target) in [
        (&b, "bob", a.handle("alice")),
        (&b, "bob", a.handle("wg")),
        (&b, "carol", a.handle("alice")),
        (&a, "erin", a.handle("alice")),
    ] {
        let before = waiting(&a, "alice").await + waiting(&a, "wg").await;
        service::follows::follow(&n.ctx, who, &target)
            .await
            .expect("follow");
        // One at a time, so that the requests reach A in this order.
        wait_until(20, "the request waits on A", || async {
            waiting(&a, "alice").await + waiting(&a, "wg").await == before + 1
        })
        .await;
    }
    assert_eq!(
        (waiting(&a, "alice").await, waiting(&a, "wg").await),
        (3, 1)
    );

    // alice sees each requester once, newest request first; pages follow `Link`. Her account
    // counts them.
    let (_, _, me) = alice.get("/api/v1/accounts/verify_credentials").await;
    assert_eq!(me["source"]["follow_requests_count"], 3, "{me}");
    let (s, _, v) = alice.get("/api/v1/follow_requests").await;
    assert_eq!(s, 200, "{v}");
    let acct = |name: &str| b.handle(name).trim_start_matches('@').to_string();
    let (bob_at, carol_at) = (acct("bob"), acct("carol"));
    assert_eq!(
        usernames(&v),
        ["erin".to_string(), carol_at.clone(), bob_at.clone()]
    );
    let (s, headers, v) = alice.get("/api/v1/follow_requests?limit=1").await;
    assert_eq!((s, usernames(&v)), (200, vec!["erin".to_string()]));
    let next = link(&headers, "next").expect("a next page");
    let (_, _, v) = alice.get(&next).await;
    assert_eq!(usernames(&v), vec![carol_at.clone()]);
    // Walked a request at a time, bob (who asked twice) comes once.
    let (pages, _) = alice.walk("/api/v1/follow_requests?limit=1").await;
    assert_eq!(pages.len(), 3, "{pages:?}");
    let (_, _, all) = alice.get("/api/v1/follow_requests").await;
    let ids: Vec<Vec<String>> = all
        .as_array()
        .expect("accounts")
        .iter()
        .map(|a| vec![a["id"].as_str().expect("id").to_string()])
        .collect();
    assert_eq!(pages, ids);

    // Refusals change nothing: no token; erin leads nothing and nobody asked to follow her;
    // an unknown account.
    let bob_id = account_id(&alice, &bob_at).await;
    let (s, v) = Client::anonymous(&base)
        .post(
            &format!("/api/v1/follow_requests/{bob_id}/authorize"),
            json!({}),
        )
        .await;
    assert_eq!(s, 401, "{v}");
    let (s, _, v) = erin.get("/api/v1/follow_requests").await;
    assert_eq!((s, v), (200, json!([])));
    let (s, v) = erin
        .post(
            &format!("/api/v1/follow_requests/{bob_id}/authorize"),
            json!({}),
        )
        .await;
    assert_eq!(s, 404, "{v}");
    assert_eq!(v["error"], "Record not found");
    let (s, v) = alice
        .post("/api/v1/follow_requests/01NOSUCHACCOUNT/reject", json!({}))
        .await;
    assert_eq!(s, 404, "{v}");
    assert_eq!(waiting(&a, "alice").await, 3);
    assert_eq!(waiting(&a, "wg").await, 1);

    assert_eq!(
        requested_by(&alice).await,
        [
            "erin".to_string(),
            carol_at.clone(),
            bob_at.clone(),
            bob_at.clone()
        ],
        "a notification for each request, wg's too"
    );

    // Authorizing bob answers both his requests: B hears both Accepts, and the notifications of
    // his requests go.
    let (s, v) = alice
        .post(
            &format!("/api/v1/follow_requests/{bob_id}/authorize"),
            json!({}),
        )
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(
        (v["id"].as_str(), v["followed_by"].as_bool()),
        (Some(bob_id.as_str()), Some(true))
    );
    let alice_ap = format!("{base}/users/alice");
    wait_until(20, "bob follows alice and is in wg", || async {
        follow_state(&b, "bob", &alice_ap).await.as_deref() == Some("accepted")
            && follow_state(&b, "bob", &wg.ap_id).await.as_deref() == Some("accepted")
    })
    .await;

    assert_eq!(
        requested_by(&alice).await,
        ["erin".to_string(), carol_at.clone()]
    );

    // Rejecting carol ends her request; B hears it and forgets the follow.
    let carol_id = account_id(&alice, &carol_at).await;
    let (s, v) = alice
        .post(
            &format!("/api/v1/follow_requests/{carol_id}/reject"),
            json!({}),
        )
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["followed_by"], false, "{v}");
    wait_until(20, "carol's request is refused on B", || async {
        follow_state(&b, "carol", &alice_ap).await.is_none()
    })
    .await;

    // erin, here, is accepted at once; nothing is left to answer.
    let erin_id = account_id(&alice, "erin").await;
    let (s, v) = alice
        .post(
            &format!("/api/v1/follow_requests/{erin_id}/authorize"),
            json!({}),
        )
        .await;
    assert_eq!((s, v["followed_by"].as_bool()), (200, Some(true)), "{v}");
    let (s, _, v) = alice.get("/api/v1/follow_requests").await;
    assert_eq!((s, v), (200, json!([])));
    let (_, _, me) = alice.get("/api/v1/accounts/verify_credentials").await;
    assert_eq!(me["source"]["follow_requests_count"], 0, "{me}");
    assert!(requested_by(&alice).await.is_empty());

    // A request taken back (`Undo{Follow}`) is gone with its notification.
    service::follows::follow(&b.ctx, "carol", &a.handle("wg"))
        .await
        .expect("carol asks to join");
    wait_until(20, "alice hears of it", || async {
        requested_by(&alice).await == [carol_at.clone()]
    })
    .await;
    service::follows::unfollow(&b.ctx, "carol", &a.handle("wg"))
        .await
        .expect("carol takes it back");
    wait_until(20, "the request and its notification go", || async {
        waiting(&a, "wg").await == 0 && requested_by(&alice).await.is_empty()
    })
    .await;
    let (s, _) = alice
        .post(
            &format!("/api/v1/follow_requests/{bob_id}/authorize"),
            json!({}),
        )
        .await;
    assert_eq!(s, 404, "answered already");
    assert_eq!(
        (waiting(&a, "alice").await, waiting(&a, "wg").await),
        (0, 0)
    );

    // bob reads alice's followers-only posts until she removes him from her followers: B hears
    // `Reject{Follow}` and forgets the follow, and her next one is not sent to B at all.
    alice
        .status(json!({"status": "for followers: one", "visibility": "private"}))
        .await;
    wait_until(20, "B stores it for bob", || async {
        stored(&b, "for followers: one").await
    })
    .await;
    let (s, v) = alice
        .post(
            &format!("/api/v1/accounts/{bob_id}/remove_from_followers"),
            json!({}),
        )
        .await;
    assert_eq!((s, v["followed_by"].as_bool()), (200, Some(false)), "{v}");
    wait_until(20, "B forgets bob's follow", || async {
        follow_state(&b, "bob", &alice_ap).await.is_none()
    })
    .await;
    alice
        .status(json!({"status": "for followers: two", "visibility": "private"}))
        .await;
    federation_tests::drained(&[&a]).await;
    assert_eq!(sent_to(&a, &dom(pb), "for followers: two").await, 0);
    assert!(!stored(&b, "for followers: two").await);
    // erin, here, too; removing an account that does not follow changes nothing; an unknown
    // one is 404.
    let (s, v) = alice
        .post(
            &format!("/api/v1/accounts/{erin_id}/remove_from_followers"),
            json!({}),
        )
        .await;
    assert_eq!((s, v["followed_by"].as_bool()), (200, Some(false)), "{v}");
    assert_eq!(follow_state(&a, "erin", &alice_ap).await, None);
    let (s, v) = alice
        .post(
            &format!("/api/v1/accounts/{carol_id}/remove_from_followers"),
            json!({}),
        )
        .await;
    assert_eq!((s, v["followed_by"].as_bool()), (200, Some(false)), "{v}");
    let (s, _) = alice
        .post(
            "/api/v1/accounts/01NOSUCHACCOUNT/remove_from_followers",
            json!({}),
        )
        .await;
    assert_eq!(s, 404);

    // Unlocking her account accepts every request still waiting, as on Mastodon.
    service::follows::follow(&b.ctx, "carol", &a.handle("alice"))
        .await
        .expect("carol asks again");
    wait_until(20, "carol waits again", || async {
        waiting(&a, "alice").await == 1
    })
    .await;
    let r = alice
        .req(
            reqwest::Method::PATCH,
            "/api/v1/accounts/update_credentials",
        )
        .json(&json!({"locked": false}))
        .send()
        .await
        .expect("unlock");
    assert_eq!(r.status(), 200);
    wait_until(20, "carol follows alice", || async {
        follow_state(&b, "carol", &alice_ap).await.as_deref() == Some("accepted")
    })
    .await;
    assert_eq!(waiting(&a, "alice").await, 0);
    assert!(requested_by(&alice).await.is_empty());
}

/// Who the member's `follow_request` notifications are from, newest first.
async fn requested_by(c: &Client) -> Vec<String> {
    let (s, _, v) = c
        .get("/api/v1/notifications?types[]=follow_request&limit=40")
        .await;
    assert_eq!(s, 200, "{v}");
    v.as_array()
        .expect("notifications")
        .iter()
        .map(|n| n["account"]["acct"].as_str().expect("acct").to_string())
        .collect()
}

/// Whether node `n` stores a post containing `text`.
async fn stored(n: &TestNode, text: &str) -> bool {
    use db::schema::posts::dsl as p;
    use diesel::prelude::*;
    let pattern = format!("%{text}%");
    n.node_state
        .db
        .run(move |c| {
            let count: i64 = p::posts
                .filter(p::content.like(pattern))
                .count()
                .get_result(c)?;
            Ok(count > 0)
        })
        .await
        .expect("posts")
}

/// How many deliveries node `n` queued to `peer` whose activity contains `text`.
async fn sent_to(n: &TestNode, peer: &str, text: &str) -> i64 {
    use db::schema::deliveries::dsl as d;
    use diesel::prelude::*;
    let (peer, pattern) = (peer.to_string(), format!("%{text}%"));
    n.node_state
        .db
        .run(move |c| {
            Ok(d::deliveries
                .filter(d::peer.eq(peer))
                .filter(d::payload.like(pattern))
                .count()
                .get_result(c)?)
        })
        .await
        .expect("deliveries")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn members_answer_follow_requests() {
    requests(Store::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn members_answer_follow_requests_on_postgres() {
    requests(Store::Postgres).await;
}
