//! Followed hashtags: a member's hashtags whose public posts come to their home timeline, kept by
//! lowercase name and paged by the id of each follow.

use super::{schema::followed_tags, DbConnection, DbResult, Keys};
use diesel::prelude::*;

/// Follows a hashtag for a member (following it again changes nothing).
pub fn follow(
    conn: &mut DbConnection,
    id: &str,
    user_id: &str,
    name: &str,
    now: i64,
) -> DbResult<()> {
    super::insert_or_ignore!(
        conn,
        followed_tags::table,
        (
            followed_tags::id.eq(id),
            followed_tags::user_id.eq(user_id),
            followed_tags::name.eq(name),
            followed_tags::created_at.eq(now),
        )
    )?;
    Ok(())
}

/// Stops following a hashtag (nothing when it was not followed).
pub fn unfollow(conn: &mut DbConnection, user_id: &str, name: &str) -> DbResult<()> {
    diesel::delete(
        followed_tags::table
            .filter(followed_tags::user_id.eq(user_id))
            .filter(followed_tags::name.eq(name)),
    )
    .execute(conn)?;
    Ok(())
}

/// Which of `names` the member follows.
pub fn followed_among(
    conn: &mut DbConnection,
    user_id: &str,
    names: &[&str],
) -> DbResult<Vec<String>> {
    if names.is_empty() {
        return Ok(vec![]);
    }
    Ok(followed_tags::table
        .filter(followed_tags::user_id.eq(user_id))
        .filter(followed_tags::name.eq_any(names))
        .select(followed_tags::name)
        .load(conn)?)
}

/// Every hashtag the member follows (the home timeline's hashtag sources).
pub fn names(conn: &mut DbConnection, user_id: &str) -> DbResult<Vec<String>> {
    Ok(followed_tags::table
        .filter(followed_tags::user_id.eq(user_id))
        .order(followed_tags::id.asc())
        .select(followed_tags::name)
        .load(conn)?)
}

/// A page of the member's followed hashtags as `(follow id, name)`, newest follow first (with
/// `keys.ascending`, the oldest above `min`, still given newest first).
pub fn page(conn: &mut DbConnection, user_id: &str, k: Keys) -> DbResult<Vec<(String, String)>> {
    let mut q = followed_tags::table
        .filter(followed_tags::user_id.eq(user_id))
        .select((followed_tags::id, followed_tags::name))
        .into_boxed();
    if let Some(max) = k.max {
        q = q.filter(followed_tags::id.lt(max.to_string()));
    }
    if let Some(min) = k.min {
        q = q.filter(followed_tags::id.gt(min.to_string()));
    }
    if k.ascending {
        let mut rows: Vec<(String, String)> =
            q.order(followed_tags::id.asc()).limit(k.limit).load(conn)?;
        rows.reverse();
        return Ok(rows);
    }
    Ok(q.order(followed_tags::id.desc())
        .limit(k.limit)
        .load(conn)?)
}
