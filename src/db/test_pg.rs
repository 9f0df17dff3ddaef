//! Fresh PostgreSQL databases for test runs, and whether a test must fail or may skip without one.

use super::{DbError, DbResult};
use diesel::{connection::SimpleConnection, pg::PgConnection, Connection};

/// Creates a fresh PostgreSQL database through an admin connection and returns its URL
/// (test suites use one database per test run; operators use `createdb`).
pub fn create_postgres_database(admin_url: &str, name: &str) -> DbResult<String> {
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(DbError::Connect(format!("invalid database name {name:?}")));
    }
    let mut c = PgConnection::establish(admin_url).map_err(|e| DbError::Connect(e.to_string()))?;
    c.batch_execute(&format!("CREATE DATABASE {name}"))?;
    let base = admin_url
        .rsplit_once('/')
        .map(|(b, _)| b)
        .unwrap_or(admin_url);
    Ok(format!("{base}/{name}"))
}

/// The PostgreSQL admin URL for test runs, and whether tests must fail (not skip) without it.
pub fn test_postgres_admin() -> (String, bool) {
    let url = std::env::var("COHORT_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string());
    let required = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false")
        || std::env::var("COHORT_TEST_REQUIRE_PG").is_ok_and(|v| v == "1");
    (url, required)
}

/// A new empty PostgreSQL database for a test, or `None` (after a loud message) when PostgreSQL
/// is unreachable outside CI. In CI an unreachable PostgreSQL panics: those tests must not skip.
pub fn test_postgres_database(label: &str) -> Option<String> {
    let (admin, required) = test_postgres_admin();
    // PostgreSQL folds unquoted names to lower case; the URL must match.
    let name = format!("cohort_{label}_{}", ulid::Ulid::new()).to_ascii_lowercase();
    drop_stale_test_databases(&admin);
    match create_postgres_database(&admin, &name) {
        Ok(url) => Some(url),
        Err(e) if required => {
            panic!("PostgreSQL is required in CI but unreachable at {admin}: {e}")
        }
        Err(e) => {
            eprintln!(
                "\n!!! SKIPPING PostgreSQL test {label}: cannot reach {admin}: {e}\n!!! (set CI=true or COHORT_TEST_REQUIRE_PG=1 to make this a failure)\n"
            );
            None
        }
    }
}

/// Test databases older than this are dropped when a test makes a new one: most test runs never
/// drop their own (a failed test's database is kept for a look), so without this they pile up.
/// No test runs for an hour, and a database still in use cannot be dropped.
const STALE_TEST_DB_MS: u64 = 3600 * 1000;

/// Drops a test database made by [`test_postgres_database`] once its test passed, closing the
/// connections still open to it (the test's node and pool). For tests whose databases are large.
pub fn drop_test_database(url: &str) -> DbResult<()> {
    let (admin, _) = test_postgres_admin();
    let name = url.rsplit('/').next().unwrap_or_default();
    if !name.starts_with("cohort_") || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return Err(DbError::Connect(format!("not a test database: {name:?}")));
    }
    let mut c = PgConnection::establish(&admin).map_err(|e| DbError::Connect(e.to_string()))?;
    c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))?;
    Ok(())
}

/// Drops `cohort_…_<ulid>` databases whose ULID is older than [`STALE_TEST_DB_MS`]. Best effort:
/// a database still in use, or an unreachable server, is left alone.
fn drop_stale_test_databases(admin_url: &str) {
    use diesel::{sql_types::Text, QueryableByName, RunQueryDsl};
    #[derive(QueryableByName)]
    struct Db {
        #[diesel(sql_type = Text)]
        datname: String,
    }
    let Ok(mut c) = PgConnection::establish(admin_url) else {
        return;
    };
    let query = "SELECT datname FROM pg_database WHERE datname LIKE 'cohort\\_%'";
    let Ok(names) = diesel::sql_query(query).load::<Db>(&mut c) else {
        return;
    };
    let now = crate::domain::time::now_ms() as u64;
    for Db { datname } in names {
        let made = datname
            .rsplit('_')
            .next()
            .and_then(|u| ulid::Ulid::from_string(&u.to_ascii_uppercase()).ok())
            .map(|u| u.timestamp_ms());
        let safe = datname
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || ch == '_');
        if safe && made.is_some_and(|t| now.saturating_sub(t) > STALE_TEST_DB_MS) {
            let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {datname}"));
        }
    }
}
