//! Transactions: `Db::tx` and `transaction`, with `BEGIN IMMEDIATE` on SQLite.

use super::{Db, DbConnection, DbError};
use diesel::Connection;

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
        let (pool, writer) = (self.pool.clone(), self.sqlite_writer.clone());
        tokio::task::spawn_blocking(move || {
            // One writing transaction of this process at a time on SQLite: waiting here is a
            // wake-up when the previous one commits, where SQLite's busy handler sleeps and polls.
            let _turn = writer
                .as_ref()
                .map(|w| w.lock().unwrap_or_else(|e| e.into_inner()));
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
