//! Write combining on SQLite. SQLite has one writer at a time, so concurrent use cases take turns
//! at the write lock; each turn was a whole transaction with its own commit, which writes every
//! page it touched to the WAL again. Here the writer whose turn it is runs every transaction
//! waiting at that moment (up to [`MAX_COMBINED`]) inside one `BEGIN IMMEDIATE … COMMIT`, each in a
//! savepoint of its own:
//!
//! - a use case that fails is rolled back to its savepoint alone; the others commit;
//! - no use case hears "committed" before the shared commit has succeeded; if that commit fails,
//!   every use case in it gets the error and nothing of any of them is stored;
//! - the order of the transactions is the order they reached the queue, as with a lock.

use super::{DbConnection, DbError};
use diesel::connection::{AnsiTransactionManager, TransactionManager};
use std::{
    panic::{catch_unwind, AssertUnwindSafe},
    sync::{
        atomic::{AtomicU64, Ordering},
        Mutex,
    },
};
use tokio::sync::oneshot;

/// At most this many transactions share one commit.
const MAX_COMBINED: usize = 32;

/// A transaction waiting for the writer.
trait Waiting: Send {
    /// Runs in its own savepoint of the writer's transaction.
    fn run(self: Box<Self>, conn: &mut DbConnection) -> Box<dyn Ran>;
    /// Never ran (no connection could be had).
    fn fail(self: Box<Self>, error: DbError);
}

/// A transaction that ran, waiting for the shared commit.
trait Ran: Send {
    fn settle(self: Box<Self>, commit: Result<(), String>);
}

struct Job<F, T, E> {
    f: F,
    reply: oneshot::Sender<Result<T, E>>,
}

struct Done<T, E> {
    outcome: Result<T, E>,
    reply: oneshot::Sender<Result<T, E>>,
}

impl<F, T, E> Waiting for Job<F, T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
    T: Send + 'static,
    E: From<DbError> + Send + 'static,
{
    fn run(self: Box<Self>, conn: &mut DbConnection) -> Box<dyn Ran> {
        let outcome = in_savepoint(conn, self.f);
        Box::new(Done {
            outcome,
            reply: self.reply,
        })
    }

    fn fail(self: Box<Self>, error: DbError) {
        let _ = self.reply.send(Err(E::from(error)));
    }
}

impl<T: Send, E: From<DbError> + Send> Ran for Done<T, E> {
    fn settle(self: Box<Self>, commit: Result<(), String>) {
        let result = match (self.outcome, commit) {
            (Ok(_), Err(why)) => Err(E::from(DbError::Task(format!("commit failed: {why}")))),
            (outcome, _) => outcome,
        };
        let _ = self.reply.send(result);
    }
}

/// Runs `f` in a savepoint: released when it succeeds, rolled back when it fails or panics.
fn in_savepoint<T, E: From<DbError>>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E> {
    let DbConnection::Sqlite(c) = conn else {
        return Err(E::from(DbError::Task(
            "write combining is for SQLite".into(),
        )));
    };
    AnsiTransactionManager::begin_transaction(c).map_err(|e| E::from(DbError::Query(e)))?;
    let outcome = catch_unwind(AssertUnwindSafe(|| f(conn)))
        .unwrap_or_else(|_| Err(E::from(DbError::Task("a transaction panicked".into()))));
    let DbConnection::Sqlite(c) = conn else {
        unreachable!("the connection stays SQLite")
    };
    match outcome {
        Ok(v) => match AnsiTransactionManager::commit_transaction(c) {
            Ok(()) => Ok(v),
            Err(e) => {
                let _ = AnsiTransactionManager::rollback_transaction(c);
                Err(E::from(DbError::Query(e)))
            }
        },
        Err(e) => {
            if let Err(r) = AnsiTransactionManager::rollback_transaction(c) {
                tracing::warn!(error = %r, "rollback to savepoint failed");
            }
            Err(e)
        }
    }
}

/// The queue of transactions waiting for SQLite's writer, and the writer's turn.
#[derive(Default)]
pub(super) struct Combiner {
    waiting: Mutex<Vec<Box<dyn Waiting>>>,
    turn: Mutex<()>,
    /// Transactions run, and the commits they shared.
    ran: AtomicU64,
    commits: AtomicU64,
}

impl Combiner {
    /// Queues `f`; the answer comes once a writer has run and committed it.
    pub(super) fn queue<F, T, E>(&self, f: F) -> oneshot::Receiver<Result<T, E>>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let job: Box<dyn Waiting> = Box::new(Job { f, reply });
        lock(&self.waiting).push(job);
        answer
    }

    /// Takes the writer's turn and runs what is waiting (blocking). Every `queue` is followed
    /// by one `write`, so no transaction is left waiting; a turn may find the queue empty when
    /// an earlier turn took its transaction.
    pub(super) fn write(&self, pool: &r2d2::Pool<super::pool::Manager>) {
        let _turn = lock(&self.turn);
        let batch: Vec<Box<dyn Waiting>> = {
            let mut waiting = lock(&self.waiting);
            let n = waiting.len().min(MAX_COMBINED);
            waiting.drain(..n).collect()
        };
        if batch.is_empty() {
            return;
        }
        let mut conn = match pool.get() {
            Ok(c) => c,
            Err(e) => {
                for job in batch {
                    job.fail(DbError::Connect(e.to_string()));
                }
                return;
            }
        };
        let DbConnection::Sqlite(c) = &mut *conn else {
            for job in batch {
                job.fail(DbError::Task("write combining is for SQLite".into()));
            }
            return;
        };
        if let Err(e) = AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE") {
            for job in batch {
                job.fail(DbError::Task(format!("cannot begin a transaction: {e}")));
            }
            return;
        }
        let mut ran: Vec<Box<dyn Ran>> = Vec::with_capacity(batch.len());
        let mut rest = batch.into_iter();
        for job in rest.by_ref() {
            ran.push(job.run(&mut conn));
            if !still_open(&mut conn) {
                break;
            }
        }
        // Should SQLite have ended the shared transaction (an I/O error, a full disk), the
        // transactions after the one that ended it are not run outside of it.
        for job in rest {
            job.fail(DbError::Task("the shared transaction ended early".into()));
        }
        let commit =
            <DbConnection as diesel::Connection>::TransactionManager::commit_transaction(&mut conn)
                .map_err(|e| e.to_string());
        if commit.is_err() {
            let _ = <DbConnection as diesel::Connection>::TransactionManager::rollback_transaction(
                &mut conn,
            );
        }
        self.ran.fetch_add(ran.len() as u64, Ordering::Relaxed);
        self.commits.fetch_add(1, Ordering::Relaxed);
        for r in ran {
            r.settle(commit.clone());
        }
    }

    /// Transactions waiting for the writer now.
    pub(super) fn waiting(&self) -> usize {
        lock(&self.waiting).len()
    }

    /// Transactions run so far, and the commits they took.
    pub(super) fn counts(&self) -> (u64, u64) {
        (
            self.ran.load(Ordering::Relaxed),
            self.commits.load(Ordering::Relaxed),
        )
    }
}

/// Whether the writer's transaction is still open with no savepoint left over.
fn still_open(conn: &mut DbConnection) -> bool {
    let DbConnection::Sqlite(c) = conn else {
        return false;
    };
    matches!(
        AnsiTransactionManager::transaction_manager_status_mut(c).transaction_depth(),
        Ok(Some(depth)) if depth.get() == 1
    )
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
