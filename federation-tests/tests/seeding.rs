//! The measuring tools of docs/benchmarks.md work end to end, on both backends: the seeder fills a
//! database through the application's write paths and extends it when run again, and the client
//! load generator drives the client API of a node on that database without an error. Small sizes;
//! nothing here is timed.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use cohort::db::{self, schema::posts, Db};
use diesel::prelude::*;
use federation_tests::bench::{
    load::{self, Limits, Scenario},
    node_config,
    seed::{self, Options},
    seed_posts::Mix,
    seedfile::SeedFile,
};
use federation_tests::{database_url, free_port, Store};
use std::{sync::Arc, time::Duration};

/// Live local posts, counted from the posts themselves (not from the authors' counters), in all
/// or by one author.
async fn stored(db: &Db, author: Option<String>) -> i64 {
    db.run(move |c| {
        let mut q = posts::table
            .filter(posts::local.eq(true))
            .filter(posts::deleted_at.is_null())
            .into_boxed();
        if let Some(a) = author {
            q = q.filter(posts::author_id.eq(a));
        }
        Ok(q.count().get_result::<i64>(c)?)
    })
    .await
    .unwrap()
}

/// Checks what a run left: the file on disk, the sampled statuses, every author's counters.
async fn check(db: &Db, file: &SeedFile, out: &std::path::Path, total: i64) {
    let on_disk = SeedFile::read(out).unwrap().expect("seed file written");
    assert_eq!(on_disk.status_ids, file.status_ids);
    assert_eq!(on_disk.statuses, total as u64);
    assert_eq!(stored(db, None).await, total, "every status stored");
    let ids = file.status_ids.clone();
    let sampled = db.run(move |c| db::posts::by_ids(c, &ids)).await.unwrap();
    assert_eq!(
        sampled.len(),
        file.status_ids.len(),
        "sampled ids are statuses"
    );
    assert!(sampled.iter().all(|p| p.local));
    for member in &file.member_ids {
        let id = member.clone();
        let (_, _, counted, _) = db.run(move |c| db::actors::counts(c, &id)).await.unwrap();
        assert_eq!(
            counted,
            stored(db, Some(member.clone())).await,
            "counters of {member}"
        );
    }
}

async fn run(store: Store) {
    let dir = tempfile::tempdir().unwrap();
    let Some(url) = database_url(store, dir.path(), "seeding") else {
        return;
    };
    let out = dir.path().join("seed.json");
    // Two tasks storing batches of five at once: on PostgreSQL they write as members of different
    // counter slots, so their batches never wait for (or deadlock on) each other's counter rows.
    let batch = 5;
    let mut options = Options {
        database: url.clone(),
        config: None,
        domain: "localhost:8080".into(),
        statuses: 30,
        cast: (6, 2, 2, 2),
        tasks: 2,
        batch,
        mix: Mix {
            replies: 20,
            hashtags: 30,
            polls_per_1000: 100,
            favourites: 30,
            boosts: 10,
            no_group: 10,
        },
        tokens: 3,
        sample: 20,
        out: out.clone(),
    };
    let first = seed::run(&options).await.expect("seed");
    assert_eq!((first.existing, first.added), (0, 30));
    assert_eq!(first.batches.len() as u64, 30 / batch, "one time per batch");
    assert_eq!(first.file.member_ids.len(), 6);
    assert_eq!(first.file.accounts.len(), 3);
    assert_eq!(first.file.status_ids.len(), 20);
    let db = Db::open(&db::Backend::from_url(&url).unwrap(), 2).unwrap();
    check(&db, &first.file, &out, 30).await;

    // Run again for 40: the cast is found again, ten statuses are added.
    options.statuses = 40;
    let again = seed::run(&options).await.expect("seed again");
    assert_eq!((again.existing, again.added), (30, 10));
    assert_eq!(
        again.file.member_ids, first.file.member_ids,
        "the same members"
    );
    check(&db, &again.file, &out, 40).await;

    // The load generator against a node on the seeded database: every request answered.
    let mut config = node_config(None, &again.file.domain, &url, 4).unwrap();
    let port = free_port().await;
    config.server.listen = format!("127.0.0.1:{port}");
    config.api.rate_limit_per_5min = u32::MAX;
    let (node, _) = cohort::Node::build(config).await.unwrap();
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .unwrap();
    let running = node.spawn(listener);
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let seed = Arc::new(again.file.clone());
    let limits = Limits {
        clients: 2,
        duration: Duration::from_secs(60),
        requests: Some(10),
    };
    for s in [
        Scenario::Home,
        Scenario::Status,
        Scenario::Account,
        Scenario::Notifications,
        Scenario::Post,
    ] {
        let summary = load::run(&http, &base, seed.clone(), s, limits).await;
        assert_eq!(
            (summary.ok, summary.errors, summary.first_error),
            (10, 0, None),
            "{s:?}"
        );
    }
    assert_eq!(stored(&db, None).await, 50, "the ten posts of the load");
    running.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_seeder_and_the_load_generator_work_on_sqlite() {
    run(Store::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_seeder_and_the_load_generator_work_on_postgres() {
    run(Store::Postgres).await;
}
