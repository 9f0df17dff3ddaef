//! Hand-written statements of one fixed shape that both backends keep prepared.
//!
//! diesel never caches a `sql_query` (PostgreSQL parses and plans it on every call, and a union
//! of a page's reads cost more to plan than to run). A [`Template`] is a marker type with its SQL:
//! its statement is cached by that type, like diesel's own queries. In the SQL, `?` is the next
//! scalar parameter and `{in}` membership in the next id list (`= ANY($n)` with a text array on
//! PostgreSQL, `IN (SELECT value FROM json_each(?))` on SQLite), so the shape never depends on
//! how many ids a page has.

use diesel::{
    backend::Backend,
    connection::Connection,
    pg::Pg,
    query_builder::{AstPass, Query, QueryFragment, QueryId},
    serialize::ToSql,
    sql_types::HasSqlType,
    sql_types::{Array, BigInt, Integer, Text},
    sqlite::Sqlite,
    QueryResult, RunQueryDsl,
};
use std::marker::PhantomData;

/// One statement's SQL and the types of the columns it returns.
pub trait Template: 'static {
    const SQL: &'static str;
    type SqlType;
}

/// A parameter, in the order the SQL names them.
#[derive(Clone)]
pub enum Bind {
    Text(String),
    Int(i64),
    /// A 32-bit integer (an `INTEGER` column on PostgreSQL).
    Int4(i32),
    /// Ids, kept both as a list (PostgreSQL) and as a JSON array (SQLite).
    Ids(Vec<String>, String),
}

impl Bind {
    pub fn ids<S: AsRef<str>>(ids: &[S]) -> Bind {
        let ids: Vec<String> = ids.iter().map(|s| s.as_ref().to_string()).collect();
        let json = serde_json::to_string(&ids).unwrap_or_else(|_| "[]".into());
        Bind::Ids(ids, json)
    }
}

/// The statement of template `T` with its parameters.
pub struct Fixed<T> {
    binds: Vec<Bind>,
    template: PhantomData<T>,
}

impl<T: Template> Fixed<T> {
    pub fn new(binds: Vec<Bind>) -> Fixed<T> {
        Fixed {
            binds,
            template: PhantomData,
        }
    }
}

impl<T: Template> QueryId for Fixed<T> {
    type QueryId = T;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl<T: Template> Query for Fixed<T> {
    type SqlType = T::SqlType;
}

impl<T, C: Connection> RunQueryDsl<C> for Fixed<T> {}

/// The SQL's pieces between placeholders, each followed by the placeholder that ends it.
fn pieces(sql: &str) -> impl Iterator<Item = (&str, Option<bool>)> {
    let mut rest = sql;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let q = rest.find('?');
        let l = rest.find("{in}");
        Some(match (q, l) {
            (Some(q), l) if l.is_none_or(|l| q < l) => {
                let piece = &rest[..q];
                rest = &rest[q + 1..];
                (piece, Some(false))
            }
            (_, Some(l)) => {
                let piece = &rest[..l];
                rest = &rest[l + 4..];
                (piece, Some(true))
            }
            _ => (std::mem::take(&mut rest), None),
        })
    })
}

fn mismatch() -> diesel::result::Error {
    diesel::result::Error::QueryBuilderError("a fixed statement's parameters do not match".into())
}

/// Writes the template's SQL with its parameters; `ids` writes an id list's membership.
fn walk<'b, DB>(
    sql: &str,
    binds: &'b [Bind],
    out: &mut AstPass<'_, 'b, DB>,
    ids: fn(&mut AstPass<'_, 'b, DB>, &'b [String], &'b String) -> QueryResult<()>,
) -> QueryResult<()>
where
    DB: Backend + HasSqlType<Text> + HasSqlType<BigInt> + HasSqlType<Integer>,
    String: ToSql<Text, DB>,
    i64: ToSql<BigInt, DB>,
    i32: ToSql<Integer, DB>,
{
    let mut binds = binds.iter();
    for (piece, placeholder) in pieces(sql) {
        out.push_sql(piece);
        match (placeholder, binds.next()) {
            (None, None) => {}
            (Some(false), Some(Bind::Text(v))) => out.push_bind_param::<Text, _>(v)?,
            (Some(false), Some(Bind::Int(v))) => out.push_bind_param::<BigInt, _>(v)?,
            (Some(false), Some(Bind::Int4(v))) => out.push_bind_param::<Integer, _>(v)?,
            (Some(true), Some(Bind::Ids(list, json))) => ids(out, list, json)?,
            _ => return Err(mismatch()),
        }
    }
    Ok(())
}

impl<T: Template> QueryFragment<Pg> for Fixed<T> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        walk(T::SQL, &self.binds, &mut out, |out, ids, _| {
            out.push_sql(" = ANY(");
            out.push_bind_param::<Array<Text>, _>(ids)?;
            out.push_sql(")");
            Ok(())
        })
    }
}

impl<T: Template> QueryFragment<Sqlite> for Fixed<T> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        walk(T::SQL, &self.binds, &mut out, |out, _, json| {
            out.push_sql(" IN (SELECT value FROM json_each(");
            out.push_bind_param::<Text, _>(json)?;
            out.push_sql("))");
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::pieces;

    #[test]
    fn placeholders_split_the_sql_in_order() {
        let got: Vec<_> = pieces("a = ? AND b {in} OR c = ?").collect();
        assert_eq!(
            got,
            vec![
                ("a = ", Some(false)),
                (" AND b ", Some(true)),
                (" OR c = ", Some(false)),
            ]
        );
        let tail: Vec<_> = pieces("x {in} y").collect();
        assert_eq!(tail, vec![("x ", Some(true)), (" y", None)]);
    }
}
