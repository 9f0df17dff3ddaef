//! Throughput figures for docs/benchmarks.md (a bench binary that prints numbers; no assertions).
//!
//! `cargo bench -p federation-tests --bench throughput` — PostgreSQL figures need the local server
//! (skipped with a message otherwise).

use cohort::{
    db::{self, deliveries::DeliveryRow, Backend, Db},
    domain::{ids::new_id, time::now_ms},
    service,
};
use federation_tests::{database_url, free_port, full_peers, group, text, Store, TestNode};
use std::time::{Duration, Instant};

fn row(i: usize) -> DeliveryRow {
    let now = now_ms();
    DeliveryRow {
        id: new_id(),
        peer: "peer.example".into(),
        inbox: "https://peer.example/inbox".into(),
        actor_ap_id: "https://here.example/users/a".into(),
        activity_ap_id: format!("https://here.example/activities/{i}"),
        payload: "{\"type\":\"Announce\"}".into(),
        status: db::deliveries::PENDING.into(),
        attempts: 0,
        next_attempt_at: now,
        locked_until: None,
        last_error: None,
        created_at: now,
        updated_at: now,
        last_status: None,
    }
}

/// Enqueue N rows, then claim and finish them in batches of 16 (what the worker does, minus HTTP).
async fn queue_bench(label: &str, db: Db, n: usize) {
    db.migrate().expect("migrate");
    let rows: Vec<DeliveryRow> = (0..n).map(row).collect();
    let t = Instant::now();
    db.run(move |c| db::deliveries::enqueue(c, &rows))
        .await
        .expect("enqueue");
    let enqueue = t.elapsed();
    let t = Instant::now();
    let mut done = 0;
    while done < n {
        let batch = db
            .run(|c| db::deliveries::claim_due(c, now_ms(), 60_000, 16))
            .await
            .expect("claim");
        if batch.is_empty() {
            break;
        }
        done += batch.len();
        db.run(move |c| {
            for r in &batch {
                db::deliveries::finish(c, &r.id, db::deliveries::DONE, None, now_ms())?;
            }
            Ok(())
        })
        .await
        .expect("finish");
    }
    let drain = t.elapsed();
    println!(
        "queue/{label}: enqueue {n} rows {:.0} rows/s; claim+finish {:.0} rows/s",
        n as f64 / enqueue.as_secs_f64(),
        done as f64 / drain.as_secs_f64()
    );
}

