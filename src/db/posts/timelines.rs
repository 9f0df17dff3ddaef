//! The home and public timelines, paged by id.

use super::PostRow;
use crate::db::{schema::posts, DbConnection, DbResult};
use diesel::prelude::*;

/// A member's home timeline: their own posts, posts in groups they belong to and posts by actors
/// they follow, newest first, paged by id (ULIDs sort by arrival).
pub fn home(
    conn: &mut DbConnection,
    member_id: &str,
    max_id: Option<&str>,
    min_id: Option<&str>,
    limit: i64,
) -> DbResult<Vec<PostRow>> {
    use crate::db::schema::follows;
    let followed: Vec<String> = follows::table
        .filter(follows::follower_id.eq(member_id))
        .filter(follows::state.eq(crate::db::follows::FollowState::Accepted.as_str()))
        .select(follows::target_id)
        .load(conn)?;
    let mut q = posts::table
        .filter(posts::deleted_at.is_null())
        .filter(
            posts::author_id
                .eq(member_id)
                .or(posts::group_id.eq_any(followed.clone()))
                .or(posts::author_id.eq_any(followed)),
        )
        .select(PostRow::as_select())
        .into_boxed();
    if let Some(max) = max_id {
        q = q.filter(posts::id.lt(max.to_string()));
    }
    if let Some(min) = min_id {
        // min_id pages towards newer posts: take the oldest ones above it, then reverse.
        q = q.filter(posts::id.gt(min.to_string()));
        let mut rows = q.order(posts::id.asc()).limit(limit).load(conn)?;
        rows.reverse();
        return Ok(rows);
    }
    Ok(q.order(posts::id.desc()).limit(limit).load(conn)?)
}

/// Public posts, newest first: all, local only, or remote only; optionally with a hashtag.
pub fn public(
    conn: &mut DbConnection,
    local: Option<bool>,
    hashtag: Option<&str>,
    max_id: Option<&str>,
    min_id: Option<&str>,
    limit: i64,
) -> DbResult<Vec<PostRow>> {
    // Posts in groups that are not public (consortium, members, local) stay out of public views.
    let public_groups = crate::db::schema::actors::table
        .filter(crate::db::schema::actors::visibility.eq("public"))
        .select(crate::db::schema::actors::id);
    let mut q = posts::table
        .filter(posts::deleted_at.is_null())
        .filter(posts::visibility.eq("public"))
        .filter(
            posts::group_id
                .is_null()
                .or(posts::group_id.eq_any(public_groups.nullable())),
        )
        .select(PostRow::as_select())
        .into_boxed();
    if let Some(l) = local {
        q = q.filter(posts::local.eq(l));
    }
    if let Some(tag) = hashtag {
        q = q.filter(
            posts::id.eq_any(
                crate::db::schema::post_tags::table
                    .filter(crate::db::schema::post_tags::name.eq(tag.to_lowercase()))
                    .select(crate::db::schema::post_tags::post_id),
            ),
        );
    }
    if let Some(max) = max_id {
        q = q.filter(posts::id.lt(max.to_string()));
    }
    if let Some(min) = min_id {
        q = q.filter(posts::id.gt(min.to_string()));
        let mut rows = q.order(posts::id.asc()).limit(limit).load(conn)?;
        rows.reverse();
        return Ok(rows);
    }
    Ok(q.order(posts::id.desc()).limit(limit).load(conn)?)
}
