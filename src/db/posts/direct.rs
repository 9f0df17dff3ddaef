//! The direct timeline: the direct posts a member wrote or is addressed in, recorded per member
//! when a post is stored (`direct_posts`) and read by one seek of `(user_id, post_id)` a page.

use super::PostRow;
use crate::db::{
    schema::{direct_posts, posts},
    DbConnection, DbResult, Keys,
};
use diesel::prelude::*;

/// Records that a direct post concerns a member (its author or an addressee); recording it
/// again changes nothing.
pub fn record_direct(conn: &mut DbConnection, member_id: &str, post_id: &str) -> DbResult<()> {
    crate::db::insert_or_ignore!(
        conn,
        direct_posts::table,
        (
            direct_posts::user_id.eq(member_id),
            direct_posts::post_id.eq(post_id),
        )
    )?;
    Ok(())
}

/// A page of the live direct posts of `member_id`, in page order (newest first; with
/// `keys.ascending`, oldest first).
pub fn direct_page(conn: &mut DbConnection, member_id: &str, k: Keys) -> DbResult<Vec<PostRow>> {
    let mut q = direct_posts::table
        .inner_join(posts::table)
        .filter(direct_posts::user_id.eq(member_id))
        .filter(posts::deleted_at.is_null())
        .select(PostRow::as_select())
        .into_boxed();
    if let Some(max) = k.max {
        q = q.filter(direct_posts::post_id.lt(max.to_string()));
    }
    if let Some(min) = k.min {
        q = q.filter(direct_posts::post_id.gt(min.to_string()));
    }
    let q = if k.ascending {
        q.order(direct_posts::post_id.asc())
    } else {
        q.order(direct_posts::post_id.desc())
    };
    Ok(q.limit(k.limit).load(conn)?)
}
