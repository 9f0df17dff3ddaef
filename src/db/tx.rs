//! Transactions: `Db::tx` and `transaction`, with `BEGIN IMMEDIATE` on SQLite.

use super::{Db, DbConnection, DbError};
use diesel::Connection;

impl Db {
    /// Runs `f` in one transaction: all its writes (and the deliveries it queues) commit together
    /// or not at all. On SQLite the transaction takes the write lock at once (`BEGIN IMMEDIATE`),
    /// so concurrent use cases wait for each other instead of failing on a lock upgrade, and
    /// transactions waiting at the same moment share one commit, each in its own savepoint
    /// (`combine.rs`).
    pub async fn tx<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        if let Some(combiner) = self.sqlite_writer.clone() {
            // SQLite: queued for the writer, which may commit it with others (`combine.rs`).
            let answer = combiner.queue(f);
            let pool = self.pool.clone();
            tokio::task::spawn_blocking(move || combiner.write(&pool))
                .await
                .map_err(|e| E::from(DbError::Task(e.to_string())))?;
            return answer
                .await
                .map_err(|_| E::from(DbError::Task("transaction dropped".into())))?;
        }
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().map_err(|e| DbError::Connect(e.to_string()))?;
            transaction(&mut conn, f)
        })
        .await
        .map_err(|e| DbError::Task(e.to_string()))?
    }
}

impl Db {
    /// A write that needs no transaction around it: one statement, or statements each of which
    /// is right on its own whatever runs between them. On SQLite it takes its turn with the other
    /// writers, as `tx` does (a plain write would sleep in SQLite's busy handler instead); on
    /// PostgreSQL it runs as it is, without the `BEGIN` and `COMMIT` round trips of `tx`.
    pub async fn write<T, F>(&self, f: F) -> Result<T, DbError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, DbError> + Send + 'static,
        T: Send + 'static,
    {
        match self.sqlite_writer {
            Some(_) => self.tx(f).await,
            None => self.run(f).await,
        }
    }

    /// SQLite: transactions waiting for the writer now (0 on PostgreSQL).
    pub fn waiting_writers(&self) -> usize {
        self.sqlite_writer.as_ref().map_or(0, |w| w.waiting())
    }

    /// SQLite: the transactions run so far and the commits they shared (zeros on PostgreSQL).
    pub fn shared_commits(&self) -> (u64, u64) {
        self.sqlite_writer.as_ref().map_or((0, 0), |w| w.counts())
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
