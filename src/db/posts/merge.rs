//! One statement that seeks each source of a timeline (an author's or a group's live posts, by
//! index) for at most one page and merges them: the cost is sources × page, whatever the size of
//! the history. On PostgreSQL one term per source; on SQLite a statement of a fixed shape
//! (`seek.rs`) that stays prepared.

use crate::db::{DbConnection, DbResult};
use diesel::{prelude::*, sql_types::Text};

/// Where a timeline takes posts from.
pub enum Source<'a> {
    Author(&'a str),
    Group(&'a str),
}

/// Keyset bounds and direction of one page.
pub struct Bounds<'a> {
    pub max: Option<&'a str>,
    pub min: Option<&'a str>,
    /// Oldest first (a `min_id` page) instead of newest first.
    pub ascending: bool,
    pub limit: i64,
}

#[derive(QueryableByName)]
struct IdRow {
    #[diesel(sql_type = Text)]
    id: String,
}

/// Sources per PostgreSQL statement (a compound select of one term per source).
const SOURCES_PER_STATEMENT: usize = 200;

fn statement(
    sources: &[Source],
    b: &Bounds,
    mark: &dyn Fn(usize) -> String,
) -> (String, Vec<String>) {
    let (mut binds, mut parts) = (Vec::new(), Vec::new());
    let order = if b.ascending { "ASC" } else { "DESC" };
    for (i, s) in sources.iter().enumerate() {
        let (column, id) = match s {
            Source::Author(a) => ("author_id", *a),
            Source::Group(g) => ("group_id", *g),
        };
        binds.push(id.to_string());
        let mut term = format!("{column} = {}", mark(binds.len()));
        for (bound, op) in [(b.max, "<"), (b.min, ">")] {
            if let Some(v) = bound {
                binds.push(v.to_string());
                term.push_str(&format!(" AND id {op} {}", mark(binds.len())));
            }
        }
        parts.push(format!(
            "SELECT id FROM (SELECT id FROM posts WHERE {term} AND deleted_at IS NULL \
             ORDER BY id {order} LIMIT {}) AS s{i}",
            b.limit
        ));
    }
    let sql = format!(
        "{} ORDER BY id {order} LIMIT {}",
        parts.join(" UNION "),
        b.limit
    );
    (sql, binds)
}

/// Ids of the first page of posts from `sources` within `bounds`, in page order.
pub fn page_ids(conn: &mut DbConnection, sources: &[Source], b: &Bounds) -> DbResult<Vec<String>> {
    let mut ids: Vec<String> = Vec::new();
    match conn {
        DbConnection::Sqlite(c) => {
            let (mut authors, mut groups) = (Vec::new(), Vec::new());
            for s in sources {
                match s {
                    Source::Author(a) => authors.push(*a),
                    Source::Group(g) => groups.push(*g),
                }
            }
            ids = super::seek::page_ids(c, &authors, &groups, b)?;
        }
        DbConnection::Postgresql(c) => {
            for chunk in sources.chunks(SOURCES_PER_STATEMENT) {
                let (sql, binds) = statement(chunk, b, &|n| format!("${n}"));
                let mut q = diesel::sql_query(sql).into_boxed();
                for v in binds {
                    q = q.bind::<Text, _>(v);
                }
                let rows: Vec<IdRow> = q.load(c)?;
                ids.extend(rows.into_iter().map(|r| r.id));
            }
        }
    }
    ids.sort();
    ids.dedup();
    if !b.ascending {
        ids.reverse();
    }
    ids.truncate(b.limit.max(0) as usize);
    Ok(ids)
}
