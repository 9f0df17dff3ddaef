//! PostgreSQL keeps each prepared statement's generic plan from its first run on a connection,
//! costed for the table as it was then. A node starts with empty tables, and its delivery queue
//! goes from a few rows to thousands in a burst: a plan made on the near-empty table must still
//! seek by index once it has grown (with a plan costed for the empty table, the queue's "done"
//! update read every row of the queue until an `ANALYZE` replanned it).

#![allow(clippy::expect_used, clippy::unwrap_used)]

use cohort::db::{self, Backend, Db, DbConnection};
use diesel::{connection::SimpleConnection, sql_types::Text, QueryableByName, RunQueryDsl};

#[derive(QueryableByName)]
struct Line {
    #[diesel(sql_type = Text, column_name = "QUERY PLAN")]
    line: String,
}

/// What `EXPLAIN {what}` shows, one line per plan line.
fn explain(pg: &mut diesel::PgConnection, what: &str) -> String {
    diesel::sql_query(format!("EXPLAIN {what}"))
        .load::<Line>(pg)
        .expect("explain")
        .into_iter()
        .map(|l| l.line)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The plan a prepared statement runs on, as `EXPLAIN EXECUTE` shows it.
fn plan_of(pg: &mut diesel::PgConnection, execute: &str) -> String {
    explain(pg, &format!("EXECUTE {execute}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plan_made_on_an_empty_queue_still_seeks_when_it_has_grown_on_postgres() {
    let Some(url) = db::test_postgres_database("growing") else {
        return;
    };
    // A pooled connection, set up as the node sets up every connection.
    let db = Db::open(&Backend::Postgres(url), 2).expect("open");
    db.migrate().expect("migrate");
    let (before, after) = db
        .run(|c| {
            let DbConnection::Postgresql(pg) = c else {
                panic!("a PostgreSQL connection");
            };
            // The statement's first run, on the empty queue, makes its plan.
            pg.batch_execute(
                "PREPARE finish(text[]) AS UPDATE deliveries SET status = 'done' \
                 WHERE id = ANY($1); EXECUTE finish(ARRAY['none'])",
            )?;
            let before = plan_of(pg, "finish(ARRAY['d1', 'd2'])");
            // A burst of 5,000 rows, with no ANALYZE after it.
            pg.batch_execute(
                "INSERT INTO deliveries (id, peer, inbox, actor_ap_id, activity_ap_id, payload, \
                 status, attempts, next_attempt_at, created_at, updated_at) \
                 SELECT 'd' || g, 'p.example', 'https://p.example/inbox', \
                 'https://n.example/actor', 'https://n.example/a/' || g, repeat('x', 1000), \
                 'pending', 0, g, g, g FROM generate_series(1, 5000) AS g",
            )?;
            let after = plan_of(pg, "finish(ARRAY['d1', 'd2'])");
            Ok::<_, db::DbError>((before, after))
        })
        .await
        .expect("plans");
    for plan in [&before, &after] {
        assert!(!plan.contains("Seq Scan"), "a sequential scan:\n{plan}");
        assert!(plan.contains("deliveries_pkey"), "no seek by id:\n{plan}");
    }
}

/// A statement that must scan (no index serves it) is costed above 10^10 once sequential scans
/// are discouraged; with JIT on, PostgreSQL compiled such a plan with LLVM on every execution.
/// The node's connections run without JIT, so the scan is just a scan.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scan_is_not_compiled_on_every_run_on_postgres() {
    let Some(url) = db::test_postgres_database("nojit") else {
        return;
    };
    let db = Db::open(&Backend::Postgres(url), 1).expect("open");
    db.migrate().expect("migrate");
    let plan = db
        .run(|c| {
            let DbConnection::Postgresql(pg) = c else {
                panic!("a PostgreSQL connection");
            };
            // No index covers a delivery's payload: the plan scans, and is costed as disabled.
            pg.batch_execute(
                "PREPARE by_payload(text) AS SELECT id FROM deliveries WHERE payload = $1",
            )?;
            Ok::<_, db::DbError>(explain(pg, "(ANALYZE) EXECUTE by_payload('x')"))
        })
        .await
        .expect("plan");
    assert!(
        plan.contains("Seq Scan"),
        "the statement should scan:\n{plan}"
    );
    assert!(!plan.contains("JIT"), "compiled by JIT:\n{plan}");
}
