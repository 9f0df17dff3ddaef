//! Statements kept prepared although diesel would prepare them again on every call.
//!
//! Diesel keeps a statement prepared on its connection only when it knows the statement's text
//! is one of a few: every `UPDATE`, every upsert, every insert of a row with an optional column
//! and every `sql_query` is sent unnamed instead, so PostgreSQL parses, analyses and plans it
//! again each time (a tenth of the database's time on the inbox, where most writes are of these
//! kinds). [`Kept`] marks a statement whose text takes a few fixed forms: diesel then keeps it
//! prepared under its text and bind types, so a text that differs is simply another entry.
//! Never wrap a statement whose text grows with its input (a list of rows or of values).

use diesel::{
    backend::Backend,
    internal::derives::multiconnection::AstPassHelper,
    query_builder::{AstPass, Query, QueryBuilder, QueryFragment, QueryId},
    QueryResult, RunQueryDsl,
};

/// A whole statement to keep prepared, on one backend's own connection (see the module's text).
#[derive(Debug, Clone, Copy)]
pub struct Kept<Q>(pub Q);

/// Diesel asks whether a statement may be kept by walking it (through a reference, so a method
/// of this type's own is not asked): the wrapped statement is walked only to collect its binds,
/// and otherwise stands as its finished text, which asks nothing. That text is written with a
/// query builder of its own, so a `Kept` is a whole statement, never a part of one.
impl<Q, DB> QueryFragment<DB> for Kept<Q>
where
    DB: Backend,
    DB::QueryBuilder: Default,
    Q: QueryFragment<DB>,
{
    fn walk_ast<'b>(&'b self, mut pass: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        if pass.bind_collector().is_some() || pass.debug_binds().is_some() {
            return self.0.walk_ast(pass);
        }
        let mut text = DB::QueryBuilder::default();
        self.0.to_sql(&mut text, pass.backend())?;
        pass.push_sql(&text.finish());
        Ok(())
    }
}

/// No static id: the prepared statement is found by its text, never by the wrapped type.
impl<Q> QueryId for Kept<Q> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q: Query> Query for Kept<Q> {
    type SqlType = Q::SqlType;
}

impl<Q, Conn> RunQueryDsl<Conn> for Kept<Q> {}

#[cfg(test)]
mod tests {
    use super::Kept;
    use diesel::{
        connection::{Instrumentation, InstrumentationEvent},
        prelude::*,
        sql_types::Integer,
        sqlite::SqliteConnection,
    };
    use std::sync::{Arc, Mutex};

    /// Counts the statements a connection prepares for its cache.
    struct Prepared(Arc<Mutex<usize>>);

    impl Instrumentation for Prepared {
        fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
            if let InstrumentationEvent::CacheQuery { .. } = event {
                *self.0.lock().unwrap() += 1;
            }
        }
    }

    #[test]
    fn a_kept_statement_is_prepared_once_and_runs_as_written() {
        let mut c = SqliteConnection::establish(":memory:").unwrap();
        let cached = Arc::new(Mutex::new(0));
        c.set_instrumentation(Prepared(cached.clone()));
        diesel::sql_query("CREATE TABLE t (a INTEGER)")
            .execute(&mut c)
            .unwrap();
        let insert = |c: &mut SqliteConnection, v: i32| {
            diesel::sql_query("INSERT INTO t (a) VALUES ($1)")
                .bind::<Integer, _>(v)
                .execute(c)
                .unwrap()
        };
        let kept = |c: &mut SqliteConnection, v: i32| {
            Kept(diesel::sql_query("INSERT INTO t (a) VALUES ($1)").bind::<Integer, _>(v))
                .execute(c)
                .unwrap()
        };
        for v in 0..3 {
            assert_eq!(insert(&mut c, v), 1);
        }
        assert_eq!(*cached.lock().unwrap(), 0, "diesel keeps no sql_query");
        for v in 3..6 {
            assert_eq!(kept(&mut c, v), 1);
        }
        assert_eq!(
            *cached.lock().unwrap(),
            1,
            "one statement kept for three calls"
        );
        #[derive(QueryableByName)]
        struct Sum {
            #[diesel(sql_type = Integer)]
            s: i32,
        }
        let sum: Sum = diesel::sql_query("SELECT CAST(SUM(a) AS INTEGER) AS s FROM t")
            .get_result(&mut c)
            .unwrap();
        assert_eq!(sum.s, 15, "every value was written with its own bind");
    }
}
