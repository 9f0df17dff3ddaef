//! Storage behaviour on both backends: migrations, actors, dedupe, and the delivery queue claim
//! (on PostgreSQL two claimers never take the same row).

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod support;

use cohort::{
    db::{self, deliveries::DeliveryRow, Backend, Db},
    domain::{ids::new_id, time::now_ms},
};

fn open(backend: Backend) -> Db {
    let db = Db::open(&backend, 4).expect("open");
    db.migrate().expect("migrate");
    db
}

fn sqlite() -> (Db, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("dir");
    let db = open(Backend::Sqlite(dir.path().join("t.sqlite3")));
    (db, dir)
}

fn postgres(label: &str) -> Option<Db> {
    db::test_postgres_database(label).map(|url| open(Backend::Postgres(url)))
}

/// The session's `synchronous_commit` on a PostgreSQL connection.
fn synchronous_commit(c: &mut db::DbConnection) -> String {
    use diesel::{sql_types::Text, QueryableByName, RunQueryDsl};
    #[derive(QueryableByName)]
    struct Setting {
        #[diesel(sql_type = Text)]
        value: String,
    }
    let db::DbConnection::Postgresql(pg) = c else {
        panic!("a PostgreSQL connection");
    };
    diesel::sql_query("SELECT current_setting('synchronous_commit') AS value")
        .get_result::<Setting>(pg)
        .expect("setting")
        .value
}

