//! One statement that seeks each source of a timeline (an author's or a group's live posts, by
//! index, or a hashtag's public posts) for at most one page and merges them: the cost is sources × page, whatever the size of
//! the history. Sources that are only accounts and groups go through a statement of a fixed shape
//! that stays prepared (`seek.rs` on SQLite, `pg_seek.rs` on PostgreSQL); otherwise one term per
//! source.

use crate::db::{DbConnection, DbResult};
use diesel::{prelude::*, sql_types::Text};

/// Where a timeline takes posts from.
pub enum Source<'a> {
    Author(&'a str),
    Group(&'a str),
    /// Live public posts with a hashtag (lowercase), narrowed by a [`TagFilter`], walked from
    /// the hashtag's index `(name, post_id)`.
    Tag(&'a str, &'a TagFilter<'a>),
}

/// What narrows a hashtag's posts: local or remote only, and other hashtags they must all carry
/// or must not carry (each checked by the `post_tags` key of the candidate post).
#[derive(Default)]
pub struct TagFilter<'a> {
    pub local: Option<bool>,
    pub all: &'a [String],
    pub none: &'a [String],
}

/// No narrowing (a followed hashtag in the home timeline).
pub const ANY_TAGGED: TagFilter<'static> = TagFilter {
    local: None,
    all: &[],
    none: &[],
};

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

/// Terms per compound select (SQLite allows 500).
const SOURCES_PER_STATEMENT: usize = 200;

/// `AND id < max AND id > min` on `column`, binding the bounds.
fn bounded(
    column: &str,
    b: &Bounds,
    binds: &mut Vec<String>,
    mark: &dyn Fn(usize) -> String,
) -> String {
    let mut term = String::new();
    for (bound, op) in [(b.max, "<"), (b.min, ">")] {
        if let Some(v) = bound {
            binds.push(v.to_string());
            term.push_str(&format!(" AND {column} {op} {}", mark(binds.len())));
        }
    }
    term
}

/// `column` matched to `value` as the range `>= value AND <= value`: the same rows as `=`, but the
/// planner cannot then drop the column from the term's order (as it does for a column fixed by
/// `=`), so even a plan made without the values walks the index that starts with it.
fn fixed(
    column: &str,
    value: &str,
    binds: &mut Vec<String>,
    mark: &dyn Fn(usize) -> String,
) -> String {
    binds.push(value.to_string());
    let low = mark(binds.len());
    binds.push(value.to_string());
    format!("{column} >= {low} AND {column} <= {}", mark(binds.len()))
}

/// The seek of one hashtag: its index in order, each candidate's post by key.
fn tag_seek(
    name: &str,
    f: &TagFilter,
    b: &Bounds,
    binds: &mut Vec<String>,
    mark: &dyn Fn(usize) -> String,
) -> String {
    let mut term = format!(
        "{} AND p.deleted_at IS NULL AND p.visibility = 'public'",
        fixed("t.name", name, binds, mark)
    );
    match f.local {
        Some(true) => term.push_str(" AND p.local = TRUE"),
        Some(false) => term.push_str(" AND p.local = FALSE"),
        None => {}
    }
    term.push_str(&bounded("t.post_id", b, binds, mark));
    // Each candidate's other hashtags are probed by the `post_tags` key. The `LIMIT 1 OFFSET 0`
    // keeps PostgreSQL from turning the probe into a join, whose plan made without the values
    // reads every row of the other hashtag.
    for (tags, not) in [(f.all, ""), (f.none, "NOT ")] {
        for tag in tags {
            binds.push(tag.to_string());
            term.push_str(&format!(
                " AND {not}EXISTS (SELECT 1 FROM post_tags o WHERE o.post_id = t.post_id \
                 AND o.name = {} LIMIT 1 OFFSET 0)",
                mark(binds.len())
            ));
        }
    }
    let order = if b.ascending { "ASC" } else { "DESC" };
    format!(
        "SELECT t.post_id AS id FROM post_tags t JOIN posts p ON p.id = t.post_id WHERE {term} \
         ORDER BY t.name {order}, t.post_id {order} LIMIT {}",
        b.limit
    )
}

/// One term per source, each ordered by its source's column (fixed within the term, see [`fixed`])
/// and then the id: only the source's own index gives that order, so the plan made without the
/// values (PostgreSQL's generic plan) seeks it instead of walking every post by id.
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
            Source::Tag(name, f) => {
                let seek = tag_seek(name, f, b, &mut binds, mark);
                parts.push(format!("SELECT id FROM ({seek}) AS s{i}"));
                continue;
            }
        };
        let mut term = fixed(column, id, &mut binds, mark);
        term.push_str(&bounded("id", b, &mut binds, mark));
        parts.push(format!(
            "SELECT id FROM (SELECT id FROM posts WHERE {term} AND deleted_at IS NULL \
             ORDER BY {column} {order}, id {order} LIMIT {}) AS s{i}",
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

/// The page's ids by compound selects of one term per source (either backend).
fn compound(conn: &mut DbConnection, sources: &[Source], b: &Bounds) -> DbResult<Vec<String>> {
    let sqlite = matches!(conn, DbConnection::Sqlite(_));
    let mark = |n: usize| {
        if sqlite {
            "?".to_string()
        } else {
            format!("${n}")
        }
    };
    let mut ids = Vec::new();
    for chunk in sources.chunks(SOURCES_PER_STATEMENT) {
        let (sql, binds) = statement(chunk, b, &mark);
        let rows: Vec<IdRow> = crate::db::direct!(conn, |c| {
            let mut q = diesel::sql_query(sql).into_boxed();
            for v in binds {
                q = q.bind::<Text, _>(v);
            }
            q.load(c)
        })?;
        ids.extend(rows.into_iter().map(|r| r.id));
    }
    Ok(ids)
}

/// Ids of the first page of posts from `sources` within `bounds`, in page order.
pub fn page_ids(conn: &mut DbConnection, sources: &[Source], b: &Bounds) -> DbResult<Vec<String>> {
    let plain = sources
        .iter()
        .all(|s| matches!(s, Source::Author(_) | Source::Group(_)));
    let mut ids = match conn {
        conn if plain => {
            let (mut authors, mut groups) = (Vec::new(), Vec::new());
            for s in sources {
                match s {
                    Source::Author(a) => authors.push(*a),
                    Source::Group(g) => groups.push(*g),
                    Source::Tag(..) => {}
                }
            }
            match conn {
                DbConnection::Sqlite(c) => super::seek::page_ids(c, &authors, &groups, b)?,
                DbConnection::Postgresql(c) => super::pg_seek::page_ids(c, &authors, &groups, b)?,
            }
        }
        conn => compound(conn, sources, b)?,
    };
    ids.sort();
    ids.dedup();
    if !b.ascending {
        ids.reverse();
    }
    ids.truncate(b.limit.max(0) as usize);
    Ok(ids)
}
