//! Posts of one group, one author or one member's groups, and the local post count.

use super::PostRow;
use crate::db::{schema::posts, DbConnection, DbResult};
use diesel::prelude::*;

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
    use crate::db::schema::follows;
    let groups = follows::table
        .filter(follows::follower_id.eq(member_id))
        .filter(follows::state.eq(crate::db::follows::FollowState::Accepted.as_str()))
        .select(follows::target_id);
    Ok(posts::table
        .filter(posts::group_id.eq_any(groups.load::<String>(conn)?))
        .filter(posts::deleted_at.is_null())
        .order(posts::published.desc())
        .limit(limit)
        .select(PostRow::as_select())
        .load(conn)?)
}

/// An author's live posts, newest first, paged by id.
pub fn by_author(
    conn: &mut DbConnection,
    author_id: &str,
    max_id: Option<&str>,
    limit: i64,
) -> DbResult<Vec<PostRow>> {
    let mut q = posts::table
        .filter(posts::author_id.eq(author_id))
        .filter(posts::deleted_at.is_null())
        .select(PostRow::as_select())
        .into_boxed();
    if let Some(max) = max_id {
        q = q.filter(posts::id.lt(max.to_string()));
    }
    Ok(q.order(posts::id.desc()).limit(limit).load(conn)?)
}
