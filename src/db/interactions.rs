//! Favourites (Like), reblogs (a member's Announce) and bookmarks of posts.

use super::{
    insert_or_ignore,
    schema::{actors, bookmarks, favourites, posts, reblogs},
    DbConnection, DbResult,
};
use crate::db::{actors::ActorRow, posts::PostRow};
use diesel::prelude::*;

/// A favourite or reblog: who, which post, and the activity id that carried it.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = favourites)]
pub struct FavouriteRow {
    pub id: String,
    pub actor_id: String,
    pub post_id: String,
    pub ap_id: String,
    pub created_at: i64,
}

/// A reblog (boost).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = reblogs)]
pub struct ReblogRow {
    pub id: String,
    pub actor_id: String,
    pub post_id: String,
    pub ap_id: String,
    pub created_at: i64,
}

/// Records a favourite; `false` when it already existed.
pub fn add_favourite(conn: &mut DbConnection, row: &FavouriteRow) -> DbResult<bool> {
    Ok(insert_or_ignore!(conn, favourites::table, row)? > 0)
}

/// The favourite by an actor of a post.
pub fn favourite(
    conn: &mut DbConnection,
    actor_id: &str,
    post_id: &str,
) -> DbResult<Option<FavouriteRow>> {
    Ok(favourites::table
        .filter(favourites::actor_id.eq(actor_id))
        .filter(favourites::post_id.eq(post_id))
        .select(FavouriteRow::as_select())
        .first(conn)
        .optional()?)
}

/// Removes a favourite by its activity id (Undo(Like)) when the actor matches.
pub fn remove_favourite_by_ap_id(
    conn: &mut DbConnection,
    ap_id: &str,
    actor_id: &str,
) -> DbResult<bool> {
    Ok(diesel::delete(
        favourites::table
            .filter(favourites::ap_id.eq(ap_id))
            .filter(favourites::actor_id.eq(actor_id)),
    )
    .execute(conn)?
        > 0)
}

/// Removes a favourite by actor and post.
pub fn remove_favourite(conn: &mut DbConnection, actor_id: &str, post_id: &str) -> DbResult<bool> {
    Ok(diesel::delete(
        favourites::table
            .filter(favourites::actor_id.eq(actor_id))
            .filter(favourites::post_id.eq(post_id)),
    )
    .execute(conn)?
        > 0)
}

/// Records a reblog; `false` when it already existed.
pub fn add_reblog(conn: &mut DbConnection, row: &ReblogRow) -> DbResult<bool> {
    Ok(insert_or_ignore!(conn, reblogs::table, row)? > 0)
}

/// The reblog by an actor of a post.
pub fn reblog(
    conn: &mut DbConnection,
    actor_id: &str,
    post_id: &str,
) -> DbResult<Option<ReblogRow>> {
    Ok(reblogs::table
        .filter(reblogs::actor_id.eq(actor_id))
        .filter(reblogs::post_id.eq(post_id))
        .select(ReblogRow::as_select())
        .first(conn)
        .optional()?)
}

/// Removes a reblog by its activity id (Undo(Announce)) when the actor matches.
pub fn remove_reblog_by_ap_id(
    conn: &mut DbConnection,
    ap_id: &str,
    actor_id: &str,
) -> DbResult<bool> {
    Ok(diesel::delete(
        reblogs::table
            .filter(reblogs::ap_id.eq(ap_id))
            .filter(reblogs::actor_id.eq(actor_id)),
    )
    .execute(conn)?
        > 0)
}

/// Removes a reblog by actor and post.
pub fn remove_reblog(conn: &mut DbConnection, actor_id: &str, post_id: &str) -> DbResult<bool> {
    Ok(diesel::delete(
        reblogs::table
            .filter(reblogs::actor_id.eq(actor_id))
            .filter(reblogs::post_id.eq(post_id)),
    )
    .execute(conn)?
        > 0)
}

