//! Storage: the only module that imports diesel.
//!
//! One [`DbConnection`] type covers SQLite and PostgreSQL; the backend is picked from the URL
//! scheme at run time (never by trial, since SQLite would accept any string as a path). Queries
//! live in one file per aggregate; backend differences (insert-or-ignore, `SKIP LOCKED`) are
//! branched inside those files only.

pub mod activities;
pub mod actors;
pub mod audit;
pub mod deliveries;
pub mod follows;
pub mod interactions;
pub mod media;
pub mod notifications;
pub mod oauth;
pub mod peers;
pub mod polls;
pub mod posts;
pub mod schema;
pub mod settings;
pub mod tags;
pub mod users;

use diesel::{
    connection::SimpleConnection, pg::PgConnection, sqlite::SqliteConnection, Connection,
};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use std::path::PathBuf;

/// SQLite migrations, embedded at build time.
pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
/// PostgreSQL migrations, embedded at build time; version names match the SQLite ones.
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// A connection to either backend.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Sqlite(SqliteConnection),
    Postgresql(PgConnection),
}

/// Which database to open, decided from the URL's scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Backend {
    /// `sqlite://path` (or `sqlite:path`) and `postgres://`/`postgresql://` URLs; anything else is an error.
    pub fn from_url(url: &str) -> Result<Backend, String> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Backend::Postgres(url.to_string()));
        }
        if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            if path.is_empty() {
                return Err("sqlite URL has no file path".into());
            }
            return Ok(Backend::Sqlite(PathBuf::from(path)));
        }
        Err(format!(
            "{url:?} has an unsupported scheme; use sqlite://PATH or postgres://USER@HOST/DB"
        ))
    }

    /// A short name for logs and metrics.
    pub fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgresql",
        }
    }
}

/// Errors from the storage layer. `NotFound` is separated so callers can answer 404.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("not found")]
    NotFound,
    #[error("already exists: {0}")]
    Conflict(String),
    #[error("database error: {0}")]
    Query(#[from] diesel::result::Error),
    #[error("cannot connect to the database: {0}")]
    Connect(String),
    #[error("migration failed: {0}")]
    Migration(String),
    #[error("database task failed: {0}")]
    Task(String),
}

impl DbError {
    /// Maps diesel's unique-violation to `Conflict`, keeping other errors as they are.
    pub fn from_insert(e: diesel::result::Error, what: &str) -> DbError {
        match e {
            diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            ) => DbError::Conflict(what.to_string()),
            other => DbError::Query(other),
        }
    }
}

/// Result alias for storage calls.
pub type DbResult<T> = Result<T, DbError>;

/// Opens connections of the chosen backend and prepares SQLite ones.
#[derive(Debug)]
struct Manager {
    backend: Backend,
}

impl r2d2::ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = DbError;

    fn connect(&self) -> Result<DbConnection, DbError> {
        match &self.backend {
            Backend::Sqlite(path) => {
                let path = path.to_string_lossy();
                let mut c = SqliteConnection::establish(&path)
                    .map_err(|e| DbError::Connect(e.to_string()))?;
                // busy_timeout first: the other pragmas may wait for a lock held by another connection.
                c.batch_execute(
                    "PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;",
                )
                .map_err(|e| DbError::Connect(e.to_string()))?;
                Ok(DbConnection::Sqlite(c))
            }
            Backend::Postgres(url) => PgConnection::establish(url)
                .map(DbConnection::Postgresql)
                .map_err(|e| DbError::Connect(e.to_string())),
        }
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), DbError> {
        conn.batch_execute("SELECT 1").map_err(DbError::Query)
    }

    fn has_broken(&self, _conn: &mut DbConnection) -> bool {
        false
    }
}

/// A pool of connections to one database; cheap to clone.
#[derive(Clone)]
pub struct Db {
    pool: r2d2::Pool<Manager>,
    backend: Backend,
}

