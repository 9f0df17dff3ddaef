//! Favourites (Like), reblogs (a member's Announce) and bookmarks of posts.

use super::{
    insert_or_ignore,
    schema::{actors, bookmarks, favourites, posts, reblogs},
    DbConnection, DbResult,
};
use crate::db::{actors::ActorRow, posts::PostRow};
use diesel::prelude::*;

/// Favourites (`Like`) and reblogs (a member's `Announce`): stored alike, in two tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interaction {
    Favourite,
    Reblog,
}

impl Interaction {
    /// The activity type that carries it.
    pub fn activity(self) -> &'static str {
        match self {
            Interaction::Favourite => "Like",
            Interaction::Reblog => "Announce",
        }
    }

    /// The notification it raises for the post's author.
    pub fn notification(self) -> crate::domain::notification::NotificationKind {
        use crate::domain::notification::NotificationKind;
        match self {
            Interaction::Favourite => NotificationKind::Favourite,
            Interaction::Reblog => NotificationKind::Reblog,
        }
    }
}

/// A favourite or reblog: who, which post, and the activity id that carried it.
#[derive(Debug, Clone, Queryable)]
pub struct InteractionRow {
    pub id: String,
    pub actor_id: String,
    pub post_id: String,
    pub ap_id: String,
    pub created_at: i64,
}

/// Evaluates `$body` with `$t` naming the schema module of `$kind`'s table.
macro_rules! with_table {
    ($kind:expr, $t:ident, $body:expr) => {
        match $kind {
            Interaction::Favourite => {
                use super::schema::favourites as $t;
                $body
            }
            Interaction::Reblog => {
                use super::schema::reblogs as $t;
                $body
            }
        }
    };
}

/// Records a favourite or reblog; `false` when the actor had already made it.
pub fn add(conn: &mut DbConnection, kind: Interaction, row: &InteractionRow) -> DbResult<bool> {
    with_table!(
        kind,
        t,
        Ok(insert_or_ignore!(
            conn,
            t::table,
            (
                t::id.eq(&row.id),
                t::actor_id.eq(&row.actor_id),
                t::post_id.eq(&row.post_id),
                t::ap_id.eq(&row.ap_id),
                t::created_at.eq(row.created_at),
            )
        )? > 0)
    )
}

/// An actor's favourite or reblog of a post.
pub fn find(
    conn: &mut DbConnection,
    kind: Interaction,
    actor_id: &str,
    post_id: &str,
) -> DbResult<Option<InteractionRow>> {
    with_table!(
        kind,
        t,
        Ok(t::table
            .filter(t::actor_id.eq(actor_id))
            .filter(t::post_id.eq(post_id))
            .select((t::id, t::actor_id, t::post_id, t::ap_id, t::created_at))
            .first::<InteractionRow>(conn)
            .optional()?)
    )
}

/// Removes an actor's favourite or reblog of a post; returns whether there was one.
pub fn remove(
    conn: &mut DbConnection,
    kind: Interaction,
    actor_id: &str,
    post_id: &str,
) -> DbResult<bool> {
    with_table!(
        kind,
        t,
        Ok(diesel::delete(
            t::table
                .filter(t::actor_id.eq(actor_id))
                .filter(t::post_id.eq(post_id)),
        )
        .execute(conn)?
            > 0)
    )
}

/// Removes a favourite or reblog by the id of its activity (`Undo`) when the actor matches.
pub fn remove_by_ap_id(
    conn: &mut DbConnection,
    kind: Interaction,
    ap_id: &str,
    actor_id: &str,
) -> DbResult<bool> {
    with_table!(
        kind,
        t,
        Ok(diesel::delete(
            t::table
                .filter(t::ap_id.eq(ap_id))
                .filter(t::actor_id.eq(actor_id)),
        )
        .execute(conn)?
            > 0)
    )
}

/// The post of a favourite or reblog, by the activity id that carried it and its actor.
pub fn post_of(
    conn: &mut DbConnection,
    kind: Interaction,
    ap_id: &str,
    actor_id: &str,
) -> DbResult<Option<PostRow>> {
    with_table!(
        kind,
        t,
        Ok(t::table
            .inner_join(posts::table.on(posts::id.eq(t::post_id)))
            .filter(t::ap_id.eq(ap_id))
            .filter(t::actor_id.eq(actor_id))
            .select(PostRow::as_select())
            .first(conn)
            .optional()?)
    )
}

/// Who favourited or reblogged a post, newest first, paged by the favourite's or reblog's id:
/// `(mark id, actor)`.
pub fn actors_of(
    conn: &mut DbConnection,
    kind: Interaction,
    post_id: &str,
    keys: super::Keys<'_>,
) -> DbResult<Vec<(String, ActorRow)>> {
    with_table!(kind, t, {
        let mut q = t::table
            .inner_join(actors::table.on(actors::id.eq(t::actor_id)))
            .filter(t::post_id.eq(post_id))
            .select((t::id, ActorRow::as_select()))
            .into_boxed();
        if let Some(max) = keys.max {
            q = q.filter(t::id.lt(max.to_string()));
        }
        if let Some(min) = keys.min {
            q = q.filter(t::id.gt(min.to_string()));
        }
        if keys.ascending {
            let mut rows: Vec<(String, ActorRow)> =
                q.order(t::id.asc()).limit(keys.limit).load(conn)?;
            rows.reverse();
            Ok(rows)
        } else {
            Ok(q.order(t::id.desc()).limit(keys.limit).load(conn)?)
        }
    })
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
    keys: super::Keys<'_>,
) -> DbResult<Vec<(String, PostRow)>> {
    macro_rules! page {
        ($q:expr, $id:expr) => {{
            let mut q = $q;
            if let Some(max) = keys.max {
                q = q.filter($id.lt(max.to_string()));
            }
            if let Some(min) = keys.min {
                q = q.filter($id.gt(min.to_string()));
            }
            if keys.ascending {
                let mut rows: Vec<(String, PostRow)> =
                    q.order($id.asc()).limit(keys.limit).load(conn)?;
                rows.reverse();
                Ok(rows)
            } else {
                Ok(q.order($id.desc()).limit(keys.limit).load(conn)?)
            }
        }};
    }
    if bookmarked {
        page!(
            bookmarks::table
                .inner_join(posts::table.on(posts::id.eq(bookmarks::post_id)))
                .filter(bookmarks::user_id.eq(user_id))
                .filter(posts::deleted_at.is_null())
                .select((bookmarks::id, PostRow::as_select()))
                .into_boxed(),
            bookmarks::id
        )
    } else {
        page!(
            favourites::table
                .inner_join(posts::table.on(posts::id.eq(favourites::post_id)))
                .filter(favourites::actor_id.eq(user_id))
                .filter(posts::deleted_at.is_null())
                .select((favourites::id, PostRow::as_select()))
                .into_boxed(),
            favourites::id
        )
    }
}
