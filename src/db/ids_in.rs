//! `column IN (ids)` written so that each backend can keep the statement prepared.
//!
//! diesel writes `eq_any` on SQLite as `IN (?, ?, …)`, one parameter per id, and never caches
//! such a statement: every page read parsed and planned its statements again, which cost about
//! half of a request's instructions. [`ids_in`] binds the whole list as one parameter instead —
//! `IN (SELECT value FROM json_each(?))` on SQLite, `= ANY(?)` with a text array on PostgreSQL —
//! so the statement has one shape whatever the number of ids, and the backend's own connection
//! (see [`direct`](super::direct)) finds it prepared by its type.

use diesel::{
    expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping},
    pg::Pg,
    query_builder::{AstPass, QueryFragment, QueryId},
    sql_types::{Array, Bool, Text},
    sqlite::Sqlite,
    QueryResult,
};

/// `column` is one of `ids` (text ids). Use it on a backend's own connection, inside [`direct`](super::direct).
pub fn ids_in<C, S: AsRef<str>>(column: C, ids: &[S]) -> IdsIn<C> {
    let ids: Vec<String> = ids.iter().map(|s| s.as_ref().to_string()).collect();
    let json = serde_json::to_string(&ids).unwrap_or_else(|_| "[]".into());
    IdsIn { column, ids, json }
}

/// See [`ids_in`].
#[derive(Debug, Clone)]
pub struct IdsIn<C> {
    column: C,
    ids: Vec<String>,
    json: String,
}

/// The statement-cache identity of [`IdsIn`]: the column's, whatever the ids.
pub struct IdsInId<C>(std::marker::PhantomData<C>);

impl<C: QueryId> QueryId for IdsIn<C> {
    type QueryId = IdsInId<C::QueryId>;
    const HAS_STATIC_QUERY_ID: bool = C::HAS_STATIC_QUERY_ID;
}

impl<C> Expression for IdsIn<C> {
    type SqlType = Bool;
}

impl<C: ValidGrouping<GB>, GB> ValidGrouping<GB> for IdsIn<C> {
    type IsAggregate = C::IsAggregate;
}

impl<C: AppearsOnTable<QS>, QS> AppearsOnTable<QS> for IdsIn<C> {}

impl<C: SelectableExpression<QS>, QS> SelectableExpression<QS> for IdsIn<C> {}

impl<C: QueryFragment<Sqlite>> QueryFragment<Sqlite> for IdsIn<C> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        self.column.walk_ast(out.reborrow())?;
        out.push_sql(" IN (SELECT value FROM json_each(");
        out.push_bind_param::<Text, _>(&self.json)?;
        out.push_sql("))");
        Ok(())
    }
}

impl<C: QueryFragment<Pg>> QueryFragment<Pg> for IdsIn<C> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        self.column.walk_ast(out.reborrow())?;
        out.push_sql(" = ANY(");
        out.push_bind_param::<Array<Text>, _>(&self.ids)?;
        out.push_sql(")");
        Ok(())
    }
}