/// End to end: a group on A announces N posts to a follower on B (signed POST, verification,
/// dedupe, storage); measures until B has stored them all.
async fn fanout_bench(store: Store, n: usize) {
    let (da, dbb) = (
        tempfile::tempdir().expect("dir"),
        tempfile::tempdir().expect("dir"),
    );
    let Some(ua) = database_url(store, da.path(), "bencha") else {
        return;
    };
    let Some(ub) = database_url(store, dbb.path(), "benchb") else {
        return;
    };
    let (pa, pb) = (free_port().await, free_port().await);
    let a = TestNode::start("A", pa, ua, da, full_peers(&[pb])).await;
    let b = TestNode::start("B", pb, ub, dbb, full_peers(&[pa])).await;
    service::users::create_user(&a.node_state, "alice", false, None)
        .await
        .expect("alice");
    group(&a, "wg", Default::default(), false, Some("alice")).await;
    service::users::create_user(&b.node_state, "bob", false, None)
        .await
        .expect("bob");
    service::members::follow(&b.ctx, "bob", &a.handle("wg"))
        .await
        .expect("follow");
    tokio::time::sleep(Duration::from_secs(1)).await;
    let t = Instant::now();
    for i in 0..n {
        service::members::post(
            &a.ctx,
            "alice",
            &a.handle("wg"),
            text(&format!("benchmark post {i}")),
        )
        .await
        .expect("post");
    }
    let posted = t.elapsed();
    loop {
        let got = service::members::timeline(&b.node_state, "bob", n as i64 + 10)
            .await
            .expect("timeline")
            .len();
        if got >= n || t.elapsed() > Duration::from_secs(300) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let total = t.elapsed();
    println!(
        "fanout/{store:?}: {n} posts created in {:.2}s ({:.0}/s); all delivered, verified and stored on B after {:.2}s ({:.0} activities/s)",
        posted.as_secs_f64(),
        n as f64 / posted.as_secs_f64(),
        total.as_secs_f64(),
        n as f64 / total.as_secs_f64()
    );
}

/// The client API on one node: a member posts N statuses through `POST /api/v1/statuses` (a third
/// with a hashtag, every tenth with a poll), then pages of 40 of the home timeline are read with
/// `GET /api/v1/timelines/home?limit=40` — each status entity gathers its author, group, counts,
/// flags, media, tags and poll.
async fn api_bench(store: Store, n: usize, reads: usize) {
    let dir = tempfile::tempdir().expect("dir");
    let Some(url) = database_url(store, dir.path(), "benchapi") else {
        return;
    };
    let port = free_port().await;
    let a = TestNode::start("A", port, url, dir, Default::default()).await;
    let password = "correct horse battery";
    service::users::create_user(&a.node_state, "alice", false, Some(password.into()))
        .await
        .expect("alice");
    group(&a, "wg", Default::default(), false, Some("alice")).await;
    let http = reqwest::Client::new();
    let base = a.base();
    let app: serde_json::Value = http
        .post(format!("{base}/api/v1/apps"))
        .form(&[
            ("client_name", "bench"),
            ("redirect_uris", "urn:ietf:wg:oauth:2.0:oob"),
            ("scopes", "read write"),
        ])
        .send()
        .await
        .expect("app")
        .json()
        .await
        .expect("app json");
    let token: serde_json::Value = http
        .post(format!("{base}/oauth/token"))
        .form(&[
            ("grant_type", "password"),
            ("client_id", app["client_id"].as_str().unwrap_or_default()),
            (
                "client_secret",
                app["client_secret"].as_str().unwrap_or_default(),
            ),
            ("username", "alice"),
            ("password", password),
            ("scope", "read write"),
        ])
        .send()
        .await
        .expect("token")
        .json()
        .await
        .expect("token json");
    let bearer = format!(
        "Bearer {}",
        token["access_token"].as_str().unwrap_or_default()
    );
    let host = a.domain.clone();
    let t = Instant::now();
    for i in 0..n {
        let mut form = vec![(
            "status".to_string(),
            format!(
                "API post {i} @wg@{host}{}",
                if i % 3 == 0 { " #benchmark" } else { "" }
            ),
        )];
        if i % 10 == 0 {
            for o in ["approve", "object", "abstain"] {
                form.push(("poll[options][]".into(), o.into()));
            }
            form.push(("poll[expires_in]".into(), "3600".into()));
        }
        let r = http
            .post(format!("{base}/api/v1/statuses"))
            .header("Authorization", &bearer)
            .form(&form)
            .send()
            .await
            .expect("post");
        assert!(r.status().is_success(), "post failed: {}", r.status());
    }
    let posted = t.elapsed();
    let t = Instant::now();
    let mut statuses = 0;
    for _ in 0..reads {
        let page: Vec<serde_json::Value> = http
            .get(format!("{base}/api/v1/timelines/home?limit=40"))
            .header("Authorization", &bearer)
            .send()
            .await
            .expect("timeline")
            .json()
            .await
            .expect("timeline json");
        statuses += page.len();
    }
    let read = t.elapsed();
    println!(
        "api/{store:?}: {n} statuses posted through the API in {:.2}s ({:.0}/s); {reads} home pages of 40 in {:.2}s ({:.1} ms/page, {:.0} statuses/s)",
        posted.as_secs_f64(),
        n as f64 / posted.as_secs_f64(),
        read.as_secs_f64(),
        read.as_secs_f64() * 1000.0 / reads as f64,
        statuses as f64 / read.as_secs_f64()
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 4)]
async fn main() {
    let dir = tempfile::tempdir().expect("dir");
    let sqlite = Db::open(&Backend::Sqlite(dir.path().join("q.sqlite3")), 4).expect("open");
    queue_bench("sqlite", sqlite, 5000).await;
    if let Some(url) = db::test_postgres_database("benchq") {
        queue_bench(
            "postgresql",
            Db::open(&Backend::Postgres(url), 4).expect("open"),
            5000,
        )
        .await;
    }
    fanout_bench(Store::Sqlite, 300).await;
    fanout_bench(Store::Postgres, 300).await;
    api_bench(Store::Sqlite, 300, 200).await;
    api_bench(Store::Postgres, 300, 200).await;
}
