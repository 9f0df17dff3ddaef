//! Conversation mutes: a member's muted threads, by thread key (the ActivityPub id of the
//! thread's first known post, as conversations key them).

use super::{schema::conversation_mutes, DbConnection, DbResult};
use diesel::prelude::*;

/// Mutes a thread for a member (muting it again changes nothing).
pub fn mute(conn: &mut DbConnection, user_id: &str, thread: &str, now: i64) -> DbResult<()> {
    super::insert_or_ignore!(
        conn,
        conversation_mutes::table,
        (
            conversation_mutes::user_id.eq(user_id),
            conversation_mutes::thread.eq(thread),
            conversation_mutes::created_at.eq(now),
        )
    )?;
    Ok(())
}

/// Unmutes a thread for a member (nothing when it was not muted).
pub fn unmute(conn: &mut DbConnection, user_id: &str, thread: &str) -> DbResult<()> {
    diesel::delete(
        conversation_mutes::table
            .filter(conversation_mutes::user_id.eq(user_id))
            .filter(conversation_mutes::thread.eq(thread)),
    )
    .execute(conn)?;
    Ok(())
}

/// Every thread a member mutes (a member mutes few; read once per page).
pub fn threads(conn: &mut DbConnection, user_id: &str) -> DbResult<Vec<String>> {
    Ok(conversation_mutes::table
        .filter(conversation_mutes::user_id.eq(user_id))
        .select(conversation_mutes::thread)
        .load(conn)?)
}