fn delivery(activity: &str, inbox: &str) -> DeliveryRow {
    let now = now_ms();
    DeliveryRow {
        id: new_id(),
        peer: "peer.example".into(),
        inbox: inbox.into(),
        actor_ap_id: "https://here.example/users/a".into(),
        activity_ap_id: activity.into(),
        payload: "{}".into(),
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

async fn storage_suite(db: Db) {
    // Migrations are idempotent.
    let again = db.clone();
    assert!(tokio::task::spawn_blocking(move || again.migrate())
        .await
        .expect("join")
        .expect("migrate")
        .is_empty());

    // Received ids are deduplicated: while one is being processed, and once it was processed.
    let claim = |id: &'static str, at: i64| {
        let db = db.clone();
        async move {
            db.run(move |c| db::activities::mark_received(c, id, at, 1000))
                .await
                .expect("mark")
        }
    };
    let t = now_ms();
    assert!(claim("https://x.example/a/1", t).await);
    assert!(!claim("https://x.example/a/1", t + 10).await, "in progress");
    // A claim whose process died is taken over once its lease ran out, and only once.
    assert!(claim("https://x.example/a/1", t + 1001).await, "abandoned");
    assert!(!claim("https://x.example/a/1", t + 1002).await);
    db.run(|c| db::activities::finish_received(c, "https://x.example/a/1"))
        .await
        .expect("finish");
    assert!(
        !claim("https://x.example/a/1", t + 100_000).await,
        "done for good"
    );
    // A failed one is forgotten, so that the sender's retry is processed.
    assert!(claim("https://x.example/a/2", t).await);
    db.run(|c| db::activities::unmark_received(c, "https://x.example/a/2"))
        .await
        .expect("unmark");
    assert!(claim("https://x.example/a/2", t + 1).await);
    // A use case's transaction records its activity processed: not one processed or being
    // processed; one whose claim ran out, yes, and for good.
    let record = |id: &'static str, at: i64| {
        let db = db.clone();
        async move {
            db.tx(move |c| db::activities::record_received(c, id, at, 1000))
                .await
                .expect("record")
        }
    };
    assert!(record("https://x.example/a/20", t).await);
    assert!(
        !record("https://x.example/a/20", t + 100_000).await,
        "processed"
    );
    assert!(!claim("https://x.example/a/20", t + 100_000).await);
    assert!(!record("https://x.example/a/1", t).await, "processed");
    assert!(
        !record("https://x.example/a/2", t + 2).await,
        "being processed"
    );
    assert!(record("https://x.example/a/2", t + 1002).await, "abandoned");
    assert!(
        !claim("https://x.example/a/2", t + 100_000).await,
        "done for good"
    );
    // A claim on PostgreSQL commits without waiting for the WAL flush, for its own statement
    // only: the connection's next statement, and a claim inside a transaction, wait again.
    if let Backend::Postgres(_) = db.backend() {
        let settings = db
            .run(move |c| {
                let mut seen = vec![];
                db::activities::mark_received(c, "https://x.example/a/3", t, 1000)?;
                seen.push(synchronous_commit(c));
                db::transaction(c, |c| {
                    db::activities::mark_received(c, "https://x.example/a/4", t, 1000)?;
                    seen.push(synchronous_commit(c));
                    Ok::<_, db::DbError>(())
                })?;
                Ok(seen)
            })
            .await
            .expect("claims");
        assert_eq!(settings, ["on", "on"]);
        // The delivery queue's claim (one statement) and a record transaction that commits
        // without waiting leave the connection's setting as it was.
        let queue_settings = db
            .run(|c| {
                let mut seen = vec![];
                db::deliveries::claim_due(c, now_ms(), 60_000, 1)?;
                seen.push(synchronous_commit(c));
                db::transaction(c, |c| {
                    db::commit_without_waiting(c)?;
                    seen.push(synchronous_commit(c));
                    Ok::<_, db::DbError>(())
                })?;
                seen.push(synchronous_commit(c));
                Ok(seen)
            })
            .await
            .expect("queue settings");
        assert_eq!(queue_settings, ["on", "off", "on"]);
        assert!(!claim("https://x.example/a/3", t + 10).await, "claimed");
        assert!(!claim("https://x.example/a/4", t + 10).await, "claimed");
        // The claim and the processed mark stay prepared on their connection (`db::Kept`):
        // run twice, each is one prepared statement, where diesel would prepare neither.
        let kept = db
            .run(move |c| {
                for n in 5..7 {
                    let id = format!("https://x.example/a/{n}");
                    assert!(db::activities::mark_received(c, &id, t, 1000)?);
                    db::activities::finish_received(c, &id)?;
                }
                Ok(support::prepared(c, "%received_activities%"))
            })
            .await
            .expect("kept");
        let claims = kept.iter().filter(|s| s.contains("synchronous_commit"));
        let marks = kept.iter().filter(|s| s.starts_with("UPDATE"));
        assert_eq!((claims.count(), marks.count()), (1, 1), "{kept:?}");
        assert!(!claim("https://x.example/a/6", t + 100_000).await, "done");
    }

    // One delivery per inbox and activity.
    let rows = vec![
        delivery(
            "https://here.example/activities/1",
            "https://peer.example/inbox",
        ),
        delivery(
            "https://here.example/activities/1",
            "https://peer.example/inbox",
        ),
    ];
    let n = db
        .run(move |c| db::deliveries::enqueue(c, &rows))
        .await
        .expect("enqueue");
    assert_eq!(n, 1);
    // On PostgreSQL any number of rows is one statement text, kept prepared on its connection:
    // one row, then three, add one prepared statement, not two.
    if let Backend::Postgres(_) = db.backend() {
        let kept = db
            .run(|c| {
                for (k, n) in [(1, 1), (2, 3)] {
                    let rows: Vec<_> = (0..n)
                        .map(|i| {
                            let inbox = "https://peer.example/inbox";
                            let mut row =
                                delivery(&format!("https://here.example/p/{k}/{i}"), inbox);
                            // Not pending: the claims below count only their own rows.
                            row.status = db::deliveries::DONE.into();
                            row
                        })
                        .collect();
                    assert_eq!(db::deliveries::enqueue(c, &rows)?, n);
                }
                Ok(support::prepared(c, "INSERT INTO deliveries%"))
            })
            .await
            .expect("enqueue");
        assert_eq!(kept.len(), 1, "{kept:?}");
    }

    // Many rows (more than one statement carries), claimed concurrently: every row is claimed
    // exactly once.
    let rows: Vec<DeliveryRow> = (0..450)
        .map(|i| {
            delivery(
                &format!("https://here.example/activities/m{i}"),
                "https://peer.example/inbox",
            )
        })
        .collect();
    let queued = db
        .run(move |c| db::deliveries::enqueue(c, &rows))
        .await
        .expect("enqueue");
    assert_eq!(queued, 450, "every row queued");
    let mut tasks = Vec::new();
    for _ in 0..4 {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let batch = db
                    .run(|c| db::deliveries::claim_due(c, now_ms(), 60_000, 7))
                    .await
                    .expect("claim");
                if batch.is_empty() {
                    break;
                }
                mine.extend(batch.into_iter().map(|r| r.id));
            }
            mine
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.expect("join"));
    }
    let total = all.len();
    all.sort();
    all.dedup();
    assert_eq!(total, 451, "every row claimed");
    assert_eq!(all.len(), 451, "no row claimed twice");

    // A claimed row is not claimable again until its lease expires.
    let again = db
        .run(|c| db::deliveries::claim_due(c, now_ms(), 60_000, 10))
        .await
        .expect("claim");
    assert!(again.is_empty());
    let later = db
        .run(|c| db::deliveries::claim_due(c, now_ms() + 120_000, 60_000, 500))
        .await
        .expect("claim");
    assert_eq!(later.len(), 451, "expired leases return to the queue");

    // Peer health: failures mark a peer dead; a success revives it.
    let dead = db
        .run(|c| {
            let mut d = false;
            for _ in 0..3 {
                d = db::peers::record_failure(c, "peer.example", 3, now_ms())?;
            }
            Ok(d)
        })
        .await
        .expect("fail");
    assert!(dead);
    let was_dead = db
        .run(|c| db::peers::record_success(c, "peer.example", now_ms()))
        .await
        .expect("ok");
    assert!(was_dead);
    let peer = |c: &mut db::DbConnection| {
        let p = db::peers::get(c, "peer.example")?.expect("peer");
        Ok((p.consecutive_failures, p.dead_since, p.last_success_at))
    };
    let revived = db.run(peer).await.expect("peer");
    assert_eq!((revived.0, revived.1), (0, None), "failures cleared");
    let first = revived.2.expect("success recorded");
    // A healthy peer's recent success stands; a minute later it is recorded again.
    let soon = db
        .run(move |c| db::peers::record_success(c, "peer.example", first + 1_000))
        .await
        .expect("ok");
    assert!(!soon);
    assert_eq!(db.run(peer).await.expect("peer").2, Some(first));
    db.run(move |c| db::peers::record_success(c, "peer.example", first + 61_000))
        .await
        .expect("ok");
    assert_eq!(db.run(peer).await.expect("peer").2, Some(first + 61_000));
    // A failure after that is not hidden by the recent success: the next success clears it.
    db.run(move |c| {
        db::peers::record_failure(c, "peer.example", 3, first + 62_000)?;
        db::peers::record_success(c, "peer.example", first + 63_000)
    })
    .await
    .expect("ok");
    let after = db.run(peer).await.expect("peer");
    assert_eq!((after.0, after.2), (0, Some(first + 63_000)));
    // A peer never seen before is created by its first success.
    let fresh = db
        .run(|c| {
            db::peers::record_success(c, "new.example", now_ms())?;
            Ok(db::peers::get(c, "new.example")?.and_then(|p| p.last_success_at))
        })
        .await
        .expect("ok");
    assert!(fresh.is_some());

    // Accepted deliveries end together: exactly the named rows turn `done`.
    let ids: Vec<String> = later.iter().take(5).map(|r| r.id.clone()).collect();
    let done = |statuses: Vec<(String, i64)>| {
        statuses
            .iter()
            .find(|(s, _)| s == "done")
            .map_or(0, |(_, n)| *n)
    };
    let before = db
        .run(|c| db::deliveries::count_by_status(c, Some("peer.example")))
        .await
        .expect("count");
    let pending = db.run(db::deliveries::count_pending).await.expect("count");
    let (ended, statuses) = db
        .run(move |c| {
            let ended = db::deliveries::finish_done(c, &ids, now_ms())?;
            let none = db::deliveries::finish_done(c, &[], now_ms())?;
            assert_eq!(none, 0);
            Ok((
                ended,
                db::deliveries::count_by_status(c, Some("peer.example"))?,
            ))
        })
        .await
        .expect("finish");
    assert_eq!(ended, 5);
    assert_eq!(done(statuses) - done(before), 5);
    let left = db.run(db::deliveries::count_pending).await.expect("count");
    assert_eq!((pending - left, left), (5, pending - 5));
    assert!(pending > 5, "{pending}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn storage_on_sqlite() {
    let (db, _dir) = sqlite();
    storage_suite(db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn storage_on_postgres() {
    if let Some(db) = postgres("storage") {
        storage_suite(db).await;
    }
}

/// `n` transactions at once, every fourth failing after its write: the failed ones leave nothing,
/// the others are stored. On SQLite the first holds the writer's turn until the others wait, so
/// they must share commits (each in its own savepoint).
async fn concurrent_transactions(db: Db, combining: bool) {
    use std::time::{Duration, Instant};
    const N: usize = 40;
    let id = |i: usize| format!("https://p.example/activities/{i}");
    let (started, is_started) = std::sync::mpsc::channel();
    let (before_ran, before_commits) = db.shared_commits();
    let first = {
        let (db, probe) = (db.clone(), db.clone());
        tokio::spawn(async move {
            db.tx(move |c| {
                let _ = started.send(());
                let until = Instant::now() + Duration::from_secs(10);
                while combining && probe.waiting_writers() < N - 1 && Instant::now() < until {
                    std::thread::sleep(Duration::from_millis(2));
                }
                db::activities::mark_received(c, &id(0), now_ms(), 60_000)
            })
            .await
        })
    };
    tokio::task::spawn_blocking(move || is_started.recv().expect("the first began"))
        .await
        .expect("join");
    let others: Vec<_> = (1..N)
        .map(|i| {
            let db = db.clone();
            tokio::spawn(async move {
                db.tx(move |c| {
                    db::activities::mark_received(c, &id(i), now_ms(), 60_000)?;
                    if i % 4 == 0 {
                        return Err(db::DbError::Conflict(format!("refused {i}")));
                    }
                    Ok(())
                })
                .await
            })
        })
        .collect();
    assert!(first.await.expect("join").expect("first"));
    for (i, t) in (1..N).zip(others) {
        let result = t.await.expect("join");
        assert_eq!(result.is_err(), i % 4 == 0, "transaction {i}: {result:?}");
    }
    for i in 0..N {
        // Claiming again succeeds only where nothing was stored.
        let fresh = db
            .run(move |c| db::activities::mark_received(c, &id(i), now_ms(), 60_000))
            .await
            .expect("claim");
        assert_eq!(
            fresh,
            i % 4 == 0 && i > 0,
            "activity {i} stored: {}",
            !fresh
        );
    }
    let (ran, commits) = db.shared_commits();
    if combining {
        assert_eq!(ran - before_ran, N as u64, "every transaction ran once");
        assert!(
            commits - before_commits <= 3,
            "{N} transactions took {} commits",
            commits - before_commits
        );
    } else {
        assert_eq!((ran, commits), (0, 0), "no combining on PostgreSQL");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_transactions_share_commits_and_fail_alone() {
    let (db, _dir) = sqlite();
    concurrent_transactions(db, true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_transactions_fail_alone() {
    if let Some(db) = postgres("concurrent_tx") {
        concurrent_transactions(db, false).await;
    }
}

/// Every pooled SQLite connection keeps its temporary data in memory: the savepoint each combined
/// transaction runs in copies the pages it changes to a sub-journal, which would otherwise be a
/// temporary file written page by page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_sub_journals_stay_in_memory() {
    use diesel::{sql_types::Integer, QueryableByName, RunQueryDsl};
    #[derive(QueryableByName)]
    struct Store {
        #[diesel(sql_type = Integer)]
        temp_store: i32,
    }
    fn temp_store(c: &mut db::DbConnection) -> i32 {
        let db::DbConnection::Sqlite(c) = c else {
            panic!("a SQLite connection");
        };
        diesel::sql_query("PRAGMA temp_store")
            .get_result::<Store>(c)
            .expect("pragma")
            .temp_store
    }
    let (db, _dir) = sqlite();
    // A reader and the writer (which runs the combined transactions).
    let read = db.run(|c| Ok(temp_store(c))).await.expect("read");
    let write = db
        .tx(|c| Ok::<_, db::DbError>(temp_store(c)))
        .await
        .expect("write");
    assert_eq!((read, write), (2, 2), "2 is MEMORY");
}

/// Live events on PostgreSQL: a listener hears every payload, in order. Outside a transaction the
/// notifying commit does not wait for the WAL flush, for its own statement only; inside a
/// caller's transaction the setting is left alone. Each form stays prepared.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notifications_commit_without_waiting_on_postgres() {
    let Some(url) = db::test_postgres_database("notify") else {
        return;
    };
    let db = open(Backend::Postgres(url.clone()));
    let listener = db::notify::Listener::open(&url, "cohort_test").expect("listen");
    let heard = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let (h, done) = (
        heard.clone(),
        std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false)),
    );
    let stop = done.clone();
    let thread = std::thread::spawn(move || {
        listener.run(
            &|| stop.load(std::sync::atomic::Ordering::Relaxed),
            &mut |p| h.lock().unwrap().push(p.to_string()),
        )
    });
    let (settings, kept) = db
        .run(|c| {
            let mut seen = vec![];
            let first = ["a".to_string(), "b".to_string()];
            db::notify::send(c, "cohort_test", &first)?;
            seen.push(synchronous_commit(c));
            db::transaction(c, |c| {
                db::notify::send(c, "cohort_test", &["c".to_string()])?;
                seen.push(synchronous_commit(c));
                Ok::<_, db::DbError>(())
            })?;
            db::notify::send(c, "cohort_test", &["d".to_string()])?;
            Ok((seen, support::prepared(c, "%pg_notify%")))
        })
        .await
        .expect("send");
    assert_eq!(settings, ["on", "on"]);
    let quick = kept.iter().filter(|s| s.contains("synchronous_commit"));
    assert_eq!((quick.count(), kept.len()), (1, 2), "{kept:?}");
    // The listener polls its socket; wait (bounded) until it heard all four.
    for _ in 0..500 {
        if heard.lock().unwrap().len() >= 4 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    thread.join().expect("listener");
    assert_eq!(*heard.lock().unwrap(), ["a", "b", "c", "d"]);
}
