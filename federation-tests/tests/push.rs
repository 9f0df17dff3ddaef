//! Web Push end to end on both backends: subscriptions over the client API (bad input stores
//! nothing), messages queued with their notifications and sent by the push worker to a push
//! service on loopback that checks each VAPID JWT and decrypts each body with the browser's
//! keys; alerts and policies, retries, a restart, and a 410 that deletes the subscription.

use cohort::db;
use federation_tests::{
    api::Api, cohort_calls::create_user, database_url, free_port, push_service::PushService,
    wait_until, Store, TestNode,
};
use serde_json::{json, Value};

const PW: &str = "correct horse battery";
const SUB: &str = "/api/v1/push/subscription";

async fn account_id(api: &Api, acct: &str) -> String {
    let (_, v) = api
        .get(&format!("/api/v1/accounts/lookup?acct={acct}"))
        .await;
    v["id"]
        .as_str()
        .unwrap_or_else(|| panic!("lookup {acct}: {v}"))
        .to_string()
}

async fn newest_notification(api: &Api) -> Value {
    let (_, v) = api.get("/api/v1/notifications?limit=1").await;
    v[0].clone()
}

/// The push rows queued for a notification: `(status, attempts, last_status)`.
async fn pushes(n: &TestNode, notification_id: &str) -> Vec<(String, i32, Option<i32>)> {
    let id = notification_id.to_string();
    n.node_state
        .db
        .run(move |c| db::push::queue::for_notification(c, &id))
        .await
        .expect("push rows")
        .into_iter()
        .map(|r| (r.status, r.attempts, r.last_status))
        .collect()
}

async fn wait_pushed(n: &TestNode, notification_id: &str, status: &str) {
    wait_until(
        30,
        &format!("push of {notification_id} {status}"),
        || async {
            pushes(n, notification_id)
                .await
                .iter()
                .any(|p| p.0 == status)
        },
    )
    .await;
}

fn subscribe_form<'a>(
    endpoint: &'a str,
    p256dh: &'a str,
    auth: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("subscription[endpoint]", endpoint),
        ("subscription[keys][p256dh]", p256dh),
        ("subscription[keys][auth]", auth),
        ("data[alerts][follow]", "true"),
        ("data[alerts][mention]", "true"),
        ("data[alerts][favourite]", "false"),
        ("policy", "all"),
    ]
}

