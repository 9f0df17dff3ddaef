//! Posts: notes and pages written by members, usually inside a group.

use super::{schema::posts, DbConnection, DbError, DbResult};
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
    pub visibility: String,
    pub local: bool,
    pub published: i64,
    pub updated: Option<i64>,
    pub deleted_at: Option<i64>,
    pub created_at: i64,
}

/// Stores a post unless its `ap_id` is already known; returns whether it was new.
pub fn insert_if_new(conn: &mut DbConnection, row: &PostRow) -> DbResult<bool> {
    Ok(super::insert_or_ignore!(conn, posts::table, row)? > 0)
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

/// Applies an edit (content, title, warning) and stamps `updated`.
pub fn update_content(
    conn: &mut DbConnection,
    id: &str,
    content: &str,
    name: Option<&str>,
    summary: Option<&str>,
    sensitive: bool,
    updated: i64,
) -> DbResult<()> {
    let n = diesel::update(posts::table.find(id))
        .set((
            posts::content.eq(content),
            posts::name.eq(name),
            posts::summary.eq(summary),
            posts::sensitive.eq(sensitive),
            posts::updated.eq(Some(updated)),
        ))
        .execute(conn)?;
    if n == 0 {
        return Err(DbError::NotFound);
    }
    Ok(())
}

/// Marks a post deleted (it then answers as a Tombstone) and blanks its content.
pub fn mark_deleted(conn: &mut DbConnection, id: &str, at: i64) -> DbResult<()> {
    diesel::update(posts::table.find(id))
        .set((
            posts::deleted_at.eq(Some(at)),
            posts::content.eq(""),
            posts::name.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(())
}

/// Live posts in a group, newest first.
pub fn in_group(conn: &mut DbConnection, group_id: &str, limit: i64) -> DbResult<Vec<PostRow>> {
    Ok(posts::table
        .filter(posts::group_id.eq(group_id))
        .filter(posts::deleted_at.is_null())
        .order(posts::published.desc())
        .limit(limit)
        .select(PostRow::as_select())
        .load(conn)?)
}

/// Number of live local posts (NodeInfo).
pub fn count_local(conn: &mut DbConnection) -> DbResult<i64> {
    Ok(posts::table
        .filter(posts::local.eq(true))
        .filter(posts::deleted_at.is_null())
        .count()
        .get_result(conn)?)
}

/// Newest live posts in the groups `member_id` belongs to (accepted follows).
pub fn timeline(conn: &mut DbConnection, member_id: &str, limit: i64) -> DbResult<Vec<PostRow>> {
    use super::schema::follows;
    let groups = follows::table
        .filter(follows::follower_id.eq(member_id))
        .filter(follows::state.eq(super::follows::ACCEPTED))
        .select(follows::target_id);
    Ok(posts::table
        .filter(posts::group_id.eq_any(groups.load::<String>(conn)?))
        .filter(posts::deleted_at.is_null())
        .order(posts::published.desc())
        .limit(limit)
        .select(PostRow::as_select())
        .load(conn)?)
}