impl Db {
    /// Opens the pool (creating the SQLite file's directory if needed) without migrating.
    pub fn open(backend: &Backend, pool_size: u32) -> DbResult<Db> {
        if let Backend::Sqlite(path) = backend {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .map_err(|e| DbError::Connect(format!("{}: {e}", dir.display())))?;
            }
        }
        if let Backend::Sqlite(path) = backend {
            // WAL is a property of the file: switch once, before the pool opens its connections.
            let mut c = SqliteConnection::establish(&path.to_string_lossy())
                .map_err(|e| DbError::Connect(e.to_string()))?;
            c.batch_execute("PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL;")
                .map_err(|e| DbError::Connect(e.to_string()))?;
        }
        let pool = r2d2::Pool::builder()
            .max_size(pool_size)
            .connection_timeout(std::time::Duration::from_secs(15))
            .build(Manager {
                backend: backend.clone(),
            })
            .map_err(|e| DbError::Connect(e.to_string()))?;
        Ok(Db {
            pool,
            backend: backend.clone(),
        })
    }

    /// Which backend this pool talks to.
    pub fn backend(&self) -> &Backend {
        &self.backend
    }

    /// Applies pending embedded migrations and returns the versions applied.
    pub fn migrate(&self) -> DbResult<Vec<String>> {
        let mut conn = self
            .pool
            .get()
            .map_err(|e| DbError::Connect(e.to_string()))?;
        let applied = match &mut *conn {
            DbConnection::Sqlite(c) => c
                .run_pending_migrations(SQLITE_MIGRATIONS)
                .map(|v| v.iter().map(|m| m.to_string()).collect()),
            DbConnection::Postgresql(c) => c
                .run_pending_migrations(POSTGRES_MIGRATIONS)
                .map(|v| v.iter().map(|m| m.to_string()).collect()),
        };
        applied.map_err(|e| DbError::Migration(e.to_string()))
    }

    /// Runs blocking diesel work on the blocking pool so async tasks never wait on the database.
    pub async fn run<T, F>(&self, f: F) -> DbResult<T>
    where
        F: FnOnce(&mut DbConnection) -> DbResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().map_err(|e| DbError::Connect(e.to_string()))?;
            f(&mut conn)
        })
        .await
        .map_err(|e| DbError::Task(e.to_string()))?
    }
}

impl Db {
    /// Runs `f` in one transaction: all its writes (and the deliveries it queues) commit together
    /// or not at all. On SQLite the transaction takes the write lock at once (`BEGIN IMMEDIATE`),
    /// so concurrent use cases wait for each other instead of failing on a lock upgrade.
    pub async fn tx<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().map_err(|e| DbError::Connect(e.to_string()))?;
            transaction(&mut conn, f)
        })
        .await
        .map_err(|e| DbError::Task(e.to_string()))?
    }
}

/// `Db::tx` on a connection the caller already holds.
pub fn transaction<T, E: From<DbError>>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E> {
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    let begun = match conn {
        DbConnection::Sqlite(c) => {
            AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")
        }
        DbConnection::Postgresql(c) => AnsiTransactionManager::begin_transaction(c),
    };
    begun.map_err(|e| E::from(DbError::Query(e)))?;
    match f(conn) {
        Ok(value) => {
            <DbConnection as Connection>::TransactionManager::commit_transaction(conn)
                .map_err(|e| E::from(DbError::Query(e)))?;
            Ok(value)
        }
        Err(e) => {
            if let Err(r) =
                <DbConnection as Connection>::TransactionManager::rollback_transaction(conn)
            {
                tracing::warn!(error = %r, "rollback failed");
            }
            Err(e)
        }
    }
}

/// `INSERT … ON CONFLICT DO NOTHING` on either backend; evaluates to the inserted row count.
/// (Upserts do not compile through the multi-backend connection, so each arm uses its own.)
macro_rules! insert_or_ignore {
    ($conn:expr, $table:expr, $values:expr) => {{
        use diesel::RunQueryDsl as _;
        match $conn {
            $crate::db::DbConnection::Sqlite(c) => diesel::insert_into($table)
                .values($values)
                .on_conflict_do_nothing()
                .execute(c),
            $crate::db::DbConnection::Postgresql(c) => diesel::insert_into($table)
                .values($values)
                .on_conflict_do_nothing()
                .execute(c),
        }
    }};
}
pub(crate) use insert_or_ignore;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_from_url() {
        assert_eq!(
            Backend::from_url("sqlite://data/x.db").unwrap(),
            Backend::Sqlite("data/x.db".into())
        );
        assert!(matches!(
            Backend::from_url("postgresql://postgres@127.0.0.1/test"),
            Ok(Backend::Postgres(_))
        ));
        // A mistyped PostgreSQL URL must not silently become a SQLite file.
        assert!(Backend::from_url("postgress://x").is_err());
        assert!(Backend::from_url("data/x.db").is_err());
        assert!(Backend::from_url("sqlite://").is_err());
    }

    #[test]
    fn migration_versions_match_between_backends() {
        let names = |dir: &str| {
            let mut v: Vec<String> =
                std::fs::read_dir(format!("{}/migrations/{dir}", env!("CARGO_MANIFEST_DIR")))
                    .unwrap()
                    .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect();
            v.sort();
            v
        };
        let sqlite = names("sqlite");
        assert!(!sqlite.is_empty());
        assert_eq!(sqlite, names("postgres"));
    }
}
