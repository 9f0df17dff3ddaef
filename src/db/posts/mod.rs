//! Posts: notes and pages written by members, usually inside a group.
//!
//! The row and reads by id are here; edits and deletion are in `edit.rs`, per-group and per-author
//! lists in `lists.rs`, the home and public timelines in `timelines.rs`, idempotency keys in
//! `idempotency.rs`.

mod edit;
mod idempotency;
mod lists;
mod timelines;

pub use edit::{mark_deleted, set_language, update_content, versions, PostVersion};
pub use idempotency::{by_idempotency_key, remember_idempotency_key};
pub use lists::{by_author, count_local, in_group, timeline};
pub use timelines::{home, public};

use super::{schema::posts, DbConnection, DbResult};
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
    Ok(super::insert_or_ignore!(conn, posts::table, row.clone())? > 0)
}

/// A post by ActivityPub id.
pub fn by_ap_id(conn: &mut DbConnection, ap_id: &str) -> DbResult<Option<PostRow>> {
    Ok(posts::table
        .filter(posts::ap_id.eq(ap_id))
        .select(PostRow::as_select())
        .first(conn)
        .optional()?)
}

/// A post by local id.
pub fn by_id(conn: &mut DbConnection, id: &str) -> DbResult<Option<PostRow>> {
    Ok(posts::table
        .find(id)
        .select(PostRow::as_select())
        .first(conn)
        .optional()?)
}

/// Replies to a post (for reply counts and context).
pub fn replies_to(conn: &mut DbConnection, ap_id: &str) -> DbResult<Vec<PostRow>> {
    Ok(posts::table
        .filter(posts::in_reply_to.eq(ap_id))
        .filter(posts::deleted_at.is_null())
        .order(posts::published.asc())
        .select(PostRow::as_select())
        .load(conn)?)
}

/// Number of live replies to a post.
pub fn count_replies(conn: &mut DbConnection, ap_id: &str) -> DbResult<i64> {
    Ok(posts::table
        .filter(posts::in_reply_to.eq(ap_id))
        .filter(posts::deleted_at.is_null())
        .count()
        .get_result(conn)?)
}
