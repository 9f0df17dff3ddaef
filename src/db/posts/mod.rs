//! Posts: notes and pages written by members, usually inside a group.
//!
//! The row and reads by id are here; edits and deletion are in `edit.rs`, per-group and per-author
//! lists in `lists.rs`, the home and public timelines in `timelines.rs`, the hashtag timeline in `tagged.rs`, the
//! direct timeline in `direct.rs`, idempotency keys in
//! `idempotency.rs`.

mod counters;
mod direct;
mod edit;
mod idempotency;
mod insert_pg;
mod lists;
mod merge;
mod pg_seek;
mod seek;
mod tagged;
mod timelines;

pub use direct::{direct_page, record_direct};
pub use edit::{mark_deleted, set_language, update_content, versions, PostVersion};
pub use idempotency::{by_idempotency_key, remember_idempotency_key};
pub use lists::{by_author, count_local, in_group, timeline, AuthorFilter};
pub use tagged::TagQuery;
pub use timelines::{home, list as list_timeline, public};

use super::{actors::ActorRow, schema::posts, DbConnection, DbResult};
use crate::db::{direct, ids_in};
use crate::domain::audience::PostVisibility;
use diesel::prelude::*;

/// One stored post, local or remote. `content` is sanitized HTML.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = posts)]
pub struct PostRow {
    pub id: String,
    pub ap_id: String,
    pub kind: String,
    pub author_id: String,
    pub group_id: Option<String>,
    pub in_reply_to: Option<String>,
    pub name: Option<String>,
    pub summary: Option<String>,
    pub content: String,
    pub sensitive: bool,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub visibility: PostVisibility,
    pub local: bool,
    pub published: i64,
    pub updated: Option<i64>,
    pub deleted_at: Option<i64>,
    pub created_at: i64,
    /// ISO 639 language code, when known.
    pub language: Option<String>,
}

/// Stores a post unless its `ap_id` is already known; returns whether it was new.
pub fn insert_if_new(conn: &mut DbConnection, row: &PostRow) -> DbResult<bool> {
    if let DbConnection::Postgresql(c) = conn {
        return insert_pg::insert_if_new(c, row);
    }
    let new = super::insert_or_ignore!(conn, posts::table, row.clone())? > 0;
    if new && row.deleted_at.is_none() {
        counters::added(conn, &row.author_id, row.published)?;
    }
    Ok(new)
}

/// A post by ActivityPub id.
pub fn by_ap_id(conn: &mut DbConnection, ap_id: &str) -> DbResult<Option<PostRow>> {
    Ok(direct!(conn, |c| posts::table
        .filter(posts::ap_id.eq(ap_id))
        .select(PostRow::as_select())
        .first(c)
        .optional())?)
}

/// A post with its author and, for a group's post, its group.
pub type WithActors = (PostRow, ActorRow, Option<ActorRow>);

/// The post that `$filter` selects, with its author and group, in one statement.
macro_rules! with_actors_where {
    ($conn:expr, $filter:expr) => {{
        use crate::db::schema::actors;
        let group = diesel::alias!(actors as post_group);
        // The derived selection is the same columns on both backends.
        let fields = <ActorRow as Selectable<diesel::sqlite::Sqlite>>::construct_selection();
        Ok(direct!($conn, |c| posts::table
            .inner_join(actors::table)
            .left_join(group.on(posts::group_id.eq(group.field(actors::id).nullable())))
            .filter($filter)
            .select((
                PostRow::as_select(),
                ActorRow::as_select(),
                group.fields(fields).nullable(),
            ))
            .first(c)
            .optional())?)
    }};
}

/// A post by local id with its author and, for a group's post, its group: one statement.
pub fn with_actors(conn: &mut DbConnection, id: &str) -> DbResult<Option<WithActors>> {
    with_actors_where!(conn, posts::id.eq(id))
}

/// `with_actors` by ActivityPub id.
pub fn with_actors_by_ap_id(conn: &mut DbConnection, ap_id: &str) -> DbResult<Option<WithActors>> {
    with_actors_where!(conn, posts::ap_id.eq(ap_id))
}

/// A post by local id.
pub fn by_id(conn: &mut DbConnection, id: &str) -> DbResult<Option<PostRow>> {
    Ok(direct!(conn, |c| posts::table
        .find(id)
        .select(PostRow::as_select())
        .first(c)
        .optional())?)
}

/// Posts by local id (any order; unknown ids are left out).
pub fn by_ids(conn: &mut DbConnection, ids: &[String]) -> DbResult<Vec<PostRow>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(direct!(conn, |c| posts::table
        .filter(ids_in(posts::id, ids))
        .select(PostRow::as_select())
        .load(c))?)
}

/// Live replies to any of `ap_ids`, oldest first.
pub fn replies_to_any(conn: &mut DbConnection, ap_ids: &[String]) -> DbResult<Vec<PostRow>> {
    Ok(direct!(conn, |c| posts::table
        .filter(ids_in(posts::in_reply_to, ap_ids))
        .filter(posts::deleted_at.is_null())
        .order((posts::published.asc(), posts::id.asc()))
        .select(PostRow::as_select())
        .load(c))?)
}

/// How far up a thread is walked to find its first post.
const MOST_ANCESTORS: usize = 40;

/// The key of a post's thread: the ActivityPub id of its first known post (conversations and
/// conversation mutes are kept by it).
pub fn thread_key(conn: &mut DbConnection, post: &PostRow) -> DbResult<String> {
    let mut key = post.ap_id.clone();
    let mut parent = post.in_reply_to.clone();
    for _ in 0..MOST_ANCESTORS {
        let Some(ap) = parent.take() else { break };
        key = ap.clone();
        match by_ap_id(conn, &ap)? {
            Some(p) => parent = p.in_reply_to,
            None => break,
        }
    }
    Ok(key)
}