async fn push_flow(store: Store) {
    let dir = tempfile::tempdir().expect("dir");
    // PostgreSQL unavailable outside CI: skipped loudly by the harness.
    let Some(url) = database_url(store, dir.path(), "push") else {
        return;
    };
    let svc = PushService::start().await;
    let mut node = TestNode::start("P", free_port().await, url, dir, Default::default()).await;
    for u in ["alice", "bob", "carol"] {
        create_user(&node, u, PW).await;
    }
    let base = node.base();
    let alice = Api::login_with(&base, "alice", PW, "read write follow push").await;
    let bob = Api::login(&base, "bob", PW).await;
    let carol = Api::login(&base, "carol", PW).await;
    let anon = Api::anonymous(&base);
    let (endpoint, p256dh, auth) = svc.endpoint("alice");

    // Nothing yet; bad input is refused and stores nothing.
    assert_eq!(alice.get(SUB).await.0, 404);
    let good_keys = json!({"p256dh": p256dh, "auth": auth});
    let bad = [
        (
            "an endpoint that is no URL",
            json!({"subscription": {"endpoint": "not a url", "keys": good_keys}}),
        ),
        (
            "an ftp endpoint",
            json!({"subscription": {"endpoint": "ftp://push.example/x", "keys": good_keys}}),
        ),
        ("no endpoint", json!({"subscription": {"keys": good_keys}})),
        (
            "a p256dh that is no P-256 key",
            json!({"subscription": {"endpoint": endpoint, "keys": {"p256dh": "BBBB", "auth": auth}}}),
        ),
        (
            "an auth secret of 4 bytes",
            json!({"subscription": {"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": "AAAAAA"}}}),
        ),
        ("no keys", json!({"subscription": {"endpoint": endpoint}})),
        (
            "an unknown alert type",
            json!({"subscription": {"endpoint": endpoint, "keys": good_keys}, "data": {"alerts": {"shout": true}}}),
        ),
        (
            "an alert that is no boolean",
            json!({"subscription": {"endpoint": endpoint, "keys": good_keys}, "data": {"alerts": {"follow": "maybe"}}}),
        ),
        (
            "an unknown policy",
            json!({"subscription": {"endpoint": endpoint, "keys": good_keys}, "data": {"policy": "friends"}}),
        ),
    ];
    for (what, body) in bad {
        let (s, v) = alice.post(SUB, body).await;
        assert_eq!(s, 422, "{what}: {v}");
        assert!(v["error"].is_string(), "{what}: {v}");
        assert_eq!(alice.get(SUB).await.0, 404, "{what} stored a subscription");
    }
    // Without the push scope, or a token, there is no subscribing.
    let good = json!({"subscription": {"endpoint": endpoint, "keys": good_keys}});
    assert_eq!(bob.post(SUB, good.clone()).await.0, 403);
    assert_eq!(anon.post(SUB, good).await.0, 401);
    assert_eq!(anon.get(SUB).await.0, 401);

    // Subscribe as Mastodon.py does (a form; `policy` at the top).
    let (s, sub) = alice
        .post_form(SUB, &subscribe_form(&endpoint, &p256dh, &auth))
        .await;
    assert_eq!(s, 200, "{sub}");
    assert_eq!(sub["endpoint"], endpoint.as_str());
    assert_eq!(sub["alerts"]["follow"], true);
    assert_eq!(sub["alerts"]["mention"], true);
    assert_eq!(sub["alerts"]["favourite"], false);
    assert_eq!(sub["alerts"]["reblog"], false);
    assert_eq!(sub["policy"], "all");
    let server_key = sub["server_key"].as_str().expect("server_key").to_string();
    let (_, v2) = anon.get("/api/v2/instance").await;
    assert_eq!(
        v2["configuration"]["vapid"]["public_key"],
        server_key.as_str()
    );
    let (_, v1) = anon.get("/api/v1/instance").await;
    assert_eq!(
        v1["configuration"]["vapid"]["public_key"],
        server_key.as_str()
    );
    let (_, app) = alice.get("/api/v1/apps/verify_credentials").await;
    assert_eq!(app["vapid_key"], server_key.as_str());
    assert_eq!(alice.get(SUB).await.1, sub);

    // A follow is pushed, signed with the node's key and readable by alice's browser only.
    let alice_id = account_id(&bob, "alice").await;
    let (s, v) = bob
        .post(&format!("/api/v1/accounts/{alice_id}/follow"), json!({}))
        .await;
    assert_eq!(s, 200, "{v}");
    let follow = newest_notification(&alice).await;
    assert_eq!(follow["type"], "follow");
    let follow_id = follow["id"].as_str().expect("id").to_string();
    wait_pushed(&node, &follow_id, "done").await;
    let got = svc.received();
    assert_eq!(got.len(), 1, "{got:?}");
    let m = got[0].message.clone().expect("decrypted");
    assert_eq!(got[0].vapid, Ok(server_key.clone()));
    assert_eq!(got[0].content_encoding, "aes128gcm");
    assert!(got[0].ttl.is_some());
    assert_eq!(m["notification_type"], "follow");
    assert_eq!(m["notification_id"], follow_id.as_str());
    assert_eq!(
        m["access_token"],
        alice.token.clone().expect("token").as_str()
    );
    assert_eq!(m["preferred_locale"], "en");
    assert!(
        m["title"].as_str().is_some_and(|t| t.contains("bob")),
        "{m}"
    );
    assert!(
        m["icon"].as_str().is_some_and(|i| i.starts_with("http")),
        "{m}"
    );

    // A favourite is not among the alerts: notified, not pushed.
    let post = alice
        .status("Minutes of the steering call", "public", None)
        .await
        .expect("post");
    let post_id = post["id"].as_str().expect("id");
    let (s, _) = bob
        .post(&format!("/api/v1/statuses/{post_id}/favourite"), json!({}))
        .await;
    assert_eq!(s, 200);
    let fav = newest_notification(&alice).await;
    assert_eq!(fav["type"], "favourite");
    assert!(pushes(&node, fav["id"].as_str().expect("id"))
        .await
        .is_empty());

    // A mention is pushed with the post's text.
    bob.status(
        &format!("@alice@{} the agenda is up", node.domain),
        "public",
        None,
    )
    .await
    .expect("mention");
    let mention = newest_notification(&alice).await;
    assert_eq!(mention["type"], "mention");
    let mention_id = mention["id"].as_str().expect("id").to_string();
    wait_pushed(&node, &mention_id, "done").await;
    let m = svc
        .received()
        .last()
        .and_then(|r| r.message.clone())
        .expect("message");
    assert_eq!(m["notification_id"], mention_id.as_str());
    assert!(
        m["body"]
            .as_str()
            .is_some_and(|b| b.contains("the agenda is up")),
        "{m}"
    );

    // Policy `followed`: carol (not followed by alice) is not pushed until alice follows her.
    let (s, v) = alice
        .put_json(SUB, json!({"data": {"policy": "followed"}}))
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["policy"], "followed");
    assert_eq!(v["alerts"]["mention"], true, "alerts kept: {v}");
    // A bad update is refused and changes nothing.
    for body in [
        json!({"data": {"alerts": {"shout": true}}}),
        json!({"data": {"policy": "friends"}}),
    ] {
        let (s, e) = alice.put_json(SUB, body).await;
        assert_eq!(s, 422, "{e}");
        assert_eq!(alice.get(SUB).await.1, v, "unchanged");
    }
    assert_eq!(
        bob.put_json(SUB, json!({"data": {"policy": "none"}}))
            .await
            .0,
        403
    );
    carol
        .status(
            &format!("@alice@{} before you followed me", node.domain),
            "public",
            None,
        )
        .await
        .expect("post");
    let n = newest_notification(&alice).await;
    assert_eq!(n["account"]["username"], "carol");
    assert!(pushes(&node, n["id"].as_str().expect("id"))
        .await
        .is_empty());
    let carol_id = account_id(&alice, "carol").await;
    assert_eq!(
        alice
            .post(&format!("/api/v1/accounts/{carol_id}/follow"), json!({}))
            .await
            .0,
        200
    );
    carol
        .status(
            &format!("@alice@{} now you follow me", node.domain),
            "public",
            None,
        )
        .await
        .expect("post");
    let n = newest_notification(&alice).await;
    wait_pushed(&node, n["id"].as_str().expect("id"), "done").await;

    // A push service failing once: retried with backoff, then delivered once.
    svc.answer("alice", &[503]);
    carol
        .status(&format!("@alice@{} try again", node.domain), "public", None)
        .await
        .expect("post");
    let n = newest_notification(&alice).await;
    let retried = n["id"].as_str().expect("id").to_string();
    wait_pushed(&node, &retried, "done").await;
    assert_eq!(pushes(&node, &retried).await[0].1, 2, "two attempts");
    let answers: Vec<u16> = svc
        .received()
        .iter()
        .filter(|r| {
            r.message
                .as_ref()
                .is_some_and(|m| m["notification_id"] == retried.as_str())
        })
        .map(|r| r.answered)
        .collect();
    assert_eq!(answers, vec![503, 201]);

    // Queued while the node is down, sent after it starts again.
    node.stop().await;
    let carol_row = {
        let n = node.node_state.db.clone();
        n.run(|c| db::actors::local_by_username(c, "carol"))
            .await
            .expect("db")
            .expect("carol")
    };
    cohort::service::compose::compose(
        &node.ctx,
        &carol_row,
        cohort::service::compose::Compose {
            text: format!("@alice@{} while the node was down", node.domain),
            in_reply_to_id: None,
            sensitive: false,
            spoiler_text: None,
            visibility: Some("public".into()),
            media_ids: vec![],
            poll: None,
            language: None,
            idempotency_key: None,
        },
    )
    .await
    .expect("post while down");
    let n = newest_notification_db(&node, "alice").await;
    assert_eq!(pushes(&node, &n).await[0].0, "pending");
    node.restart().await;
    wait_pushed(&node, &n, "done").await;

    // Every notification that reached the service with a 2xx did so once.
    let ok: Vec<String> = svc
        .received()
        .iter()
        .filter(|r| r.answered < 300)
        .filter_map(|r| {
            r.message
                .as_ref()
                .and_then(|m| m["notification_id"].as_str().map(String::from))
        })
        .collect();
    let mut unique = ok.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        ok.len(),
        unique.len(),
        "a message was delivered twice: {ok:?}"
    );
    assert_eq!(
        ok.len(),
        5,
        "follow, mention, carol twice, the one queued while down: {ok:?}"
    );
    assert!(svc.received().iter().all(|r| r.vapid.is_ok()));

    // The browser unsubscribed (410): the subscription is deleted.
    let (gone, p, a) = svc.endpoint("gone");
    svc.answer("gone", &[410]);
    let (s, _) = alice.post_form(SUB, &subscribe_form(&gone, &p, &a)).await;
    assert_eq!(s, 200);
    assert_eq!(
        alice.get(SUB).await.1["endpoint"],
        gone.as_str(),
        "replaced"
    );
    bob.status(
        &format!("@alice@{} are you there?", node.domain),
        "public",
        None,
    )
    .await
    .expect("post");
    wait_until(30, "the subscription deleted after a 410", || async {
        alice.get(SUB).await.0 == 404
    })
    .await;
    assert_eq!(
        svc.received()
            .iter()
            .filter(|r| r.endpoint == "gone")
            .count(),
        1
    );

    // Unsubscribing answers {} (also when there is nothing to remove).
    let (s, _) = alice
        .post_form(SUB, &subscribe_form(&endpoint, &p256dh, &auth))
        .await;
    assert_eq!(s, 200);
    assert_eq!(alice.delete(SUB).await, (200, json!({})));
    assert_eq!(alice.get(SUB).await.0, 404);
    assert_eq!(alice.delete(SUB).await, (200, json!({})));
    assert_eq!(
        alice
            .put_json(SUB, json!({"data": {"policy": "none"}}))
            .await
            .0,
        404
    );
    node.stop().await;
}

async fn newest_notification_db(n: &TestNode, user: &str) -> String {
    let (db, u) = (n.node_state.db.clone(), user.to_string());
    db.run(move |c| {
        let me = db::actors::local_by_username(c, &u)?.expect("user");
        db::notifications::list(c, &me.id, None, None, &[], &[], 1)
    })
    .await
    .expect("notifications")[0]
        .id
        .clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn web_push_reaches_a_push_service_decrypted_and_signed() {
    push_flow(Store::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn web_push_reaches_a_push_service_decrypted_and_signed_on_postgres() {
    push_flow(Store::Postgres).await;
}
