//! Bad inbound input is answered with a clear error and changes nothing; replays are processed once.

use cohort::{
    db::{self, actors::ActorRow},
    domain::policy::PeerLevel,
    federation::{
        outbound::deliver::{self, Gate, NewActivity},
        urls::Urls,
    },
    service::{self, groups::NewGroup},
};
use federation_tests::{database_url, free_port, wait_until, Store, TestNode};
use serde_json::{json, Value};
use std::sync::atomic::Ordering;

struct Pair {
    a: TestNode,
    b: TestNode,
    group: ActorRow,
    bob: ActorRow,
}

async fn pair() -> Pair {
    let (da, db_) = (
        tempfile::tempdir().expect("dir"),
        tempfile::tempdir().expect("dir"),
    );
    let (pa, pb) = (free_port().await, free_port().await);
    let ua = database_url(Store::Sqlite, da.path(), "a").expect("sqlite");
    let ub = database_url(Store::Sqlite, db_.path(), "b").expect("sqlite");
    let a = TestNode::start(
        "A",
        pa,
        ua,
        da,
        [(format!("localhost:{pb}"), PeerLevel::Full)].into(),
    )
    .await;
    let b = TestNode::start(
        "B",
        pb,
        ub,
        db_,
        [(format!("localhost:{pa}"), PeerLevel::Full)].into(),
    )
    .await;
    let group = service::groups::create_group(
        &a.node_state,
        NewGroup {
            name: "wg".into(),
            display_name: None,
            summary: None,
            approval_required: false,
            visibility: Default::default(),
            moderator: None,
        },
    )
    .await
    .expect("group");
    let (bob, _) = service::users::create_user(&b.node_state, "bob", false, None)
        .await
        .expect("bob");
    Pair { a, b, group, bob }
}

async fn follower_count(p: &Pair) -> i64 {
    let g = p.group.id.clone();
    p.a.node_state
        .db
        .run(move |c| db::follows::count_followers(c, &g, db::follows::FollowState::Pending))
        .await
        .expect("count")
        + {
            let g = p.group.id.clone();
            p.a.node_state
                .db
                .run(move |c| {
                    db::follows::count_followers(c, &g, db::follows::FollowState::Accepted)
                })
                .await
                .expect("count")
        }
}

fn follow_json(p: &Pair, id: &str) -> Value {
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": id,
        "type": "Follow",
        "actor": p.bob.ap_id,
        "object": p.group.ap_id,
    })
}

async fn raw_post(
    url: &str,
    body: Vec<u8>,
    signature: Option<&str>,
    date: Option<String>,
) -> (u16, Value) {
    let mut req = reqwest::Client::new()
        .post(url)
        .header("Content-Type", "application/activity+json")
        .body(body);
    if let Some(s) = signature {
        req = req.header("Signature", s);
    }
    if let Some(d) = date {
        req = req.header("Date", d);
    }
    let res = req.send().await.expect("send");
    let status = res.status().as_u16();
    let body = res.json::<Value>().await.unwrap_or(Value::Null);
    (status, body)
}

fn now_http_date() -> String {
    httpdate(std::time::SystemTime::now())
}

