//! The connection pool: opening connections of the chosen backend (SQLite prepared with WAL,
//! `busy_timeout` and foreign keys) and running blocking work off the async threads.

use super::{Backend, DbConnection, DbError, DbResult};
use diesel::{
    connection::{Instrumentation, InstrumentationEvent, SimpleConnection},
    pg::PgConnection,
    sqlite::SqliteConnection,
    Connection,
};
use std::sync::{
    atomic::{AtomicBool, AtomicU64, Ordering},
    Arc, Mutex,
};

/// Opens connections of the chosen backend and prepares SQLite ones.
#[derive(Debug)]
pub(super) struct Manager {
    backend: Backend,
    counts: Arc<Counts>,
}

/// Statements run on every connection of a pool, and the pool's own liveness checks among them.
#[derive(Debug, Default)]
struct Counts {
    statements: AtomicU64,
    checks: AtomicU64,
    /// While set, the text of every statement (with its binds) is kept in `recorded`.
    recording: AtomicBool,
    recorded: Mutex<Vec<String>>,
}

/// Counts the statements a connection runs (a relaxed atomic add each); logs them at trace level
/// for the `cohort::sql` target (`RUST_LOG=cohort::sql=trace`).
struct Counter(Arc<Counts>);

impl Instrumentation for Counter {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::StartQuery { query, .. } = event {
            self.0.statements.fetch_add(1, Ordering::Relaxed);
            tracing::trace!(target: "cohort::sql", "{query}");
            if self.0.recording.load(Ordering::Relaxed) {
                if let Ok(mut r) = self.0.recorded.lock() {
                    r.push(query.to_string());
                }
            }
        }
    }
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
                // temp_store in memory: each transaction the writer combines runs in a savepoint,
                // and SQLite copies every page a savepoint changes to a sub-journal first; in a
                // temporary file, that copy was a write system call per page.
                c.batch_execute(&format!(
                    "PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; \
                     PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = {};",
                    super::checkpoint::WRITER_FALLBACK_PAGES
                ))
                .map_err(|e| DbError::Connect(e.to_string()))?;
                c.set_instrumentation(Counter(self.counts.clone()));
                Ok(DbConnection::Sqlite(c))
            }
            Backend::Postgres(url) => {
                let mut c =
                    PgConnection::establish(url).map_err(|e| DbError::Connect(e.to_string()))?;
                // Statements stay prepared and run on their generic plan, made once without the
                // values: by default PostgreSQL plans again on every call any statement that takes
                // an id list (`= ANY($1)`), a quarter of its time on status reads. Every hot
                // statement's generic plan is checked for scans at 100k statuses
                // (`tests/query_plans.rs`).
                //
                // A generic plan is made at a statement's first run on the connection, from the
                // table's size then, and kept. On a table that was nearly empty at that moment (a
                // new node, the delivery queue before a burst) a sequential scan looked cheapest
                // and stayed chosen as the table grew, until an `ANALYZE` replanned it: the queue's
                // "done" update scanned every delivery row. With `enable_seqscan` off the planner
                // takes an index wherever one serves, at any size; a table with no usable index
                // is still scanned.
                //
                // JIT off: a plan that must still scan (a table with no usable index) is costed
                // above 10^10 with `enable_seqscan` off, far over `jit_above_cost`, so PostgreSQL
                // compiled it with LLVM, inlining and optimizing, on every execution (about 40 ms
                // for a statement on an empty table). Cohort's statements are short; none gains.
                c.batch_execute(
                    "SET plan_cache_mode = force_generic_plan; SET enable_seqscan = off; \
                     SET jit = off",
                )
                .map_err(|e| DbError::Connect(e.to_string()))?;
                c.set_instrumentation(Counter(self.counts.clone()));
                Ok(DbConnection::Postgresql(c))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), DbError> {
        self.counts.checks.fetch_add(1, Ordering::Relaxed);
        conn.batch_execute("SELECT 1").map_err(DbError::Query)
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        match conn {
            DbConnection::Sqlite(_) => false,
            DbConnection::Postgresql(c) => diesel::r2d2::R2D2Connection::is_broken(c),
        }
    }
}

/// A pool of connections to one database; cheap to clone.
#[derive(Clone)]
pub struct Db {
    pub(super) pool: r2d2::Pool<Manager>,
    backend: Backend,
    counts: Arc<Counts>,
    /// SQLite only: the queue of transactions waiting for the writer (see `combine.rs`).
    pub(super) sqlite_writer: Option<std::sync::Arc<super::combine::Combiner>>,
    /// SQLite only: owned while the pool lives; the checkpoint thread ends without it.
    _checkpoints: Option<Arc<()>>,
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
        let counts = Arc::new(Counts::default());
        let pool = r2d2::Pool::builder()
            .max_size(pool_size)
            .connection_timeout(std::time::Duration::from_secs(15))
            // No `SELECT 1` before every use: a broken PostgreSQL connection is dropped when it
            // is returned (`has_broken`), and its one failed query is reported as an error.
            .test_on_check_out(false)
            .build(Manager {
                backend: backend.clone(),
                counts: counts.clone(),
            })
            .map_err(|e| DbError::Connect(e.to_string()))?;
        let checkpoints = match backend {
            Backend::Sqlite(path) => {
                let alive = Arc::new(());
                super::checkpoint::start(path.clone(), Arc::downgrade(&alive));
                Some(alive)
            }
            Backend::Postgres(_) => None,
        };
        Ok(Db {
            pool,
            _checkpoints: checkpoints,
            sqlite_writer: matches!(backend, Backend::Sqlite(_)).then(Default::default),
            backend: backend.clone(),
            counts,
        })
    }

    /// Statements this pool's connections have run since it opened, not counting the pool's own
    /// liveness checks (`/metrics`, and the tests that bound what one request costs).
    pub fn statements(&self) -> u64 {
        let c = &self.counts;
        let checks = c.checks.load(Ordering::Relaxed);
        c.statements.load(Ordering::Relaxed).saturating_sub(checks)
    }

    /// Starts or stops keeping the text of every statement this pool runs (for tests that check
    /// query plans); stopping returns what was kept, each as `SQL -- binds: [..]`.
    pub fn record_statements(&self, on: bool) -> Vec<String> {
        self.counts.recording.store(on, Ordering::Relaxed);
        match self.counts.recorded.lock() {
            Ok(mut r) if !on => std::mem::take(&mut *r),
            _ => Vec::new(),
        }
    }

    /// Which backend this pool talks to.
    pub fn backend(&self) -> &Backend {
        &self.backend
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
