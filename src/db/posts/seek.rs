//! The merged per-source seek on SQLite as one statement of a fixed shape: the sources travel
//! as two JSON arrays (authors, groups) and the bounds as values, so SQLite keeps the statement
//! prepared instead of parsing a compound select of one term per source on every page (the
//! largest cost of a home page before). Each source is still sought by index for at most one
//! page: a correlated `IN` runs the inner, limited seek once per source.

use super::merge::Bounds;
use diesel::{
    query_builder::{AstPass, Query, QueryFragment, QueryId},
    sql_types::{BigInt, Text},
    sqlite::{Sqlite, SqliteConnection},
    QueryResult, RunQueryDsl,
};

/// Above every id (ids are ULIDs: digits and capital letters).
const TOP: &str = "~";

/// The seek, newest first (`ASC` false) or oldest first.
pub struct SqliteSeek<const ASC: bool> {
    authors: String,
    groups: String,
    max: String,
    min: String,
    limit: i64,
}

impl<const ASC: bool> QueryId for SqliteSeek<ASC> {
    type QueryId = Self;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl<const ASC: bool> Query for SqliteSeek<ASC> {
    type SqlType = Text;
}

impl<const ASC: bool> RunQueryDsl<SqliteConnection> for SqliteSeek<ASC> {}

impl<const ASC: bool> QueryFragment<Sqlite> for SqliteSeek<ASC> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        let order = if ASC { "ASC" } else { "DESC" };
        for (i, (column, list)) in [("author_id", &self.authors), ("group_id", &self.groups)]
            .into_iter()
            .enumerate()
        {
            if i > 0 {
                out.push_sql(" UNION ");
            }
            out.push_sql("SELECT x.id AS id FROM json_each(");
            out.push_bind_param::<Text, _>(list)?;
            out.push_sql(") AS s, posts AS x WHERE x.id IN (SELECT p.id FROM posts AS p WHERE p.");
            out.push_sql(column);
            out.push_sql(" = s.value AND p.deleted_at IS NULL AND p.id < ");
            out.push_bind_param::<Text, _>(&self.max)?;
            out.push_sql(" AND p.id > ");
            out.push_bind_param::<Text, _>(&self.min)?;
            out.push_sql(&format!(" ORDER BY p.id {order} LIMIT "));
            out.push_bind_param::<BigInt, _>(&self.limit)?;
            out.push_sql(")");
        }
        out.push_sql(&format!(" ORDER BY id {order} LIMIT "));
        out.push_bind_param::<BigInt, _>(&self.limit)?;
        Ok(())
    }
}

/// Ids of the first page from `authors` and `groups` within `b`, in the statement's order.
pub fn page_ids(
    c: &mut SqliteConnection,
    authors: &[&str],
    groups: &[&str],
    b: &Bounds,
) -> QueryResult<Vec<String>> {
    let json = |v: &[&str]| serde_json::to_string(v).unwrap_or_else(|_| "[]".into());
    let (authors, groups) = (json(authors), json(groups));
    let (max, min) = (
        b.max.unwrap_or(TOP).to_string(),
        b.min.unwrap_or("").to_string(),
    );
    if b.ascending {
        SqliteSeek::<true> {
            authors,
            groups,
            max,
            min,
            limit: b.limit,
        }
        .load(c)
    } else {
        SqliteSeek::<false> {
            authors,
            groups,
            max,
            min,
            limit: b.limit,
        }
        .load(c)
    }
}