fn httpdate(t: std::time::SystemTime) -> String {
    cohort::domain::time::http_date(t)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn raw_bad_requests_change_nothing() {
    let p = pair().await;
    let inbox = format!("{}/inbox", p.a.base());
    let body = serde_json::to_vec(&follow_json(&p, &format!("{}/activities/x1", p.b.base())))
        .expect("json");
    let key = format!("keyId=\"{}#main-key\",algorithm=\"rsa-sha256\",headers=\"(request-target) host date digest\",signature=\"Zm9v\"", p.bob.ap_id);

    // Missing signature → 401 with a JSON error.
    let (s, e) = raw_post(&inbox, body.clone(), None, Some(now_http_date())).await;
    assert_eq!(s, 401);
    assert!(
        e["error"].as_str().is_some_and(|m| m.contains("signature")),
        "{e}"
    );

    // Wrong signature (from an allowed peer's real actor) → 401.
    let (s, _) = raw_post(&inbox, body.clone(), Some(&key), Some(now_http_date())).await;
    assert_eq!(s, 401);

    // Stale Date (replay outside the skew window) → 401.
    let old = httpdate(std::time::SystemTime::now() - std::time::Duration::from_secs(3600));
    let (s, e) = raw_post(&inbox, body.clone(), Some(&key), Some(old)).await;
    assert_eq!(s, 401, "{e}");

    // Malformed JSON → 400 with a JSON error body.
    let (s, e) = raw_post(
        &inbox,
        b"{\"type\": \"Follow\",".to_vec(),
        Some(&key),
        Some(now_http_date()),
    )
    .await;
    assert_eq!(s, 400);
    assert!(
        e["error"].as_str().is_some_and(|m| m.contains("JSON")),
        "{e}"
    );

    // Too deeply nested JSON → 400.
    let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
    let (s, _) = raw_post(&inbox, deep.into_bytes(), Some(&key), Some(now_http_date())).await;
    assert_eq!(s, 400);

    // Oversized body → 413.
    let (s, _) = raw_post(
        &inbox,
        vec![b' '; 300 * 1024],
        Some(&key),
        Some(now_http_date()),
    )
    .await;
    assert_eq!(s, 413);

    // A signature from a peer that is not allowed → 403.
    let stranger = "keyId=\"http://localhost:1/users/x#main-key\",signature=\"Zm9v\"";
    let (s, _) = raw_post(&inbox, body.clone(), Some(stranger), Some(now_http_date())).await;
    assert_eq!(s, 403);

    assert_eq!(follower_count(&p).await, 0, "nothing was stored");
}

/// Queues `activity` on B for A's inbox (or the group's own inbox) through the real signed path;
/// answers the delivery's final status and A's HTTP status when A refused it.
async fn send_signed(p: &Pair, activity: Value, to_group_inbox: bool) -> (String, Option<i32>) {
    let mut target = p.group.clone();
    target.local = false;
    if to_group_inbox {
        target.shared_inbox = None;
    }
    let id = activity["id"].as_str().expect("id").to_string();
    let queued = NewActivity {
        local_id: id.clone(),
        ap_id: id.clone(),
        json: activity,
    };
    let (config, bob) = (p.b.config.clone(), p.bob.clone());
    p.b.node_state
        .db
        .tx(move |c| deliver::queue(c, &config, &bob, &queued, &[target], Gate::Public))
        .await
        .expect("queue");
    wait_until(20, "delivery finished", || async {
        let i = id.clone();
        let rows =
            p.b.node_state
                .db
                .run(move |c| db::deliveries::for_activity(c, &i))
                .await
                .expect("rows");
        !rows.is_empty() && rows.iter().all(|r| r.status != db::deliveries::PENDING)
    })
    .await;
    let rows =
        p.b.node_state
            .db
            .run(move |c| db::deliveries::for_activity(c, &id))
            .await
            .expect("rows");
    (rows[0].status.clone(), rows[0].last_status)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn signed_but_unacceptable_activities() {
    let p = pair().await;
    let urls = Urls::new(&p.b.config);
    let m = &p.a.node_state.metrics;

    // Unknown activity type → accepted and ignored (202), nothing stored.
    let dance = json!({"id": urls.activity("dance1"), "type": "Dance", "actor": p.bob.ap_id, "object": p.group.ap_id});
    assert_eq!(send_signed(&p, dance, false).await, ("done".into(), None));
    assert_eq!(m.inbox_accepted.load(Ordering::Relaxed), 1);
    assert_eq!(m.inbox_rejected.load(Ordering::Relaxed), 0);
    assert_eq!(follower_count(&p).await, 0);

    // Activity id on another origin than its actor → rejected, nothing stored.
    let forged = follow_json(&p, "http://localhost:9/activities/forged");
    // B keeps A's refusal with its status.
    assert_eq!(
        send_signed(&p, forged, false).await,
        ("refused".into(), Some(403))
    );
    assert_eq!(m.inbox_rejected.load(Ordering::Relaxed), 1);
    assert_eq!(follower_count(&p).await, 0);

    // The same Follow delivered twice (shared inbox and group inbox) is processed once.
    let follow = follow_json(&p, &urls.activity("follow1"));
    assert_eq!(send_signed(&p, follow.clone(), false).await.0, "done");
    assert_eq!(send_signed(&p, follow, true).await.0, "done");
    assert_eq!(m.inbox_duplicates.load(Ordering::Relaxed), 1);
    assert_eq!(follower_count(&p).await, 1);
}

/// A public post that only mentions `@group@host` (no `audience`, group not addressed) is a post
/// into the group: the group stores it. Its only follower node is the post's own, which the
/// group's relay leaves out (that node has the post; Lemmy refuses its own objects sent back).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn mentioning_the_group_posts_into_it() {
    let p = pair().await;
    service::members::follow(&p.b.ctx, "bob", &p.a.handle("wg"))
        .await
        .expect("follow");
    wait_until(20, "bob is a member", || async {
        follower_count(&p).await == 1
    })
    .await;
    let urls = Urls::new(&p.b.config);
    let note_id = urls.post("mention1");
    let create = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": urls.activity("mention1"),
        "type": "Create",
        "actor": p.bob.ap_id,
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "object": {
            "id": note_id,
            "type": "Note",
            "attributedTo": p.bob.ap_id,
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "content": "<p>@wg samples arrive Monday</p>",
            "tag": [{"type": "Mention", "href": p.group.ap_id, "name": format!("@wg@{}", p.a.domain)}],
        },
    });
    assert_eq!(send_signed(&p, create, false).await.0, "done");
    let (g, n) = (p.group.id.clone(), note_id.clone());
    let stored =
        p.a.node_state
            .db
            .run(move |c| db::posts::by_ap_id(c, &n))
            .await
            .expect("post");
    assert_eq!(
        stored.and_then(|s| s.group_id),
        Some(g),
        "the post belongs to the group"
    );
    let announced =
        p.a.node_state
            .db
            .run(move |c| db::deliveries::payloads_for_peer(c, &p.b.domain.clone()))
            .await
            .expect("payloads");
    assert!(
        !announced.iter().any(|a| a.contains(&note_id)),
        "nothing about the post goes back to its node: {announced:?}"
    );
}
