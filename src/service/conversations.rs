//! Conversations: a member's threads of direct posts, as Mastodon lists them. A direct post,
//! written here or received from a peer, is recorded for each member of this node it concerns
//! (its author and those it addresses) in the same transaction that stores it; reading them
//! passes every last post through the audience rule, so only author and addressees see it.
//!
//! Uses `db` and `domain` only.

use crate::{
    db::{
        self, actors::ActorRow, conversations::ConversationRow, posts::PostRow, DbConnection,
        DbResult,
    },
    domain::{audience::PostVisibility, time::now_ms},
    error::{AppError, AppResult},
    service::visibility::{Sight, Viewer},
    state::AppState,
};

/// The key of a post's thread: the ActivityPub id of its first known post.
pub fn thread_of(conn: &mut DbConnection, post: &PostRow) -> DbResult<String> {
    db::posts::thread_key(conn, post)
}

/// The members of this node a direct post concerns: its author and the accounts it addresses.
fn local_participants(conn: &mut DbConnection, post: &PostRow) -> DbResult<Vec<String>> {
    let mut ids = vec![post.author_id.clone()];
    ids.extend(
        db::tags::mentions_of(conn, &post.id)?
            .into_iter()
            .map(|a| a.id),
    );
    let mut out = Vec::new();
    for id in ids {
        if !out.contains(&id) && db::users::exists(conn, &id)? {
            out.push(id);
        }
    }
    Ok(out)
}

/// Records a newly stored post in the conversations and direct timelines of the members it
/// concerns (nothing for a post that is not direct). Runs inside the transaction that stores the post.
pub fn record(conn: &mut DbConnection, post: &PostRow) -> DbResult<()> {
    if post.visibility != PostVisibility::Direct {
        return Ok(());
    }
    let thread = thread_of(conn, post)?;
    let now = now_ms();
    for member in local_participants(conn, post)? {
        db::posts::record_direct(conn, &member, &post.id)?;
        let unread = member != post.author_id;
        db::conversations::touch(conn, &member, &thread, &post.id, unread, now)?;
    }
    Ok(())
}

/// A conversation as a member sees it: the other participants of its last post, and that post
/// when the member may (still) see it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub row: ConversationRow,
    pub accounts: Vec<ActorRow>,
    pub last: Option<PostRow>,
}

fn seen(conn: &mut DbConnection, me: &str, row: ConversationRow) -> DbResult<Seen> {
    let last = db::posts::by_id(conn, &row.last_post_id)?.filter(|p| p.deleted_at.is_none());
    let last = match last {
        Some(p) => Sight::new(Viewer::Local(me.to_string()))
            .retain(conn, vec![p])?
            .pop(),
        None => None,
    };
    let mut accounts = Vec::new();
    if let Some(p) = &last {
        if let Some(author) = db::actors::by_id(conn, &p.author_id)? {
            accounts.push(author);
        }
        accounts.extend(db::tags::mentions_of(conn, &p.id)?);
    }
    let mut unique: Vec<ActorRow> = Vec::new();
    for a in accounts {
        if a.id != me && !unique.iter().any(|u| u.id == a.id) {
            unique.push(a);
        }
    }
    Ok(Seen {
        row,
        accounts: unique,
        last,
    })
}

/// The member's conversation in the thread of `post` (the `conversation` stream event).
pub fn of_post(conn: &mut DbConnection, me: &str, post: &PostRow) -> DbResult<Option<Seen>> {
    let thread = thread_of(conn, post)?;
    match db::conversations::by_thread(conn, me, &thread)? {
        Some(row) => Ok(Some(seen(conn, me, row)?)),
        None => Ok(None),
    }
}

/// A page of the member's conversations, most recently active first.
pub async fn page(
    state: &AppState,
    me: String,
    max: Option<String>,
    min: Option<String>,
    limit: i64,
) -> AppResult<Vec<Seen>> {
    Ok(state
        .db
        .run(move |c| {
            let rows = db::conversations::page(c, &me, max.as_deref(), min.as_deref(), limit)?;
            rows.into_iter()
                .map(|r| seen(c, &me, r))
                .collect::<DbResult<Vec<_>>>()
        })
        .await?)
}

fn not_found() -> AppError {
    AppError::NotFound("Record not found".into())
}

/// Marks one of the member's conversations read.
pub async fn read(state: &AppState, me: String, id: String) -> AppResult<Seen> {
    state
        .db
        .tx(move |c| {
            let mut row = db::conversations::get(c, &me, &id)?.ok_or_else(not_found)?;
            db::conversations::mark_read(c, &id)?;
            row.unread = false;
            Ok(seen(c, &me, row)?)
        })
        .await
}

/// Removes one of the member's conversations from their list.
pub async fn remove(state: &AppState, me: String, id: String) -> AppResult<()> {
    state
        .db
        .tx(move |c| {
            db::conversations::get(c, &me, &id)?.ok_or_else(not_found)?;
            Ok::<_, AppError>(db::conversations::delete(c, &id)?)
        })
        .await
}
