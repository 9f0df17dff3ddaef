//! The merged per-source seek on PostgreSQL as a statement of a fixed shape: the sources travel
//! as two text arrays (authors, groups), each element sought by index through a `LATERAL`
//! subquery for at most one page. The compound select of one term per source it replaces was
//! planned again on every page, which cost PostgreSQL more than running it. A bound that is
//! absent is left out of the SQL (no sentinel value: text order follows the database's collation),
//! so there are eight shapes, each a type of its own that the connection keeps prepared.
//!
//! A prepared statement soon runs on PostgreSQL's generic plan, made without the sources' values.
//! Written as `group_id = $v ORDER BY id`, that plan walked the primary key backwards, filtering
//! by group (it assumes each group's posts are spread evenly over the ids): a group with few
//! posts cost a walk over the whole table (seen as a p99 of 200 ms on the home timeline). The
//! source is matched as the range `>= v AND <= v` (the same rows) and ordered by `(source, id)`,
//! an order only the source's own index `(source, id)` gives, so each source is sought there.

use super::merge::Bounds;
use diesel::{
    pg::{Pg, PgConnection},
    query_builder::{AstPass, Query, QueryFragment, QueryId},
    sql_types::{Array, BigInt, Text},
    QueryResult, RunQueryDsl,
};

struct Args {
    authors: Vec<String>,
    groups: Vec<String>,
    max: String,
    min: String,
    limit: i64,
}

/// The seek, oldest first when `ASC`, with an upper bound when `MAX` and a lower one when `MIN`.
struct PgSeek<const ASC: bool, const MAX: bool, const MIN: bool>(Args);

impl<const ASC: bool, const MAX: bool, const MIN: bool> QueryId for PgSeek<ASC, MAX, MIN> {
    type QueryId = Self;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl<const ASC: bool, const MAX: bool, const MIN: bool> Query for PgSeek<ASC, MAX, MIN> {
    type SqlType = Text;
}

impl<const ASC: bool, const MAX: bool, const MIN: bool> RunQueryDsl<PgConnection>
    for PgSeek<ASC, MAX, MIN>
{
}

impl<const ASC: bool, const MAX: bool, const MIN: bool> QueryFragment<Pg>
    for PgSeek<ASC, MAX, MIN>
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        let a = &self.0;
        let order = if ASC { "ASC" } else { "DESC" };
        out.push_sql("SELECT id FROM (");
        for (i, (column, list)) in [("author_id", &a.authors), ("group_id", &a.groups)]
            .into_iter()
            .enumerate()
        {
            if i > 0 {
                out.push_sql(" UNION ");
            }
            out.push_sql("SELECT x.id AS id FROM unnest(");
            out.push_bind_param::<Array<Text>, _>(list)?;
            out.push_sql(
                "::text[]) AS s(v) CROSS JOIN LATERAL (SELECT p.id FROM posts AS p WHERE p.",
            );
            out.push_sql(column);
            out.push_sql(" >= s.v AND p.");
            out.push_sql(column);
            out.push_sql(" <= s.v AND p.deleted_at IS NULL");
            if MAX {
                out.push_sql(" AND p.id < ");
                out.push_bind_param::<Text, _>(&a.max)?;
            }
            if MIN {
                out.push_sql(" AND p.id > ");
                out.push_bind_param::<Text, _>(&a.min)?;
            }
            out.push_sql(" ORDER BY p.");
            out.push_sql(column);
            out.push_sql(if ASC {
                " ASC, p.id ASC LIMIT "
            } else {
                " DESC, p.id DESC LIMIT "
            });
            out.push_bind_param::<BigInt, _>(&a.limit)?;
            out.push_sql(") AS x");
        }
        out.push_sql(") AS u ORDER BY id ");
        out.push_sql(order);
        out.push_sql(" LIMIT ");
        out.push_bind_param::<BigInt, _>(&a.limit)?;
        Ok(())
    }
}

/// Ids of the first page from `authors` and `groups` within `b`, in the statement's order.
pub fn page_ids(
    c: &mut PgConnection,
    authors: &[&str],
    groups: &[&str],
    b: &Bounds,
) -> QueryResult<Vec<String>> {
    let owned = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
    let a = Args {
        authors: owned(authors),
        groups: owned(groups),
        max: b.max.unwrap_or_default().to_string(),
        min: b.min.unwrap_or_default().to_string(),
        limit: b.limit,
    };
    match (b.ascending, b.max.is_some(), b.min.is_some()) {
        (false, false, false) => PgSeek::<false, false, false>(a).load(c),
        (false, true, false) => PgSeek::<false, true, false>(a).load(c),
        (false, false, true) => PgSeek::<false, false, true>(a).load(c),
        (false, true, true) => PgSeek::<false, true, true>(a).load(c),
        (true, false, false) => PgSeek::<true, false, false>(a).load(c),
        (true, true, false) => PgSeek::<true, true, false>(a).load(c),
        (true, false, true) => PgSeek::<true, false, true>(a).load(c),
        (true, true, true) => PgSeek::<true, true, true>(a).load(c),
    }
}
