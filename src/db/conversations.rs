//! A member's conversations: one row per thread of direct posts they take part in, pointing at
//! the thread's newest post, read newest first by `(user_id, last_post_id)`.

use super::{schema::conversations, DbConnection, DbResult};
use diesel::prelude::*;

/// A stored conversation.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = conversations)]
pub struct ConversationRow {
    pub id: String,
    pub user_id: String,
    /// The thread's key: the ActivityPub id of its first known post.
    pub thread: String,
    pub last_post_id: String,
    pub unread: bool,
    pub updated_at: i64,
}

/// The member's conversation in a thread.
pub fn by_thread(
    conn: &mut DbConnection,
    user_id: &str,
    thread: &str,
) -> DbResult<Option<ConversationRow>> {
    Ok(conversations::table
        .filter(conversations::user_id.eq(user_id))
        .filter(conversations::thread.eq(thread))
        .select(ConversationRow::as_select())
        .first(conn)
        .optional()?)
}

/// The member's conversation by id.
pub fn get(conn: &mut DbConnection, user_id: &str, id: &str) -> DbResult<Option<ConversationRow>> {
    Ok(conversations::table
        .filter(conversations::id.eq(id))
        .filter(conversations::user_id.eq(user_id))
        .select(ConversationRow::as_select())
        .first(conn)
        .optional()?)
}

/// Records `post_id` as a thread's newest post for a member (a new row, or a newer post and
/// unread again when it is not the member's own).
pub fn touch(
    conn: &mut DbConnection,
    user_id: &str,
    thread: &str,
    post_id: &str,
    unread: bool,
    now: i64,
) -> DbResult<()> {
    match by_thread(conn, user_id, thread)? {
        Some(c) if c.last_post_id.as_str() >= post_id => Ok(()),
        Some(c) => {
            diesel::update(conversations::table.filter(conversations::id.eq(&c.id)))
                .set((
                    conversations::last_post_id.eq(post_id),
                    conversations::unread.eq(unread),
                    conversations::updated_at.eq(now),
                ))
                .execute(conn)?;
            Ok(())
        }
        None => {
            let row = ConversationRow {
                id: crate::domain::ids::new_id(),
                user_id: user_id.to_string(),
                thread: thread.to_string(),
                last_post_id: post_id.to_string(),
                unread,
                updated_at: now,
            };
            super::direct!(conn, |c| super::Kept(
                diesel::insert_into(conversations::table).values(&row)
            )
            .execute(c))?;
            Ok(())
        }
    }
}

/// A page of the member's conversations by their newest post id, newest first (with `min`,
/// the oldest ones above it, still newest first).
pub fn page(
    conn: &mut DbConnection,
    user_id: &str,
    max: Option<&str>,
    min: Option<&str>,
    limit: i64,
) -> DbResult<Vec<ConversationRow>> {
    let mut q = conversations::table
        .filter(conversations::user_id.eq(user_id))
        .select(ConversationRow::as_select())
        .into_boxed();
    if let Some(m) = max {
        q = q.filter(conversations::last_post_id.lt(m.to_string()));
    }
    if let Some(m) = min {
        q = q.filter(conversations::last_post_id.gt(m.to_string()));
        let mut rows: Vec<ConversationRow> = q
            .order(conversations::last_post_id.asc())
            .limit(limit)
            .load(conn)?;
        rows.reverse();
        return Ok(rows);
    }
    Ok(q.order(conversations::last_post_id.desc())
        .limit(limit)
        .load(conn)?)
}

/// Marks a conversation read.
pub fn mark_read(conn: &mut DbConnection, id: &str) -> DbResult<()> {
    diesel::update(conversations::table.filter(conversations::id.eq(id)))
        .set(conversations::unread.eq(false))
        .execute(conn)?;
    Ok(())
}

/// Removes a conversation from the member's list (a new post in the thread brings it back).
pub fn delete(conn: &mut DbConnection, id: &str) -> DbResult<()> {
    diesel::delete(conversations::table.filter(conversations::id.eq(id))).execute(conn)?;
    Ok(())
}
