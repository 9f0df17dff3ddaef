//! `GET /api/v1/instance/activity` over HTTP, on SQLite and on PostgreSQL: twelve weeks, newest
//! first, Mastodon's strings; local statuses, members created and members signing in (once a
//! week each, whether by a new token or by a token's first use in the week) counted as they
//! happen; a refused post counts nothing; on an allowlist node for members only.

use cohort::{db, domain::policy::FederationMode};
use federation_tests::{api::Api, database_url, free_port, Store, TestNode};
use serde_json::{json, Value};

const PW: &str = "correct horse battery";
const WEEK: i64 = 7 * 86_400;

fn now_secs() -> i64 {
    chrono::Utc::now().timestamp()
}

/// (statuses, logins, registrations) of the current week, checking the shape of all twelve.
async fn current(api: &Api) -> (i64, i64, i64) {
    let before = now_secs();
    let (s, v) = api.get("/api/v1/instance/activity").await;
    assert_eq!(s, 200, "{v}");
    let weeks = v.as_array().unwrap_or_else(|| panic!("a list: {v}"));
    assert_eq!(weeks.len(), 12, "{v}");
    let num = |w: &Value, k: &str| -> i64 {
        w[k].as_str()
            .unwrap_or_else(|| panic!("{k} is a string: {w}"))
            .parse()
            .unwrap_or_else(|_| panic!("{k} is digits: {w}"))
    };
    let monday = |t: i64| t - (t - 4 * 86_400).rem_euclid(WEEK);
    let first = num(&weeks[0], "week");
    assert!(
        first == monday(before) || first == monday(now_secs()),
        "the current week's Monday 00:00 UTC: {first}"
    );
    for (i, w) in weeks.iter().enumerate() {
        assert_eq!(num(w, "week"), first - i as i64 * WEEK, "newest first: {v}");
        for k in ["statuses", "logins", "registrations"] {
            assert!(num(w, k) >= 0);
        }
    }
    (
        num(&weeks[0], "statuses"),
        num(&weeks[0], "logins"),
        num(&weeks[0], "registrations"),
    )
}

async fn user(n: &TestNode, name: &str) {
    cohort::service::users::create_user(&n.node_state, name, false, Some(PW.into()))
        .await
        .expect("user");
}

async fn run(store: Store) {
    let dir = tempfile::tempdir().expect("dir");
    let Some(url) = database_url(store, dir.path(), "weekly") else {
        return; // PostgreSQL unavailable outside CI: skipped loudly by the harness.
    };
    let n = TestNode::start("A", free_port().await, url, dir, Default::default()).await;
    assert_eq!(n.config.federation.mode, FederationMode::Allowlist);
    let base = n.base();
    user(&n, "alice").await;
    let alice = Api::login(&base, "alice", PW).await;
    let (s0, l0, r0) = current(&alice).await;
    assert!(l0 >= 1, "alice signed in this week");
    assert!(r0 >= 1, "alice was created this week");

    // Anonymous visitors of an allowlist node are refused (as the peers list is).
    let (s, v) = Api::anonymous(&base).get("/api/v1/instance/activity").await;
    assert_eq!(s, 401, "{v}");
    assert!(v["error"].is_string());

    user(&n, "bob").await;
    user(&n, "carol").await;
    let bob = Api::login(&base, "bob", PW).await;
    Api::login(&base, "bob", PW).await;
    Api::login(&base, "carol", PW).await;
    Api::login(&base, "alice", PW).await;
    for (who, text) in [(&alice, "one"), (&alice, "two"), (&bob, "three")] {
        let (s, v) = who.post("/api/v1/statuses", json!({"status": text})).await;
        assert_eq!(s, 200, "{v}");
    }
    let (s, v) = bob.post("/api/v1/statuses", json!({"status": ""})).await;
    assert_eq!(s, 422, "an empty status is refused: {v}");
    let (s1, l1, r1) = current(&alice).await;
    assert_eq!(s1 - s0, 3, "three statuses");
    assert_eq!(
        l1 - l0,
        2,
        "bob and carol signed in; alice was counted already"
    );
    assert_eq!(r1 - r0, 2, "bob and carol were created");

    // A token issued in an earlier week counts at its first use this week, once.
    let bob_id = bob
        .get("/api/v1/accounts/verify_credentials")
        .await
        .1
        .get("id")
        .and_then(Value::as_str)
        .expect("id")
        .to_string();
    let earlier = (now_secs() - 8 * 86_400) * 1000;
    n.node_state
        .db
        .run(move |c| {
            use db::schema::{oauth_tokens, weekly_logins};
            use diesel::prelude::*;
            diesel::update(oauth_tokens::table.filter(oauth_tokens::user_id.eq(&bob_id)))
                .set(oauth_tokens::last_used_at.eq(Some(earlier)))
                .execute(c)?;
            diesel::delete(weekly_logins::table.filter(weekly_logins::user_id.eq(&bob_id)))
                .execute(c)?;
            Ok(())
        })
        .await
        .expect("an earlier week");
    for _ in 0..3 {
        let (s, _) = bob.get("/api/v1/accounts/verify_credentials").await;
        assert_eq!(s, 200);
    }
    let (s2, l2, r2) = current(&alice).await;
    assert_eq!((s2, l2, r2), (s1, l1 + 1, r1), "bob's first use this week");

    // An open node shows its activity to anyone.
    let dir = tempfile::tempdir().expect("dir");
    let Some(url) = database_url(store, dir.path(), "weeklyopen") else {
        return;
    };
    let open = TestNode::start_with("O", free_port().await, url, dir, Default::default(), |c| {
        c.federation.mode = FederationMode::Open
    })
    .await;
    let (_, _, r) = current(&Api::anonymous(&open.base())).await;
    user(&open, "olga").await;
    let (_, _, r2) = current(&Api::anonymous(&open.base())).await;
    assert_eq!(r2, r + 1, "olga was created");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instance_activity_on_sqlite() {
    run(Store::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instance_activity_on_postgres() {
    run(Store::Postgres).await;
}
