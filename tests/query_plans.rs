//! The plans of the statements hot requests run, at 100,000 statuses, on SQLite and PostgreSQL:
//! every statement that the home (with a followed hashtag), list, public, hashtag (with extra
//! hashtags), direct, account, favourites and bookmarks timelines, a status, a thread,
//! notifications, follow suggestions, the directory, the weekly activity and posting run is
//! recorded, then explained; a sequential scan of a large table fails the test. On PostgreSQL,
//! whose connections run every statement on its generic plan, each is also prepared and run on
//! that plan with its values (`EXPLAIN ANALYZE`, rolled back): a scan, or a node that drops or
//! probes more than 2,000 rows, fails it. The statements are the ones the requests really ran.

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod support;

use cohort::{db, Node};
use support::{explain::*, scene::*, *};

/// A list of the reader's (bob and the group `lab`) and a filter with a keyword, so list
/// timelines and filtered reads run their statements.
async fn reading_list(reader: &support::http::Client) -> String {
    let mut members = Vec::new();
    for acct in ["bob", "lab"] {
        let found = reader
            .get(&format!("/api/v1/accounts/lookup?acct={acct}"))
            .await;
        members.push(found["id"].clone());
    }
    let list = reader
        .post("/api/v1/lists", serde_json::json!({"title": "lab"}))
        .await;
    let id = list["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/lists/{id}/accounts");
    reader
        .post(&path, serde_json::json!({"account_ids": members}))
        .await;
    let filter = serde_json::json!({"title": "f", "context": ["home", "notifications", "thread"],
        "keywords_attributes": [{"keyword": "topic3"}]});
    reader.post("/api/v2/filters", filter).await;
    // A followed hashtag (a further seek of the home timeline).
    reader
        .post("/api/v1/tags/topic1/follow", serde_json::json!({}))
        .await;
    id
}

/// Requests whose statements are checked: reads apps make all day, and posting.
fn requests(ids: &[String], bob: &str, list: &str) -> Vec<String> {
    let (mid, old) = (&ids[40], &ids[5]);
    [
        format!("/api/v1/timelines/list/{list}?limit=40"),
        format!("/api/v1/timelines/list/{list}?limit=40&max_id={mid}"),
        format!("/api/v1/timelines/list/{list}?limit=40&min_id={old}"),
        "/api/v1/conversations?limit=40".into(),
        "/api/v1/timelines/home?limit=40".to_string(),
        format!("/api/v1/timelines/home?limit=40&max_id={mid}"),
        format!("/api/v1/timelines/home?limit=40&min_id={old}"),
        format!("/api/v1/timelines/home?limit=40&since_id={old}"),
        "/api/v1/timelines/public?limit=40".into(),
        "/api/v1/timelines/public?limit=40&local=true".into(),
        format!("/api/v1/timelines/public?limit=40&max_id={mid}"),
        "/api/v1/timelines/tag/topic1?limit=40".into(),
        "/api/v1/timelines/tag/topic1?limit=40&any[]=topic2&none[]=topic4&local=true".into(),
        "/api/v1/timelines/tag/topic1?limit=40&all[]=topic3".into(),
        format!("/api/v1/timelines/tag/topic1?limit=40&any[]=topic2&min_id={old}"),
        "/api/v1/timelines/direct?limit=40".into(),
        format!("/api/v1/timelines/direct?limit=40&max_id={mid}"),
        format!("/api/v1/timelines/direct?limit=40&min_id={old}"),
        "/api/v1/followed_tags".into(),
        format!("/api/v1/statuses/{mid}"),
        format!("/api/v1/statuses/{mid}/context"),
        format!("/api/v1/accounts/{bob}/statuses?limit=40"),
        format!("/api/v1/accounts/{bob}/statuses?limit=40&min_id={old}"),
        format!("/api/v1/accounts/{bob}/statuses?limit=20&exclude_replies=true"),
        format!("/api/v1/accounts/{bob}/statuses?limit=20&only_media=true"),
        format!("/api/v1/accounts/{bob}/statuses?limit=20&tagged=topic1"),
        format!("/api/v1/notifications?limit=40&types[]=mention&min_id={old}"),
        format!("/api/v1/accounts/{bob}"),
        "/api/v1/notifications?limit=40".into(),
        "/api/v1/favourites?limit=40".into(),
        "/api/v1/bookmarks?limit=40".into(),
        "/api/v1/accounts/verify_credentials".into(),
        "/api/v2/search?q=%23topic&type=hashtags".into(),
        "/api/v1/tags/topic1".into(),
        "/api/v2/suggestions?limit=40".into(),
        "/api/v1/instance/activity".into(),
        "/api/v1/directory?limit=40".into(),
    ]
    .into()
}