/// `(favourites, reblogs)` of a post.
pub fn counts(conn: &mut DbConnection, post_id: &str) -> DbResult<(i64, i64)> {
    let f = favourites::table
        .filter(favourites::post_id.eq(post_id))
        .count()
        .get_result(conn)?;
    let r = reblogs::table
        .filter(reblogs::post_id.eq(post_id))
        .count()
        .get_result(conn)?;
    Ok((f, r))
}

/// Who favourited a post, newest first.
pub fn favourited_by(
    conn: &mut DbConnection,
    post_id: &str,
    limit: i64,
) -> DbResult<Vec<ActorRow>> {
    Ok(favourites::table
        .inner_join(actors::table.on(actors::id.eq(favourites::actor_id)))
        .filter(favourites::post_id.eq(post_id))
        .order(favourites::created_at.desc())
        .limit(limit)
        .select(ActorRow::as_select())
        .load(conn)?)
}

/// Who reblogged a post, newest first.
pub fn reblogged_by(conn: &mut DbConnection, post_id: &str, limit: i64) -> DbResult<Vec<ActorRow>> {
    Ok(reblogs::table
        .inner_join(actors::table.on(actors::id.eq(reblogs::actor_id)))
        .filter(reblogs::post_id.eq(post_id))
        .order(reblogs::created_at.desc())
        .limit(limit)
        .select(ActorRow::as_select())
        .load(conn)?)
}

/// Bookmarks a post (idempotent).
pub fn add_bookmark(
    conn: &mut DbConnection,
    id: &str,
    user_id: &str,
    post_id: &str,
    now: i64,
) -> DbResult<()> {
    insert_or_ignore!(
        conn,
        bookmarks::table,
        (
            bookmarks::id.eq(id),
            bookmarks::user_id.eq(user_id),
            bookmarks::post_id.eq(post_id),
            bookmarks::created_at.eq(now),
        )
    )?;
    Ok(())
}

/// Removes a bookmark.
pub fn remove_bookmark(conn: &mut DbConnection, user_id: &str, post_id: &str) -> DbResult<()> {
    diesel::delete(
        bookmarks::table
            .filter(bookmarks::user_id.eq(user_id))
            .filter(bookmarks::post_id.eq(post_id)),
    )
    .execute(conn)?;
    Ok(())
}

/// Whether a member bookmarked a post.
pub fn is_bookmarked(conn: &mut DbConnection, user_id: &str, post_id: &str) -> DbResult<bool> {
    let n: i64 = bookmarks::table
        .filter(bookmarks::user_id.eq(user_id))
        .filter(bookmarks::post_id.eq(post_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// A member's favourited or bookmarked posts, newest mark first, paged by the mark's id.
pub fn marked_posts(
    conn: &mut DbConnection,
    user_id: &str,
    bookmarked: bool,
    max_id: Option<&str>,
    limit: i64,
) -> DbResult<Vec<(String, PostRow)>> {
    if bookmarked {
        let mut q = bookmarks::table
            .inner_join(posts::table.on(posts::id.eq(bookmarks::post_id)))
            .filter(bookmarks::user_id.eq(user_id))
            .filter(posts::deleted_at.is_null())
            .select((bookmarks::id, PostRow::as_select()))
            .into_boxed();
        if let Some(max) = max_id {
            q = q.filter(bookmarks::id.lt(max.to_string()));
        }
        Ok(q.order(bookmarks::id.desc()).limit(limit).load(conn)?)
    } else {
        let mut q = favourites::table
            .inner_join(posts::table.on(posts::id.eq(favourites::post_id)))
            .filter(favourites::actor_id.eq(user_id))
            .filter(posts::deleted_at.is_null())
            .select((favourites::id, PostRow::as_select()))
            .into_boxed();
        if let Some(max) = max_id {
            q = q.filter(favourites::id.lt(max.to_string()));
        }
        Ok(q.order(favourites::id.desc()).limit(limit).load(conn)?)
    }
}
