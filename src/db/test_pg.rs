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
