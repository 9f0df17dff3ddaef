//! Muting a conversation: a member stops hearing of replies, favourites and boosts within one
//! thread (notifications about any post in it), kept per member and thread key. Only a thread
//! the member takes part in may be muted, as Mastodon requires.
//!
//! Uses `db` and `domain` only.

use crate::{
    db::{self, posts::PostRow, DbConnection, DbResult},
    domain::time::now_ms,
    error::{AppError, AppResult},
    service::visibility::{Sight, Viewer},
    state::AppState,
};

/// How far up from a post its thread is searched for the member's part in it.
const MOST_ANCESTORS: usize = 40;

/// Whether `me` takes part in the thread of `post`: they wrote or are mentioned in it or in one
/// of its ancestors, or it is one of their conversations.
fn takes_part(c: &mut DbConnection, me: &str, post: &PostRow, thread: &str) -> DbResult<bool> {
    let mut cursor = Some(post.clone());
    for _ in 0..=MOST_ANCESTORS {
        let Some(p) = cursor.take() else { break };
        if p.author_id == me || db::tags::mentions(c, &p.id, me)? {
            return Ok(true);
        }
        cursor = match &p.in_reply_to {
            Some(ap) => db::posts::by_ap_id(c, ap)?,
            None => None,
        };
    }
    Ok(db::conversations::by_thread(c, me, thread)?.is_some())
}

/// `me` mutes (`muted`) or unmutes the thread of the post `id`, which they must be able to see
/// (404 otherwise) and take part in (422 otherwise). Doing it twice changes nothing.
pub async fn set(state: &AppState, me: String, id: String, muted: bool) -> AppResult<PostRow> {
    state
        .db
        .tx(move |c| {
            let post = db::posts::by_id(c, &id)?
                .ok_or_else(|| AppError::NotFound("Record not found".into()))?;
            if !Sight::new(Viewer::Local(me.clone())).may_see(c, &post)? {
                return Err(AppError::NotFound("Record not found".into()));
            }
            let thread = db::posts::thread_key(c, &post)?;
            if !takes_part(c, &me, &post, &thread)? {
                return Err(AppError::Unprocessable(
                    "Validation failed: only a conversation you take part in can be muted".into(),
                ));
            }
            if muted {
                db::thread_mutes::mute(c, &me, &thread, now_ms())?;
            } else {
                db::thread_mutes::unmute(c, &me, &thread)?;
            }
            Ok(post)
        })
        .await
}

/// Whether `user` muted the thread `post` belongs to (notifications about it stay quiet). Reads
/// the member's mutes first, so a member without any pays one statement.
pub fn muted(conn: &mut DbConnection, user: &str, post: &PostRow) -> DbResult<bool> {
    let threads = db::thread_mutes::threads(conn, user)?;
    if threads.is_empty() {
        return Ok(false);
    }
    let key = db::posts::thread_key(conn, post)?;
    Ok(threads.contains(&key))
}
