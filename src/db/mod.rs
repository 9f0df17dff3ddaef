//! Storage: the only module that imports diesel.
//!
//! One [`DbConnection`] type covers SQLite and PostgreSQL; the backend is picked from the URL
//! scheme at run time (never by trial, since SQLite would accept any string as a path). Queries
//! live in one file per aggregate; backend differences (insert-or-ignore, `SKIP LOCKED`) are
//! branched inside those files only.
//!
//! This file holds the connection type and the insert-or-ignore macro; the backend choice is in
//! `backend.rs`, errors in `error.rs`, the pool in `pool.rs`, migrations in `migrate.rs`,
//! transactions in `tx.rs` and test databases in `test_pg.rs`.

pub mod activities;
pub mod actors;
pub mod audit;
pub mod batch;
pub mod blocks;
pub mod conversations;
pub mod deliveries;
pub mod directory;
pub mod filters;
pub mod fixed;
pub mod follow_requests;
pub mod followed_tags;
pub mod follows;
pub mod interactions;
pub mod leads;
pub mod lists;
pub mod media;
pub mod mutes;
pub mod notifications;
pub mod notify;
pub mod oauth;
pub mod page;
pub mod peers;
pub mod pins;
pub mod polls;
pub mod posts;
pub mod proposals;
pub mod push;
pub mod relations;
pub mod reports;
pub mod scheduled;
pub mod schema;
pub mod schema_governance;
pub mod settings;
pub mod slots;
pub mod suggestions;
pub mod tag_stats;
pub mod tags;
pub mod thread_mutes;
pub mod users;
pub mod weekly;

mod backend;
mod checkpoint;
mod combine;
mod error;
mod ids_in;
mod kept;
mod many_rows;
mod migrate;
mod pool;
mod test_pg;
mod tx;

pub use backend::Backend;
pub use error::{DbError, DbResult};
pub use ids_in::{ids_in, IdsIn};
pub use kept::Kept;
pub use migrate::{POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS};
pub use pool::Db;
pub use test_pg::{
    create_postgres_database, drop_test_database, test_postgres_admin, test_postgres_database,
};
pub use tx::transaction;

/// One page of a keyset-paged list: ids below `max`, above `min`; with `ascending`, the `limit`
/// oldest ids above `min` (Mastodon's `min_id`), else the newest (`since_id`, `max_id`).
#[derive(Debug, Clone, Copy)]
pub struct Keys<'a> {
    pub max: Option<&'a str>,
    pub min: Option<&'a str>,
    pub ascending: bool,
    pub limit: i64,
}

use diesel::{pg::PgConnection, sqlite::SqliteConnection};

/// A connection to either backend.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Sqlite(SqliteConnection),
    Postgresql(PgConnection),
}

/// `INSERT … ON CONFLICT DO NOTHING` of one row on either backend, kept prepared ([`Kept`]);
/// evaluates to the inserted row count. (Upserts do not compile through the multi-backend
/// connection, so each arm uses its own.)
macro_rules! insert_or_ignore {
    ($conn:expr, $table:expr, $values:expr) => {{
        use diesel::RunQueryDsl as _;
        match $conn {
            $crate::db::DbConnection::Sqlite(c) => $crate::db::Kept(
                diesel::insert_into($table)
                    .values($values)
                    .on_conflict_do_nothing(),
            )
            .execute(c),
            $crate::db::DbConnection::Postgresql(c) => $crate::db::Kept(
                diesel::insert_into($table)
                    .values($values)
                    .on_conflict_do_nothing(),
            )
            .execute(c),
        }
    }};
}
pub(crate) use insert_or_ignore;

/// Runs `$body` on the backend's own connection, bound to `$c`. Through the multi-backend
/// connection diesel writes a statement's SQL out again on every call (that text is how it finds
/// the prepared statement); on the backend's own connection a statement of a fixed shape is found
/// by its type, so the hot reads (page facts, sign-in, look-ups by id) skip that work. `$body`
/// is written once and compiled for both backends; with [`ids_in`] instead of `eq_any` a list of
/// ids keeps the statement's shape fixed.
macro_rules! direct {
    ($conn:expr, |$c:ident| $body:expr) => {{
        #[allow(unused_imports)]
        use diesel::RunQueryDsl as _;
        match $conn {
            $crate::db::DbConnection::Sqlite($c) => $body,
            $crate::db::DbConnection::Postgresql($c) => $body,
        }
    }};
}
pub(crate) use direct;

/// Whether a PostgreSQL connection is inside a transaction the caller opened.
pub(crate) fn in_transaction(c: &mut diesel::PgConnection) -> bool {
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    let depth = AnsiTransactionManager::transaction_manager_status_mut(c).transaction_depth();
    !matches!(depth, Ok(None))
}

/// Inside a transaction on PostgreSQL, lets its commit return before its WAL is flushed (a crash
/// may then lose it). Only for writes that are safe to lose: work a crash would redo anyway.
/// Nothing to do on SQLite.
pub fn commit_without_waiting(conn: &mut DbConnection) -> DbResult<()> {
    if let DbConnection::Postgresql(c) = conn {
        if in_transaction(c) {
            use diesel::RunQueryDsl as _;
            diesel::sql_query("SET LOCAL synchronous_commit = off").execute(c)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
