//! The hashtag timeline: public posts with a hashtag, or (with `any[]`) with any of several,
//! narrowed by hashtags they must all carry (`all[]`) or must not carry (`none[]`). Each hashtag
//! is walked from its index `(name, post_id)`; the others are checked by the `post_tags` key of
//! each candidate, so a page costs seeks, never a scan.

use super::{
    merge::{Source, TagFilter},
    timelines::paged,
    PostRow,
};
use crate::db::{
    schema::{post_tags, posts},
    DbConnection, DbResult,
};
use diesel::prelude::*;

/// A hashtag timeline's hashtags, lowercase: the one named in the path and the extras.
#[derive(Debug, Clone, Default)]
pub struct TagQuery {
    pub name: String,
    /// Posts with any of these are shown too.
    pub any: Vec<String>,
    /// Posts must carry all of these.
    pub all: Vec<String>,
    /// Posts must carry none of these.
    pub none: Vec<String>,
}

impl TagQuery {
    /// One hashtag, nothing else.
    pub fn only(name: String) -> TagQuery {
        TagQuery {
            name,
            ..TagQuery::default()
        }
    }
}

/// Public posts for a hashtag query, newest first (with `min_id`, the oldest above it, still
/// given newest first).
pub fn tagged(
    conn: &mut DbConnection,
    local: Option<bool>,
    q: &TagQuery,
    max_id: Option<&str>,
    min_id: Option<&str>,
    limit: i64,
) -> DbResult<Vec<PostRow>> {
    if q.any.is_empty() && q.all.is_empty() && q.none.is_empty() {
        return one_tag(conn, local, &q.name.to_lowercase(), max_id, min_id, limit);
    }
    let filter = TagFilter {
        local,
        all: &q.all,
        none: &q.none,
    };
    let mut names: Vec<&str> = vec![q.name.as_str()];
    for n in &q.any {
        if !names.contains(&n.as_str()) {
            names.push(n);
        }
    }
    let sources: Vec<Source> = names.iter().map(|n| Source::Tag(n, &filter)).collect();
    paged(conn, &sources, max_id, min_id, limit)
}

/// Public posts with a hashtag, walked from the hashtag's index (name, post id).
fn one_tag(
    conn: &mut DbConnection,
    local: Option<bool>,
    tag: &str,
    max_id: Option<&str>,
    min_id: Option<&str>,
    limit: i64,
) -> DbResult<Vec<PostRow>> {
    let mut q = post_tags::table
        .inner_join(posts::table)
        // A range of one name, so that the generic plan walks the hashtag's index too.
        .filter(post_tags::name.ge(tag).and(post_tags::name.le(tag)))
        .filter(posts::visibility.eq("public"))
        .filter(posts::deleted_at.is_null())
        .select(PostRow::as_select())
        .into_boxed();
    if let Some(l) = local {
        q = q.filter(posts::local.eq(l));
    }
    if let Some(max) = max_id {
        q = q.filter(post_tags::post_id.lt(max.to_string()));
    }
    if let Some(min) = min_id {
        q = q.filter(post_tags::post_id.gt(min.to_string()));
        let order = (post_tags::name.asc(), post_tags::post_id.asc());
        let mut rows = q.order(order).limit(limit).load(conn)?;
        rows.reverse();
        return Ok(rows);
    }
    let order = (post_tags::name.desc(), post_tags::post_id.desc());
    Ok(q.order(order).limit(limit).load(conn)?)
}