async fn run(db_url: String) {
    let dir = tempfile::tempdir().unwrap();
    let n: Node = node(db_url, &dir, &[], None).await;
    let s = scene(&n).await;
    bulk_history(&n, 100_000).await;
    let bob = s.reader.get("/api/v1/accounts/lookup?acct=bob").await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let list = reading_list(&s.reader).await;
    // A direct status to the reader and a muted thread, so those reads have rows to find.
    let body =
        serde_json::json!({"status": format!("@reader@{HERE} psst"), "visibility": "direct"});
    s.bob.post("/api/v1/statuses", body).await;
    s.reader
        .post(
            &format!("/api/v1/statuses/{}/mute", s.ids[30]),
            serde_json::json!({}),
        )
        .await;
    n.state.db.record_statements(true);
    for path in requests(&s.ids, &bob, &list) {
        s.reader.get(&path).await;
    }
    let body = serde_json::json!({"status": format!("@lab@{HERE} one more")});
    s.bob.post("/api/v1/statuses", body).await;
    let statements = n.state.db.record_statements(false);
    assert!(
        statements.len() > 50,
        "statements recorded: {}",
        statements.len()
    );
    // The check itself: a statement that must scan is caught.
    let control = [
        "SELECT id FROM posts WHERE content = ? -- binds: [\"x\"]".replace(
            '?',
            if n.state.config.database.url.starts_with("sqlite") {
                "?"
            } else {
                "$1"
            },
        ),
    ];
    assert_eq!(
        sequential_scans(&n, &control).await.len(),
        1,
        "a full scan goes unnoticed"
    );
    if !n.state.config.database.url.starts_with("sqlite") {
        // The seek of a list (and of a home timeline without followed hashtags) runs prepared,
        // so on its generic plan after a few pages.
        let (seeks, walks) = generic_key_walks(&n, &statements).await;
        assert!(seeks >= 3, "list seeks recorded: {seeks}");
        assert!(
            walks.is_empty(),
            "generic plans that walk the primary key:\n{}",
            walks.join("\n\n")
        );
        // Every statement on the plan PostgreSQL runs it with (generic: made without the values).
        let bad = [
            "SELECT id FROM posts WHERE content = $1 ORDER BY id LIMIT 1 -- binds: [\"x\"]"
                .to_string(),
        ];
        assert_eq!(
            generic_plan_faults(&n, &bad).await.1.len(),
            1,
            "a walk over the history goes unnoticed"
        );
        let (explained, faults) = generic_plan_faults(&n, &statements).await;
        println!("{explained} statements explained on their generic plans");
        assert!(explained > 50, "generic plans explained: {explained}");
        assert!(
            faults.is_empty(),
            "generic plans that read the history:\n{}",
            faults.join("\n\n")
        );
    }
    let scans = sequential_scans(&n, &statements).await;
    println!("{} statements explained", statements.len());
    assert!(
        scans.is_empty(),
        "sequential scans of large tables:\n{}",
        scans.join("\n\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hot_statements_seek_at_100k_statuses_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    run(format!(
        "sqlite://{}",
        dir.path().join("plans.sqlite3").display()
    ))
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hot_statements_seek_at_100k_statuses_postgres() {
    let Some(url) = db::test_postgres_database("plans") else {
        return;
    };
    run(url.clone()).await;
    // A hundred thousand statuses take a few hundred MB: not kept once the test passed.
    db::drop_test_database(&url).unwrap();
}
