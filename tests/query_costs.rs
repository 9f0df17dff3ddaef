//! What one client request costs in SQL statements, on SQLite and PostgreSQL: a page of the home
//! timeline, one status, a thread, an account's statuses and notifications are read in a small,
//! fixed number of statements whatever the page holds (authors, groups, replies, polls, hashtags,
//! mentions, favourites, bookmarks). Counted by the pool's own statement counter on a node that
//! serves HTTP without background workers, so nothing else runs statements meanwhile (the live
//! events of earlier writes are sent before counting).

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod support;

use cohort::{db, Node};
use serde_json::{json, Value};
use support::{http::*, scene::*, *};

/// Statements the node runs while answering `GET path`.
async fn cost(n: &Node, c: &Client, path: &str) -> (u64, Value) {
    // The live events of the scene's posts go out after each use case returned (PostgreSQL).
    n.state.events.settled().await;
    let before = n.state.db.statements();
    let body = c.get(path).await;
    (n.state.db.statements() - before, body)
}

async fn run(db_url: String) {
    if std::env::var("COHORT_TEST_SQL").is_ok() {
        let _ = tracing_subscriber::fmt()
            .with_env_filter("cohort::sql=trace")
            .try_init();
    }
    let dir = tempfile::tempdir().unwrap();
    let n = node(db_url, &dir, &[], None).await;
    let Scene { reader, ids, .. } = scene(&n).await;
    let (small, page) = cost(&n, &reader, "/api/v1/timelines/home?limit=5").await;
    assert_eq!(page.as_array().unwrap().len(), 5);
    let (full, page) = cost(&n, &reader, "/api/v1/timelines/home?limit=40").await;
    let statuses = page.as_array().unwrap();
    assert_eq!(statuses.len(), 40, "a full page");
    assert!(
        statuses.iter().any(|s| !s["poll"].is_null()),
        "polls on the page"
    );
    assert!(statuses.iter().any(|s| s["favourited"] == json!(true)));
    println!("home timeline: {small} statements for 5 statuses, {full} for 40");
    // Per page, not per status: the token with its member, the sources, the merged page, the
    // audience rule's reads, the reader's blocks, mutes, exclusive lists, filters and followed
    // hashtags, and the page's facts: what links the posts (mentions, hashtags, parents), the
    // actors with their counts, the posts' counts with the reader's marks, media and polls.
    assert!(full <= 18, "home timeline page of 40 ran {full} statements");
    assert!(
        full <= small + 2,
        "40 statuses cost {full}, 5 cost {small}: grows with the page"
    );

    let (one, s) = cost(&n, &reader, &format!("/api/v1/statuses/{}", ids[42])).await;
    assert_eq!(s["id"], json!(ids[42]));
    println!("status by id: {one} statements");
    assert!(one <= 10, "status by id ran {one} statements");

    let (thread, ctx) = cost(
        &n,
        &reader,
        &format!("/api/v1/statuses/{}/context", ids[30]),
    )
    .await;
    assert!(!ctx["ancestors"].as_array().unwrap().is_empty());
    println!("context: {thread} statements");
    assert!(thread <= 22, "context ran {thread} statements");

    let bob_id = reader.get("/api/v1/accounts/lookup?acct=bob").await["id"].clone();
    let path = format!(
        "/api/v1/accounts/{}/statuses?limit=40",
        bob_id.as_str().unwrap()
    );
    let (account, list) = cost(&n, &reader, &path).await;
    assert_eq!(list.as_array().unwrap().len(), 30);
    println!("account statuses: {account} statements");
    assert!(account <= 14, "account statuses ran {account} statements");

    // A list of bob and the group `ward` (carol's posts) pages as the home timeline does.
    let mut members = Vec::new();
    for acct in ["bob", "ward"] {
        let found = reader
            .get(&format!("/api/v1/accounts/lookup?acct={acct}"))
            .await;
        members.push(found["id"].clone());
    }
    let created = reader.post("/api/v1/lists", json!({"title": "both"})).await;
    let list_id = created["id"].as_str().unwrap().to_string();
    let body = json!({ "account_ids": members });
    reader
        .post(&format!("/api/v1/lists/{list_id}/accounts"), body)
        .await;
    let path = format!("/api/v1/timelines/list/{list_id}");
    let (small, _) = cost(&n, &reader, &format!("{path}?limit=5")).await;
    let (full, page) = cost(&n, &reader, &format!("{path}?limit=40")).await;
    assert_eq!(page.as_array().unwrap().len(), 40, "a full list page");
    println!("list timeline: {small} statements for 5 statuses, {full} for 40");
    assert!(full <= 17, "list timeline page of 40 ran {full} statements");
    assert!(full <= small + 2, "40 statuses cost {full}, 5 cost {small}");

    let (notes, list) = cost(&n, &reader, "/api/v1/notifications?limit=40").await;
    assert!(list.as_array().unwrap().len() >= 30, "mentions notified");
    println!("notifications: {notes} statements");
    assert!(notes <= 14, "notifications ran {notes} statements");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_cost_a_fixed_number_of_statements_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    run(format!(
        "sqlite://{}",
        dir.path().join("costs.sqlite3").display()
    ))
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_cost_a_fixed_number_of_statements_postgres() {
    let Some(url) = db::test_postgres_database("costs") else {
        return;
    };
    run(url).await;
}
